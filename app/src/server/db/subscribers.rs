//! Queries on `subscribers` (the mailing list). The email is sealed with the
//! data key and found through its lookup hash (`server::crypto`).

use sqlx::{SqliteExecutor, SqlitePool};

use crate::domain::{Lang, SubscriberSource};
use crate::server::crypto::{DataKey, SUBSCRIBER_EMAIL as EMAIL};

#[derive(Clone)]
pub struct SubscriberRow {
    pub id: i64,
    pub lang: Lang,
    pub confirm_sent_at: i64,
    pub confirmed_at: Option<i64>,
}

pub async fn by_email(
    db: impl SqliteExecutor<'_>,
    key: &DataKey,
    email: &str,
) -> sqlx::Result<Option<SubscriberRow>> {
    let lookup = key.lookup(EMAIL, email);
    sqlx::query_as!(
        SubscriberRow,
        r#"SELECT id AS "id!", lang AS "lang: Lang", confirm_sent_at, confirmed_at FROM subscribers
           WHERE email_lookup = ?"#,
        lookup,
    )
    .fetch_optional(db)
    .await
}

pub struct NewSubscriber<'a> {
    pub email: &'a str,
    pub lang: Lang,
    pub confirm_hash: &'a [u8],
    pub unsubscribe_hash: &'a [u8],
    pub source: SubscriberSource,
    pub now: i64,
}

pub async fn insert(
    db: impl SqliteExecutor<'_>,
    key: &DataKey,
    s: &NewSubscriber<'_>,
) -> sqlx::Result<i64> {
    let email = key.seal(EMAIL, s.email)?;
    let lookup = key.lookup(EMAIL, s.email);
    sqlx::query_scalar!(
        r#"INSERT INTO subscribers (email, email_lookup, lang, confirm_hash, unsubscribe_hash,
               source, created_at, confirm_sent_at)
           VALUES (?, ?, ?, ?, ?, ?, ?7, ?7)
           RETURNING id AS "id!: i64""#,
        email,
        lookup,
        s.lang,
        s.confirm_hash,
        s.unsubscribe_hash,
        s.source,
        s.now,
    )
    .fetch_one(db)
    .await
}

/// A pending subscriber asked again: new tokens (the old links stop
/// working) and the language they chose this time.
pub async fn renew(
    db: impl SqliteExecutor<'_>,
    id: i64,
    lang: Lang,
    confirm_hash: &[u8],
    unsubscribe_hash: &[u8],
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE subscribers SET lang = ?, confirm_hash = ?, unsubscribe_hash = ?, confirm_sent_at = ?
         WHERE id = ? AND confirmed_at IS NULL",
        lang,
        confirm_hash,
        unsubscribe_hash,
        now,
        id,
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The subscriber a confirmation token belongs to: (id, lang, confirmed_at).
pub async fn by_confirm_hash(
    pool: &SqlitePool,
    hash: &[u8],
) -> sqlx::Result<Option<SubscriberRow>> {
    sqlx::query_as!(
        SubscriberRow,
        r#"SELECT id AS "id!", lang AS "lang: Lang", confirm_sent_at, confirmed_at FROM subscribers
           WHERE confirm_hash = ?"#,
        hash,
    )
    .fetch_optional(pool)
    .await
}

/// Confirms (once; confirming again changes nothing). `None` for an unknown
/// token, else whether this call confirmed it.
pub async fn confirm(db: impl SqliteExecutor<'_>, hash: &[u8], now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "UPDATE subscribers SET confirmed_at = ? WHERE confirm_hash = ? AND confirmed_at IS NULL",
        now,
        hash,
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The subscriber an unsubscribe token belongs to: the one in the
/// confirmation email, or the one in any bulletin they were sent.
pub async fn by_unsubscribe_hash(
    db: impl SqliteExecutor<'_>,
    hash: &[u8],
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        r#"SELECT id AS "id!: i64" FROM subscribers WHERE unsubscribe_hash = ?1
           UNION
           SELECT subscriber_id AS "id!: i64" FROM bulletin_deliveries WHERE unsubscribe_hash = ?1
           LIMIT 1"#,
        hash,
    )
    .fetch_optional(db)
    .await
}

/// Erases a subscriber (and, by trigger and cascade, their mail and
/// delivery records).
pub async fn delete(db: impl SqliteExecutor<'_>, id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!("DELETE FROM subscribers WHERE id = ?", id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Confirmed subscribers, for the editor's page.
pub async fn confirmed_count(pool: &SqlitePool) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM subscribers WHERE confirmed_at IS NOT NULL"#
    )
    .fetch_one(pool)
    .await
}

/// Deletes the subscribers who did not confirm the last confirmation email,
/// sent before `sent_before` (Unix seconds); returns how many.
pub async fn delete_unconfirmed(
    db: impl SqliteExecutor<'_>,
    sent_before: i64,
) -> sqlx::Result<u64> {
    sqlx::query!(
        "DELETE FROM subscribers WHERE confirmed_at IS NULL AND confirm_sent_at < ?",
        sent_before
    )
    .execute(db)
    .await
    .map(|done| done.rows_affected())
}
