//! Queries on `remembered_devices`: browsers a participant asked to be
//! remembered on, by the hash of the device token their cookie holds.

use sqlx::{SqliteConnection, SqliteExecutor};

use super::{RegistrationRow, SealedRow, open_one};
use crate::domain::{AttendanceMode, InterpretationLanguage, Lang, RegistrationState};
use crate::server::crypto::DataKey;

/// Remembers registration `id` on the device, until `expires_at` (a device
/// remembered again keeps the later end).
pub async fn remember(
    db: &mut SqliteConnection,
    hash: &[u8],
    id: i64,
    now: i64,
    expires_at: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO remembered_devices (token_hash, registration_id, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (token_hash, registration_id)
         DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)",
        hash,
        id,
        now,
        expires_at,
    )
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// The registration for event `event_id` that the device remembers, if any
/// (and still in time).
pub async fn registration_on(
    db: impl SqliteExecutor<'_>,
    key: &DataKey,
    hash: &[u8],
    event_id: i64,
    now: i64,
) -> sqlx::Result<Option<RegistrationRow>> {
    let row = sqlx::query_as!(
        SealedRow,
        r#"SELECT r.id AS "id!", r.event_id, r.name, r.organisation, r.organisation_id, r.role,
                  r.email, r.mode AS "mode: AttendanceMode",
                  r.interpretation AS "interpretation: InterpretationLanguage", r.accessibility,
                  r.lang AS "lang: Lang", r.state AS "state: RegistrationState", r.reason,
                  r.email_confirmed_at, r.created_at
           FROM remembered_devices d JOIN registrations r ON r.id = d.registration_id
           WHERE d.token_hash = ?1 AND r.event_id = ?2 AND d.expires_at > ?3
           LIMIT 1"#,
        hash,
        event_id,
        now,
    )
    .fetch_optional(db)
    .await?;
    open_one(key, row)
}

/// Whether registration `id` is remembered on the device.
pub async fn remembers(db: impl SqliteExecutor<'_>, hash: &[u8], id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM remembered_devices
                          WHERE token_hash = ? AND registration_id = ?) AS "found!: bool""#,
        hash,
        id,
    )
    .fetch_one(db)
    .await
}

/// How many devices remember registration `id`.
pub async fn count_for(db: impl SqliteExecutor<'_>, id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "SELECT COUNT(*) FROM remembered_devices WHERE registration_id = ?",
        id
    )
    .fetch_one(db)
    .await
}

/// When the device's last remembered registration ends (for its cookie).
pub async fn last_expiry(db: impl SqliteExecutor<'_>, hash: &[u8]) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        r#"SELECT max(expires_at) AS "until?: i64" FROM remembered_devices WHERE token_hash = ?"#,
        hash
    )
    .fetch_one(db)
    .await
}

/// Forgets registration `id` on every device (from the private page).
pub async fn forget_registration(db: impl SqliteExecutor<'_>, id: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query!(
        "DELETE FROM remembered_devices WHERE registration_id = ?",
        id
    )
    .execute(db)
    .await?
    .rows_affected())
}

/// Forgets everything the device remembers ("not you?").
pub async fn forget_device(db: impl SqliteExecutor<'_>, hash: &[u8]) -> sqlx::Result<u64> {
    Ok(
        sqlx::query!("DELETE FROM remembered_devices WHERE token_hash = ?", hash)
            .execute(db)
            .await?
            .rows_affected(),
    )
}

/// Drops what has expired (the daily purge).
pub async fn delete_expired(db: impl SqliteExecutor<'_>, now: i64) -> sqlx::Result<u64> {
    Ok(
        sqlx::query!("DELETE FROM remembered_devices WHERE expires_at <= ?", now)
            .execute(db)
            .await?
            .rows_affected(),
    )
}
