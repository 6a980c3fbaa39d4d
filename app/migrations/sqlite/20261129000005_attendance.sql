-- Attendance: who used their join link for which session, and when. One row
-- per registration and session; joining again only moves `last_joined_at`.
-- Erasing a registration (or a session) erases its attendance with it.

CREATE TABLE attendance (
    registration_id INTEGER NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    session_id      INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    first_joined_at INTEGER NOT NULL,
    last_joined_at  INTEGER NOT NULL,
    joins           INTEGER NOT NULL DEFAULT 1 CHECK (joins >= 1),
    PRIMARY KEY (registration_id, session_id)
) WITHOUT ROWID;

CREATE INDEX attendance_by_session ON attendance (session_id);
