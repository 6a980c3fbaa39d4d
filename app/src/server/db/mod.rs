//! The SQLite database: opening it, migrating it, and one module of queries
//! per table.

pub mod audit;
pub mod backend;
pub mod bulletins;
pub mod checkins;
pub mod events;
pub mod hearing;
pub mod limits;
pub mod materials;
pub mod media;
pub mod organisations;
pub mod outbox;
pub mod questions;
pub mod registrations;
pub mod reminders;
pub mod report;
pub mod sealing;
pub mod session_store;
pub mod sessions;
pub mod signals;
pub mod staff_sessions;
pub mod subscribers;
pub mod users;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, SqlitePool};
use tower_sessions_sqlx_store::SqliteStore;

use crate::server::crypto;
pub use backend::{Backend, DatabaseUrl, Db, Exec, Tx};

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("DATABASE_URL is not valid: {0}")]
    Url(String),
    /// Where, and why not: never the URL (it may hold a password).
    #[error("cannot connect to PostgreSQL at {at}: {reason}")]
    Postgres { at: String, reason: String },
    #[error("cannot create the database folder {dir}: {source}")]
    Folder { dir: String, source: std::io::Error },
    #[error("cannot open the database {url:?}: {source}")]
    Open { url: String, source: sqlx::Error },
    #[error("cannot migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the sessions table: {0}")]
    Sessions(sqlx::Error),
    #[error("after migrating, the foreign keys do not hold: {0} rows point nowhere")]
    ForeignKeys(usize),
    #[error(transparent)]
    DataKey(#[from] crate::server::crypto::KeyError),
}

/// Opens (creating if needed) the SQLite database in WAL mode, with foreign
/// keys on, a busy timeout, and `synchronous = FULL` so that an acknowledged
/// write survives a power cut, and `secure_delete` so that deleted personal
/// data is overwritten rather than left in free pages.
async fn open_sqlite(url: &str) -> Result<SqlitePool, OpenError> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|source| OpenError::Url(source.to_string()))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .pragma("secure_delete", "ON")
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

/// The advisory lock PostgreSQL writers take turns on (any constant the
/// database's other users do not take; "LausWrit").
const WRITE_LOCK: i64 = 0x4c61_7573_5772_6974;

impl Db {
    /// Opens the database `url` names: SQLite (see [`open_sqlite`]) or PostgreSQL
    /// (a pool of connections; see [`open_postgres`]).
    pub async fn open(url: &str) -> Result<Self, OpenError> {
        match DatabaseUrl::parse(url).map_err(OpenError::Url)?.backend() {
            Backend::Sqlite => open_sqlite(url).await.map(Self::Sqlite),
            Backend::Postgres => open_postgres(url).await.map(Self::Postgres),
        }
    }

    /// Applies the backend's migrations, creates the sessions table, and
    /// checks the data key (see [`migrate_sqlite`]). On PostgreSQL the migrations
    /// hold an advisory lock, so instances starting together take turns.
    pub async fn migrate(&self, key: &crypto::DataKey) -> Result<(), OpenError> {
        match self {
            Self::Sqlite(pool) => migrate_sqlite(pool, key).await,
            Self::Postgres(pool) => {
                sqlx::migrate!("migrations/postgres").run(pool).await?;
                sealing::check_key(self, key).await?;
                session_store::Store::new(self)
                    .migrate()
                    .await
                    .map_err(OpenError::Sessions)
            }
        }
    }

