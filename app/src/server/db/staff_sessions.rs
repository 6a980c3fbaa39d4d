//! Queries on `staff_sessions`: the signed-in sessions of staff accounts,
//! by the random id each session keeps in its data.

use super::backend::{Exec, run};

/// A session as its owner sees it listed.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub id: Vec<u8>,
    pub started_at: i64,
    pub last_seen_at: i64,
    pub browser: String,
}

pub async fn insert(
    db: impl Into<Exec<'_>>,
    id: &[u8],
    user_id: i64,
    browser: &str,
    now: i64,
) -> sqlx::Result<()> {
    run!(
        db,
        execute,
        query!(
            sqlite: "INSERT INTO staff_sessions (id, user_id, started_at, last_seen_at, browser)
         VALUES (?1, ?2, ?3, ?3, ?4)",
            postgres: "INSERT INTO staff_sessions (id, user_id, started_at, last_seen_at, browser)
         VALUES ($1, $2, $3, $3, $4)",
            id,
            user_id,
            now,
            browser,
        )
    )?;
    Ok(())
}

/// Whether session `id` of account `user_id` is still on record (it has not
/// been ended); notes it was seen at `now` (at most once a minute).
pub async fn touch(
    db: impl Into<Exec<'_>>,
    id: &[u8],
    user_id: i64,
    now: i64,
) -> sqlx::Result<bool> {
    // PostgreSQL: `$3 - 60` alone would make `$3` an integer (int4), and a
    // bare `1` is int4 too; both are cast to bigint (the Rust `i64`).
    let seen = run!(
        db,
        fetch_optional,
        query_scalar!(
            sqlite: r#"UPDATE staff_sessions
           SET last_seen_at = CASE WHEN last_seen_at < ?3 - 60 THEN ?3 ELSE last_seen_at END
           WHERE id = ?1 AND user_id = ?2
           RETURNING 1 AS "one!: i64""#,
            postgres: r#"UPDATE staff_sessions
           SET last_seen_at = CASE WHEN last_seen_at < $3::bigint - 60 THEN $3 ELSE last_seen_at END
           WHERE id = $1 AND user_id = $2
           RETURNING 1::bigint AS "one!: i64""#,
            id,
            user_id,
            now,
        )
    )?;
    Ok(seen.is_some())
}

/// Account `user_id`'s sessions, the latest seen first.
pub async fn of_user(db: impl Into<Exec<'_>>, user_id: i64) -> sqlx::Result<Vec<SessionRow>> {
    run!(
        db,
        fetch_all,
        query_as!(SessionRow,
            sqlite: r#"SELECT id AS "id!: Vec<u8>", started_at, last_seen_at, browser
           FROM staff_sessions WHERE user_id = ? ORDER BY last_seen_at DESC"#,
            postgres: r#"SELECT id AS "id!: Vec<u8>", started_at, last_seen_at, browser
           FROM staff_sessions WHERE user_id = $1 ORDER BY last_seen_at DESC"#,
            user_id,
        )
    )
}

/// Ends session `id` of account `user_id`; `false` when there was none.
pub async fn end(db: impl Into<Exec<'_>>, id: &[u8], user_id: i64) -> sqlx::Result<bool> {
    let done = run!(
        db,
        execute,
        query!(
            sqlite: "DELETE FROM staff_sessions WHERE id = ? AND user_id = ?",
            postgres: "DELETE FROM staff_sessions WHERE id = $1 AND user_id = $2",
            id,
            user_id,
        )
    )?;
    Ok(done == 1)
}

/// Ends every session of account `user_id` but `keep` (if any); returns
/// how many ended.
pub async fn end_all(
    db: impl Into<Exec<'_>>,
    user_id: i64,
    keep: Option<&[u8]>,
) -> sqlx::Result<u64> {
    run!(
        db,
        execute,
        query!(
            sqlite: "DELETE FROM staff_sessions WHERE user_id = ?1 AND (?2 IS NULL OR id != ?2)",
            postgres: "DELETE FROM staff_sessions WHERE user_id = $1 AND ($2::bytea IS NULL OR id <> $2)",
            user_id,
            keep,
        )
    )
}

/// Forgets sessions not seen since `before` (they have expired anyway).
pub async fn delete_stale(db: impl Into<Exec<'_>>, before: i64) -> sqlx::Result<u64> {
    run!(
        db,
        execute,
        query!(
            sqlite: "DELETE FROM staff_sessions WHERE last_seen_at < ?",
            postgres: "DELETE FROM staff_sessions WHERE last_seen_at < $1",
            before,
        )
    )
}
