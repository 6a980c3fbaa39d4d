//! Queries on `registration_links`: private links sent again, each working
//! beside the current one until one of them is used.

use sqlx::{SqliteConnection, SqliteExecutor};

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

/// Makes the link `hash` its registration's current link and voids every
/// other (the old current one too). Returns the registration, if the link
/// was one sent again.
pub async fn make_current(db: &mut SqliteConnection, hash: &[u8]) -> sqlx::Result<Option<i64>> {
    let Some(id) = sqlx::query_scalar!(
        "SELECT registration_id FROM registration_links WHERE token_hash = ?",
        hash
    )
    .fetch_optional(&mut *db)
    .await?
    else {
        return Ok(None);
    };
    sqlx::query!(
        "UPDATE registrations SET token_hash = ? WHERE id = ?",
        hash,
        id
    )
    .execute(&mut *db)
    .await?;
    delete_all(&mut *db, id).await?;
    Ok(Some(id))
}

/// Voids every link sent again for registration `id`.
pub async fn delete_all(db: impl SqliteExecutor<'_>, id: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "DELETE FROM registration_links WHERE registration_id = ?",
        id
    )
    .execute(db)
    .await?;
    Ok(())
}