    /// A write transaction during which no other writer runs: on SQLite
    /// it takes the write lock at `BEGIN` (see [`begin_write`]); on
    /// PostgreSQL (READ COMMITTED) the writers' transaction-scoped advisory
    /// lock, exclusively, shared by every instance. For the rarer writes
    /// whose rules span the database (the last admin, an event's slug,
    /// the mailing, the purge). Waits at most 5 s, as SQLite's busy timeout
    /// does.
    pub async fn begin_write(&self) -> sqlx::Result<Tx> {
        match self {
            Self::Sqlite(pool) => begin_write(pool).await.map(Tx::Sqlite),
            Self::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("SET LOCAL lock_timeout = '5s'")
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(WRITE_LOCK)
                    .execute(&mut *tx)
                    .await?;
                Ok(Tx::Postgres(tx))
            }
        }
    }

    /// A write transaction about the events `events` (registering,
    /// confirming, deciding, withdrawing, erasing), in which each
    /// count-then-write on them (seats left, waitlist promotion, one live
    /// registration per address) runs alone. On SQLite, the write lock, as
    /// [`Db::begin_write`]. On PostgreSQL, READ COMMITTED with the events'
    /// rows locked first (`SELECT … FOR UPDATE`, in id order so that two
    /// such transactions never deadlock), after the writers' advisory lock
    /// in shared mode (so a [`Db::begin_write`] still runs alone):
    /// registrations for one event queue on its row, while those for other
    /// events go on. Chosen over SERIALIZABLE with retries because the hot
    /// case is many people registering for the same event at once, where
    /// serialisable transactions would mostly fail and retry; a lock
    /// queues them instead. Each statement after the lock reads what the
    /// previous holder committed.
    pub async fn begin_event_write(&self, events: &[i64]) -> sqlx::Result<Tx> {
        match self {
            Self::Sqlite(pool) => begin_write(pool).await.map(Tx::Sqlite),
            Self::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("SET LOCAL lock_timeout = '5s'")
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("SELECT pg_advisory_xact_lock_shared($1)")
                    .bind(WRITE_LOCK)
                    .execute(&mut *tx)
                    .await?;
                let mut events = events.to_vec();
                events.sort_unstable();
                events.dedup();
                events::lock(&mut tx, &events).await?;
                Ok(Tx::Postgres(tx))
            }
        }
    }

    /// The SQLite pool, for what only SQLite has (tests reading the file,
    /// operational commands).
    pub fn as_sqlite(&self) -> Option<&SqlitePool> {
        match self {
            Self::Sqlite(pool) => Some(pool),
            Self::Postgres(_) => None,
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn close(&self) {
        match self {
            Self::Sqlite(pool) => pool.close().await,
            Self::Postgres(pool) => pool.close().await,
        }
    }
}

/// Connects to PostgreSQL, at most 16 connections per instance (several
/// instances share the server's `max_connections`, 100 by default); a
/// connection is waited for at most 5 s. Fails with where and why, never
/// the URL.
pub async fn open_postgres(url: &str) -> Result<PgPool, OpenError> {
    let options = PgConnectOptions::from_str(url).map_err(|e| OpenError::Url(e.to_string()))?;
    let at = format!(
        "{}:{}/{}",
        options.get_host(),
        options.get_port(),
        options.get_database().unwrap_or("")
    );
    let failed = |e: sqlx::Error| OpenError::Postgres {
        at: at.clone(),
        reason: e.to_string(),
    };
    // One connection first: its error says why (the pool retries until its
    // timeout and then only says that it timed out).
    options.connect().await.map_err(failed)?.close().await.ok();
    PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
        .map_err(failed)
}

/// Applies our migrations, creates the staff sessions table
/// (`tower_sessions`, owned by the session store) if it is missing, then
/// checks the data key against the database and encrypts any personal data
/// still stored in plaintext ([`sealing::prepare`]).
///
/// Migrations run on a connection of their own with foreign keys off, as
/// SQLite's procedure for rebuilding a table asks (dropping a parent table
/// would otherwise run its children's ON DELETE actions), and the foreign
/// keys are checked afterwards.
async fn migrate_sqlite(pool: &SqlitePool, key: &crypto::DataKey) -> Result<(), OpenError> {
    let options = (*pool.connect_options()).clone().foreign_keys(false);
    let mut connection = options.connect().await.map_err(|source| OpenError::Open {
        url: options.get_filename().display().to_string(),
        source,
    })?;
    sqlx::migrate!("migrations/sqlite")
        .run(&mut connection)
        .await?;
    let dangling = sqlx::query("PRAGMA foreign_key_check")
        .fetch_all(&mut connection)
        .await
        .map_err(|e| OpenError::Migrate(sqlx::migrate::MigrateError::Execute(e)))?
        .len();
    connection.close().await.ok();
    if dangling > 0 {
        return Err(OpenError::ForeignKeys(dangling));
    }
    sealing::prepare(pool, key).await?;
    session_store::Store::Sqlite(SqliteStore::new(pool.clone()))
        .migrate()
        .await
        .map_err(OpenError::Sessions)?;
    Ok(())
}

/// After personal data was deleted or sealed: copies the WAL into the
/// database and empties the WAL file, so that the old versions of those
/// pages (which `secure_delete` cannot reach there) leave the disk. Best
/// effort: a reader in the middle of a transaction keeps the WAL for now,
/// and the next checkpoint overwrites it. PostgreSQL has no such step (its
/// WAL and backups keep old row versions until they cycle; see the README).
pub async fn scrub_wal(db: &Db) {
    if let Db::Sqlite(pool) = db {
        scrub_sqlite_wal(pool).await;
    }
}

pub(super) async fn scrub_sqlite_wal(pool: &SqlitePool) {
    match sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(TRUNCATE)")
        .fetch_one(pool)
        .await
    {
        Ok((0, _, _)) => {}
        Ok(_) => tracing::info!("the WAL is in use; it is emptied at a later checkpoint"),
        Err(error) => tracing::warn!(%error, "cannot checkpoint the WAL"),
    }
}

/// A write transaction that takes SQLite's write lock at `BEGIN`, so that a
/// read-then-write (counting seats, then taking one) cannot interleave with
/// another writer. Waits up to the busy timeout for the lock.
pub async fn begin_write(
    pool: &SqlitePool,
) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// What [`backup`] wrote.
#[derive(Debug)]
pub struct Backup {
    pub bytes: u64,
    pub sqlite_version: String,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} exists already; choose a new file name")]
    Exists(String),
    #[error("the folder of {0} does not exist")]
    NoFolder(String),
    #[error("cannot write the backup: {0}")]
    Write(sqlx::Error),
    #[error(
        "lausanne backup copies a SQLite database; back PostgreSQL up with pg_dump or WAL \
         archiving (see the README)"
    )]
    Postgres,
    #[error("the backup failed its integrity check: {0}")]
    Integrity(String),
}

