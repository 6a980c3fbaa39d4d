-- What the security review asked for in the schema.
--
-- When an admin last changed an event's end: the retention schedule leaves
-- such an event's registrations alone for a grace period, so that an end
-- moved into the past by mistake (a year typed wrong) deletes nothing before
-- someone notices.
ALTER TABLE events ADD COLUMN ends_edited_at INTEGER;

-- The email domains a verified organisation vouches for (comma-separated,
-- lowercase, ASCII): a registration naming the organisation is shown as
-- from it only when its confirmed address is at one of them; otherwise
-- staff see "claims to be from".
ALTER TABLE organisations ADD COLUMN email_domains TEXT NOT NULL DEFAULT '';

-- Private links sent again ("register again with the same address"): each
-- works beside the registration's current link until one of them is used,
-- which makes it the current link and voids the rest. So a stranger typing
-- someone's address gets them an email, never a dead join button.
CREATE TABLE registration_links (
    token_hash      BLOB    PRIMARY KEY,
    registration_id INTEGER NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    created_at      INTEGER NOT NULL
);

CREATE INDEX registration_links_by_registration ON registration_links (registration_id);

-- Confirmation emails (registration received, link again, event full) per
-- recipient and UTC day: our sender cannot be turned on one address. The
-- address is kept only as a keyed hash (like the other lookup columns).
CREATE TABLE mail_quota (
    address_lookup  BLOB    NOT NULL,
    day             INTEGER NOT NULL,
    sent            INTEGER NOT NULL CHECK (sent > 0),
    PRIMARY KEY (address_lookup, day)
) WITHOUT ROWID;

-- Staff accounts: the last sign-in, a temporary password to be replaced,
-- and the second factor (TOTP, RFC 6238): its secret sealed with the data
-- key, and the last time step used, so that a code is never accepted twice.
ALTER TABLE users ADD COLUMN last_sign_in_at INTEGER;
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0
    CHECK (must_change_password IN (0, 1));
ALTER TABLE users ADD COLUMN totp_secret BLOB;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER;

-- One row per signed-in staff session, found by a random id kept in the
-- session's data: staff see and end their sessions, admins end someone
-- else's, and disabling an account ends them all at once. Deleting the row
-- ends the session at its next request. No address is kept, only the
-- browser's family.
CREATE TABLE staff_sessions (
    id              BLOB    PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    started_at      INTEGER NOT NULL,
    last_seen_at    INTEGER NOT NULL,
    browser         TEXT    NOT NULL
) WITHOUT ROWID;

CREATE INDEX staff_sessions_by_user ON staff_sessions (user_id);

-- Ten one-time recovery codes per enrolled account, as keyed hashes.
CREATE TABLE recovery_codes (
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_lookup     BLOB    NOT NULL,
    used_at         INTEGER,
    PRIMARY KEY (user_id, code_lookup)
) WITHOUT ROWID;
