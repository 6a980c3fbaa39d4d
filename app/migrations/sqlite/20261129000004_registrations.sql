-- Organisations that tell us about themselves, registrations for events, and
-- the append-only audit log of decisions. Times are Unix seconds (UTC).

-- The shared code a closed event's invitees type to register.
ALTER TABLE events ADD COLUMN invitation_code TEXT;

CREATE TABLE organisations (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- The name normalised for matching registrations to it.
    name_key        TEXT    NOT NULL,
    country         TEXT    NOT NULL CHECK (length(country) BETWEEN 1 AND 120),
    -- Comma-separated area codes, e.g. 'gender,detention'.
    areas           TEXT    NOT NULL DEFAULT '',
    description     TEXT    NOT NULL CHECK (length(description) BETWEEN 1 AND 4000),
    contact_email   TEXT    NOT NULL,
    website         TEXT,
    mailing_list    INTEGER NOT NULL DEFAULT 0 CHECK (mailing_list IN (0, 1)),
    lang            TEXT    NOT NULL CHECK (lang IN ('en', 'ar')),
    state           TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'verified', 'declined')),
    decided_by      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    decided_at      INTEGER,
    created_at      INTEGER NOT NULL
);

CREATE INDEX organisations_by_state ON organisations (state, created_at);
CREATE INDEX organisations_by_key ON organisations (name_key);

CREATE TABLE registrations (
    id              INTEGER PRIMARY KEY,
    event_id        INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    -- SHA-256 of the private manage token; the token itself is never stored.
    token_hash      BLOB    NOT NULL UNIQUE,
    name            TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    organisation    TEXT    NOT NULL CHECK (length(organisation) BETWEEN 1 AND 200),
    organisation_id INTEGER REFERENCES organisations (id) ON DELETE SET NULL,
    role            TEXT    NOT NULL CHECK (length(role) BETWEEN 1 AND 120),
    email           TEXT    NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    mode            TEXT    NOT NULL CHECK (mode IN ('in_person', 'online')),
    interpretation  TEXT    CHECK (interpretation IN ('ar', 'en', 'fr', 'ku')),
    accessibility   TEXT    NOT NULL DEFAULT '' CHECK (length(accessibility) <= 2000),
    lang            TEXT    NOT NULL CHECK (lang IN ('en', 'ar')),
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'approved', 'waitlisted', 'rejected', 'withdrawn')),
    reason          TEXT,
    decided_by      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    decided_at      INTEGER,
    email_confirmed_at INTEGER,
    consented_at    INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

CREATE INDEX registrations_queue ON registrations (event_id, state, mode, created_at);
CREATE INDEX registrations_by_state ON registrations (state, created_at);
-- One live registration per person and event.
CREATE UNIQUE INDEX registrations_one_per_email
    ON registrations (event_id, email COLLATE NOCASE)
    WHERE state NOT IN ('withdrawn', 'rejected');

-- Erasing a registration erases the emails about it, sent or not.
CREATE TRIGGER registrations_erase_mail AFTER DELETE ON registrations
BEGIN
    DELETE FROM outbox WHERE registration_id = OLD.id;
END;

CREATE TABLE audit (
    id              INTEGER PRIMARY KEY,
    at              INTEGER NOT NULL,
    -- The staff member who acted; NULL when the participant or the system did.
    actor_user_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor           TEXT    NOT NULL CHECK (actor IN ('staff', 'participant', 'system')),
    action          TEXT    NOT NULL,
    subject_type    TEXT    NOT NULL,
    subject_id      INTEGER NOT NULL,
    reason          TEXT
);

CREATE INDEX audit_by_subject ON audit (subject_type, subject_id, at);

CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_is_append_only_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
