//! Queries on `bulletins`, their search index and their mailing
//! (`bulletin_deliveries`).

use super::backend::{Exec, postgres, run};
use crate::domain::Lang;

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

pub async fn insert(db: impl Into<Exec<'_>>, b: &NewBulletin<'_>) -> sqlx::Result<i64> {
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"INSERT INTO bulletins (number, slug, title_en, title_ar, summary_en, summary_ar,
               body_en, body_ar, html_en, html_ar, words_en, words_ar, sample, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?14, ?14)
           RETURNING id AS "id!: i64""#,
            postgres: r#"INSERT INTO bulletins (number, slug, title_en, title_ar, summary_en, summary_ar,
               body_en, body_ar, html_en, html_ar, words_en, words_ar, sample, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
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
    )
}

/// Saves the editor's content; `false` when there is no such issue.
pub async fn update(db: impl Into<Exec<'_>>, id: i64, b: &NewBulletin<'_>) -> sqlx::Result<bool> {
    let done = run!(
        db,
        execute,
        query!(
            sqlite: r#"UPDATE bulletins SET number = ?, slug = ?, title_en = ?, title_ar = ?, summary_en = ?,
               summary_ar = ?, body_en = ?, body_ar = ?, html_en = ?, html_ar = ?, words_en = ?,
               words_ar = ?, updated_at = ?
           WHERE id = ?"#,
            postgres: r#"UPDATE bulletins SET number = $1, slug = $2, title_en = $3, title_ar = $4,
               summary_en = $5, summary_ar = $6, body_en = $7, body_ar = $8, html_en = $9,
               html_ar = $10, words_en = $11, words_ar = $12, updated_at = $13
           WHERE id = $14"#,
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
    )?;
    Ok(done == 1)
}

/// Replaces one language's entry in the search index (`text` normalised).
pub async fn reindex(db: impl Into<Exec<'_>>, id: i64, lang: Lang, text: &str) -> sqlx::Result<()> {
    let mut db = db.into();
    run!(
        &mut db,
        execute,
        query!(
            sqlite: "DELETE FROM bulletins_search WHERE bulletin_id = ? AND lang = ?",
            postgres: "DELETE FROM bulletins_search WHERE bulletin_id = $1 AND lang = $2",
            id,
            lang as _
        )
    )?;
    if !text.is_empty() {
        // PostgreSQL derives the words (`tsvector`) from `text` itself.
        run!(
            &mut db,
            execute,
            query!(
                sqlite: "INSERT INTO bulletins_search (bulletin_id, lang, text) VALUES (?, ?, ?)",
                postgres: "INSERT INTO bulletins_search (bulletin_id, lang, text) VALUES ($1, $2, $3)",
                id,
                lang as _,
                text
            )
        )?;
    }
    Ok(())
}

pub async fn by_id(db: impl Into<Exec<'_>>, id: i64) -> sqlx::Result<Option<BulletinRow>> {
    run!(
        db,
        fetch_optional,
        query_as!(BulletinRow,
            sqlite: r#"SELECT id AS "id!", number, slug, title_en, title_ar, summary_en, summary_ar, body_en,
                  body_ar, html_en, html_ar, words_en, words_ar, sample AS "sample: bool",
                  published_at, first_published_at, mail_started_at, mail_done_at, updated_at
           FROM bulletins WHERE id = ?"#,
            postgres: r#"SELECT id, number, slug, title_en, title_ar, summary_en, summary_ar, body_en,
                  body_ar, html_en, html_ar, words_en, words_ar, sample,
                  published_at, first_published_at, mail_started_at, mail_done_at, updated_at
           FROM bulletins WHERE id = $1"#,
            id,
        )
    )
}

pub async fn published_by_slug(
    db: impl Into<Exec<'_>>,
    slug: &str,
) -> sqlx::Result<Option<BulletinRow>> {
    run!(
        db,
        fetch_optional,
        query_as!(BulletinRow,
            sqlite: r#"SELECT id AS "id!", number, slug, title_en, title_ar, summary_en, summary_ar, body_en,
                  body_ar, html_en, html_ar, words_en, words_ar, sample AS "sample: bool",
                  published_at, first_published_at, mail_started_at, mail_done_at, updated_at
           FROM bulletins WHERE slug = ? AND published_at IS NOT NULL"#,
            postgres: r#"SELECT id, number, slug, title_en, title_ar, summary_en, summary_ar, body_en,
                  body_ar, html_en, html_ar, words_en, words_ar, sample,
                  published_at, first_published_at, mail_started_at, mail_done_at, updated_at
           FROM bulletins WHERE slug = $1 AND published_at IS NOT NULL"#,
            slug,
        )
    )
}

/// Published issues, newest (highest number) first.
pub async fn published(db: impl Into<Exec<'_>>, limit: i64) -> sqlx::Result<Vec<BulletinListRow>> {
    run!(
        db,
        fetch_all,
        query_as!(BulletinListRow,
            sqlite: r#"SELECT id AS "id!", number, slug, title_en, title_ar, summary_en, summary_ar,
                  words_en, words_ar, sample AS "sample: bool", published_at,
                  first_published_at, updated_at
           FROM bulletins WHERE published_at IS NOT NULL
           ORDER BY number DESC LIMIT ?"#,
            postgres: r#"SELECT id, number, slug, title_en, title_ar, summary_en, summary_ar,
                  words_en, words_ar, sample, published_at,
                  first_published_at, updated_at
           FROM bulletins WHERE published_at IS NOT NULL
           ORDER BY number DESC LIMIT $1"#,
            limit,
        )
    )
}

/// Every issue, drafts included, newest first (the editor's list).
pub async fn all(db: impl Into<Exec<'_>>) -> sqlx::Result<Vec<BulletinListRow>> {
    run!(
        db,
        fetch_all,
        query_as!(BulletinListRow,
            sqlite: r#"SELECT id AS "id!", number, slug, title_en, title_ar, summary_en, summary_ar,
                  words_en, words_ar, sample AS "sample: bool", published_at,
                  first_published_at, updated_at
           FROM bulletins ORDER BY number DESC"#,
            postgres: r#"SELECT id, number, slug, title_en, title_ar, summary_en, summary_ar,
                  words_en, words_ar, sample, published_at,
                  first_published_at, updated_at
           FROM bulletins ORDER BY number DESC"#,
        )
    )
}

/// The published issues just before and after `number`: (slug, number,
/// title_en, title_ar).
pub async fn neighbours(
    db: impl Into<Exec<'_>>,
    number: i64,
) -> sqlx::Result<(Option<BulletinListRow>, Option<BulletinListRow>)> {
    let mut db = db.into();
    let previous = run!(
        &mut db,
        fetch_optional,
        query_as!(BulletinListRow,
            sqlite: r#"SELECT id AS "id!", number, slug, title_en, title_ar, summary_en, summary_ar,
                  words_en, words_ar, sample AS "sample: bool", published_at,
                  first_published_at, updated_at
           FROM bulletins WHERE published_at IS NOT NULL AND number < ?
           ORDER BY number DESC LIMIT 1"#,
            postgres: r#"SELECT id, number, slug, title_en, title_ar, summary_en, summary_ar,
                  words_en, words_ar, sample, published_at,
                  first_published_at, updated_at
           FROM bulletins WHERE published_at IS NOT NULL AND number < $1
           ORDER BY number DESC LIMIT 1"#,
            number,
        )
    )?;
    let next = run!(
        &mut db,
        fetch_optional,
        query_as!(BulletinListRow,
            sqlite: r#"SELECT id AS "id!", number, slug, title_en, title_ar, summary_en, summary_ar,
                  words_en, words_ar, sample AS "sample: bool", published_at,
                  first_published_at, updated_at
           FROM bulletins WHERE published_at IS NOT NULL AND number > ?
           ORDER BY number ASC LIMIT 1"#,
            postgres: r#"SELECT id, number, slug, title_en, title_ar, summary_en, summary_ar,
                  words_en, words_ar, sample, published_at,
                  first_published_at, updated_at
           FROM bulletins WHERE published_at IS NOT NULL AND number > $1
           ORDER BY number ASC LIMIT 1"#,
            number,
        )
    )?;
    Ok((previous, next))
}

/// Published issues whose index matches an FTS5 query, best first (ids).
/// On PostgreSQL the same query runs as a `tsquery` (see `tsquery`).
pub async fn search(
    db: impl Into<Exec<'_>>,
    fts_query: &str,
    limit: i64,
) -> sqlx::Result<Vec<i64>> {
    match db.into() {
        // A virtual table: checked at run time (sqlx cannot describe FTS5 ranks).
        Exec::Sqlite(on) => {
            sqlx::query_scalar::<_, i64>(
                "SELECT b.id FROM bulletins_search s JOIN bulletins b ON b.id = s.bulletin_id
         WHERE bulletins_search MATCH ? AND b.published_at IS NOT NULL
         GROUP BY b.id ORDER BY MIN(s.rank), b.number DESC LIMIT ?",
            )
            .bind(fts_query)
            .bind(limit)
            .fetch_all(on)
            .await
        }
        // A plain table with the words as a `tsvector`; the best rank is the
        // highest (FTS5's is the lowest).
        Exec::Postgres(on) => postgres!(
            on,
            sqlx::query_scalar!(
                r#"SELECT b.id AS "id!" FROM bulletins_search s
               JOIN bulletins b ON b.id = s.bulletin_id
               CROSS JOIN to_tsquery('simple', $1) AS q
           WHERE s.words @@ q AND b.published_at IS NOT NULL
           GROUP BY b.id ORDER BY MAX(ts_rank(s.words, q)) DESC, b.number DESC LIMIT $2"#,
                tsquery(fts_query),
                limit,
            )
            .fetch_all(on)
            .await
        ),
    }
}

/// The `tsquery` text (for `to_tsquery('simple', …)`) of an FTS5 query as
/// `server::bulletins::fts_query` writes it: quoted or bare words, `*` after
/// a word for a prefix (`:*`), and `AND` (or nothing), `OR` and `NOT` between
/// words (`&`, `|`, `& !`: the same precedence). Each word goes in quoted,
/// so no typed text is read as `tsquery` syntax; any other FTS5 syntax only
/// separates words, and an operator without a word on each side is dropped.
#[cfg_attr(feature = "prepare-sqlite", allow(dead_code))]
fn tsquery(fts: &str) -> String {
    // FTS5's bareword characters.
    let bare = |c: &char| c.is_ascii_alphanumeric() || *c == '_' || !c.is_ascii();
    let mut out = String::new();
    let mut operator = " & ";
    let mut chars = fts.chars().peekable();
    while let Some(c) = chars.next() {
        let word = if c == '"' {
            // A string; `""` in it is one `"`.
            let mut word = String::new();
            while let Some(c) = chars.next() {
                if c != '"' {
                    word.push(c);
                } else if chars.next_if_eq(&'"').is_some() {
                    word.push('"');
                } else {
                    break;
                }
            }
            word
        } else if bare(&c) {
            let mut word = String::from(c);
            while let Some(c) = chars.next_if(bare) {
                word.push(c);
            }
            let named = match word.as_str() {
                "AND" => Some(" & "),
                "OR" => Some(" | "),
                "NOT" => Some(" & !"),
                _ => None,
            };
            if let Some(named) = named {
                operator = named;
                continue;
            }
            word
        } else {
            continue;
        };
        let prefix = chars.next_if_eq(&'*').is_some();
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str(operator);
        }
        operator = " & ";
        out.push('\'');
        for c in word.chars() {
            if matches!(c, '\'' | '\\') {
                out.push(c);
            }
            out.push(c);
        }
        out.push('\'');
        if prefix {
            out.push_str(":*");
        }
    }
    out
}

