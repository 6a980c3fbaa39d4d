-- Uploaded images, where every instance can read them (SQLite's one
-- instance keeps them as files under LAUSANNE_MEDIA_DIR). Named by content
-- hash, as the files are; at most 2 MB each, as uploads are.

CREATE TABLE media (
    name        text    PRIMARY KEY,
    bytes       bytea   NOT NULL CHECK (octet_length(bytes) <= 2097152),
    created_at  bigint  NOT NULL DEFAULT unix_now()
);
