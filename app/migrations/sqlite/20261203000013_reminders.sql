-- Reminders before an event, and announcements to its participants.
--
-- An event's two reminders go this many hours before it starts (NULL: not
-- sent; by default two days and two hours); `reminders_sent` records each
-- one that went out, claimed in the same transaction that queues its
-- emails, so that it goes out once whatever the restarts or instances.
-- A participant may turn reminders off on their private page.
-- Announcements are staff's words to a group of an event's participants;
-- who got each is kept (deleted with the registration) so that their
-- private page can show it.

ALTER TABLE events ADD COLUMN remind_first_hours INTEGER DEFAULT 48 CHECK (remind_first_hours BETWEEN 1 AND 720);
ALTER TABLE events ADD COLUMN remind_second_hours INTEGER DEFAULT 2 CHECK (remind_second_hours BETWEEN 1 AND 720);
ALTER TABLE registrations ADD COLUMN reminders INTEGER NOT NULL DEFAULT 1 CHECK (reminders IN (0, 1));

CREATE TABLE reminders_sent (
    event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    which       INTEGER NOT NULL CHECK (which IN (1, 2)),
    sent_at     INTEGER NOT NULL,
    emails      INTEGER NOT NULL,
    PRIMARY KEY (event_id, which)
) WITHOUT ROWID;

CREATE TABLE announcements (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    waitlisted  INTEGER NOT NULL CHECK (waitlisted IN (0, 1)),
    mode        TEXT    CHECK (mode IN ('in_person', 'online')),
    body_en     TEXT    NOT NULL,
    body_ar     TEXT    NOT NULL,
    recipients  INTEGER NOT NULL,
    created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX announcements_by_event ON announcements (event_id, id);

CREATE TABLE announcement_recipients (
    announcement_id INTEGER NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
    registration_id INTEGER NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    PRIMARY KEY (announcement_id, registration_id)
) WITHOUT ROWID;
CREATE INDEX announcement_recipients_by_registration ON announcement_recipients (registration_id);
