//! The append-only audit log: who did what to which record, when, and why.
//! The table refuses updates and deletes (see the migration's triggers).

use super::backend::{Exec, run};
use crate::domain::{OrganisationState, QuestionAction, RegistrationState, Role, SubscriberSource};
use crate::server::crypto::{AUDIT_REASON as REASON, DataKey};

/// Who acted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    Staff(i64),
    Participant,
    System,
}

/// What happened to which record. Each variant is stored as an action code,
/// the kind and id of the record, and a reason where there is one; the codes
/// are what the audit page translates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditAction<'a> {
    /// A participant registered; the reason is the state they started in.
    Registered {
        registration: i64,
        state: RegistrationState,
    },
    Edited {
        registration: i64,
    },
    Withdrew {
        registration: i64,
    },
    Erased {
        registration: i64,
    },
    /// A seat freed up and the oldest waitlisted registration got it.
    Promoted {
        registration: i64,
    },
    /// Staff approved, waitlisted or rejected, with the reason they gave.
    Decided {
        registration: i64,
        state: RegistrationState,
        reason: Option<&'a str>,
    },
    OrganisationSent {
        organisation: i64,
    },
    Vetted {
        organisation: i64,
        state: OrganisationState,
    },
    /// Staff set the email domains an organisation vouches for (the reason
    /// is the list: domains, no person's words).
    OrganisationDomains {
        organisation: i64,
        domains: &'a str,
    },
    UserCreated {
        user: i64,
        role: Role,
    },
    UserDisabled {
        user: i64,
    },
    UserEnabled {
        user: i64,
    },
    /// The reason is the new role.
    RoleChanged {
        user: i64,
        role: Role,
    },
    PasswordReset {
        user: i64,
    },
    PasswordChanged {
        user: i64,
    },
    /// Sessions ended by an admin or their owner; the reason is how many.
    SessionsEnded {
        user: i64,
        count: &'a str,
    },
    TwoFactorEnrolled {
        user: i64,
    },
    TwoFactorRemoved {
        user: i64,
    },
    EventCreated {
        event: i64,
    },
    EventUpdated {
        event: i64,
    },
    EventPublished {
        event: i64,
    },
    EventCancelled {
        event: i64,
    },
    SessionAdded {
        session: i64,
    },
    SessionUpdated {
        session: i64,
    },
    SessionCancelled {
        session: i64,
    },
    BulletinCreated {
        bulletin: i64,
    },
    BulletinSaved {
        bulletin: i64,
    },
    BulletinPublished {
        bulletin: i64,
    },
    BulletinUnpublished {
        bulletin: i64,
    },
    /// An image was uploaded; the reason is its stored name.
    MediaUploaded {
        name: &'a str,
    },
    SubscriptionRequested {
        subscriber: i64,
        source: SubscriberSource,
    },
    SubscriptionConfirmed {
        subscriber: i64,
    },
    /// `one_click`: from the email's header (RFC 8058), not the page.
    Unsubscribed {
        subscriber: i64,
        one_click: bool,
    },
    /// A material was attached to an event.
    MaterialAdded {
        material: i64,
    },
    /// A material was removed.
    MaterialRemoved {
        material: i64,
    },
    /// A participant was checked in at the door.
    CheckedIn {
        registration: i64,
    },
    /// A check-in was taken back.
    CheckinUndone {
        registration: i64,
    },
    /// An announcement was queued; the reason is how many it went to.
    Announced {
        event: i64,
        count: &'a str,
    },
    /// A moderator acted on a question (never its words in the log).
    Question {
        question: i64,
        action: QuestionAction,
    },
    /// The retention job deleted what had expired; the reason is the counts.
    Purged {
        counts: &'a str,
    },
}

