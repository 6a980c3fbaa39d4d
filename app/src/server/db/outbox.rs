//! Queries on `outbox`. Times are Unix milliseconds. The address, the body
//! and the unsubscribe link are sealed with the data key (`server::crypto`);
//! the subject (the event's or issue's title) is not.

use super::backend::{Exec, run};
use crate::domain::Lang;
use crate::server::crypto::{
    CryptoError, DataKey, OUTBOX_BODY as BODY, OUTBOX_LIST_UNSUBSCRIBE as LIST_UNSUBSCRIBE,
    OUTBOX_TO as TO,
};

/// A message to store; see [`crate::server::mail::enqueue`].
#[derive(Clone)]
pub struct NewMail<'a> {
    pub registration_id: Option<i64>,
    pub to_address: &'a str,
    pub lang: Lang,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub created_at: i64,
    /// When it may first be sent (milliseconds; usually `created_at`).
    pub due_at: i64,
}

/// A message waiting to be delivered. No `Debug`: it holds personal data.
#[derive(Clone)]
pub struct PendingMail {
    pub id: i64,
    pub to_address: String,
    pub lang: Lang,
    pub subject: String,
    pub body_text: String,
    pub created_at: i64,
    pub attempts: i64,
    /// The one-click unsubscribe URL of a mailing-list message (RFC 8058).
    pub list_unsubscribe: Option<String>,
}

/// Stores a message, due at once.
pub async fn insert(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    mail: &NewMail<'_>,
) -> sqlx::Result<i64> {
    let to_address = key.seal(TO, mail.to_address)?;
    let body_text = key.seal(BODY, mail.body_text)?;
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"INSERT INTO outbox (registration_id, to_address, lang, subject, body_text,
               created_at, next_attempt_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
           RETURNING id AS "id!: i64""#,
            postgres: r#"INSERT INTO outbox (registration_id, to_address, lang, subject, body_text,
               created_at, next_attempt_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           RETURNING id AS "id!: i64""#,
            mail.registration_id,
            to_address,
            // `as _`: PostgreSQL's check of the argument's type expects a
            // `String` for a text column; `Lang` encodes as its code.
            mail.lang as _,
            mail.subject,
            body_text,
            mail.created_at,
            mail.due_at,
        )
    )
}

/// Stores a mailing-list message for a subscriber, due at once.
pub async fn insert_list_mail(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    mail: &NewMail<'_>,
    subscriber_id: i64,
    list_unsubscribe: &str,
) -> sqlx::Result<i64> {
    let to_address = key.seal(TO, mail.to_address)?;
    let body_text = key.seal(BODY, mail.body_text)?;
    let list_unsubscribe = key.seal(LIST_UNSUBSCRIBE, list_unsubscribe)?;
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"INSERT INTO outbox (to_address, lang, subject, body_text, created_at, next_attempt_at,
               subscriber_id, list_unsubscribe)
           VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7)
           RETURNING id AS "id!: i64""#,
            postgres: r#"INSERT INTO outbox (to_address, lang, subject, body_text, created_at, next_attempt_at,
               subscriber_id, list_unsubscribe)
           VALUES ($1, $2, $3, $4, $5, $5, $6, $7)
           RETURNING id AS "id!: i64""#,
            to_address,
            mail.lang as _, // see `insert`
            mail.subject,
            body_text,
            mail.created_at,
            subscriber_id,
            list_unsubscribe,
        )
    )
}

/// A pending message as stored: the address, body and unsubscribe link
/// sealed.
struct StoredMail {
    id: i64,
    to_address: Vec<u8>,
    lang: Lang,
    subject: String,
    body_text: Vec<u8>,
    created_at: i64,
    attempts: i64,
    list_unsubscribe: Option<Vec<u8>>,
}