pub async fn next_number(db: impl Into<Exec<'_>>) -> sqlx::Result<i64> {
    // The texts differ (`max`) only so that each has its own compile-time data.
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"SELECT COALESCE(MAX(number), 0) + 1 AS "n!: i64" FROM bulletins"#,
            postgres: r#"SELECT COALESCE(max(number), 0) + 1 AS "n!: i64" FROM bulletins"#,
        )
    )
}

/// Publishes an issue. The first publication starts its mailing (samples
/// are never mailed). `false` when there is no such issue.
pub async fn publish(db: impl Into<Exec<'_>>, id: i64, now: i64) -> sqlx::Result<bool> {
    let done = run!(
        db,
        execute,
        query!(
            sqlite: r#"UPDATE bulletins SET
               published_at = COALESCE(published_at, ?1),
               first_published_at = COALESCE(first_published_at, ?1),
               mail_started_at = CASE WHEN sample = 1 THEN mail_started_at
                                      ELSE COALESCE(mail_started_at, ?1) END,
               updated_at = ?1
           WHERE id = ?2"#,
            postgres: r#"UPDATE bulletins SET
               published_at = COALESCE(published_at, $1),
               first_published_at = COALESCE(first_published_at, $1),
               mail_started_at = CASE WHEN sample THEN mail_started_at
                                      ELSE COALESCE(mail_started_at, $1) END,
               updated_at = $1
           WHERE id = $2"#,
            now,
            id,
        )
    )?;
    Ok(done == 1)
}

