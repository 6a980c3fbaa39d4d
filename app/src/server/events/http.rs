//! The calendar files: every upcoming public event (`/events.ics`) and one
//! event (`/events/{slug}.ics`).

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::domain::{EventFilter, EventSlug, Lang, Visibility};
use crate::server::calendars::{event_entry, event_page, file, ics, session_entry, unavailable};
use crate::server::forms::Params;
use crate::server::page_cache::{self, Topic};
use crate::server::{AppState, db};

/// `?lang=ar` for Arabic titles; English otherwise.
fn lang(query: &Params) -> Lang {
    query.get("lang").and_then(Lang::parse).unwrap_or(Lang::En)
}

/// `GET /events.ics`: upcoming published events.
pub async fn all(State(state): State<AppState>, query: Params) -> Response {
    let now = state.clock.now().as_second();
    let rows = match db::events::list_published(&state.db, &EventFilter::default(), None, now, 500)
        .await
    {
        Ok(rows) => rows,
        Err(error) => return unavailable(&error),
    };
    let until = match db::events::next_change(&state.db, None, now).await {
        Ok(until) => until,
        Err(error) => return unavailable(&error),
    };
    let lang = lang(&query);
    let mut calendar = ics::Calendar::new(&state.config.public_url);
    for row in &rows {
        calendar = calendar.event(event_entry(&state, lang, row, now));
    }
    let mut response = file(calendar, "events.ics");
    page_cache::mark(&mut response, &[Topic::Events], until);
    response
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
    let row = match db::events::published_by_slug(&state.db, slug.as_str()).await {
        Ok(Some(row)) => row,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => return unavailable(&error),
    };
    let sessions = if row.visibility == Visibility::Public {
        match db::sessions::public_agenda(&state.db, row.id).await {
            Ok(sessions) => sessions,
            Err(error) => return unavailable(&error),
        }
    } else {
        Vec::new()
    };
    let lang = lang(&query);
    let now = state.clock.now().as_second();
    let until = match db::events::next_change(&state.db, Some(row.id), now).await {
        Ok(until) => until,
        Err(error) => return unavailable(&error),
    };
    let page = event_page(&state, lang, &row.slug);
    let title = lang.pick(&row.title_en, &row.title_ar);
    let mut calendar =
        ics::Calendar::new(&state.config.public_url).event(event_entry(&state, lang, &row, now));
    for session in &sessions {
        calendar = calendar.event(session_entry(lang, title, session, &page, now));
    }
    let mut response = file(calendar, &format!("{}.ics", row.slug));
    page_cache::mark(&mut response, &[Topic::Event(row.id)], until);
    response
}

/// The public calendar files.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/events.ics", get(all))
        .route("/events/{file}", get(event))
}
