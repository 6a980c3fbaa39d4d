//! The bulletin on the server: the archive, search and reader data, the
//! Atom feeds, the admins' editor (save, preview, publish, unpublish; every
//! change audited), and the mailing of a published issue to the list.

pub mod atom;
pub mod http;
pub mod mailing;
pub mod pages;

use std::collections::BTreeMap;

use crate::domain::bulletin::{BulletinForm, reading_minutes, word_count};
use crate::domain::search::{index_text, query_words};
use crate::domain::{FieldError, Lang};
use crate::dto::bulletins::BulletinCard;
use crate::error::AppError;
use crate::server::db::Tx;
use crate::server::db::audit::{self, Actor, AuditAction};
use crate::server::db::bulletins::{self as rows, BulletinListRow, BulletinRow, NewBulletin};
use crate::server::db::signals::Signal;
use crate::server::{AppState, format, markdown};

const ARCHIVE_LIMIT: i64 = 500;
const SEARCH_LIMIT: i64 = 50;
const FEED_LIMIT: i64 = 50;
/// The longest search we read.
const MAX_QUERY: usize = 200;

fn date_of(lang: Lang, unix: i64) -> (String, String) {
    let zoned = format::zoned(unix, &jiff::tz::TimeZone::UTC);
    (format::date(lang, zoned.date()), zoned.date().to_string())
}

/// `lang`'s version of a list row, or the other language's when it has none.
fn card(lang: Lang, row: &BulletinListRow) -> BulletinCard {
    let shown = if pick(lang, &row.title_en, &row.title_ar).is_empty() {
        lang.other()
    } else {
        lang
    };
    let (title, summary, words) = match shown {
        Lang::En => (&row.title_en, &row.summary_en, row.words_en),
        Lang::Ar => (&row.title_ar, &row.summary_ar, row.words_ar),
    };
    let (date, date_iso) = date_of(
        lang,
        row.first_published_at
            .or(row.published_at)
            .unwrap_or(row.updated_at),
    );
    BulletinCard {
        number: row.number,
        slug: row.slug.clone(),
        lang: shown,
        title: title.clone(),
        summary: summary.clone(),
        date,
        date_iso,
        minutes: reading_minutes(words),
        sample: row.sample,
    }
}

/// `lang`'s text exactly (empty when missing).
fn pick<'a>(lang: Lang, en: &'a str, ar: &'a str) -> &'a str {
    match lang {
        Lang::En => en,
        Lang::Ar => ar,
    }
}

fn list_row(row: &BulletinRow) -> BulletinListRow {
    BulletinListRow {
        id: row.id,
        number: row.number,
        slug: row.slug.clone(),
        title_en: row.title_en.clone(),
        title_ar: row.title_ar.clone(),
        summary_en: row.summary_en.clone(),
        summary_ar: row.summary_ar.clone(),
        words_en: row.words_en,
        words_ar: row.words_ar,
        sample: row.sample,
        published_at: row.published_at,
        first_published_at: row.first_published_at,
        updated_at: row.updated_at,
    }
}

/// An FTS5 query from what a reader typed: each word normalised as the
/// index was ([`query_words`], [`index_text`]) and quoted, as a prefix; all
/// must match.
pub fn fts_query(typed: &str) -> Option<String> {
    let terms: Vec<String> = query_words(typed)
        .into_iter()
        .take(12)
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// Saves an issue (new when `id` is `None`), rendering both bodies and
/// reindexing both languages, in `tx`. Field errors for a number or slug
/// already taken.
pub async fn store(
    tx: &mut Tx,
    id: Option<i64>,
    form: &BulletinForm,
    sample: bool,
    now: i64,
) -> Result<Result<i64, BTreeMap<String, FieldError>>, AppError> {
    let html_en = markdown::render(&form.en.body);
    let html_ar = markdown::render(&form.ar.body);
    let text_en = markdown::plain_text(&form.en.body);
    let text_ar = markdown::plain_text(&form.ar.body);
    let new = NewBulletin {
        number: form.number,
        slug: form.slug.as_str(),
        title_en: &form.en.title,
        title_ar: &form.ar.title,
        summary_en: &form.en.summary,
        summary_ar: &form.ar.summary,
        body_en: &form.en.body,
        body_ar: &form.ar.body,
        html_en: &html_en,
        html_ar: &html_ar,
        words_en: word_count(&text_en),
        words_ar: word_count(&text_ar),
        sample,
        now,
    };
    let saved = match id {
        None => rows::insert(&mut *tx, &new).await.map(Some),
        Some(id) => rows::update(&mut *tx, id, &new)
            .await
            .map(|found| found.then_some(id)),
    };
    let id = match saved {
        Ok(Some(id)) => id,
        Ok(None) => return Err(AppError::NotFound),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            let field = if e.message().contains("slug") {
                "slug"
            } else {
                "number"
            };
            return Ok(Err(BTreeMap::from([(field.to_owned(), FieldError::Taken)])));
        }
        Err(e) => return Err(e.into()),
    };
    for (lang, version, text) in [
        (Lang::En, &form.en, &text_en),
        (Lang::Ar, &form.ar, &text_ar),
    ] {
        let indexed = if version.exists() {
            index_text(&format!("{} {} {}", version.title, version.summary, text))
        } else {
            String::new()
        };
        rows::reindex(&mut *tx, id, lang, &indexed).await?;
    }
    Ok(Ok(id))
}

/// Back to draft, audited.
async fn unpublish(state: &AppState, staff_id: i64, id: i64, now: i64) -> Result<bool, AppError> {
    let mut tx = state.db.begin_write().await?;
    if !rows::unpublish(&mut tx, id, now).await? {
        return Ok(false);
    }
    audit::record(
        &mut tx,
        &state.key,
        Actor::Staff(staff_id),
        AuditAction::BulletinUnpublished { bulletin: id },
        now,
    )
    .await?;
    state.live.announce(&mut tx, Signal::Bulletins).await?;
    tx.commit().await?;
    state.live.signal(Signal::Bulletins);
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_terms_are_normalised_quoted_prefixes() {
        assert_eq!(fts_query("المُساءَلة"), Some("\"مساءله\"*".to_owned()));
        assert_eq!(
            fts_query("Gender \"strategy\" OR x*"),
            Some("\"gender\"* \"strategy\"* \"or\"* \"x\"*".to_owned())
        );
        assert_eq!(fts_query("  \" * ( ) "), None);
    }
}