/// Takes the longest-waiting message due at `now` for one delivery
/// attempt: pushes its next attempt to `lease_until`, so that no other
/// worker picks it up meanwhile, and so that if this process dies
/// mid-attempt it is tried again then. `lease_until` is also the lease's
/// token ([`mark_retry`], [`mark_failed`]). On PostgreSQL, rows another
/// worker is claiming at that moment are skipped (`FOR UPDATE SKIP
/// LOCKED`): several workers take different messages rather than queue on
/// the same one. The message opened, or its id when it cannot be (a
/// damaged row); `None` when nothing is due.
pub async fn claim_next(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    now: i64,
    lease_until: i64,
) -> sqlx::Result<Option<Result<PendingMail, i64>>> {
    let row = run!(
        db,
        fetch_optional,
        query_as!(StoredMail,
            sqlite: r#"UPDATE outbox SET next_attempt_at = ?1
           WHERE id = (SELECT id FROM outbox
                       WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?2
                       ORDER BY next_attempt_at, id LIMIT 1)
           RETURNING id AS "id!", to_address, lang AS "lang: Lang", subject, body_text,
                     created_at, attempts, list_unsubscribe"#,
            postgres: r#"UPDATE outbox SET next_attempt_at = $1
           WHERE id = (SELECT id FROM outbox
                       WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $2
                       ORDER BY next_attempt_at, id LIMIT 1
                       FOR UPDATE SKIP LOCKED)
           RETURNING id, to_address, lang AS "lang: Lang", subject, body_text,
                     created_at, attempts, list_unsubscribe"#,
            lease_until,
            now,
        )
    )?;
    Ok(row.map(|r| open_stored(key, r)))
}

/// A stored message opened, or its id when it cannot be.
fn open_stored(key: &DataKey, r: StoredMail) -> Result<PendingMail, i64> {
    let opened = (|| {
        Ok::<_, CryptoError>(PendingMail {
            id: r.id,
            to_address: key.open(TO, &r.to_address)?,
            lang: r.lang,
            subject: r.subject,
            body_text: key.open(BODY, &r.body_text)?,
            created_at: r.created_at,
            attempts: r.attempts,
            list_unsubscribe: key.open_opt(LIST_UNSUBSCRIBE, r.list_unsubscribe.as_deref())?,
        })
    })();
    opened.map_err(|_| r.id)
}

/// Messages neither sent nor given up on whose next attempt is due at `now`,
/// the longest waiting first: each opened, or, when it cannot be (a damaged
/// row), its id, so that one bad message never holds up the others.
pub async fn due(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    now: i64,
    limit: i64,
) -> sqlx::Result<Vec<Result<PendingMail, i64>>> {
    let rows = run!(
        db,
        fetch_all,
        query_as!(StoredMail,
            sqlite: r#"SELECT id AS "id!", to_address, lang AS "lang: Lang", subject, body_text, created_at,
                  attempts,
                  list_unsubscribe
           FROM outbox
           WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?
           ORDER BY next_attempt_at, id
           LIMIT ?"#,
            postgres: r#"SELECT id, to_address, lang AS "lang: Lang", subject, body_text, created_at,
                  attempts,
                  list_unsubscribe
           FROM outbox
           WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1
           ORDER BY next_attempt_at, id
           LIMIT $2"#,
            now,
            limit,
        )
    )?;
    Ok(rows.into_iter().map(|r| open_stored(key, r)).collect())
}

/// When the next pending message is due, if there is one.
pub async fn next_due_at(db: impl Into<Exec<'_>>) -> sqlx::Result<Option<i64>> {
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"SELECT MIN(next_attempt_at) AS "at: i64"
           FROM outbox
           WHERE sent_at IS NULL AND failed_at IS NULL"#,
            postgres: r#"SELECT MIN(next_attempt_at) AS "at?: i64"
           FROM outbox
           WHERE sent_at IS NULL AND failed_at IS NULL"#,
        )
    )
}

/// The transport accepted the message. Not held to the lease: should it
/// have run out meanwhile, marking the message sent still spares it a
/// second copy from any worker that has not yet tried it.
pub async fn mark_sent(db: impl Into<Exec<'_>>, id: i64, now: i64) -> sqlx::Result<()> {
    run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE outbox SET attempts = attempts + 1, sent_at = ?, last_error = NULL
         WHERE id = ? AND sent_at IS NULL",
            postgres: "UPDATE outbox SET attempts = attempts + 1, sent_at = $1, last_error = NULL
         WHERE id = $2 AND sent_at IS NULL",
            now,
            id,
        )
    )?;
    Ok(())
}

