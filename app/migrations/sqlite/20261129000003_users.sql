-- Staff accounts (admins and moderators). Participants have no accounts.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'moderator')),
    -- argon2id, PHC string format (algorithm, parameters and salt included).
    password_hash TEXT    NOT NULL,
    created_at    INTEGER NOT NULL DEFAULT (unixepoch()),
    disabled      INTEGER NOT NULL DEFAULT 0
);