impl AuditAction<'_> {
    /// The action code, record kind and record id, for a log line (never
    /// the reason, which can be a person's words).
    pub fn described(&self) -> (&'static str, &'static str, i64) {
        let (action, subject_type, subject_id, _) = self.parts();
        (action, subject_type, subject_id)
    }

    /// The stored action code, record kind, record id and reason.
    fn parts(&self) -> (&'static str, &'static str, i64, Option<&str>) {
        use AuditAction as A;
        match *self {
            A::Registered {
                registration,
                state,
            } => (
                "registered",
                "registration",
                registration,
                Some(state.code()),
            ),
            A::Edited { registration } => ("edited", "registration", registration, None),
            A::Withdrew { registration } => ("withdrew", "registration", registration, None),
            A::Erased { registration } => ("erased", "registration", registration, None),
            A::Promoted { registration } => ("promoted", "registration", registration, None),
            A::Decided {
                registration,
                state,
                reason,
            } => (state.code(), "registration", registration, reason),
            A::OrganisationSent { organisation } => {
                ("organisation_sent", "organisation", organisation, None)
            }
            A::Vetted {
                organisation,
                state,
            } => (state.code(), "organisation", organisation, None),
            A::OrganisationDomains {
                organisation,
                domains,
            } => (
                "organisation_domains",
                "organisation",
                organisation,
                Some(domains),
            ),
            A::UserCreated { user, role } => ("user_created", "user", user, Some(role.code())),
            A::UserDisabled { user } => ("user_disabled", "user", user, None),
            A::UserEnabled { user } => ("user_enabled", "user", user, None),
            A::RoleChanged { user, role } => ("role_changed", "user", user, Some(role.code())),
            A::PasswordReset { user } => ("password_reset", "user", user, None),
            A::PasswordChanged { user } => ("password_changed", "user", user, None),
            A::SessionsEnded { user, count } => ("sessions_ended", "user", user, Some(count)),
            A::TwoFactorEnrolled { user } => ("two_factor_enrolled", "user", user, None),
            A::TwoFactorRemoved { user } => ("two_factor_removed", "user", user, None),
            A::EventCreated { event } => ("event_created", "event", event, None),
            A::EventUpdated { event } => ("event_updated", "event", event, None),
            A::EventPublished { event } => ("event_published", "event", event, None),
            A::EventCancelled { event } => ("event_cancelled", "event", event, None),
            A::SessionAdded { session } => ("session_added", "session", session, None),
            A::SessionUpdated { session } => ("session_updated", "session", session, None),
            A::SessionCancelled { session } => ("session_cancelled", "session", session, None),
            A::BulletinCreated { bulletin } => ("bulletin_created", "bulletin", bulletin, None),
            A::BulletinSaved { bulletin } => ("bulletin_saved", "bulletin", bulletin, None),
            A::BulletinPublished { bulletin } => ("bulletin_published", "bulletin", bulletin, None),
            A::BulletinUnpublished { bulletin } => {
                ("bulletin_unpublished", "bulletin", bulletin, None)
            }
            A::MediaUploaded { name } => ("media_uploaded", "media", 0, Some(name)),
            A::SubscriptionRequested { subscriber, source } => (
                "subscription_requested",
                "subscriber",
                subscriber,
                Some(source.code()),
            ),
            A::SubscriptionConfirmed { subscriber } => {
                ("subscription_confirmed", "subscriber", subscriber, None)
            }
            A::Unsubscribed {
                subscriber,
                one_click,
            } => (
                "unsubscribed",
                "subscriber",
                subscriber,
                one_click.then_some("one_click"),
            ),
            A::Announced { event, count } => ("announced", "event", event, Some(count)),
            A::MaterialAdded { material } => ("material_added", "material", material, None),
            A::MaterialRemoved { material } => ("material_removed", "material", material, None),
            A::CheckedIn { registration } => ("checked_in", "registration", registration, None),
            A::CheckinUndone { registration } => {
                ("checkin_undone", "registration", registration, None)
            }
            A::Question { question, action } => {
                let code = match action {
                    QuestionAction::Approve => "question_approved",
                    QuestionAction::Answering => "question_answering",
                    QuestionAction::Answered => "question_answered",
                    QuestionAction::Hide => "question_hidden",
                    QuestionAction::Merge => "question_merged",
                    QuestionAction::Translate => "question_translated",
                };
                (code, "question", question, None)
            }
            A::Purged { counts } => ("purged", "retention", 0, Some(counts)),
        }
    }
}

/// Appends an entry; its reason (a staff member's words, e.g. why a
/// registration was rejected) is sealed with the data key.
/// Logs staff changes once committed: which action on which record, by
/// whom, never what was written.
pub fn log_committed(by_user_id: i64, actions: &[AuditAction<'_>], what: &str) {
    for action in actions {
        let (action, subject_type, subject_id) = action.described();
        tracing::info!(by_user_id, action, subject_type, subject_id, "{what}");
    }
}

pub async fn record(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    actor: Actor,
    action: AuditAction<'_>,
    now: i64,
) -> sqlx::Result<()> {
    let (action, subject_type, subject_id, reason) = action.parts();
    let reason = key.seal_opt(REASON, reason)?;
    let (user, actor) = match actor {
        Actor::Staff(id) => (Some(id), "staff"),
        Actor::Participant => (None, "participant"),
        Actor::System => (None, "system"),
    };
    run!(
        db,
        execute,
        query!(
            sqlite: r#"INSERT INTO audit (at, actor_user_id, actor, action, subject_type, subject_id, reason)
               VALUES (?, ?, ?, ?, ?, ?, ?)"#,
            postgres: r#"INSERT INTO audit (at, actor_user_id, actor, action, subject_type, subject_id, reason)
               VALUES ($1, $2, $3, $4, $5, $6, $7)"#,
            now,
            user,
            actor,
            action,
            subject_type,
            subject_id,
            reason,
        )
    )?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub actor: String,
    pub actor_name: Option<String>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: i64,
    pub reason: Option<String>,
}

/// An entry as stored: the reason and the staff member's name sealed.
struct StoredEntry {
    id: i64,
    at: i64,
    actor: String,
    actor_name: Option<Vec<u8>>,
    action: String,
    subject_type: String,
    subject_id: i64,
    reason: Option<Vec<u8>>,
}

pub async fn latest(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    limit: i64,
) -> sqlx::Result<Vec<AuditRow>> {
    let rows = run!(
        db,
        fetch_all,
        query_as!(StoredEntry,
            sqlite: r#"SELECT a.id AS "id!", a.at, a.actor, u.display_name AS "actor_name?", a.action,
                  a.subject_type, a.subject_id, a.reason
           FROM audit a LEFT JOIN users u ON u.id = a.actor_user_id
           ORDER BY a.id DESC
           LIMIT ?"#,
            postgres: r#"SELECT a.id, a.at, a.actor, u.display_name AS "actor_name?", a.action,
                  a.subject_type, a.subject_id, a.reason
           FROM audit a LEFT JOIN users u ON u.id = a.actor_user_id
           ORDER BY a.id DESC
           LIMIT $1"#,
            limit,
        )
    )?;
    rows.into_iter()
        .map(|r| {
            Ok(AuditRow {
                id: r.id,
                at: r.at,
                actor: r.actor,
                // Staff names are sealed (`db::users`).
                actor_name: key.open_opt(
                    crate::server::crypto::USER_DISPLAY_NAME,
                    r.actor_name.as_deref(),
                )?,
                action: r.action,
                subject_type: r.subject_type,
                subject_id: r.subject_id,
                reason: key.open_opt(REASON, r.reason.as_deref())?,
            })
        })
        .collect()
}
