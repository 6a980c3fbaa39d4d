-- Browsers a participant asked to be remembered on: the event page then
-- shows that browser alone their registration and their join buttons. The
-- browser's cookie holds a random device token (not the private token);
-- only its SHA-256 is kept. One row per device and registration. A row ends
-- when the registration's retention does, when the participant forgets the
-- device, or with the registration ("Delete my data", the retention purge).

CREATE TABLE remembered_devices (
    token_hash      BLOB    NOT NULL,
    registration_id INTEGER NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    PRIMARY KEY (token_hash, registration_id)
) WITHOUT ROWID;

CREATE INDEX remembered_devices_by_registration ON remembered_devices (registration_id);
