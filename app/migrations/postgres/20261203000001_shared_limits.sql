-- Rate limits shared by every instance (SQLite runs one instance and keeps
-- them in memory). Each row is keyed by a keyed hash of what is counted
-- (a form and an address, an account and an address): never an address or
-- an email in clear. Times are Unix milliseconds of the database's clock, so
-- instances whose clocks differ count alike.

CREATE FUNCTION unix_now_ms() RETURNS bigint
    LANGUAGE sql VOLATILE
    RETURN (extract(epoch FROM clock_timestamp()) * 1000)::bigint;

-- GCRA: the theoretical arrival time of the next request. A row whose time
-- has passed allows a full burst, as a missing one does.
CREATE TABLE rate_limits (
    key  bytea  PRIMARY KEY,
    tat  bigint NOT NULL
);

-- Failures counted in fixed windows (wrong passwords, wrong codes): after
-- the allowance, refused until the window ends.
CREATE TABLE strikes (
    key    bytea   PRIMARY KEY,
    count  integer NOT NULL CHECK (count >= 0),
    until  bigint  NOT NULL
);
