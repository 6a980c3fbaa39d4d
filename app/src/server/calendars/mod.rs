//! Public calendar files: `/events.ics` (every upcoming event) and
//! `/events/<slug>.ics` (one event and its agenda). Times are in UTC, which
//! every calendar shows in its reader's zone; UIDs are stable, from row ids;
//! links come from `LAUSANNE_PUBLIC_URL`. Meeting URLs are never read here,
//! and closed events carry their title and dates only. `?lang=ar` gives the
//! Arabic titles.

pub mod ics;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::domain::{Lang, Visibility};
use crate::server::db::events::EventRow;
use crate::server::db::sessions::PublicSessionRow;
use crate::server::{AppState, format};

pub fn event_page(state: &AppState, lang: Lang, slug: &str) -> String {
    format!(
        "{}{}",
        state.config.public_url,
        crate::paths::event(lang, slug)
    )
}

pub fn event_entry(state: &AppState, lang: Lang, row: &EventRow, now: i64) -> ics::Event {
    let page = event_page(state, lang, &row.slug);
    let public = row.visibility == Visibility::Public;
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
        location: public.then(|| format::place(lang, row)).flatten(),
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

pub fn unavailable(error: &sqlx::Error) -> Response {
    tracing::error!(%error, "calendar: database unavailable");
    StatusCode::SERVICE_UNAVAILABLE.into_response()
}
