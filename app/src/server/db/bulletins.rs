//! Queries on `bulletins`, their search index and their mailing
//! (`bulletin_deliveries`).

use crate::domain::Lang;
use sqlx::{SqliteConnection, SqliteExecutor, SqlitePool};

/// An issue as saved from the editor: Markdown and its rendering.
pub struct NewBulletin<'a> {
    pub number: i64,
    pub slug: &'a str,
    pub title_en: &'a str,
    pub title_ar: &'a str,
    pub summary_en: &'a str,
    pub summary_ar: &'a str,
    pub body_en: &'a str,
    pub body_ar: &'a str,
    pub html_en: &'a str,
    pub html_ar: &'a str,
    pub words_en: i64,
    pub words_ar: i64,
    pub sample: bool,
    pub now: i64,
}

#[derive(Debug, Clone)]
pub struct BulletinRow {
    pub id: i64,
    pub number: i64,
    pub slug: String,
    pub title_en: String,
    pub title_ar: String,
    pub summary_en: String,
    pub summary_ar: String,
    pub body_en: String,
    pub body_ar: String,
    pub html_en: String,
    pub html_ar: String,
    pub words_en: i64,
    pub words_ar: i64,
    pub sample: bool,
    pub published_at: Option<i64>,
    pub first_published_at: Option<i64>,
    pub mail_started_at: Option<i64>,
    pub mail_done_at: Option<i64>,
    pub updated_at: i64,
}

/// An issue in a list (no bodies).
#[derive(Debug, Clone)]
pub struct BulletinListRow {
    pub id: i64,
    pub number: i64,
    pub slug: String,
    pub title_en: String,
    pub title_ar: String,
    pub summary_en: String,
    pub summary_ar: String,
    pub words_en: i64,
    pub words_ar: i64,
    pub sample: bool,
    pub published_at: Option<i64>,
    pub first_published_at: Option<i64>,
    pub updated_at: i64,
}

pub async fn insert(db: impl SqliteExecutor<'_>, b: &NewBulletin<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"INSERT INTO bulletins (number, slug, title_en, title_ar, summary_en, summary_ar,
               body_en, body_ar, html_en, html_ar, words_en, words_ar, sample, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?14, ?14)
           RETURNING id AS "id!: i64""#,
        b.number,
        b.slug,
        b.title_en,
        b.title_ar,
        b.summary_en,
        b.summary_ar,
        b.body_en,
        b.body_ar,
        b.html_en,
        b.html_ar,
        b.words_en,
        b.words_ar,
        b.sample,
        b.now,
    )
    .fetch_one(db)
    .await
}

/// Saves the editor's content; `false` when there is no such issue.
pub async fn update(
    db: impl SqliteExecutor<'_>,
    id: i64,
    b: &NewBulletin<'_>,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        r#"UPDATE bulletins SET number = ?, slug = ?, title_en = ?, title_ar = ?, summary_en = ?,
               summary_ar = ?, body_en = ?, body_ar = ?, html_en = ?, html_ar = ?, words_en = ?,
               words_ar = ?, updated_at = ?
           WHERE id = ?"#,
        b.number,
        b.slug,
        b.title_en,
        b.title_ar,
        b.summary_en,
        b.summary_ar,
        b.body_en,
        b.body_ar,
        b.html_en,
        b.html_ar,
        b.words_en,
        b.words_ar,
        b.now,
        id,
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces one language's entry in the search index (`text` normalised).
pub async fn reindex(
    db: &mut SqliteConnection,
    id: i64,
    lang: Lang,
    text: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "DELETE FROM bulletins_search WHERE bulletin_id = ? AND lang = ?",
        id,
        lang
    )
    .execute(&mut *db)
    .await?;
    if !text.is_empty() {
        sqlx::query!(
            "INSERT INTO bulletins_search (bulletin_id, lang, text) VALUES (?, ?, ?)",
            id,
            lang,
            text
        )
        .execute(&mut *db)
        .await?;
    }
    Ok(())
}

