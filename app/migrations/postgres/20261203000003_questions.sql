-- Questions participants ask for a session, and their votes.
--
-- A question asked anonymously holds nothing that leads back to its author:
-- no registration id, and for `author_key` only a keyed hash (HMAC, the data
-- key's lookup subkey) of the private link or remembered-device token it was
-- asked from. Neither token is stored anywhere, so even with the key and the
-- whole database nobody can tell whose link it was; the link itself can
-- find its own questions again (to show them, withdraw them, and to limit
-- how many it asks). A named question also keeps `registration_id`, so
-- staff see who asked, and it goes with the registration.
-- `created_at` is kept to the minute: a question's exact second would line
-- up with other records.

CREATE TABLE questions (
    id              bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id        bigint  NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    session_id      bigint  NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    registration_id bigint  REFERENCES registrations (id) ON DELETE CASCADE,
    author_key      bytea   NOT NULL,
    -- Sealed (XChaCha20-Poly1305, as other personal data).
    text            bytea   NOT NULL,
    lang            text    NOT NULL CHECK (lang IN ('en', 'ar')),
    -- Staff's translation into the other language, sealed.
    translation     bytea,
    state           text    NOT NULL CHECK (state IN ('pending', 'approved', 'answering', 'answered', 'hidden', 'merged')),
    -- Why staff hid it, for the author's private page; sealed.
    reason          bytea,
    merged_into     bigint  REFERENCES questions (id) ON DELETE SET NULL,
    created_at      bigint  NOT NULL,
    updated_at      bigint  NOT NULL
);

CREATE INDEX questions_by_session ON questions (session_id, state);
CREATE INDEX questions_by_event ON questions (event_id, state, id);
CREATE INDEX questions_by_author ON questions (author_key);
CREATE INDEX questions_by_registration ON questions (registration_id);

-- One vote per participant and question: `voter` is a keyed hash of the
-- registration, so a vote is counted once whichever of its links cast it.
CREATE TABLE question_votes (
    question_id     bigint  NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    voter           bytea   NOT NULL,
    PRIMARY KEY (question_id, voter)
);
