-- Check-in at the door, materials, and interpretation channels.
--
-- A check-in is an approved in-person participant arriving on one day of
-- the event (its own time zone's date, `YYYY-MM-DD`): once a day, undone by
-- deleting the row. Their check-in code is not stored: it is a keyed hash
-- of the registration (`server::checkin`).
-- Materials are documents staff attach to an event or one of its sessions,
-- public or for approved participants only; their bytes live in their own
-- table so that listing them never reads a file.
-- A session's interpretation channels: one `language|channel` per line.

CREATE TABLE checkins (
    registration_id INTEGER NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    day             TEXT    NOT NULL CHECK (length(day) = 10),
    checked_in_at   INTEGER NOT NULL,
    checked_in_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    PRIMARY KEY (registration_id, day)
) WITHOUT ROWID;

CREATE TABLE materials (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    session_id  INTEGER REFERENCES sessions (id) ON DELETE CASCADE,
    title_en    TEXT    NOT NULL,
    title_ar    TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('pdf', 'docx', 'odt', 'pptx', 'png', 'jpeg', 'webp')),
    size        INTEGER NOT NULL CHECK (size BETWEEN 1 AND 20971520),
    public      INTEGER NOT NULL CHECK (public IN (0, 1)),
    created_at  INTEGER NOT NULL
);
CREATE INDEX materials_by_event ON materials (event_id, id);

CREATE TABLE material_files (
    material_id INTEGER PRIMARY KEY REFERENCES materials (id) ON DELETE CASCADE,
    bytes       BLOB    NOT NULL
);

ALTER TABLE sessions ADD COLUMN interpretation TEXT NOT NULL DEFAULT '';
