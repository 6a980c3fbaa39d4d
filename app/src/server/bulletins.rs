//! The bulletin on the server: the archive, search and reader data, the
//! Atom feeds, the admins' editor (save, preview, publish, unpublish; every
//! change audited), and the mailing of a published issue to the list.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::auth::{RequireAdmin, require_staff};
use super::db::audit::{self, Actor, Entry};
use super::db::bulletins::{self as rows, BulletinListRow, BulletinRow, NewBulletin};
use super::forms::{Params, PostedForm, render_again, see_other};
use super::mail::{self, Outgoing};
use super::token::Token;
use super::{AppState, db, format, markdown};
use crate::api::bulletins::{
    Archive, BulletinCard, BulletinIssue, Neighbour, StaffBulletinEdit, StaffBulletinItem,
    StaffBulletinList,
};
use crate::domain::bulletin::{BulletinForm, reading_minutes, word_count};
use crate::domain::form::FormError;
use crate::domain::search::{index_text, query_words};
use crate::domain::{BulletinSlug, FieldError, Lang, Role};
use crate::error::AppError;

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

pub async fn archive(lang: Lang, query: Option<String>) -> Result<Archive, AppError> {
    let state = AppState::current()?;
    let query = query
        .map(|q| q.trim().chars().take(MAX_QUERY).collect::<String>())
        .filter(|q| !q.is_empty());
    let rows = match query.as_deref().map(fts_query) {
        None => rows::published(&state.pool, ARCHIVE_LIMIT).await?,
        Some(None) => Vec::new(),
        Some(Some(fts)) => {
            let ids = rows::search(&state.pool, &fts, SEARCH_LIMIT).await?;
            let all = rows::published(&state.pool, ARCHIVE_LIMIT).await?;
            ids.iter()
                .filter_map(|id| all.iter().find(|r| r.id == *id).cloned())
                .collect()
        }
    };
    Ok(Archive {
        query,
        items: rows.iter().map(|r| card(lang, r)).collect(),
    })
}

pub async fn latest(lang: Lang) -> Result<Option<BulletinCard>, AppError> {
    let state = AppState::current()?;
    Ok(rows::published(&state.pool, 1)
        .await?
        .first()
        .map(|r| card(lang, r)))
}

