-- The PostgreSQL schema, equivalent to SQLite's after its migrations up to
-- 20261202000010 (app/migrations/sqlite). Differences, all deliberate:
-- * ids are identity columns, sealed values and hashes `bytea`, flags
--   `boolean`, times `bigint` Unix seconds (as in SQLite).
-- * No plaintext era: SQLite's CHECKs that let a row from before encryption
--   (000007) go without its lookup hash become NOT NULL here.
-- * Mail goes with its registration or subscriber by foreign key cascade
--   (SQLite uses triggers, its `outbox` predates the keys).
-- * Bulletin search is a generated `tsvector` with a GIN index (SQLite:
--   FTS5), fed the same normalised text (`domain::search::normalize`).

CREATE FUNCTION unix_now() RETURNS bigint
    LANGUAGE sql STABLE
    RETURN extract(epoch FROM now())::bigint;

CREATE TABLE users (
    id            bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         bytea   NOT NULL,
    email_lookup  bytea   NOT NULL UNIQUE,
    display_name  bytea   NOT NULL,
    role          text    NOT NULL CHECK (role IN ('admin', 'moderator')),
    -- argon2id, PHC string format (algorithm, parameters and salt included).
    password_hash text    NOT NULL,
    created_at    bigint  NOT NULL DEFAULT unix_now(),
    disabled      boolean NOT NULL DEFAULT false,
    last_sign_in_at bigint,
    must_change_password boolean NOT NULL DEFAULT false,
    totp_secret   bytea,
    totp_last_step bigint
);

CREATE TABLE recovery_codes (
    user_id         bigint  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_lookup     bytea   NOT NULL,
    used_at         bigint,
    PRIMARY KEY (user_id, code_lookup)
);

CREATE TABLE staff_sessions (
    id              bytea   PRIMARY KEY,
    user_id         bigint  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    started_at      bigint  NOT NULL,
    last_seen_at    bigint  NOT NULL,
    browser         text    NOT NULL
);
CREATE INDEX staff_sessions_by_user ON staff_sessions (user_id);

CREATE TABLE events (
    id              bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug            text    NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 80),
    kind            text    NOT NULL CHECK (kind IN ('platform_meeting', 'consultation', 'briefing', 'community_event')),
    format          text    NOT NULL CHECK (format IN ('in_person', 'online', 'hybrid')),
    visibility      text    NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'closed')),
    status          text    NOT NULL DEFAULT 'published' CHECK (status IN ('draft', 'published', 'cancelled')),
    title_en        text    NOT NULL,
    title_ar        text    NOT NULL,
    summary_en      text    NOT NULL DEFAULT '',
    summary_ar      text    NOT NULL DEFAULT '',
    description_en  text    NOT NULL DEFAULT '',
    description_ar  text    NOT NULL DEFAULT '',
    city_en         text,
    city_ar         text,
    country_en      text,
    country_ar      text,
    -- The exact venue: shown only to approved in-person participants.
    venue           text,
    time_zone       text    NOT NULL,
    starts_at       bigint  NOT NULL,
    ends_at         bigint  NOT NULL,
    registration_opens_at  bigint,
    registration_closes_at bigint,
    seats_in_person bigint  NOT NULL DEFAULT 0 CHECK (seats_in_person >= 0),
    seats_online    bigint  NOT NULL DEFAULT 0 CHECK (seats_online >= 0),
    waitlist        boolean NOT NULL DEFAULT true,
    requires_approval boolean NOT NULL DEFAULT true,
    -- Comma-separated language codes offered for interpretation, e.g. 'ar,en'.
    interpretation  text    NOT NULL DEFAULT '',
    -- Normalised text of titles and summaries in both languages, for search.
    search_text     text    NOT NULL DEFAULT '',
    created_at      bigint  NOT NULL DEFAULT unix_now(),
    updated_at      bigint  NOT NULL DEFAULT unix_now(),
    invitation_code text,
    ends_edited_at  bigint,
    CHECK (ends_at > starts_at)
);
CREATE INDEX events_listing ON events (status, ends_at);

CREATE TABLE sessions (
    id              bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id        bigint  NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    title_en        text    NOT NULL,
    title_ar        text    NOT NULL,
    starts_at       bigint  NOT NULL,
    ends_at         bigint  NOT NULL,
    room            text,
    -- Secret: reaches only approved online participants, through /join/<token>/<session>.
    meeting_url     text,
    join_opens_minutes_before bigint NOT NULL DEFAULT 15 CHECK (join_opens_minutes_before BETWEEN 0 AND 1440),
    cancelled       boolean NOT NULL DEFAULT false,
    CHECK (ends_at > starts_at)
);
CREATE INDEX sessions_by_event ON sessions (event_id, starts_at);

