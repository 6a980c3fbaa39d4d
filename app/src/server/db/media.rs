//! Uploaded images in PostgreSQL, so that every instance serves them
//! (`server::media`; on SQLite they are files beside the database).

// Built to prepare SQLite's queries, the PostgreSQL half is left out.
#![cfg_attr(feature = "prepare-sqlite", allow(unused_variables))]

use sqlx::PgPool;

use super::backend::postgres;

/// Stores an image under its content-hash `name`; the same bytes stored
/// again change nothing.
pub async fn store(pool: &PgPool, name: &str, bytes: &[u8]) -> sqlx::Result<()> {
    postgres!(pool, {
        sqlx::query!(
            "INSERT INTO media (name, bytes) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            name,
            bytes,
        )
        .execute(pool)
        .await?;
        Ok(())
    })
}

/// The image stored under `name`.
pub async fn bytes(pool: &PgPool, name: &str) -> sqlx::Result<Option<Vec<u8>>> {
    postgres!(pool, {
        sqlx::query_scalar!("SELECT bytes FROM media WHERE name = $1", name)
            .fetch_optional(pool)
            .await
    })
}
