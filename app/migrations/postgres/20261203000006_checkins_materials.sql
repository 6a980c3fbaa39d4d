-- Check-in at the door, materials, and interpretation channels (see the
-- SQLite migration of the same name).

CREATE TABLE checkins (
    registration_id bigint NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    day             text   NOT NULL CHECK (length(day) = 10),
    checked_in_at   bigint NOT NULL,
    checked_in_by   bigint REFERENCES users (id) ON DELETE SET NULL,
    PRIMARY KEY (registration_id, day)
);

CREATE TABLE materials (
    id          bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id    bigint  NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    session_id  bigint  REFERENCES sessions (id) ON DELETE CASCADE,
    title_en    text    NOT NULL,
    title_ar    text    NOT NULL,
    kind        text    NOT NULL CHECK (kind IN ('pdf', 'docx', 'odt', 'pptx', 'png', 'jpeg', 'webp')),
    size        bigint  NOT NULL CHECK (size BETWEEN 1 AND 20971520),
    public      boolean NOT NULL,
    created_at  bigint  NOT NULL
);
CREATE INDEX materials_by_event ON materials (event_id, id);

CREATE TABLE material_files (
    material_id bigint PRIMARY KEY REFERENCES materials (id) ON DELETE CASCADE,
    bytes       bytea  NOT NULL
);

ALTER TABLE sessions ADD COLUMN interpretation text NOT NULL DEFAULT '';