CREATE TABLE organisations (
    id              bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The organisation's public name stays plaintext: staff vet it, and
    -- `name_key` matches registrations to it.
    name            text    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    name_key        text    NOT NULL,
    country         text    NOT NULL CHECK (length(country) BETWEEN 1 AND 120),
    areas           text    NOT NULL DEFAULT '',
    description     text    NOT NULL CHECK (length(description) BETWEEN 1 AND 4000),
    contact_email   bytea   NOT NULL,
    website         bytea,
    mailing_list    boolean NOT NULL DEFAULT false,
    lang            text    NOT NULL CHECK (lang IN ('en', 'ar')),
    state           text    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'verified', 'declined')),
    decided_by      bigint  REFERENCES users (id) ON DELETE SET NULL,
    decided_at      bigint,
    created_at      bigint  NOT NULL,
    email_domains   text    NOT NULL DEFAULT ''
);
CREATE INDEX organisations_by_key ON organisations (name_key);
CREATE INDEX organisations_by_state ON organisations (state, created_at);

CREATE TABLE registrations (
    id              bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id        bigint  NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    -- SHA-256 of the private manage token; the token itself is never stored.
    token_hash      bytea   NOT NULL UNIQUE,
    name            bytea   NOT NULL,
    organisation    bytea   NOT NULL,
    organisation_id bigint  REFERENCES organisations (id) ON DELETE SET NULL,
    role            bytea   NOT NULL,
    email           bytea   NOT NULL,
    email_lookup    bytea   NOT NULL,
    mode            text    NOT NULL CHECK (mode IN ('in_person', 'online')),
    interpretation  text    CHECK (interpretation IN ('ar', 'en', 'fr', 'ku')),
    accessibility   bytea   NOT NULL,
    lang            text    NOT NULL CHECK (lang IN ('en', 'ar')),
    state           text    NOT NULL CHECK (state IN ('pending', 'approved', 'waitlisted', 'rejected', 'withdrawn')),
    -- Why staff decided so, in their words.
    reason          bytea,
    decided_by      bigint  REFERENCES users (id) ON DELETE SET NULL,
    decided_at      bigint,
    email_confirmed_at bigint,
    consented_at    bigint  NOT NULL,
    created_at      bigint  NOT NULL,
    updated_at      bigint  NOT NULL
);
CREATE INDEX registrations_by_state ON registrations (state, created_at);
CREATE UNIQUE INDEX registrations_one_per_email
    ON registrations (event_id, email_lookup)
    WHERE state NOT IN ('withdrawn', 'rejected');
CREATE INDEX registrations_queue ON registrations (event_id, state, mode, created_at);

CREATE TABLE registration_links (
    token_hash      bytea   PRIMARY KEY,
    registration_id bigint  NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    created_at      bigint  NOT NULL
);
CREATE INDEX registration_links_by_registration ON registration_links (registration_id);

CREATE TABLE remembered_devices (
    token_hash      bytea   NOT NULL,
    registration_id bigint  NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    created_at      bigint  NOT NULL,
    expires_at      bigint  NOT NULL,
    PRIMARY KEY (token_hash, registration_id)
);
CREATE INDEX remembered_devices_by_registration ON remembered_devices (registration_id);

CREATE TABLE attendance (
    registration_id bigint  NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    session_id      bigint  NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    first_joined_at bigint  NOT NULL,
    last_joined_at  bigint  NOT NULL,
    joins           bigint  NOT NULL DEFAULT 1 CHECK (joins >= 1),
    PRIMARY KEY (registration_id, session_id)
);
CREATE INDEX attendance_by_session ON attendance (session_id);

CREATE TABLE subscribers (
    id              bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email           bytea   NOT NULL,
    email_lookup    bytea   NOT NULL UNIQUE,
    lang            text    NOT NULL CHECK (lang IN ('en', 'ar')),
    -- SHA-256 of the tokens in the confirmation link and the unsubscribe link.
    confirm_hash    bytea   NOT NULL UNIQUE,
    unsubscribe_hash bytea  NOT NULL UNIQUE,
    source          text    NOT NULL CHECK (source IN ('form', 'organisation')),
    created_at      bigint  NOT NULL,
    confirm_sent_at bigint  NOT NULL,
    confirmed_at    bigint
);
CREATE INDEX subscribers_confirmed ON subscribers (confirmed_at) WHERE confirmed_at IS NOT NULL;
CREATE INDEX subscribers_unconfirmed ON subscribers (confirm_sent_at) WHERE confirmed_at IS NULL;

CREATE TABLE outbox (
    id              bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Erasing a registration or a subscriber erases their mail.
    registration_id bigint  REFERENCES registrations (id) ON DELETE CASCADE,
    subscriber_id   bigint  REFERENCES subscribers (id) ON DELETE CASCADE,
    to_address      bytea   NOT NULL,
    lang            text    NOT NULL CHECK (lang IN ('en', 'ar')),
    -- The event's title only (no personal data): tests and staff can tell
    -- messages apart without the key.
    subject         text    NOT NULL,
    body_text       bytea   NOT NULL,
    list_unsubscribe bytea,
    created_at      bigint  NOT NULL,
    attempts        bigint  NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at bigint  NOT NULL,
    sent_at         bigint,
    failed_at       bigint,
    -- Why the last attempt failed, without addresses or content.
    last_error      text
);
CREATE INDEX outbox_by_registration ON outbox (registration_id) WHERE registration_id IS NOT NULL;
CREATE INDEX outbox_by_subscriber ON outbox (subscriber_id) WHERE subscriber_id IS NOT NULL;
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_finished ON outbox ((coalesce(sent_at, failed_at)))
    WHERE sent_at IS NOT NULL OR failed_at IS NOT NULL;