/// A consistent copy of the live database in `file`, taken with
/// `VACUUM INTO` while the server keeps serving (readers and writers are not
/// blocked: the copy is one read transaction), then opened and checked with
/// `PRAGMA integrity_check`.
pub async fn backup(db: &Db, file: &std::path::Path) -> Result<Backup, BackupError> {
    let Db::Sqlite(pool) = db else {
        return Err(BackupError::Postgres);
    };
    let shown = file.display().to_string();
    if file.exists() {
        return Err(BackupError::Exists(shown));
    }
    let folder = file.parent().filter(|d| !d.as_os_str().is_empty());
    if folder.is_some_and(|d| !d.is_dir()) {
        return Err(BackupError::NoFolder(shown));
    }
    sqlx::query("VACUUM INTO ?")
        .bind(file.to_string_lossy().into_owned())
        .execute(pool)
        .await
        .map_err(BackupError::Write)?;
    let options = SqliteConnectOptions::new().filename(file).read_only(true);
    let copy = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(BackupError::Write)?;
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&copy)
        .await
        .map_err(BackupError::Write)?;
    let sqlite_version: String = sqlx::query_scalar("SELECT sqlite_version()")
        .fetch_one(&copy)
        .await
        .map_err(BackupError::Write)?;
    copy.close().await;
    if check != "ok" {
        return Err(BackupError::Integrity(check));
    }
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    Ok(Backup {
        bytes,
        sqlite_version,
    })
}
