//! The append-only audit log: who did what to which record, when, and why.
//! The table refuses updates and deletes (see the migration's triggers).

use sqlx::{SqliteExecutor, SqlitePool};

use crate::server::crypto::{AUDIT_REASON as REASON, DataKey};

/// Who acted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    Staff(i64),
    Participant,
    System,
}

pub struct Entry<'a> {
    pub actor: Actor,
    pub action: &'a str,
    pub subject_type: &'a str,
    pub subject_id: i64,
    pub reason: Option<&'a str>,
}

/// Appends an entry; its reason (a staff member's words, e.g. why a
/// registration was rejected) is sealed with the data key.
pub async fn record(
    db: impl SqliteExecutor<'_>,
    key: &DataKey,
    e: &Entry<'_>,
    now: i64,
) -> sqlx::Result<()> {
    let reason = key.seal_opt(REASON, e.reason)?;
    let (user, actor) = match e.actor {
        Actor::Staff(id) => (Some(id), "staff"),
        Actor::Participant => (None, "participant"),
        Actor::System => (None, "system"),
    };
    sqlx::query!(
        r#"INSERT INTO audit (at, actor_user_id, actor, action, subject_type, subject_id, reason)
           VALUES (?, ?, ?, ?, ?, ?, ?)"#,
        now,
        user,
        actor,
        e.action,
        e.subject_type,
        e.subject_id,
        reason,
    )
    .execute(db)
    .await?;
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

pub async fn latest(pool: &SqlitePool, key: &DataKey, limit: i64) -> sqlx::Result<Vec<AuditRow>> {
    let rows = sqlx::query!(
        r#"SELECT a.id AS "id!", a.at, a.actor, u.display_name AS "actor_name?", a.action,
                  a.subject_type, a.subject_id, a.reason
           FROM audit a LEFT JOIN users u ON u.id = a.actor_user_id
           ORDER BY a.id DESC
           LIMIT ?"#,
        limit,
    )
    .fetch_all(pool)
    .await?;
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