CREATE TABLE mail_quota (
    address_lookup  bytea   NOT NULL,
    day             bigint  NOT NULL,
    sent            bigint  NOT NULL CHECK (sent > 0),
    PRIMARY KEY (address_lookup, day)
);

CREATE TABLE bulletins (
    id              bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number          bigint  NOT NULL UNIQUE CHECK (number BETWEEN 1 AND 100000),
    slug            text    NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 80),
    -- An empty title means the issue does not exist in that language.
    title_en        text    NOT NULL DEFAULT '',
    title_ar        text    NOT NULL DEFAULT '',
    summary_en      text    NOT NULL DEFAULT '',
    summary_ar      text    NOT NULL DEFAULT '',
    -- Markdown as written by staff.
    body_en         text    NOT NULL DEFAULT '',
    body_ar         text    NOT NULL DEFAULT '',
    -- The body rendered and sanitised on the server when saved.
    html_en         text    NOT NULL DEFAULT '',
    html_ar         text    NOT NULL DEFAULT '',
    words_en        bigint  NOT NULL DEFAULT 0,
    words_ar        bigint  NOT NULL DEFAULT 0,
    -- Demo content, labelled as such on every page.
    sample          boolean NOT NULL DEFAULT false,
    -- NULL: a draft (or unpublished).
    published_at    bigint,
    -- The date shown: the first publication, kept across unpublish/publish.
    first_published_at bigint,
    -- When mailing to the list began (at the first publication) and ended.
    -- Only subscribers confirmed by `mail_started_at` receive the issue.
    mail_started_at bigint,
    mail_done_at    bigint,
    created_at      bigint  NOT NULL,
    updated_at      bigint  NOT NULL,
    CHECK (title_en <> '' OR title_ar <> '')
);
CREATE INDEX bulletins_published ON bulletins (number) WHERE published_at IS NOT NULL;

-- One row per bulletin and language: the normalised text, and its words.
-- The 'simple' configuration lowercases and splits words without stemming
-- or stop words, as FTS5's unicode61 tokenizer does for SQLite.
CREATE TABLE bulletins_search (
    bulletin_id     bigint  NOT NULL REFERENCES bulletins (id) ON DELETE CASCADE,
    lang            text    NOT NULL CHECK (lang IN ('en', 'ar')),
    text            text    NOT NULL,
    words           tsvector GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED,
    PRIMARY KEY (bulletin_id, lang)
);
CREATE INDEX bulletins_search_words ON bulletins_search USING gin (words);

CREATE TABLE bulletin_deliveries (
    id              bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    bulletin_id     bigint  NOT NULL REFERENCES bulletins (id) ON DELETE CASCADE,
    subscriber_id   bigint  NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    outbox_id       bigint  NOT NULL,
    -- The unsubscribe link in this message.
    unsubscribe_hash bytea  NOT NULL UNIQUE,
    created_at      bigint  NOT NULL,
    UNIQUE (bulletin_id, subscriber_id)
);

CREATE TABLE data_key_check (
    id              bigint  PRIMARY KEY CHECK (id = 1),
    sealed          bytea   NOT NULL
);

CREATE TABLE audit (
    id              bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              bigint  NOT NULL,
    -- The staff member who acted; NULL when the participant or the system did.
    actor_user_id   bigint  REFERENCES users (id) ON DELETE SET NULL,
    actor           text    NOT NULL CHECK (actor IN ('staff', 'participant', 'system')),
    action          text    NOT NULL,
    subject_type    text    NOT NULL,
    subject_id      bigint  NOT NULL,
    reason          bytea
);
CREATE INDEX audit_by_subject ON audit (subject_type, subject_id, at);

-- The audit log is append-only: rows are never deleted, and the only change
-- is clearing a reason (when its registration or subscriber is erased).
CREATE FUNCTION audit_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND NEW.reason IS NULL
        AND NEW.id = OLD.id
        AND NEW.at = OLD.at
        AND NEW.actor_user_id IS NOT DISTINCT FROM OLD.actor_user_id
        AND NEW.actor = OLD.actor
        AND NEW.action = OLD.action
        AND NEW.subject_type = OLD.subject_type
        AND NEW.subject_id = OLD.subject_id
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$;
CREATE TRIGGER audit_is_append_only BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();

-- Erasing a registration or a subscriber clears the reasons staff wrote
-- about them (their mail goes by cascade).
CREATE FUNCTION redact_audit() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    UPDATE audit SET reason = NULL
    WHERE subject_type = TG_ARGV[0] AND subject_id = OLD.id AND reason IS NOT NULL;
    RETURN NULL;
END;
$$;
CREATE TRIGGER registrations_redact_audit AFTER DELETE ON registrations
    FOR EACH ROW EXECUTE FUNCTION redact_audit('registration');
CREATE TRIGGER subscribers_redact_audit AFTER DELETE ON subscribers
    FOR EACH ROW EXECUTE FUNCTION redact_audit('subscriber');
