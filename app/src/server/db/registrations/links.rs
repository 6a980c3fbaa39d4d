//! Queries on `registration_links`: private links sent again, each working
//! beside the registration's first link (a stranger who types someone's
//! address gets them an email, and voids nothing; a mail scanner that opens
//! a link changes which one works neither).

use crate::server::db::backend::{Exec, run};

/// How many links sent again a registration keeps (the newest).
const KEPT: i64 = 5;

/// Adds a link (its token's hash) for registration `id`, keeping the newest
/// [`KEPT`].
pub async fn add(db: impl Into<Exec<'_>>, id: i64, hash: &[u8], now: i64) -> sqlx::Result<()> {
    let mut db = db.into();
    run!(
        &mut db,
        execute,
        query!(
            sqlite: "INSERT INTO registration_links (token_hash, registration_id, created_at) VALUES (?, ?, ?)",
            postgres: "INSERT INTO registration_links (token_hash, registration_id, created_at) VALUES ($1, $2, $3)",
            hash,
            id,
            now,
        )
    )?;
    // PostgreSQL has no `rowid` (SQLite's order of insertion, which breaks
    // ties between links added in the same second): there the tie goes by
    // the table's key, the token's hash. Which of two links sent in the
    // same second to the same address is kept is of no consequence.
    run!(
        &mut db,
        execute,
        query!(
            sqlite: "DELETE FROM registration_links WHERE registration_id = ?1 AND token_hash NOT IN (
             SELECT token_hash FROM registration_links WHERE registration_id = ?1
             ORDER BY created_at DESC, rowid DESC LIMIT ?2)",
            postgres: "DELETE FROM registration_links WHERE registration_id = $1 AND token_hash NOT IN (
             SELECT token_hash FROM registration_links WHERE registration_id = $1
             ORDER BY created_at DESC, token_hash DESC LIMIT $2)",
            id,
            KEPT,
        )
    )?;
    Ok(())
}
