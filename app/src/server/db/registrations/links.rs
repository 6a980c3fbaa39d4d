//! Queries on `registration_links`: private links sent again, each working
//! beside the registration's first link (a stranger who types someone's
//! address gets them an email, and voids nothing; a mail scanner that opens
//! a link changes which one works neither).

use sqlx::SqliteConnection;

/// How many links sent again a registration keeps (the newest).
const KEPT: i64 = 5;

/// Adds a link (its token's hash) for registration `id`, keeping the newest
/// [`KEPT`].
pub async fn add(db: &mut SqliteConnection, id: i64, hash: &[u8], now: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO registration_links (token_hash, registration_id, created_at) VALUES (?, ?, ?)",
        hash,
        id,
        now,
    )
    .execute(&mut *db)
    .await?;
    sqlx::query!(
        "DELETE FROM registration_links WHERE registration_id = ?1 AND token_hash NOT IN (
             SELECT token_hash FROM registration_links WHERE registration_id = ?1
             ORDER BY created_at DESC, rowid DESC LIMIT ?2)",
        id,
        KEPT,
    )
    .execute(&mut *db)
    .await?;
    Ok(())
}
