//! The database's side of encryption at rest: which key a database was
//! sealed with, and sealing values written before encryption at rest.

use sqlx::SqlitePool;

use super::Db;

use crate::server::crypto::{
    self, DataKey, KeyError, KeySource, REGISTRATION_EMAIL, SEALED, SUBSCRIBER_EMAIL, USER_EMAIL,
};

/// The key for the database behind `pool`: like [`load`], except that a
/// missing key file is not replaced by a new key when the database already
/// holds data sealed with one (a new key could read none of it; the old file
/// must be restored, or the key given in `LAUSANNE_DATA_KEY`).
pub async fn load_for(db: &Db, source: &KeySource) -> Result<DataKey, KeyError> {
    // A PostgreSQL database has its key given (`LAUSANNE_DATA_KEY`).
    if let (KeySource::File(path), Db::Sqlite(pool)) = (source, db) {
        // Before the first migration there is no table to look at.
        let has_table: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'data_key_check'",
        )
        .fetch_one(pool)
        .await?;
        let has_check = has_table > 0
            && sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM data_key_check")
                .fetch_one(pool)
                .await?
                > 0;
        if has_check && !path.exists() {
            return Err(KeyError::Missing {
                path: path.display().to_string(),
            });
        }
    }
    crypto::load(source)
}

/// Sealed email columns with a lookup beside them (`email_lookup`).
const LOOKED_UP: &[&str] = &[REGISTRATION_EMAIL, SUBSCRIBER_EMAIL, USER_EMAIL];

const KEY_CHECK: &str = "data_key_check.sealed";

const KEY_CHECK_TEXT: &str = "Lausanne Platform data key";

/// PostgreSQL's side of [`prepare`], run at every start after the
/// migrations: records which key the database is sealed with (the first
/// instance to start, whichever it is: the insert does nothing when another
/// got there first), then refuses any other key. There are no values from
/// before encryption to seal.
pub async fn check_key(db: &Db, key: &DataKey) -> Result<(), KeyError> {
    let Db::Postgres(pool) = db else {
        return Ok(());
    };
    let sealed = key
        .seal(KEY_CHECK, KEY_CHECK_TEXT)
        .map_err(sqlx::Error::from)?;
    sqlx::query(
        "INSERT INTO data_key_check (id, sealed) VALUES (1, $1) ON CONFLICT (id) DO NOTHING",
    )
    .bind(sealed)
    .execute(pool)
    .await?;
    let check: Vec<u8> = sqlx::query_scalar("SELECT sealed FROM data_key_check WHERE id = 1")
        .fetch_one(pool)
        .await?;
    if key.open(KEY_CHECK, &check).ok().as_deref() != Some(KEY_CHECK_TEXT) {
        return Err(KeyError::Mismatch);
    }
    Ok(())
}

/// Run at every start, after the migrations: refuses a key that is not the
/// database's (the first start records which one it is), then seals any
/// value still in plaintext (rows written before encryption at rest) and
/// fills its lookup, in one transaction.
pub async fn prepare(pool: &SqlitePool, key: &DataKey) -> Result<(), KeyError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let check: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT sealed FROM data_key_check WHERE id = 1")
            .fetch_optional(&mut *tx)
            .await?;
    match check {
        Some(sealed) => {
            if key.open(KEY_CHECK, &sealed).ok().as_deref() != Some(KEY_CHECK_TEXT) {
                return Err(KeyError::Mismatch);
            }
        }
        None => {
            let sealed = key
                .seal(KEY_CHECK, KEY_CHECK_TEXT)
                .map_err(sqlx::Error::from)?;
            sqlx::query("INSERT INTO data_key_check (id, sealed) VALUES (1, ?)")
                .bind(sealed)
                .execute(&mut *tx)
                .await?;
        }
    }
    let mut sealed = 0usize;
    for column in SEALED {
        let Some((table, name)) = column.split_once('.') else {
            continue;
        };
        // Table and column names come from the constants above, never from input.
        let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
            "SELECT id, {name} FROM {table} WHERE typeof({name}) = 'text'"
        ))
        .fetch_all(&mut *tx)
        .await?;
        for (id, plain) in rows {
            let value = key.seal(column, &plain).map_err(sqlx::Error::from)?;
            if LOOKED_UP.contains(column) {
                sqlx::query(&format!(
                    "UPDATE {table} SET {name} = ?, email_lookup = ? WHERE id = ?"
                ))
                .bind(value)
                .bind(key.lookup(column, &plain))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            } else {
                sqlx::query(&format!("UPDATE {table} SET {name} = ? WHERE id = ?"))
                    .bind(value)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            sealed += 1;
        }
    }
    tx.commit().await?;
    if sealed > 0 {
        tracing::info!(
            values = sealed,
            "encrypted personal data stored before encryption at rest"
        );
        super::scrub_sqlite_wal(pool).await;
    }
    Ok(())
}
