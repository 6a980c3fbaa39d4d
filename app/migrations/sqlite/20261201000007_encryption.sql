-- Personal data encrypted at rest (see `server::crypto`). Names, emails,
-- organisation contact details, accessibility needs, staff's decision
-- reasons and the outbox's addresses, bodies and unsubscribe links become
-- sealed BLOBs
-- (XChaCha20-Poly1305, bound to their column); an email that must be found
-- by equality gets a keyed hash (HMAC-SHA256) in `<column>_lookup`, which
-- replaces the case-insensitive unique constraints on the plaintext.
--
-- SQLite cannot change a column's type or drop a CHECK in place, so each
-- table is rebuilt (create new, copy, drop old, rename): the documented
-- procedure. `db::migrate` runs migrations on a connection with foreign keys
-- off, so dropping a parent table runs no ON DELETE action, then checks the
-- foreign keys. The length checks move to the domain parsers (a sealed value
-- is longer than its text).
--
-- Rows already in a database keep their plaintext (TEXT values in the BLOB
-- columns) until the first start with the key, which seals them and fills
-- their lookups in one transaction (`crypto::seal_legacy_rows`); a lookup may
-- be missing only while its email is still plaintext.

-- Triggers that name a rebuilt table go first, and come back at the end.
DROP TRIGGER registrations_erase_mail;
DROP TRIGGER subscribers_erase_mail;

-- The key check: a value sealed with the data key at the first start, so
-- that a different key is refused at startup instead of failing on every page.
CREATE TABLE data_key_check (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    sealed          BLOB    NOT NULL
);

CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY,
    registration_id INTEGER,
    to_address      BLOB    NOT NULL,
    lang            TEXT    NOT NULL CHECK (lang IN ('en', 'ar')),
    -- The event's title only (no personal data): tests and staff can tell
    -- messages apart without the key.
    subject         TEXT    NOT NULL,
    body_text       BLOB    NOT NULL,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at INTEGER NOT NULL,
    sent_at         INTEGER,
    failed_at       INTEGER,
    -- Why the last attempt failed, without addresses or content.
    last_error      TEXT,
    list_unsubscribe BLOB,
    subscriber_id   INTEGER
);
INSERT INTO outbox_new (id, registration_id, to_address, lang, subject, body_text, created_at,
        attempts, next_attempt_at, sent_at, failed_at, last_error, list_unsubscribe, subscriber_id)
    SELECT id, registration_id, to_address, lang, subject, body_text, created_at,
        attempts, next_attempt_at, sent_at, failed_at, last_error, list_unsubscribe, subscriber_id
    FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (next_attempt_at)
    WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_by_registration ON outbox (registration_id)
    WHERE registration_id IS NOT NULL;
CREATE INDEX outbox_by_subscriber ON outbox (subscriber_id) WHERE subscriber_id IS NOT NULL;

CREATE TABLE users_new (
    id            INTEGER PRIMARY KEY,
    email         BLOB    NOT NULL,
    email_lookup  BLOB    UNIQUE CHECK (email_lookup IS NOT NULL OR typeof(email) = 'text'),
    display_name  BLOB    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'moderator')),
    -- argon2id, PHC string format (algorithm, parameters and salt included).
    password_hash TEXT    NOT NULL,
    created_at    INTEGER NOT NULL DEFAULT (unixepoch()),
    disabled      INTEGER NOT NULL DEFAULT 0
);
INSERT INTO users_new (id, email, display_name, role, password_hash, created_at, disabled)
    SELECT id, email, display_name, role, password_hash, created_at, disabled FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

CREATE TABLE organisations_new (
    id              INTEGER PRIMARY KEY,
    -- The organisation's public name stays plaintext: staff vet it, and
    -- `name_key` matches registrations to it.
    name            TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    name_key        TEXT    NOT NULL,
    country         TEXT    NOT NULL CHECK (length(country) BETWEEN 1 AND 120),
    areas           TEXT    NOT NULL DEFAULT '',
    description     TEXT    NOT NULL CHECK (length(description) BETWEEN 1 AND 4000),
    contact_email   BLOB    NOT NULL,
    website         BLOB,
    mailing_list    INTEGER NOT NULL DEFAULT 0 CHECK (mailing_list IN (0, 1)),
    lang            TEXT    NOT NULL CHECK (lang IN ('en', 'ar')),
    state           TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'verified', 'declined')),
    decided_by      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    decided_at      INTEGER,
    created_at      INTEGER NOT NULL
);
INSERT INTO organisations_new SELECT id, name, name_key, country, areas, description,
        contact_email, website, mailing_list, lang, state, decided_by, decided_at, created_at
    FROM organisations;
DROP TABLE organisations;
ALTER TABLE organisations_new RENAME TO organisations;
CREATE INDEX organisations_by_state ON organisations (state, created_at);
CREATE INDEX organisations_by_key ON organisations (name_key);

