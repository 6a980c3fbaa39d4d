-- Reminders before an event, and announcements to its participants (see
-- the SQLite migration of the same name).

ALTER TABLE events ADD COLUMN remind_first_hours bigint DEFAULT 48 CHECK (remind_first_hours BETWEEN 1 AND 720);
ALTER TABLE events ADD COLUMN remind_second_hours bigint DEFAULT 2 CHECK (remind_second_hours BETWEEN 1 AND 720);
ALTER TABLE registrations ADD COLUMN reminders boolean NOT NULL DEFAULT true;

CREATE TABLE reminders_sent (
    event_id    bigint  NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    which       bigint  NOT NULL CHECK (which IN (1, 2)),
    sent_at     bigint  NOT NULL,
    emails      bigint  NOT NULL,
    PRIMARY KEY (event_id, which)
);

CREATE TABLE announcements (
    id          bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id    bigint  NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    waitlisted  boolean NOT NULL,
    mode        text    CHECK (mode IN ('in_person', 'online')),
    body_en     text    NOT NULL,
    body_ar     text    NOT NULL,
    recipients  bigint  NOT NULL,
    created_by  bigint  REFERENCES users (id) ON DELETE SET NULL,
    created_at  bigint  NOT NULL
);
CREATE INDEX announcements_by_event ON announcements (event_id, id);

CREATE TABLE announcement_recipients (
    announcement_id bigint NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
    registration_id bigint NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    PRIMARY KEY (announcement_id, registration_id)
);
CREATE INDEX announcement_recipients_by_registration ON announcement_recipients (registration_id);