pub async fn by_id(pool: &SqlitePool, id: i64) -> sqlx::Result<Option<BulletinRow>> {
    sqlx::query_as!(
        BulletinRow,
        r#"SELECT id AS "id!", number, slug, title_en, title_ar, summary_en, summary_ar, body_en,
                  body_ar, html_en, html_ar, words_en, words_ar, sample AS "sample: bool",
                  published_at, first_published_at, mail_started_at, mail_done_at, updated_at
           FROM bulletins WHERE id = ?"#,
        id,
    )
    .fetch_optional(pool)
    .await
}

pub async fn published_by_slug(pool: &SqlitePool, slug: &str) -> sqlx::Result<Option<BulletinRow>> {
    sqlx::query_as!(
        BulletinRow,
        r#"SELECT id AS "id!", number, slug, title_en, title_ar, summary_en, summary_ar, body_en,
                  body_ar, html_en, html_ar, words_en, words_ar, sample AS "sample: bool",
                  published_at, first_published_at, mail_started_at, mail_done_at, updated_at
           FROM bulletins WHERE slug = ? AND published_at IS NOT NULL"#,
        slug,
    )
    .fetch_optional(pool)
    .await
}

/// Published issues, newest (highest number) first.
pub async fn published(pool: &SqlitePool, limit: i64) -> sqlx::Result<Vec<BulletinListRow>> {
    sqlx::query_as!(
        BulletinListRow,
        r#"SELECT id AS "id!", number, slug, title_en, title_ar, summary_en, summary_ar,
                  words_en, words_ar, sample AS "sample: bool", published_at,
                  first_published_at, updated_at
           FROM bulletins WHERE published_at IS NOT NULL
           ORDER BY number DESC LIMIT ?"#,
        limit,
    )
    .fetch_all(pool)
    .await
}

/// Every issue, drafts included, newest first (the editor's list).
pub async fn all(pool: &SqlitePool) -> sqlx::Result<Vec<BulletinListRow>> {
    sqlx::query_as!(
        BulletinListRow,
        r#"SELECT id AS "id!", number, slug, title_en, title_ar, summary_en, summary_ar,
                  words_en, words_ar, sample AS "sample: bool", published_at,
                  first_published_at, updated_at
           FROM bulletins ORDER BY number DESC"#,
    )
    .fetch_all(pool)
    .await
}

/// The published issues just before and after `number`: (slug, number,
/// title_en, title_ar).
pub async fn neighbours(
    pool: &SqlitePool,
    number: i64,
) -> sqlx::Result<(Option<BulletinListRow>, Option<BulletinListRow>)> {
    let previous = sqlx::query_as!(
        BulletinListRow,
        r#"SELECT id AS "id!", number, slug, title_en, title_ar, summary_en, summary_ar,
                  words_en, words_ar, sample AS "sample: bool", published_at,
                  first_published_at, updated_at
           FROM bulletins WHERE published_at IS NOT NULL AND number < ?
           ORDER BY number DESC LIMIT 1"#,
        number,
    )
    .fetch_optional(pool)
    .await?;
    let next = sqlx::query_as!(
        BulletinListRow,
        r#"SELECT id AS "id!", number, slug, title_en, title_ar, summary_en, summary_ar,
                  words_en, words_ar, sample AS "sample: bool", published_at,
                  first_published_at, updated_at
           FROM bulletins WHERE published_at IS NOT NULL AND number > ?
           ORDER BY number ASC LIMIT 1"#,
        number,
    )
    .fetch_optional(pool)
    .await?;
    Ok((previous, next))
}

/// Published issues whose index matches an FTS5 query, best first (ids).
pub async fn search(pool: &SqlitePool, fts_query: &str, limit: i64) -> sqlx::Result<Vec<i64>> {
    // A virtual table: checked at run time (sqlx cannot describe FTS5 ranks).
    sqlx::query_scalar::<_, i64>(
        "SELECT b.id FROM bulletins_search s JOIN bulletins b ON b.id = s.bulletin_id
         WHERE bulletins_search MATCH ? AND b.published_at IS NOT NULL
         GROUP BY b.id ORDER BY MIN(s.rank), b.number DESC LIMIT ?",
    )
    .bind(fts_query)
    .bind(limit)
    .fetch_all(pool)
    .await
}

