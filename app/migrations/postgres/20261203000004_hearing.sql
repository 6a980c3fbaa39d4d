-- What participants tell the mechanism besides their questions: the topics
-- that matter to them (chosen when registering), what the mechanism should
-- hear, and feedback after the event; and what the mechanism heard and
-- answered, written by admins for the past event's page.
--
-- Priorities and feedback hold no registration id: `respondent_key` is a
-- keyed hash (HMAC, the data key's lookup subkey) of the registration, so
-- that one registration answers once and "delete my data" finds its
-- answers, while the rows alone say nothing about who answered. Free text
-- is sealed; the organisation is kept (sealed) only when the participant
-- allowed their words to be attributed to it.

CREATE TABLE event_topics (
    id          bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id    bigint  NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    position    bigint  NOT NULL,
    title_en    text    NOT NULL CHECK (length(title_en) BETWEEN 1 AND 100),
    title_ar    text    NOT NULL CHECK (length(title_ar) BETWEEN 1 AND 100),
    UNIQUE (event_id, position)
);

CREATE TABLE priorities (
    id              bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id        bigint  NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    respondent_key  bytea   NOT NULL,
    -- The chosen topics' ids, comma-separated ('' for none).
    topics          text    NOT NULL,
    text            bytea,
    organisation    bytea,
    created_at      bigint  NOT NULL,
    UNIQUE (event_id, respondent_key)
);

CREATE TABLE feedback (
    id              bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id        bigint  NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    respondent_key  bytea   NOT NULL,
    usefulness      bigint  NOT NULL CHECK (usefulness BETWEEN 1 AND 5),
    safety          bigint  NOT NULL CHECK (safety BETWEEN 1 AND 5),
    change          bytea,
    created_at      bigint  NOT NULL,
    UNIQUE (event_id, respondent_key)
);

-- When the feedback emails of an event went out (once).
ALTER TABLE events ADD COLUMN feedback_sent_at bigint;
-- "What we heard / what we answered" (Markdown), and a bulletin it links to.
ALTER TABLE events ADD COLUMN heard_en text;
ALTER TABLE events ADD COLUMN heard_ar text;
ALTER TABLE events ADD COLUMN heard_bulletin text;