CREATE TABLE registrations_new (
    id              INTEGER PRIMARY KEY,
    event_id        INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    -- SHA-256 of the private manage token; the token itself is never stored.
    token_hash      BLOB    NOT NULL UNIQUE,
    name            BLOB    NOT NULL,
    organisation    BLOB    NOT NULL,
    organisation_id INTEGER REFERENCES organisations (id) ON DELETE SET NULL,
    role            BLOB    NOT NULL,
    email           BLOB    NOT NULL,
    email_lookup    BLOB    CHECK (email_lookup IS NOT NULL OR typeof(email) = 'text'),
    mode            TEXT    NOT NULL CHECK (mode IN ('in_person', 'online')),
    interpretation  TEXT    CHECK (interpretation IN ('ar', 'en', 'fr', 'ku')),
    accessibility   BLOB    NOT NULL,
    lang            TEXT    NOT NULL CHECK (lang IN ('en', 'ar')),
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'approved', 'waitlisted', 'rejected', 'withdrawn')),
    -- Why staff decided so, in their words.
    reason          BLOB,
    decided_by      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    decided_at      INTEGER,
    email_confirmed_at INTEGER,
    consented_at    INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
INSERT INTO registrations_new (id, event_id, token_hash, name, organisation, organisation_id,
        role, email, mode, interpretation, accessibility, lang, state, reason, decided_by,
        decided_at, email_confirmed_at, consented_at, created_at, updated_at)
    SELECT id, event_id, token_hash, name, organisation, organisation_id,
        role, email, mode, interpretation, accessibility, lang, state, reason, decided_by,
        decided_at, email_confirmed_at, consented_at, created_at, updated_at
    FROM registrations;
DROP TABLE registrations;
ALTER TABLE registrations_new RENAME TO registrations;
CREATE INDEX registrations_queue ON registrations (event_id, state, mode, created_at);
CREATE INDEX registrations_by_state ON registrations (state, created_at);
-- One live registration per person and event.
CREATE UNIQUE INDEX registrations_one_per_email
    ON registrations (event_id, email_lookup)
    WHERE state NOT IN ('withdrawn', 'rejected');

CREATE TABLE subscribers_new (
    id              INTEGER PRIMARY KEY,
    email           BLOB    NOT NULL,
    email_lookup    BLOB    UNIQUE CHECK (email_lookup IS NOT NULL OR typeof(email) = 'text'),
    lang            TEXT    NOT NULL CHECK (lang IN ('en', 'ar')),
    -- SHA-256 of the tokens in the confirmation link and the unsubscribe link.
    confirm_hash    BLOB    NOT NULL UNIQUE,
    unsubscribe_hash BLOB   NOT NULL UNIQUE,
    source          TEXT    NOT NULL CHECK (source IN ('form', 'organisation')),
    created_at      INTEGER NOT NULL,
    confirm_sent_at INTEGER NOT NULL,
    confirmed_at    INTEGER
);
INSERT INTO subscribers_new (id, email, lang, confirm_hash, unsubscribe_hash, source,
        created_at, confirm_sent_at, confirmed_at)
    SELECT id, email, lang, confirm_hash, unsubscribe_hash, source,
        created_at, confirm_sent_at, confirmed_at
    FROM subscribers;
DROP TABLE subscribers;
ALTER TABLE subscribers_new RENAME TO subscribers;
CREATE INDEX subscribers_confirmed ON subscribers (confirmed_at) WHERE confirmed_at IS NOT NULL;

-- The audit log's reason is a staff member's words (why a registration was
-- rejected), sealed too. The log stays append-only; the one update allowed is
-- sealing a reason stored in plaintext before, with nothing else changed.
CREATE TABLE audit_new (
    id              INTEGER PRIMARY KEY,
    at              INTEGER NOT NULL,
    -- The staff member who acted; NULL when the participant or the system did.
    actor_user_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor           TEXT    NOT NULL CHECK (actor IN ('staff', 'participant', 'system')),
    action          TEXT    NOT NULL,
    subject_type    TEXT    NOT NULL,
    subject_id      INTEGER NOT NULL,
    reason          BLOB
);
INSERT INTO audit_new (id, at, actor_user_id, actor, action, subject_type, subject_id, reason)
    SELECT id, at, actor_user_id, actor, action, subject_type, subject_id, reason FROM audit;
DROP TABLE audit;
ALTER TABLE audit_new RENAME TO audit;
CREATE INDEX audit_by_subject ON audit (subject_type, subject_id, at);

CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit
WHEN NOT (typeof(OLD.reason) = 'text' AND typeof(NEW.reason) = 'blob'
          AND NEW.id = OLD.id AND NEW.at = OLD.at
          AND NEW.actor_user_id IS OLD.actor_user_id AND NEW.actor = OLD.actor
          AND NEW.action = OLD.action AND NEW.subject_type = OLD.subject_type
          AND NEW.subject_id = OLD.subject_id)
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_is_append_only_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- Erasing a registration erases the emails about it, sent or not.
CREATE TRIGGER registrations_erase_mail AFTER DELETE ON registrations
BEGIN
    DELETE FROM outbox WHERE registration_id = OLD.id;
END;

CREATE TRIGGER subscribers_erase_mail AFTER DELETE ON subscribers
BEGIN
    DELETE FROM outbox WHERE subscriber_id = OLD.id;
END;
