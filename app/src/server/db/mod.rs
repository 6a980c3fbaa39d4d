//! The SQLite database: opening it, migrating it, and one module of queries
//! per table.

pub mod audit;
pub mod bulletins;
pub mod events;
pub mod organisations;
pub mod outbox;
pub mod registrations;
pub mod sessions;
pub mod subscribers;
pub mod users;

use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("the database URL {url:?} is not valid: {source}")]
    Url { url: String, source: sqlx::Error },
    #[error("cannot create the database folder {dir}: {source}")]
    Folder { dir: String, source: std::io::Error },
    #[error("cannot open the database {url:?}: {source}")]
    Open { url: String, source: sqlx::Error },
    #[error("cannot migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the sessions table: {0}")]
    Sessions(sqlx::Error),
}

/// Opens (creating if needed) the SQLite database in WAL mode, with foreign
/// keys on, a busy timeout, and `synchronous = FULL` so that an acknowledged
/// write survives a power cut.
pub async fn open(url: &str) -> Result<SqlitePool, OpenError> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|source| OpenError::Url {
            url: url.to_owned(),
            source,
        })?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    if let Some(dir) = options
        .get_filename()
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir).map_err(|source| OpenError::Folder {
            dir: dir.display().to_string(),
            source,
        })?;
    }
    SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .map_err(|source| OpenError::Open {
            url: url.to_owned(),
            source,
        })
}

/// Applies our migrations, then creates the staff sessions table
/// (`tower_sessions`, owned by the session store) if it is missing.
pub async fn migrate(pool: &SqlitePool) -> Result<(), OpenError> {
    sqlx::migrate!().run(pool).await?;
    crate::server::auth::session_store(pool)
        .migrate()
        .await
        .map_err(OpenError::Sessions)?;
    Ok(())
}

/// A write transaction that takes SQLite's write lock at `BEGIN`, so that a
/// read-then-write (counting seats, then taking one) cannot interleave with
/// another writer. Waits up to the busy timeout for the lock.
pub async fn begin_write(
    pool: &SqlitePool,
) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
    pool.begin_with("BEGIN IMMEDIATE").await
}
