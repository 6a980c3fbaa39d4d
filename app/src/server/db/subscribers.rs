//! Queries on `subscribers` (the mailing list). The email is sealed with the
//! data key and found through its lookup hash (`server::crypto`).

use super::backend::{Exec, run};
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
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    email: &str,
) -> sqlx::Result<Option<SubscriberRow>> {
    let lookup = key.lookup(EMAIL, email);
    run!(
        db,
        fetch_optional,
        query_as!(SubscriberRow,
            sqlite: r#"SELECT id AS "id!", lang AS "lang: Lang", confirm_sent_at, confirmed_at FROM subscribers
               WHERE email_lookup = ?"#,
            postgres: r#"SELECT id, lang AS "lang: Lang", confirm_sent_at, confirmed_at FROM subscribers
               WHERE email_lookup = $1"#,
            lookup,
        )
    )
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
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    s: &NewSubscriber<'_>,
) -> sqlx::Result<i64> {
    let email = key.seal(EMAIL, s.email)?;
    let lookup = key.lookup(EMAIL, s.email);
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"INSERT INTO subscribers (email, email_lookup, lang, confirm_hash, unsubscribe_hash,
               source, created_at, confirm_sent_at)
           VALUES (?, ?, ?, ?, ?, ?, ?7, ?7)
           RETURNING id AS "id!: i64""#,
            postgres: r#"INSERT INTO subscribers (email, email_lookup, lang, confirm_hash, unsubscribe_hash,
               source, created_at, confirm_sent_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
           RETURNING id AS "id!: i64""#,
            email,
            lookup,
            s.lang as _,
            s.confirm_hash,
            s.unsubscribe_hash,
            s.source as _,
            s.now,
        )
    )
}

/// A pending subscriber asked again: new tokens (the old links stop
/// working) and the language they chose this time.
pub async fn renew(
    db: impl Into<Exec<'_>>,
    id: i64,
    lang: Lang,
    confirm_hash: &[u8],
    unsubscribe_hash: &[u8],
    now: i64,
) -> sqlx::Result<()> {
    run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE subscribers SET lang = ?, confirm_hash = ?, unsubscribe_hash = ?, confirm_sent_at = ?
             WHERE id = ? AND confirmed_at IS NULL",
            postgres: "UPDATE subscribers SET lang = $1, confirm_hash = $2, unsubscribe_hash = $3, confirm_sent_at = $4
             WHERE id = $5 AND confirmed_at IS NULL",
            lang as _,
            confirm_hash,
            unsubscribe_hash,
            now,
            id,
        )
    )?;
    Ok(())
}

/// The subscriber a confirmation token belongs to: (id, lang, confirmed_at).
pub async fn by_confirm_hash(
    db: impl Into<Exec<'_>>,
    hash: &[u8],
) -> sqlx::Result<Option<SubscriberRow>> {
    run!(
        db,
        fetch_optional,
        query_as!(SubscriberRow,
            sqlite: r#"SELECT id AS "id!", lang AS "lang: Lang", confirm_sent_at, confirmed_at FROM subscribers
               WHERE confirm_hash = ?"#,
            postgres: r#"SELECT id, lang AS "lang: Lang", confirm_sent_at, confirmed_at FROM subscribers
               WHERE confirm_hash = $1"#,
            hash,
        )
    )
}

/// Confirms (once; confirming again changes nothing). `None` for an unknown
/// token, else whether this call confirmed it.
pub async fn confirm(db: impl Into<Exec<'_>>, hash: &[u8], now: i64) -> sqlx::Result<bool> {
    let done = run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE subscribers SET confirmed_at = ? WHERE confirm_hash = ? AND confirmed_at IS NULL",
            postgres: "UPDATE subscribers SET confirmed_at = $1 WHERE confirm_hash = $2 AND confirmed_at IS NULL",
            now,
            hash,
        )
    )?;
    Ok(done == 1)
}

/// The subscriber an unsubscribe token belongs to: the one in the
/// confirmation email, or the one in any bulletin they were sent.
pub async fn by_unsubscribe_hash(
    db: impl Into<Exec<'_>>,
    hash: &[u8],
) -> sqlx::Result<Option<i64>> {
    run!(
        db,
        fetch_optional,
        query_scalar!(
            sqlite: r#"SELECT id AS "id!: i64" FROM subscribers WHERE unsubscribe_hash = ?1
           UNION
           SELECT subscriber_id AS "id!: i64" FROM bulletin_deliveries WHERE unsubscribe_hash = ?1
           LIMIT 1"#,
            postgres: r#"SELECT id AS "id!: i64" FROM subscribers WHERE unsubscribe_hash = $1
           UNION
           SELECT subscriber_id FROM bulletin_deliveries WHERE unsubscribe_hash = $1
           LIMIT 1"#,
            hash,
        )
    )
}

/// Erases a subscriber (and, by trigger and cascade, their mail and
/// delivery records).
pub async fn delete(db: impl Into<Exec<'_>>, id: i64) -> sqlx::Result<bool> {
    let done = run!(
        db,
        execute,
        query!(
            sqlite: "DELETE FROM subscribers WHERE id = ?",
            postgres: "DELETE FROM subscribers WHERE id = $1",
            id
        )
    )?;
    Ok(done == 1)
}

/// Confirmed subscribers, for the editor's page.
pub async fn confirmed_count(db: impl Into<Exec<'_>>) -> sqlx::Result<i64> {
    // The texts differ (`count`) only so that each has its own compile-time data.
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"SELECT COUNT(*) AS "n!: i64" FROM subscribers WHERE confirmed_at IS NOT NULL"#,
            postgres: r#"SELECT count(*) AS "n!: i64" FROM subscribers WHERE confirmed_at IS NOT NULL"#,
        )
    )
}

/// Deletes the subscribers who did not confirm the last confirmation email,
/// sent before `sent_before` (Unix seconds); returns how many.
pub async fn delete_unconfirmed(db: impl Into<Exec<'_>>, sent_before: i64) -> sqlx::Result<u64> {
    run!(
        db,
        execute,
        query!(
            sqlite: "DELETE FROM subscribers WHERE confirmed_at IS NULL AND confirm_sent_at < ?",
            postgres: "DELETE FROM subscribers WHERE confirmed_at IS NULL AND confirm_sent_at < $1",
            sent_before
        )
    )
}
