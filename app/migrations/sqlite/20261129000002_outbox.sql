-- Every email the platform sends: stored here first (in the same transaction
-- as the change that causes it), then delivered by the outbox worker, so a
-- crash between "stored" and "sent" loses nothing. Times are Unix
-- milliseconds (UTC): retries back off from sub-second to an hour.
--
-- `registration_id` links a message to the registration it is about. It is
-- not declared as a foreign key here: `registrations` arrives in a later
-- migration, and with foreign keys on SQLite refuses every insert into a
-- table whose parent table does not exist yet (even with a NULL key). The
-- registrations migration deletes a registration's mail with it (a trigger,
-- or by rebuilding this table with `REFERENCES registrations (id) ON DELETE
-- CASCADE`).

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    registration_id INTEGER,
    to_address      TEXT    NOT NULL,
    lang            TEXT    NOT NULL CHECK (lang IN ('en', 'ar')),
    subject         TEXT    NOT NULL,
    body_text       TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at INTEGER NOT NULL,
    sent_at         INTEGER,
    failed_at       INTEGER,
    -- Why the last attempt failed, without addresses or content.
    last_error      TEXT
);

-- The worker's question: what is due, soonest first. Only pending rows.
CREATE INDEX outbox_due ON outbox (next_attempt_at)
    WHERE sent_at IS NULL AND failed_at IS NULL;

CREATE INDEX outbox_by_registration ON outbox (registration_id)
    WHERE registration_id IS NOT NULL;
