-- What the security review asked for in the schema.
--
-- When an admin last changed an event's end: the retention schedule leaves
-- such an event's registrations alone for a grace period, so that an end
-- moved into the past by mistake (a year typed wrong) deletes nothing before
-- someone notices.
ALTER TABLE events ADD COLUMN ends_edited_at INTEGER;