pub async fn issue(lang: Lang, slug: &str) -> Result<BulletinIssue, AppError> {
    let slug = BulletinSlug::parse(slug).ok_or(AppError::NotFound)?;
    let state = AppState::current()?;
    let row = rows::published_by_slug(&state.pool, slug.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    let shown = card(lang, &list_row(&row));
    let html = (shown.lang == lang).then(|| pick(lang, &row.html_en, &row.html_ar).to_owned());
    let (previous, next) = rows::neighbours(&state.pool, row.number).await?;
    let neighbour = |r: BulletinListRow| {
        let c = card(lang, &r);
        Neighbour {
            number: c.number,
            slug: c.slug,
            lang: c.lang,
            title: c.title,
        }
    };
    Ok(BulletinIssue {
        card: shown,
        html,
        previous: previous.map(neighbour),
        next: next.map(neighbour),
    })
}

pub async fn staff_list(lang: Lang) -> Result<StaffBulletinList, AppError> {
    let viewer = require_staff(Role::Admin).await?;
    let state = AppState::current()?;
    let mut items = Vec::new();
    for row in rows::all(&state.pool).await? {
        let sent = rows::deliveries(&state.pool, row.id).await?;
        items.push(StaffBulletinItem {
            id: row.id,
            number: row.number,
            slug: row.slug,
            title_en: row.title_en,
            title_ar: row.title_ar,
            published: row.published_at.is_some(),
            sample: row.sample,
            updated: date_of(lang, row.updated_at).0,
            sent,
        });
    }
    Ok(StaffBulletinList {
        viewer,
        items,
        subscribers: db::subscribers::confirmed_count(&state.pool).await?,
    })
}

pub async fn staff_one(id: Option<i64>) -> Result<StaffBulletinEdit, AppError> {
    let viewer = require_staff(Role::Admin).await?;
    let state = AppState::current()?;
    let Some(id) = id else {
        let number = rows::next_number(&state.pool).await?;
        return Ok(StaffBulletinEdit {
            viewer,
            id: None,
            values: BTreeMap::from([
                ("number".to_owned(), number.to_string()),
                ("slug".to_owned(), format!("issue-{number}")),
            ]),
            published: false,
            sample: false,
            html_en: String::new(),
            html_ar: String::new(),
        });
    };
    let row = rows::by_id(&state.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let values = BTreeMap::from([
        ("number".to_owned(), row.number.to_string()),
        ("slug".to_owned(), row.slug.clone()),
        ("title_en".to_owned(), row.title_en.clone()),
        ("title_ar".to_owned(), row.title_ar.clone()),
        ("summary_en".to_owned(), row.summary_en.clone()),
        ("summary_ar".to_owned(), row.summary_ar.clone()),
        ("body_en".to_owned(), row.body_en.clone()),
        ("body_ar".to_owned(), row.body_ar.clone()),
    ]);
    Ok(StaffBulletinEdit {
        viewer,
        id: Some(row.id),
        values,
        published: row.published_at.is_some(),
        sample: row.sample,
        html_en: row.html_en,
        html_ar: row.html_ar,
    })
}

/// Saves an issue (new when `id` is `None`), rendering both bodies and
/// reindexing both languages, in `tx`. Field errors for a number or slug
/// already taken.
pub async fn store(
    tx: &mut sqlx::SqliteConnection,
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
        rows::reindex(&mut *tx, id, lang.code(), &indexed).await?;
    }
    Ok(Ok(id))
}

/// `POST /{lang}/staff/bulletins/new` and `POST /{lang}/staff/bulletins/{id}`:
/// the editor's buttons (`action` = `save`, `preview`, `publish`, `unpublish`).
pub async fn edit_post(
    State(state): State<AppState>,
    Path(params): Path<std::collections::HashMap<String, String>>,
    RequireAdmin(admin): RequireAdmin,
    form: PostedForm,
) -> Response {
    let Some(lang) = params.get("lang").and_then(|l| Lang::parse(l)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let id = match params.get("id").map(|id| id.parse::<i64>()) {
        None => None,
        Some(Ok(id)) => Some(id),
        Some(Err(_)) => return StatusCode::NOT_FOUND.into_response(),
    };
    let action = form.fields.get("action").map_or("save", String::as_str);
    let now = state.clock.now().as_second();
    let page = |id: i64, done: &str| {
        see_other(&format!(
            "/{}/staff/bulletins/{id}?done={done}",
            lang.code()
        ))
    };

    if action == "unpublish" {
        let Some(id) = id else {
            return StatusCode::NOT_FOUND.into_response();
        };
        return match unpublish(&state, admin.id, id, now).await {
            Ok(true) => page(id, "unpublished"),
            Ok(false) => StatusCode::NOT_FOUND.into_response(),
            Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        };
    }

    let parsed = match BulletinForm::parse(&form.fields) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let shown = form.state().with_fields(errors);
            return render_again(&state, &form, shown, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    if action == "preview" {
        let preview = crate::pages::staff::bulletins::PreviewHtml {
            html_en: markdown::render(&parsed.en.body),
            html_ar: markdown::render(&parsed.ar.body),
        };
        let shown = form.state();
        return super::forms::render_page_with(
            &state,
            &form.parts,
            move || {
                leptos::prelude::provide_context(shown.clone());
                leptos::prelude::provide_context(preview.clone());
            },
            StatusCode::OK,
        )
        .await;
    }
    let publish = action == "publish";
    let result = async {
        let mut tx = db::begin_write(&state.pool).await?;
        let sample = match id {
            Some(id) => rows::by_id(&state.pool, id)
                .await?
                .is_some_and(|row| row.sample),
            None => false,
        };
        let saved = match store(&mut tx, id, &parsed, sample, now).await? {
            Ok(saved) => saved,
            Err(errors) => return Ok(Err(errors)),
        };
        let action = match (id, publish) {
            (_, true) => "bulletin_published",
            (None, false) => "bulletin_created",
            (Some(_), false) => "bulletin_saved",
        };
        if publish {
            rows::publish(&mut *tx, saved, now).await?;
        }
        audit::record(
            &mut *tx,
            &state.key,
            &Entry {
                actor: Actor::Staff(admin.id),
                action,
                subject_type: "bulletin",
                subject_id: saved,
                reason: None,
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok::<_, AppError>(Ok(saved))
    }
    .await;
    match result {
        Ok(Ok(saved)) => {
            if publish {
                state.mail.wake_mailing();
            }
            page(saved, if publish { "published" } else { "saved" })
        }
        Ok(Err(errors)) => {
            let shown = form.state().with_fields(errors);
            render_again(&state, &form, shown, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "cannot save a bulletin");
            let shown = form.state().with_error(FormError::BadRequest);
            render_again(&state, &form, shown, StatusCode::SERVICE_UNAVAILABLE).await
        }
    }
}

/// Back to draft, audited.
async fn unpublish(state: &AppState, staff_id: i64, id: i64, now: i64) -> Result<bool, AppError> {
    let mut tx = db::begin_write(&state.pool).await?;
    if !rows::unpublish(&mut *tx, id, now).await? {
        return Ok(false);
    }
    audit::record(
        &mut *tx,
        &state.key,
        &Entry {
            actor: Actor::Staff(staff_id),
            action: "bulletin_unpublished",
            subject_type: "bulletin",
            subject_id: id,
            reason: None,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// `GET /feeds/{file}`: `bulletins.atom` (English, or `?lang=ar`),
/// `bulletins.en.atom`, `bulletins.ar.atom`.
pub async fn feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
    query: Params,
) -> Response {
    let lang = match file.as_str() {
        "bulletins.atom" => match query.get("lang") {
            None => Lang::En,
            Some(code) => match Lang::parse(code) {
                Some(lang) => lang,
                None => return StatusCode::NOT_FOUND.into_response(),
            },
        },
        "bulletins.en.atom" => Lang::En,
        "bulletins.ar.atom" => Lang::Ar,
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let rows = match rows::published(&state.pool, FEED_LIMIT).await {
        Ok(rows) => rows,
        Err(error) => {
            tracing::error!(%error, "cannot read bulletins for the feed");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let mut issues = Vec::new();
    for row in rows
        .iter()
        .filter(|r| !pick(lang, &r.title_en, &r.title_ar).is_empty())
    {
        match rows::by_id(&state.pool, row.id).await {
            Ok(Some(full)) => issues.push(full),
            Ok(None) => {}
            Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
        }
    }
    let xml = atom(&state.config.public_url, lang, &issues);
    let mut response = xml.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/atom+xml; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn rfc3339(unix: i64) -> String {
    jiff::Timestamp::from_second(unix)
        .map(|t| t.to_string())
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}

/// The Atom document (RFC 4287) for `lang`. Ids are `tag:` URIs (RFC 4151)
/// made of the public host and the issue's database id, so they never change
/// when a title, slug or number does; links are absolute, from the public URL.
pub fn atom(public_url: &str, lang: Lang, issues: &[BulletinRow]) -> String {
    let host = public_url
        .split_once("://")
        .map_or(public_url, |(_, rest)| rest)
        .split(['/', ':'])
        .next()
        .unwrap_or("localhost");
    let code = lang.code();
    let locale = lang.locale();
    use crate::i18n::*;
    let title = format!(
        "{} · {}",
        td_string!(locale, bulletins.title),
        td_string!(locale, site.name)
    );
    let updated = issues.iter().map(|b| b.updated_at).max().unwrap_or(0);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{code}\" xml:base=\"{base}/\">\n\
         <id>tag:{host},2026:bulletins:{code}</id>\n<title>{title}</title>\n<updated>{updated}</updated>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{base}/feeds/bulletins.{code}.atom\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{base}/{code}/bulletins\"/>\n\
         <author><name>{author}</name></author>\n",
        base = xml_escape(public_url),
        host = xml_escape(host),
        title = xml_escape(&title),
        updated = rfc3339(updated),
        author = xml_escape(td_string!(locale, site.name)),
    );
    for b in issues {
        let (title, summary, html) = match lang {
            Lang::En => (&b.title_en, &b.summary_en, &b.html_en),
            Lang::Ar => (&b.title_ar, &b.summary_ar, &b.html_ar),
        };
        let published = b
            .first_published_at
            .or(b.published_at)
            .unwrap_or(b.updated_at);
        xml.push_str(&format!(
            "<entry>\n<id>tag:{host},2026:bulletin:{id}:{code}</id>\n<title>{number}. {title}</title>\n\
             <link rel=\"alternate\" type=\"text/html\" href=\"{base}/{code}/bulletins/{slug}\"/>\n\
             <published>{published}</published>\n<updated>{updated}</updated>\n\
             <summary>{summary}</summary>\n<content type=\"html\">{content}</content>\n</entry>\n",
            host = xml_escape(host),
            id = b.id,
            number = b.number,
            title = xml_escape(title),
            base = xml_escape(public_url),
            slug = xml_escape(&b.slug),
            published = rfc3339(published),
            updated = rfc3339(b.updated_at),
            summary = xml_escape(summary),
            content = xml_escape(html),
        ));
    }
    xml.push_str("</feed>\n");
    xml
}

/// Emails queued per step of the mailing, and the pause between steps, for
/// `per_minute` emails a minute.
fn pace(per_minute: u32) -> (i64, Duration) {
    let per_step = (per_minute / 60).max(1);
    let pause = Duration::from_millis(60_000 * u64::from(per_step) / u64::from(per_minute.max(1)));
    (i64::from(per_step), pause)
}

/// Starts the job that mails published issues to the list: each step, in
/// one transaction, queues the next few subscribers' copies in the outbox and
/// records each delivery (unique per issue and subscriber), so a crash
/// resumes where it stopped and nobody gets an issue twice. The pace is
/// `LAUSANNE_BULLETIN_RATE` emails a minute.
pub fn spawn_mailing(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let (per_step, pause) = pace(state.config.bulletin_rate);
        while !state.mail.stopping() {
            let wait = match mailing_step(&state, per_step).await {
                Ok(true) => pause,
                Ok(false) => Duration::from_secs(30),
                Err(error) => {
                    tracing::error!(%error, "bulletin mailing: database error");
                    Duration::from_secs(5)
                }
            };
            state.mail.wait_mailing(wait).await;
        }
    })
}

/// Queues up to `limit` copies of the issue being mailed. `true` when there
/// may be more to do.
async fn mailing_step(state: &AppState, limit: i64) -> Result<bool, AppError> {
    let mut tx = db::begin_write(&state.pool).await?;
    let Some((id, started)) = rows::mailing_due(&mut *tx).await? else {
        return Ok(false);
    };
    let Some(issue) = rows::by_id(&state.pool, id).await? else {
        return Ok(false);
    };
    let now = state.clock.now();
    let recipients = rows::recipients(&mut *tx, &state.key, id, started, limit).await?;
    if recipients.is_empty() {
        rows::mailing_done(&mut *tx, id, now.as_second()).await?;
        tx.commit().await?;
        tracing::info!(bulletin = id, "bulletin mailing: done");
        return Ok(true);
    }
    for r in &recipients {
        let lang = Lang::parse(&r.lang).unwrap_or(Lang::En);
        let token = Token::generate()?;
        let unsubscribe = format!(
            "{}/{}/unsubscribe/{}",
            state.config.public_url,
            lang.code(),
            token.as_str()
        );
        let (subject, body) = super::subscriptions::bulletin_email(
            &state.config.public_url,
            lang,
            &issue,
            &unsubscribe,
        );
        let outbox_id = mail::enqueue_list(
            &mut *tx,
            &state.key,
            &Outgoing {
                to: &r.email,
                lang,
                subject: &subject,
                body: &body,
                registration_id: None,
            },
            r.id,
            &unsubscribe,
            now,
        )
        .await?;
        rows::insert_delivery(
            &mut *tx,
            id,
            r.id,
            outbox_id,
            &token.hash(),
            now.as_second(),
        )
        .await?;
    }
    tx.commit().await?;
    state.mail.wake();
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

    #[test]
    fn paces_the_mailing() {
        assert_eq!(pace(600), (10, Duration::from_secs(1)));
        assert_eq!(pace(30), (1, Duration::from_secs(2)));
        assert_eq!(pace(60_000), (1000, Duration::from_secs(1)));
    }
}
