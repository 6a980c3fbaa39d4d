//! Queries on `staff_sessions`: the signed-in sessions of staff accounts,
//! by the random id each session keeps in its data.

use sqlx::SqliteExecutor;

/// A session as its owner sees it listed.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub id: Vec<u8>,
    pub started_at: i64,
    pub last_seen_at: i64,
    pub browser: String,
}

pub async fn insert(
    db: impl SqliteExecutor<'_>,
    id: &[u8],
    user_id: i64,
    browser: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO staff_sessions (id, user_id, started_at, last_seen_at, browser)
         VALUES (?1, ?2, ?3, ?3, ?4)",
        id,
        user_id,
        now,
        browser
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Whether session `id` of account `user_id` is still on record (it has not
/// been ended); notes it was seen at `now` (at most once a minute).
pub async fn touch(
    db: impl SqliteExecutor<'_>,
    id: &[u8],
    user_id: i64,
    now: i64,
) -> sqlx::Result<bool> {
    let seen = sqlx::query_scalar!(
        r#"UPDATE staff_sessions
           SET last_seen_at = CASE WHEN last_seen_at < ?3 - 60 THEN ?3 ELSE last_seen_at END
           WHERE id = ?1 AND user_id = ?2
           RETURNING 1 AS "one!: i64""#,
        id,
        user_id,
        now
    )
    .fetch_optional(db)
    .await?;
    Ok(seen.is_some())
}

/// Account `user_id`'s sessions, the latest seen first.
pub async fn of_user(db: impl SqliteExecutor<'_>, user_id: i64) -> sqlx::Result<Vec<SessionRow>> {
    sqlx::query_as!(
        SessionRow,
        r#"SELECT id AS "id!: Vec<u8>", started_at, last_seen_at, browser
           FROM staff_sessions WHERE user_id = ? ORDER BY last_seen_at DESC"#,
        user_id
    )
    .fetch_all(db)
    .await
}

/// Ends session `id` of account `user_id`; `false` when there was none.
pub async fn end(db: impl SqliteExecutor<'_>, id: &[u8], user_id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "DELETE FROM staff_sessions WHERE id = ? AND user_id = ?",
        id,
        user_id
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends every session of account `user_id` but `keep` (if any); returns
/// how many ended.
pub async fn end_all(
    db: impl SqliteExecutor<'_>,
    user_id: i64,
    keep: Option<&[u8]>,
) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "DELETE FROM staff_sessions WHERE user_id = ?1 AND (?2 IS NULL OR id != ?2)",
        user_id,
        keep
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Forgets sessions not seen since `before` (they have expired anyway).
pub async fn delete_stale(db: impl SqliteExecutor<'_>, before: i64) -> sqlx::Result<u64> {
    let done = sqlx::query!("DELETE FROM staff_sessions WHERE last_seen_at < ?", before)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}
