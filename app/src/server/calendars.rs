//! Public calendar files: `/events.ics` (every upcoming event) and
//! `/events/<slug>.ics` (one event and its agenda). Times are in UTC, which
//! every calendar shows in its reader's zone; UIDs are stable, from row ids;
//! links come from `LAUSANNE_PUBLIC_URL`. Meeting URLs are never read here,
//! and closed events carry their title and dates only. `?lang=ar` gives the
//! Arabic titles.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::db::events::EventRow;
use super::db::{self, sessions::PublicSessionRow};
use super::forms::Params;
use super::{AppState, events, ics};
use crate::domain::{EventFilter, EventSlug, Lang};

/// `?lang=ar` for Arabic titles; English otherwise.
fn lang(query: &Params) -> Lang {
    query.get("lang").and_then(Lang::parse).unwrap_or(Lang::En)
}

/// `GET /events.ics`: upcoming published events.
pub async fn all(State(state): State<AppState>, query: Params) -> Response {
    let now = state.clock.now().as_second();
    let rows = match db::events::list_published(
        &state.pool,
        &EventFilter::default(),
        None,
        now,
        500,
    )
    .await
    {
        Ok(rows) => rows,
        Err(error) => return unavailable(&error),
    };
    let lang = lang(&query);
    let mut calendar = ics::Calendar::new(&state.config.public_url);
    for row in &rows {
        calendar = calendar.event(event_entry(&state, lang, row, now));
    }
    file(calendar, "events.ics")
}

/// `GET /events/<slug>.ics`: one event and its sessions.
pub async fn event(
    State(state): State<AppState>,
    Path(file_name): Path<String>,
    query: Params,
) -> Response {
    let Some(slug) = file_name.strip_suffix(".ics").and_then(EventSlug::parse) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let row = match db::events::published_by_slug(&state.pool, slug.as_str()).await {
        Ok(Some(row)) => row,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => return unavailable(&error),
    };
    let sessions = if row.visibility == "public" {
        match db::sessions::public_agenda(&state.pool, row.id).await {
            Ok(sessions) => sessions,
            Err(error) => return unavailable(&error),
        }
    } else {
        Vec::new()
    };
    let lang = lang(&query);
    let now = state.clock.now().as_second();
    let page = event_page(&state, lang, &row.slug);
    let title = lang.pick(&row.title_en, &row.title_ar);
    let mut calendar =
        ics::Calendar::new(&state.config.public_url).event(event_entry(&state, lang, &row, now));
    for session in &sessions {
        calendar = calendar.event(session_entry(lang, title, session, &page, now));
    }
    file(calendar, &format!("{}.ics", row.slug))
}

fn event_page(state: &AppState, lang: Lang, slug: &str) -> String {
    format!("{}/{}/events/{slug}", state.config.public_url, lang.code())
}

fn event_entry(state: &AppState, lang: Lang, row: &EventRow, now: i64) -> ics::Event {
    let page = event_page(state, lang, &row.slug);
    let public = row.visibility == "public";
    let summary = lang.pick(&row.summary_en, &row.summary_ar);
    ics::Event {
        uid: format!("event-{}@lausanne-platform", row.id),
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        summary: lang.pick(&row.title_en, &row.title_ar).to_owned(),
        description: if public && !summary.is_empty() {
            format!("{summary}\n\n{page}")
        } else {
            page.clone()
        },
        location: public.then(|| events::place(lang, row)).flatten(),
        url: Some(page),
        stamp: now,
    }
}

/// A session as a calendar entry; its link is `page` (the event's page, or
/// the participant's private page), never the meeting.
pub fn session_entry(
    lang: Lang,
    event_title: &str,
    session: &PublicSessionRow,
    page: &str,
    now: i64,
) -> ics::Event {
    ics::Event {
        uid: format!("session-{}@lausanne-platform", session.id),
        starts_at: session.starts_at,
        ends_at: session.ends_at,
        summary: format!(
            "{event_title}: {}",
            lang.pick(&session.title_en, &session.title_ar)
        ),
        description: page.to_owned(),
        location: None,
        url: Some(page.to_owned()),
        stamp: now,
    }
}

/// A calendar as a download.
pub fn file(calendar: ics::Calendar, name: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "public, max-age=300".to_owned()),
        ],
        calendar.finish(),
    )
        .into_response()
}

fn unavailable(error: &sqlx::Error) -> Response {
    tracing::error!(%error, "calendar: database unavailable");
    StatusCode::SERVICE_UNAVAILABLE.into_response()
}