/// Back to draft (its mailing pauses; publishing again resumes it).
pub async fn unpublish(db: impl Into<Exec<'_>>, id: i64, now: i64) -> sqlx::Result<bool> {
    let done = run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE bulletins SET published_at = NULL, updated_at = ? WHERE id = ?",
            postgres: "UPDATE bulletins SET published_at = NULL, updated_at = $1 WHERE id = $2",
            now,
            id,
        )
    )?;
    Ok(done == 1)
}

/// A published issue whose mailing has begun and not finished:
/// (id, mail_started_at).
pub async fn mailing_due(db: impl Into<Exec<'_>>) -> sqlx::Result<Option<(i64, i64)>> {
    let row = run!(
        db,
        fetch_optional,
        query_as!(Due,
            sqlite: r#"SELECT id AS "id!: i64", mail_started_at AS "started!: i64" FROM bulletins
           WHERE published_at IS NOT NULL AND mail_started_at IS NOT NULL
             AND mail_done_at IS NULL
           ORDER BY number LIMIT 1"#,
            postgres: r#"SELECT id, mail_started_at AS "started!" FROM bulletins
           WHERE published_at IS NOT NULL AND mail_started_at IS NOT NULL
             AND mail_done_at IS NULL
           ORDER BY number LIMIT 1"#,
        )
    )?;
    Ok(row.map(|r| (r.id, r.started)))
}