pub async fn next_number(pool: &SqlitePool) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"SELECT COALESCE(MAX(number), 0) + 1 AS "n!: i64" FROM bulletins"#)
        .fetch_one(pool)
        .await
}

/// Publishes an issue. The first publication starts its mailing (samples
/// are never mailed). `false` when there is no such issue.
pub async fn publish(db: impl SqliteExecutor<'_>, id: i64, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        r#"UPDATE bulletins SET
               published_at = COALESCE(published_at, ?1),
               first_published_at = COALESCE(first_published_at, ?1),
               mail_started_at = CASE WHEN sample = 1 THEN mail_started_at
                                      ELSE COALESCE(mail_started_at, ?1) END,
               updated_at = ?1
           WHERE id = ?2"#,
        now,
        id,
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Back to draft (its mailing pauses; publishing again resumes it).
pub async fn unpublish(db: impl SqliteExecutor<'_>, id: i64, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "UPDATE bulletins SET published_at = NULL, updated_at = ? WHERE id = ?",
        now,
        id,
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A published issue whose mailing has begun and not finished:
/// (id, mail_started_at).
pub async fn mailing_due(db: impl SqliteExecutor<'_>) -> sqlx::Result<Option<(i64, i64)>> {
    let row = sqlx::query!(
        r#"SELECT id AS "id!: i64", mail_started_at AS "started!: i64" FROM bulletins
           WHERE published_at IS NOT NULL AND mail_started_at IS NOT NULL
             AND mail_done_at IS NULL
           ORDER BY number LIMIT 1"#
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.id, r.started)))
}

/// A subscriber still to be sent an issue.
#[derive(Clone)]
pub struct Recipient {
    pub id: i64,
    pub email: String,
    pub lang: Lang,
}

/// Up to `limit` subscribers confirmed by `started` who have not been sent
/// issue `id`, in order.
pub async fn recipients(
    db: impl SqliteExecutor<'_>,
    key: &crate::server::crypto::DataKey,
    id: i64,
    started: i64,
    limit: i64,
) -> sqlx::Result<Vec<Recipient>> {
    let rows = sqlx::query!(
        r#"SELECT s.id AS "id!", s.email, s.lang AS "lang: Lang" FROM subscribers s
           WHERE s.confirmed_at IS NOT NULL AND s.confirmed_at <= ?
             AND NOT EXISTS (SELECT 1 FROM bulletin_deliveries d
                             WHERE d.bulletin_id = ? AND d.subscriber_id = s.id)
           ORDER BY s.id LIMIT ?"#,
        started,
        id,
        limit,
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Recipient {
                id: r.id,
                email: key.open(crate::server::crypto::SUBSCRIBER_EMAIL, &r.email)?,
                lang: r.lang,
            })
        })
        .collect()
}

/// Records that issue `bulletin_id` was queued for `subscriber_id`. The
/// UNIQUE constraint refuses a second time.
pub async fn insert_delivery(
    db: impl SqliteExecutor<'_>,
    bulletin_id: i64,
    subscriber_id: i64,
    outbox_id: i64,
    unsubscribe_hash: &[u8],
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO bulletin_deliveries (bulletin_id, subscriber_id, outbox_id, unsubscribe_hash, created_at)
         VALUES (?, ?, ?, ?, ?)",
        bulletin_id,
        subscriber_id,
        outbox_id,
        unsubscribe_hash,
        now,
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn mailing_done(db: impl SqliteExecutor<'_>, id: i64, now: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE bulletins SET mail_done_at = ? WHERE id = ? AND mail_done_at IS NULL",
        now,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// How many copies of issue `id` have been queued.
pub async fn deliveries(pool: &SqlitePool, id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM bulletin_deliveries WHERE bulletin_id = ?"#,
        id
    )
    .fetch_one(pool)
    .await
}
