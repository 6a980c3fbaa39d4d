-- Retention: personal data leaves on a schedule (`lausanne purge`, and a
-- daily job in the server), and on request. The audit log stays
-- append-only, with one more exception: when a registration or a subscriber
-- is deleted, the free-text reasons of its entries (a moderator may have
-- named the person there) are cleared. Who did what to which record, and when,
-- stays.

DROP TRIGGER audit_is_append_only_update;

CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit
WHEN NOT (
    -- Clearing a reason, or sealing one stored before encryption (000007).
    (NEW.reason IS NULL OR (typeof(OLD.reason) = 'text' AND typeof(NEW.reason) = 'blob'))
    AND NEW.id = OLD.id
    AND NEW.at = OLD.at
    AND NEW.actor_user_id IS OLD.actor_user_id
    AND NEW.actor = OLD.actor
    AND NEW.action = OLD.action
    AND NEW.subject_type = OLD.subject_type
    AND NEW.subject_id = OLD.subject_id
)
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER registrations_redact_audit AFTER DELETE ON registrations
BEGIN
    UPDATE audit SET reason = NULL
    WHERE subject_type = 'registration' AND subject_id = OLD.id AND reason IS NOT NULL;
END;

CREATE TRIGGER subscribers_redact_audit AFTER DELETE ON subscribers
BEGIN
    UPDATE audit SET reason = NULL
    WHERE subject_type = 'subscriber' AND subject_id = OLD.id AND reason IS NOT NULL;
END;

-- The purge's questions: events by end, finished mail by age, unconfirmed
-- subscribers by the last confirmation email.
CREATE INDEX outbox_finished ON outbox (coalesce(sent_at, failed_at))
    WHERE sent_at IS NOT NULL OR failed_at IS NOT NULL;
CREATE INDEX subscribers_unconfirmed ON subscribers (confirm_sent_at)
    WHERE confirmed_at IS NULL;