/// An attempt failed; the next one is due at `retry_at`. `lease` is the
/// `lease_until` of this worker's [`claim`]: should the lease have run out
/// and another worker claimed the message since, nothing changes (this
/// worker must not push back the other's lease and let a third one in).
pub async fn mark_retry(
    db: impl Into<Exec<'_>>,
    id: i64,
    lease: i64,
    retry_at: i64,
    error: &str,
) -> sqlx::Result<()> {
    run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?
         WHERE id = ? AND sent_at IS NULL AND next_attempt_at = ?",
            postgres: "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $1, last_error = $2
         WHERE id = $3 AND sent_at IS NULL AND next_attempt_at = $4",
            retry_at,
            error,
            id,
            lease,
        )
    )?;
    Ok(())
}

/// An attempt failed and there will be no other; `lease` as for
/// [`mark_retry`], or `None` for a message never claimed (one that cannot
/// be opened).
pub async fn mark_failed(
    db: impl Into<Exec<'_>>,
    id: i64,
    lease: Option<i64>,
    now: i64,
    error: &str,
) -> sqlx::Result<()> {
    run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE outbox SET attempts = attempts + 1, failed_at = ?1, last_error = ?2
         WHERE id = ?3 AND sent_at IS NULL AND (?4 IS NULL OR next_attempt_at = ?4)",
            postgres: "UPDATE outbox SET attempts = attempts + 1, failed_at = $1, last_error = $2
         WHERE id = $3 AND sent_at IS NULL AND ($4::bigint IS NULL OR next_attempt_at = $4)",
            now,
            error,
            id,
            lease,
        )
    )?;
    Ok(())
}

/// Counts one confirmation email to the address whose lookup hash is
/// `address` on UTC day `day`; `false` (and nothing counted) once `cap` went
/// out that day.
pub async fn take_quota(
    db: impl Into<Exec<'_>>,
    address: &[u8],
    day: i64,
    cap: i64,
) -> sqlx::Result<bool> {
    let taken = run!(
        db,
        fetch_optional,
        query_scalar!(
            sqlite: r#"INSERT INTO mail_quota (address_lookup, day, sent) VALUES (?1, ?2, 1)
           ON CONFLICT (address_lookup, day) DO UPDATE SET sent = sent + 1 WHERE sent < ?3
           RETURNING sent AS "sent!: i64""#,
            // PostgreSQL: the existing row's `sent` named with its table (a
            // bare `sent` is ambiguous there beside `excluded.sent`).
            postgres: r#"INSERT INTO mail_quota (address_lookup, day, sent) VALUES ($1, $2, 1)
           ON CONFLICT (address_lookup, day)
           DO UPDATE SET sent = mail_quota.sent + 1 WHERE mail_quota.sent < $3
           RETURNING sent AS "sent!: i64""#,
            address,
            day,
            cap,
        )
    )?;
    Ok(taken.is_some())
}

/// Forgets the counts of days before `day`.
pub async fn delete_quota_before(db: impl Into<Exec<'_>>, day: i64) -> sqlx::Result<u64> {
    run!(
        db,
        execute,
        query!(
            sqlite: "DELETE FROM mail_quota WHERE day < ?",
            postgres: "DELETE FROM mail_quota WHERE day < $1",
            day,
        )
    )
}

/// Deletes the messages delivered, or given up on, before `before` (Unix
/// milliseconds): their addresses and bodies. Returns how many.
pub async fn delete_finished(db: impl Into<Exec<'_>>, before: i64) -> sqlx::Result<u64> {
    run!(
        db,
        execute,
        query!(
            sqlite: "DELETE FROM outbox WHERE (sent_at IS NOT NULL OR failed_at IS NOT NULL)
           AND coalesce(sent_at, failed_at) < ?",
            postgres: "DELETE FROM outbox WHERE (sent_at IS NOT NULL OR failed_at IS NOT NULL)
           AND coalesce(sent_at, failed_at) < $1",
            before,
        )
    )
}
