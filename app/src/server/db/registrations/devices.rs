//! Queries on `remembered_devices`: browsers a participant asked to be
//! remembered on, by the hash of the device token their cookie holds.

use super::{RegistrationRow, SealedRow, open_one};
use crate::domain::{AttendanceMode, InterpretationLanguage, Lang, RegistrationState};
use crate::server::crypto::DataKey;
use crate::server::db::backend::{Exec, run};

/// Remembers registration `id` on the device, until `expires_at` (a device
/// remembered again keeps the later end).
pub async fn remember(
    db: impl Into<Exec<'_>>,
    hash: &[u8],
    id: i64,
    now: i64,
    expires_at: i64,
) -> sqlx::Result<()> {
    // PostgreSQL: the stored row's column is named by its table (a bare
    // `expires_at` would be ambiguous beside `excluded.expires_at`).
    run!(
        db,
        execute,
        query!(
            sqlite: "INSERT INTO remembered_devices (token_hash, registration_id, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (token_hash, registration_id)
         DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)",
            postgres: "INSERT INTO remembered_devices (token_hash, registration_id, created_at, expires_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (token_hash, registration_id)
         DO UPDATE SET expires_at = GREATEST(remembered_devices.expires_at, excluded.expires_at)",
            hash,
            id,
            now,
            expires_at,
        )
    )?;
    Ok(())
}

/// The registration for event `event_id` that the device remembers, if any
/// (and still in time).
pub async fn registration_on(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    hash: &[u8],
    event_id: i64,
    now: i64,
) -> sqlx::Result<Option<RegistrationRow>> {
    let row = run!(
        db,
        fetch_optional,
        query_as!(SealedRow,
            sqlite: r#"SELECT r.id AS "id!", r.event_id, r.name, r.organisation, r.organisation_id, r.role,
                  r.email, r.mode AS "mode: AttendanceMode",
                  r.interpretation AS "interpretation: InterpretationLanguage", r.accessibility,
                  r.lang AS "lang: Lang", r.state AS "state: RegistrationState", r.reason,
                  r.email_confirmed_at, r.created_at
           FROM remembered_devices d JOIN registrations r ON r.id = d.registration_id
           WHERE d.token_hash = ?1 AND r.event_id = ?2 AND d.expires_at > ?3
           LIMIT 1"#,
            postgres: r#"SELECT r.id, r.event_id, r.name, r.organisation, r.organisation_id, r.role,
                  r.email, r.mode AS "mode: AttendanceMode",
                  r.interpretation AS "interpretation: InterpretationLanguage", r.accessibility,
                  r.lang AS "lang: Lang", r.state AS "state: RegistrationState", r.reason,
                  r.email_confirmed_at, r.created_at
           FROM remembered_devices d JOIN registrations r ON r.id = d.registration_id
           WHERE d.token_hash = $1 AND r.event_id = $2 AND d.expires_at > $3
           LIMIT 1"#,
            hash,
            event_id,
            now,
        )
    )?;
    open_one(key, row)
}

/// Whether registration `id` is remembered on the device.
pub async fn remembers(db: impl Into<Exec<'_>>, hash: &[u8], id: i64) -> sqlx::Result<bool> {
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"SELECT EXISTS (SELECT 1 FROM remembered_devices
                          WHERE token_hash = ? AND registration_id = ?) AS "found!: bool""#,
            postgres: r#"SELECT EXISTS (SELECT 1 FROM remembered_devices
                          WHERE token_hash = $1 AND registration_id = $2) AS "found!: bool""#,
            hash,
            id,
        )
    )
}

/// How many devices remember registration `id`.
pub async fn count_for(db: impl Into<Exec<'_>>, id: i64) -> sqlx::Result<i64> {
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: "SELECT COUNT(*) FROM remembered_devices WHERE registration_id = ?",
            postgres: r#"SELECT COUNT(*) AS "n!: i64" FROM remembered_devices WHERE registration_id = $1"#,
            id,
        )
    )
}

/// When the device's last remembered registration ends (for its cookie).
pub async fn last_expiry(db: impl Into<Exec<'_>>, hash: &[u8]) -> sqlx::Result<Option<i64>> {
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"SELECT max(expires_at) AS "until?: i64" FROM remembered_devices WHERE token_hash = ?"#,
            postgres: r#"SELECT max(expires_at) AS "until?: i64" FROM remembered_devices WHERE token_hash = $1"#,
            hash,
        )
    )
}

/// Forgets registration `id` on every device (from the private page).
pub async fn forget_registration(db: impl Into<Exec<'_>>, id: i64) -> sqlx::Result<u64> {
    run!(
        db,
        execute,
        query!(
            sqlite: "DELETE FROM remembered_devices WHERE registration_id = ?",
            postgres: "DELETE FROM remembered_devices WHERE registration_id = $1",
            id,
        )
    )
}

/// Forgets everything the device remembers ("not you?").
pub async fn forget_device(db: impl Into<Exec<'_>>, hash: &[u8]) -> sqlx::Result<u64> {
    run!(
        db,
        execute,
        query!(
            sqlite: "DELETE FROM remembered_devices WHERE token_hash = ?",
            postgres: "DELETE FROM remembered_devices WHERE token_hash = $1",
            hash,
        )
    )
}

/// Drops what has expired (the daily purge).
pub async fn delete_expired(db: impl Into<Exec<'_>>, now: i64) -> sqlx::Result<u64> {
    run!(
        db,
        execute,
        query!(
            sqlite: "DELETE FROM remembered_devices WHERE expires_at <= ?",
            postgres: "DELETE FROM remembered_devices WHERE expires_at <= $1",
            now,
        )
    )
}
