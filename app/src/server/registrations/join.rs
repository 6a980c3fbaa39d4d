//! `/join/<token>/<session>` (and `/join/device/<session>` from the event
//! page of a remembered browser): the only ways to a session's meeting URL
//! (rule 2). It checks that the token's participant is approved to attend
//! online, that the session belongs to their event and is not cancelled, and
//! that its join window is open; then records attendance and redirects (303)
//! to the meeting. Every other case goes back to the private page, which
//! explains why, and never sees the URL.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::domain::{EventStatus, JoinWindow, SessionTimes};
use crate::server::AppState;
use crate::server::db::{self, registrations as rows};
use crate::server::forms::{bilingual, no_store, see_other};
use crate::server::token::Token;

/// Why a join link did not lead to the meeting; shown on the private page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotJoined {
    /// The session is not one of this event's online sessions.
    Unknown,
    Cancelled,
    EventCancelled,
    /// Not an approved online participant.
    NotEntitled,
    Early,
    Over,
}

impl NotJoined {
    pub fn code(self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::Cancelled => "cancelled",
            Self::EventCancelled => "event_cancelled",
            Self::NotEntitled => "not_entitled",
            Self::Early => "early",
            Self::Over => "over",
        }
    }
}

pub async fn join(
    State(state): State<AppState>,
    Path((token, session)): Path<(String, String)>,
) -> Response {
    let Some(token) = Token::parse(&token) else {
        return unknown_link();
    };
    let registration = match rows::by_token_hash(&state.db, &state.key, &token.hash()).await {
        Ok(Some(registration)) => registration,
        Ok(None) => return unknown_link(),
        Err(error) => return unavailable(&error),
    };
    let lang = registration.lang;
    let now = state.clock.now().as_second();
    let outcome = match session.parse::<i64>() {
        Ok(session) => {
            let found = match joinable(&state, registration.event_id, session).await {
                Ok(found) => found,
                Err(error) => return unavailable(&error),
            };
            found.and_then(|session| check(&registration, session, now))
        }
        Err(_) => Err(NotJoined::Unknown),
    };
    let page = crate::paths::private_page(lang, token.as_str());
    go(&state, registration.id, outcome, &page, now).await
}

/// `/join/device/<session>`: joining from the event page, on a browser the
/// participant asked to remember them (see [`super::device`]): the same
/// rules and the same attendance as [`join`]; when it cannot lead to the
/// meeting, back to the event page, which shows why.
pub async fn join_from_device(
    State(state): State<AppState>,
    Path(session): Path<String>,
    headers: HeaderMap,
) -> Response {
    let (Some(device), Ok(session)) = (super::device::from_headers(&headers), session.parse())
    else {
        return unknown_link();
    };
    let event_id = match db::sessions::event_of(&state.db, session).await {
        Ok(Some(event_id)) => event_id,
        Ok(None) => return unknown_link(),
        Err(error) => return unavailable(&error),
    };
    let now = state.clock.now().as_second();
    let hash = device.hash();
    let on_device = rows::devices::registration_on(&state.db, &state.key, &hash, event_id, now);
    let registration = match on_device.await {
        Ok(Some(registration)) => registration,
        Ok(None) => return unknown_link(),
        Err(error) => return unavailable(&error),
    };
    let (found, event) = match (
        joinable(&state, event_id, session).await,
        db::events::seats_by_id(&state.db, event_id).await,
    ) {
        (Ok(found), Ok(event)) => (found, event),
        (Err(error), _) | (_, Err(error)) => return unavailable(&error),
    };
    let outcome = found.and_then(|session| check(&registration, session, now));
    let page = crate::paths::event(registration.lang, &event.slug);
    go(&state, registration.id, outcome, &page, now).await
}

/// To the meeting, attendance recorded at `now` (the moment the window was
/// checked); or back to `page` with the reason.
async fn go(
    state: &AppState,
    registration: i64,
    outcome: Result<(i64, String), NotJoined>,
    page: &str,
    now: i64,
) -> Response {
    match outcome {
        Ok((session, url)) => {
            if let Err(error) =
                db::sessions::record_attendance(&state.db, registration, session, now).await
            {
                return unavailable(&error);
            }
            let Ok(location) = HeaderValue::from_str(&url) else {
                tracing::error!(
                    session,
                    "a session's meeting URL is not a valid header value"
                );
                return see_other(&format!("{page}?join={}", NotJoined::Unknown.code()));
            };
            let mut response = StatusCode::SEE_OTHER.into_response();
            response.headers_mut().insert(header::LOCATION, location);
            no_store(&mut response);
            response
        }
        Err(why) => see_other(&format!("{page}?join={}#agenda", why.code())),
    }
}

/// Session `id` of event `event_id`, if the event is not cancelled (sessions
/// of other events are not found).
async fn joinable(
    state: &AppState,
    event_id: i64,
    id: i64,
) -> sqlx::Result<Result<db::sessions::EditorSessionRow, NotJoined>> {
    let event = db::events::seats_by_id(&state.db, event_id).await?;
    if event.status == EventStatus::Cancelled {
        return Ok(Err(NotJoined::EventCancelled));
    }
    Ok(db::sessions::editor_by_id(&state.db, event_id, id)
        .await?
        .ok_or(NotJoined::Unknown))
}

/// The session and its meeting URL, if this participant may join it now.
fn check(
    registration: &rows::RegistrationRow,
    session: db::sessions::EditorSessionRow,
    now: i64,
) -> Result<(i64, String), NotJoined> {
    let url = session.meeting_url.clone().ok_or(NotJoined::Unknown)?;
    if session.cancelled {
        return Err(NotJoined::Cancelled);
    }
    if !registration.state.may_join(registration.mode) {
        return Err(NotJoined::NotEntitled);
    }
    let times = SessionTimes {
        starts_at: session.starts_at,
        ends_at: session.ends_at,
        join_opens_minutes_before: session.join_opens_minutes_before,
    };
    match times.join_window(now) {
        JoinWindow::Open => Ok((session.id, url)),
        JoinWindow::NotYet { .. } => Err(NotJoined::Early),
        JoinWindow::Over => Err(NotJoined::Over),
    }
}

/// A link with no registration behind it: the address has no language, so
/// the page says it in both.
fn unknown_link() -> Response {
    bilingual(
        StatusCode::NOT_FOUND,
        "This join link is not valid. Use the link to your registration page from your latest email.",
        "رابط الانضمام هذا غير صالح. استخدم رابط صفحة تسجيلك الوارد في أحدث رسالة إليك.",
    )
}

fn unavailable(error: &sqlx::Error) -> Response {
    tracing::error!(%error, "join: database unavailable");
    bilingual(
        StatusCode::SERVICE_UNAVAILABLE,
        "Joining is not available right now. Please try again in a minute.",
        "الانضمام غير متاح الآن. يرجى المحاولة مجدداً بعد دقيقة.",
    )
}
