//! Rate limits kept in PostgreSQL, so that every instance counts against
//! the same allowance (`server::limits`; SQLite runs one instance and keeps
//! them in memory). Keys are lookup hashes; times are the database's clock
//! in Unix milliseconds (`unix_now_ms()`), whatever the instances' clocks
//! say. Each check is one statement: two instances counting at once are
//! serialised by the row, and neither can slip past the other.

// Built to prepare SQLite's queries, the PostgreSQL half is left out.
#![cfg_attr(feature = "prepare-sqlite", allow(unused_variables))]

use sqlx::PgPool;

use super::backend::postgres;

/// GCRA, as `governor` counts in memory: one request every `interval_ms`,
/// up to `burst` at once. `None` when this request is allowed (and counted);
/// else how many milliseconds until the next one would be.
pub async fn take(
    pool: &PgPool,
    key: &[u8],
    interval_ms: i64,
    burst: i64,
) -> sqlx::Result<Option<i64>> {
    postgres!(pool, {
        // The row's time, moved one interval on, unless that would be more
        // than a burst ahead of now; nothing returned when it would.
        let counted = sqlx::query_scalar!(
            r#"INSERT INTO rate_limits AS r (key, tat) VALUES ($1, unix_now_ms() + $2)
               ON CONFLICT (key) DO UPDATE
               SET tat = GREATEST(r.tat, unix_now_ms()) + $2
               WHERE GREATEST(r.tat, unix_now_ms()) + $2 - unix_now_ms() <= $2 * $3
               RETURNING tat"#,
            key,
            interval_ms,
            burst,
        )
        .fetch_optional(pool)
        .await?;
        if counted.is_some() {
            return Ok(None);
        }
        let ahead = sqlx::query_scalar!(
            r#"SELECT tat - unix_now_ms() AS "ahead!" FROM rate_limits WHERE key = $1"#,
            key,
        )
        .fetch_optional(pool)
        .await?;
        Ok(Some(
            ahead
                .map_or(0, |ahead| ahead + interval_ms - interval_ms * burst)
                .max(1),
        ))
    })
}

/// Counts one failure for `key` in a window of `window_ms` (a new window
/// once the last is over) and returns how many the window holds and how
/// many milliseconds it has left.
pub async fn strike(pool: &PgPool, key: &[u8], window_ms: i64) -> sqlx::Result<(i32, i64)> {
    postgres!(pool, {
        let row = sqlx::query!(
            r#"INSERT INTO strikes AS s (key, count, until) VALUES ($1, 1, unix_now_ms() + $2)
               ON CONFLICT (key) DO UPDATE
               SET count = CASE WHEN s.until <= unix_now_ms() THEN 1 ELSE s.count + 1 END,
                   until = CASE WHEN s.until <= unix_now_ms() THEN unix_now_ms() + $2
                           ELSE s.until END
               RETURNING count, until - unix_now_ms() AS "left!""#,
            key,
            window_ms,
        )
        .fetch_one(pool)
        .await?;
        Ok((row.count, row.left))
    })
}

/// How many failures `key`'s current window holds, and how many
/// milliseconds it has left; `None` when there is no window running.
pub async fn strikes(pool: &PgPool, key: &[u8]) -> sqlx::Result<Option<(i32, i64)>> {
    postgres!(pool, {
        let row = sqlx::query!(
            r#"SELECT count, until - unix_now_ms() AS "left!" FROM strikes
               WHERE key = $1 AND until > unix_now_ms()"#,
            key,
        )
        .fetch_optional(pool)
        .await?;
        Ok(row.map(|row| (row.count, row.left)))
    })
}

/// Takes back one failure [`strike`] counted.
pub async fn forgive(pool: &PgPool, key: &[u8]) -> sqlx::Result<()> {
    postgres!(pool, {
        sqlx::query!(
            "UPDATE strikes SET count = GREATEST(count - 1, 0) WHERE key = $1",
            key,
        )
        .execute(pool)
        .await?;
        Ok(())
    })
}

/// Forgets the counts whose time has passed: they allow a full allowance,
/// as a missing row does. Returns how many rows went.
pub async fn delete_expired(pool: &PgPool) -> sqlx::Result<u64> {
    postgres!(pool, {
        let limits = sqlx::query!("DELETE FROM rate_limits WHERE tat <= unix_now_ms()")
            .execute(pool)
            .await?;
        let strikes = sqlx::query!("DELETE FROM strikes WHERE until <= unix_now_ms()")
            .execute(pool)
            .await?;
        Ok(limits.rows_affected() + strikes.rows_affected())
    })
}
