//! The two databases the queries run on: SQLite, embedded (the default), and
//! PostgreSQL, shared by several instances. A query is written once in Rust
//! with its SQL twice ([`run!`]); each text is checked at compile time
//! against its own database (`.sqlx/`, see `scripts/sqlx-prepare.sh`).

use futures::future::BoxFuture;
use futures::stream::BoxStream;
use sqlx::{Database, Describe, Either, Execute, Executor, Pool, Postgres, Sqlite, Transaction};

/// Where the data lives: `sqlite://PATH` (the embedded default) or
/// `postgres://USER@HOST/DATABASE` (shared by several instances). Any other
/// scheme is refused, so that a mistyped URL cannot send an operator's data
/// to the wrong place. Its `Debug` shows the database, never a password.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    url: String,
    backend: Backend,
}

/// The two databases.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, String> {
        let scheme = url
            .split_once(':')
            .map(|(scheme, _)| scheme.to_ascii_lowercase());
        let backend = match scheme.as_deref() {
            Some("sqlite") => Backend::Sqlite,
            Some("postgres" | "postgresql") => Backend::Postgres,
            _ => {
                return Err(
                    "expected sqlite://PATH or postgres://USER@HOST/DATABASE (other schemes \
                     and bare file names are not accepted)"
                        .to_owned(),
                );
            }
        };
        Ok(Self {
            url: url.to_owned(),
            backend,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn as_str(&self) -> &str {
        &self.url
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.backend {
            Backend::Sqlite => f.debug_tuple("DatabaseUrl").field(&self.url).finish(),
            Backend::Postgres => f.write_str("DatabaseUrl(postgres://..)"),
        }
    }
}

/// The database: a pool of connections to SQLite or to PostgreSQL. Cloning
/// is cheap.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(Pool<Sqlite>),
    Postgres(Pool<Postgres>),
}

/// A transaction on either database; dropped without [`Tx::commit`], it
/// rolls back.
#[derive(Debug)]
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    pub async fn commit(self) -> sqlx::Result<()> {
        match self {
            Self::Sqlite(tx) => tx.commit().await,
            Self::Postgres(tx) => tx.commit().await,
        }
    }
}

/// What one query runs on: the pool (any free connection) or the
/// connection of a transaction. Query functions take `impl Into<Exec>`, so
/// callers pass `&Db` or `&mut Tx`.
#[derive(Debug)]
pub enum Exec<'c> {
    Sqlite(On<'c, Sqlite>),
    Postgres(On<'c, Postgres>),
}

impl<'c> From<&'c Db> for Exec<'c> {
    fn from(db: &'c Db) -> Self {
        match db {
            Db::Sqlite(pool) => Self::Sqlite(On::Pool(pool)),
            Db::Postgres(pool) => Self::Postgres(On::Pool(pool)),
        }
    }
}

impl<'c> From<&'c mut Tx> for Exec<'c> {
    fn from(tx: &'c mut Tx) -> Self {
        match tx {
            Tx::Sqlite(tx) => Self::Sqlite(On::Connection(&mut **tx)),
            Tx::Postgres(tx) => Self::Postgres(On::Connection(&mut **tx)),
        }
    }
}

impl<'c> From<&'c sqlx::SqlitePool> for Exec<'c> {
    fn from(pool: &'c sqlx::SqlitePool) -> Self {
        Self::Sqlite(On::Pool(pool))
    }
}

impl<'c> From<&'c mut sqlx::SqliteConnection> for Exec<'c> {
    fn from(connection: &'c mut sqlx::SqliteConnection) -> Self {
        Self::Sqlite(On::Connection(connection))
    }
}

impl<'c> From<&'c sqlx::PgPool> for Exec<'c> {
    fn from(pool: &'c sqlx::PgPool) -> Self {
        Self::Postgres(On::Pool(pool))
    }
}

impl<'c> From<&'c mut sqlx::PgConnection> for Exec<'c> {
    fn from(connection: &'c mut sqlx::PgConnection) -> Self {
        Self::Postgres(On::Connection(connection))
    }
}

impl<'c> From<&'c mut Exec<'_>> for Exec<'c> {
    /// Reborrows, to run several queries on one `Exec`.
    fn from(exec: &'c mut Exec<'_>) -> Self {
        match exec {
            Exec::Sqlite(on) => Self::Sqlite(on.reborrow()),
            Exec::Postgres(on) => Self::Postgres(on.reborrow()),
        }
    }
}

/// A pool or a connection of one database, as one sqlx executor.
pub enum On<'c, DB: Database> {
    Pool(&'c Pool<DB>),
    Connection(&'c mut DB::Connection),
}

impl<DB: Database> std::fmt::Debug for On<'_, DB> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            On::Pool(pool) => f.debug_tuple("Pool").field(pool).finish(),
            On::Connection(_) => f.write_str("Connection"),
        }
    }
}

impl<DB: Database> On<'_, DB> {
    fn reborrow(&mut self) -> On<'_, DB> {
        match self {
            On::Pool(pool) => On::Pool(pool),
            On::Connection(connection) => On::Connection(&mut **connection),
        }
    }
}