/// An issue whose mailing is under way.
struct Due {
    id: i64,
    started: i64,
}

/// A subscriber still to be sent an issue.
#[derive(Clone)]
pub struct Recipient {
    pub id: i64,
    pub email: String,
    pub lang: Lang,
}

/// A recipient as stored: the email sealed.
struct StoredRecipient {
    id: i64,
    email: Vec<u8>,
    lang: Lang,
}

/// Up to `limit` subscribers confirmed by `started` who have not been sent
/// issue `id`, in order.
pub async fn recipients(
    db: impl Into<Exec<'_>>,
    key: &crate::server::crypto::DataKey,
    id: i64,
    started: i64,
    limit: i64,
) -> sqlx::Result<Vec<Recipient>> {
    let rows = run!(
        db,
        fetch_all,
        query_as!(StoredRecipient,
            sqlite: r#"SELECT s.id AS "id!", s.email, s.lang AS "lang: Lang" FROM subscribers s
           WHERE s.confirmed_at IS NOT NULL AND s.confirmed_at <= ?
             AND NOT EXISTS (SELECT 1 FROM bulletin_deliveries d
                             WHERE d.bulletin_id = ? AND d.subscriber_id = s.id)
           ORDER BY s.id LIMIT ?"#,
            postgres: r#"SELECT s.id, s.email, s.lang AS "lang: Lang" FROM subscribers s
           WHERE s.confirmed_at IS NOT NULL AND s.confirmed_at <= $1
             AND NOT EXISTS (SELECT 1 FROM bulletin_deliveries d
                             WHERE d.bulletin_id = $2 AND d.subscriber_id = s.id)
           ORDER BY s.id LIMIT $3"#,
            started,
            id,
            limit,
        )
    )?;
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
    db: impl Into<Exec<'_>>,
    bulletin_id: i64,
    subscriber_id: i64,
    outbox_id: i64,
    unsubscribe_hash: &[u8],
    now: i64,
) -> sqlx::Result<()> {
    run!(
        db,
        execute,
        query!(
            sqlite: "INSERT INTO bulletin_deliveries (bulletin_id, subscriber_id, outbox_id, unsubscribe_hash, created_at)
             VALUES (?, ?, ?, ?, ?)",
            postgres: "INSERT INTO bulletin_deliveries (bulletin_id, subscriber_id, outbox_id, unsubscribe_hash, created_at)
             VALUES ($1, $2, $3, $4, $5)",
            bulletin_id,
            subscriber_id,
            outbox_id,
            unsubscribe_hash,
            now,
        )
    )?;
    Ok(())
}

pub async fn mailing_done(db: impl Into<Exec<'_>>, id: i64, now: i64) -> sqlx::Result<()> {
    run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE bulletins SET mail_done_at = ? WHERE id = ? AND mail_done_at IS NULL",
            postgres: "UPDATE bulletins SET mail_done_at = $1 WHERE id = $2 AND mail_done_at IS NULL",
            now,
            id
        )
    )?;
    Ok(())
}

/// How many copies of issue `id` have been queued.
pub async fn deliveries(db: impl Into<Exec<'_>>, id: i64) -> sqlx::Result<i64> {
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"SELECT COUNT(*) AS "n!: i64" FROM bulletin_deliveries WHERE bulletin_id = ?"#,
            postgres: r#"SELECT COUNT(*) AS "n!: i64" FROM bulletin_deliveries WHERE bulletin_id = $1"#,
            id
        )
    )
}
