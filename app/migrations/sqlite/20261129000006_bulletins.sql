-- The bulletin (bilingual, numbered issues), its search index, the mailing
-- list (double opt-in), and the mailing of each issue to the list. Times are
-- Unix seconds (UTC), except in `outbox` (milliseconds).

CREATE TABLE bulletins (
    id              INTEGER PRIMARY KEY,
    number          INTEGER NOT NULL UNIQUE CHECK (number BETWEEN 1 AND 100000),
    slug            TEXT    NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 80),
    -- An empty title means the issue does not exist in that language.
    title_en        TEXT    NOT NULL DEFAULT '',
    title_ar        TEXT    NOT NULL DEFAULT '',
    summary_en      TEXT    NOT NULL DEFAULT '',
    summary_ar      TEXT    NOT NULL DEFAULT '',
    -- Markdown as written by staff.
    body_en         TEXT    NOT NULL DEFAULT '',
    body_ar         TEXT    NOT NULL DEFAULT '',
    -- The body rendered and sanitised on the server when saved.
    html_en         TEXT    NOT NULL DEFAULT '',
    html_ar         TEXT    NOT NULL DEFAULT '',
    words_en        INTEGER NOT NULL DEFAULT 0,
    words_ar        INTEGER NOT NULL DEFAULT 0,
    -- Demo content, labelled as such on every page.
    sample          INTEGER NOT NULL DEFAULT 0 CHECK (sample IN (0, 1)),
    -- NULL: a draft (or unpublished).
    published_at    INTEGER,
    -- The date shown: the first publication, kept across unpublish/publish.
    first_published_at INTEGER,
    -- When mailing to the list began (at the first publication) and ended.
    -- Only subscribers confirmed by `mail_started_at` receive the issue.
    mail_started_at INTEGER,
    mail_done_at    INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    CHECK (title_en <> '' OR title_ar <> '')
);

CREATE INDEX bulletins_published ON bulletins (number) WHERE published_at IS NOT NULL;

-- One row per issue and language, of text normalised by
-- `domain::search::normalize` (the same function normalises queries).
CREATE VIRTUAL TABLE bulletins_search USING fts5 (
    bulletin_id UNINDEXED,
    lang UNINDEXED,
    text,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE subscribers (
    id              INTEGER PRIMARY KEY,
    email           TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (length(email) BETWEEN 3 AND 254),
    lang            TEXT    NOT NULL CHECK (lang IN ('en', 'ar')),
    -- SHA-256 of the tokens in the confirmation link and the unsubscribe link.
    confirm_hash    BLOB    NOT NULL UNIQUE,
    unsubscribe_hash BLOB   NOT NULL UNIQUE,
    source          TEXT    NOT NULL CHECK (source IN ('form', 'organisation')),
    created_at      INTEGER NOT NULL,
    confirm_sent_at INTEGER NOT NULL,
    confirmed_at    INTEGER
);

CREATE INDEX subscribers_confirmed ON subscribers (confirmed_at) WHERE confirmed_at IS NOT NULL;

-- Who has been sent which issue: one row per issue and subscriber, written
-- in the same transaction as the outbox row, so nobody gets an issue twice
-- and a mailing resumes where it stopped.
CREATE TABLE bulletin_deliveries (
    id              INTEGER PRIMARY KEY,
    bulletin_id     INTEGER NOT NULL REFERENCES bulletins (id) ON DELETE CASCADE,
    subscriber_id   INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    outbox_id       INTEGER NOT NULL,
    -- The unsubscribe link in this message.
    unsubscribe_hash BLOB   NOT NULL UNIQUE,
    created_at      INTEGER NOT NULL,
    UNIQUE (bulletin_id, subscriber_id)
);

-- Mailing-list messages carry List-Unsubscribe (RFC 8058) and belong to a
-- subscriber: unsubscribing erases them, sent or not.
ALTER TABLE outbox ADD COLUMN list_unsubscribe TEXT;
ALTER TABLE outbox ADD COLUMN subscriber_id INTEGER;

CREATE INDEX outbox_by_subscriber ON outbox (subscriber_id) WHERE subscriber_id IS NOT NULL;

CREATE TRIGGER subscribers_erase_mail AFTER DELETE ON subscribers
BEGIN
    DELETE FROM outbox WHERE subscriber_id = OLD.id;
END;