impl<'c, DB: Database> Executor<'c> for On<'c, DB>
where
    for<'p> &'p Pool<DB>: Executor<'p, Database = DB>,
    for<'p> &'p mut DB::Connection: Executor<'p, Database = DB>,
{
    type Database = DB;

    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxStream<'e, sqlx::Result<Either<DB::QueryResult, DB::Row>>>
    where
        'c: 'e,
        E: 'q + Execute<'q, DB>,
    {
        match self {
            On::Pool(pool) => pool.fetch_many(query),
            On::Connection(connection) => connection.fetch_many(query),
        }
    }

    fn fetch_optional<'e, 'q: 'e, E>(self, query: E) -> BoxFuture<'e, sqlx::Result<Option<DB::Row>>>
    where
        'c: 'e,
        E: 'q + Execute<'q, DB>,
    {
        match self {
            On::Pool(pool) => pool.fetch_optional(query),
            On::Connection(connection) => connection.fetch_optional(query),
        }
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [DB::TypeInfo],
    ) -> BoxFuture<'e, sqlx::Result<DB::Statement<'q>>>
    where
        'c: 'e,
    {
        match self {
            On::Pool(pool) => pool.prepare_with(sql, parameters),
            On::Connection(connection) => connection.prepare_with(sql, parameters),
        }
    }

    fn describe<'e, 'q: 'e>(self, sql: &'q str) -> BoxFuture<'e, sqlx::Result<Describe<DB>>>
    where
        'c: 'e,
    {
        match self {
            On::Pool(pool) => pool.describe(sql),
            On::Connection(connection) => connection.describe(sql),
        }
    }
}

/// Runs the query written for the database `$on` belongs to, checked at
/// compile time against that database:
///
/// ```ignore
/// run!(db, fetch_one, query_scalar!(
///     sqlite: "SELECT COUNT(*) AS \"n!: i64\" FROM events WHERE status = ?1",
///     postgres: "SELECT COUNT(*) AS \"n!: i64\" FROM events WHERE status = $1",
///     status,
/// ))
/// ```
///
/// `query_as!(Row, …)` and `query_scalar!` are sqlx's macros, with the
/// arguments written once; `$fetch` is the method that runs the query
/// (`fetch_one`, `fetch_optional`, `fetch_all`), awaited here. Both texts
/// must give the same Rust types (`AS "n!: i64"` where the databases would
/// differ). `query!` is for statements without rows: `run!(db, execute,
/// query!(…))` gives the number of rows affected.
///
/// The two texts must differ (the compile-time data is stored by the hash
/// of the text), as they do once PostgreSQL's `$1` meets SQLite's `?`.
/// `scripts/sqlx-prepare.sh` writes each database's data with the other's
/// queries left out (the `prepare-*` features, for that script only).
macro_rules! run {
    ($on:expr, execute, query!(sqlite: $sqlite:tt, postgres: $postgres:tt $(, $arg:expr)* $(,)?)) => {
        $crate::server::db::backend::run!(@on $on,
            ::sqlx::query!($sqlite $(, $arg)*),
            ::sqlx::query!($postgres $(, $arg)*),
            execute, |done| done.rows_affected())
    };
    ($on:expr, $fetch:ident, query_scalar!(sqlite: $sqlite:tt, postgres: $postgres:tt $(, $arg:expr)* $(,)?)) => {
        $crate::server::db::backend::run!(@on $on,
            ::sqlx::query_scalar!($sqlite $(, $arg)*),
            ::sqlx::query_scalar!($postgres $(, $arg)*),
            $fetch)
    };
    ($on:expr, $fetch:ident, query_as!($row:path, sqlite: $sqlite:tt, postgres: $postgres:tt $(, $arg:expr)* $(,)?)) => {
        $crate::server::db::backend::run!(@on $on,
            ::sqlx::query_as!($row, $sqlite $(, $arg)*),
            ::sqlx::query_as!($row, $postgres $(, $arg)*),
            $fetch)
    };
    (@on $on:expr, $sqlite:expr, $postgres:expr, $fetch:ident $(, $then:expr)?) => {
        match ::std::convert::Into::<$crate::server::db::backend::Exec<'_>>::into($on) {
            $crate::server::db::backend::Exec::Sqlite(on) => {
                $crate::server::db::backend::sqlite!(on, $sqlite.$fetch(on).await$(.map($then))?)
            }
            $crate::server::db::backend::Exec::Postgres(on) => {
                $crate::server::db::backend::postgres!(on, $postgres.$fetch(on).await$(.map($then))?)
            }
        }
    };
}

/// A query's SQLite half; left out (never expanded, so never checked) when
/// preparing PostgreSQL's compile-time data.
#[cfg(not(feature = "prepare-postgres"))]
macro_rules! sqlite {
    ($on:ident, $run:expr) => {
        $run
    };
}
#[cfg(feature = "prepare-postgres")]
macro_rules! sqlite {
    ($on:ident, $run:expr) => {{
        let _ = $on;
        unreachable!("built to prepare PostgreSQL's queries")
    }};
}

/// A query's PostgreSQL half; left out when preparing SQLite's data.
#[cfg(not(feature = "prepare-sqlite"))]
macro_rules! postgres {
    ($on:ident, $run:expr) => {
        $run
    };
}
#[cfg(feature = "prepare-sqlite")]
macro_rules! postgres {
    ($on:ident, $run:expr) => {{
        let _ = $on;
        unreachable!("built to prepare SQLite's queries")
    }};
}

pub(crate) use {postgres, run, sqlite};
