-- Events and their agenda sessions. Times are Unix seconds (UTC); each event
-- carries the IANA time zone it is shown in.

CREATE TABLE events (
    id              INTEGER PRIMARY KEY,
    slug            TEXT    NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 80),
    kind            TEXT    NOT NULL CHECK (kind IN ('platform_meeting', 'consultation', 'briefing', 'community_event')),
    format          TEXT    NOT NULL CHECK (format IN ('in_person', 'online', 'hybrid')),
    visibility      TEXT    NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'closed')),
    status          TEXT    NOT NULL DEFAULT 'published' CHECK (status IN ('draft', 'published', 'cancelled')),
    title_en        TEXT    NOT NULL,
    title_ar        TEXT    NOT NULL,
    summary_en      TEXT    NOT NULL DEFAULT '',
    summary_ar      TEXT    NOT NULL DEFAULT '',
    description_en  TEXT    NOT NULL DEFAULT '',
    description_ar  TEXT    NOT NULL DEFAULT '',
    city_en         TEXT,
    city_ar         TEXT,
    country_en      TEXT,
    country_ar      TEXT,
    -- The exact venue: shown only to approved in-person participants.
    venue           TEXT,
    time_zone       TEXT    NOT NULL,
    starts_at       INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL,
    registration_opens_at  INTEGER,
    registration_closes_at INTEGER,
    seats_in_person INTEGER NOT NULL DEFAULT 0 CHECK (seats_in_person >= 0),
    seats_online    INTEGER NOT NULL DEFAULT 0 CHECK (seats_online >= 0),
    waitlist        INTEGER NOT NULL DEFAULT 1 CHECK (waitlist IN (0, 1)),
    requires_approval INTEGER NOT NULL DEFAULT 1 CHECK (requires_approval IN (0, 1)),
    -- Comma-separated language codes offered for interpretation, e.g. 'ar,en'.
    interpretation  TEXT    NOT NULL DEFAULT '',
    -- Normalised text of titles and summaries in both languages, for search.
    search_text     TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at      INTEGER NOT NULL DEFAULT (unixepoch()),
    CHECK (ends_at > starts_at)
);

CREATE INDEX events_listing ON events (status, ends_at);

CREATE TABLE sessions (
    id              INTEGER PRIMARY KEY,
    event_id        INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    title_en        TEXT    NOT NULL,
    title_ar        TEXT    NOT NULL,
    starts_at       INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL,
    room            TEXT,
    -- Secret: reaches only approved online participants, through /join/<token>/<session>.
    meeting_url     TEXT,
    join_opens_minutes_before INTEGER NOT NULL DEFAULT 15 CHECK (join_opens_minutes_before BETWEEN 0 AND 1440),
    cancelled       INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1)),
    CHECK (ends_at > starts_at)
);

CREATE INDEX sessions_by_event ON sessions (event_id, starts_at);
