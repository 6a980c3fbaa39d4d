//! `GET /live`: one server-sent-events stream per page, for the event it
//! shows and, on a participant's private page, their registration.

use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures::{Stream, StreamExt, stream};

use crate::domain::Visibility;
use crate::server::AppState;
use crate::server::db::{self, registrations as rows};
use crate::server::forms::{Params, bilingual};
use crate::server::limits::{client_ip, limit_key};
use crate::server::token::Token;

use crate::server::live::{Topic, Watch};
use crate::server::updates::{Snapshot, participant};

/// The one live endpoint: an event's public stream (`GET /live?event=<slug>`)
/// or a participant's own (`GET /live?token=<private token>`, which carries
/// their event's too), resumed with `Last-Event-ID` (or `&last=`).
pub async fn stream(State(state): State<AppState>, query: Params, parts: Parts) -> Response {
    let watch = match resolve(&state, &query).await {
        Ok(Some(watch)) => watch,
        Ok(None) => {
            return bilingual(
                StatusCode::NOT_FOUND,
                "This live stream does not exist.",
                "هذا البث المباشر غير موجود.",
            );
        }
        Err(error) => {
            tracing::warn!(%error, "live: cannot open a stream");
            return bilingual(
                StatusCode::SERVICE_UNAVAILABLE,
                "Live updates are not available right now.",
                "التحديثات المباشرة غير متاحة الآن.",
            );
        }
    };
    let Some(slot) = state.live.admit(
        limit_key(client_ip(&parts, &state.config)),
        state.config.live_per_client,
        watch,
    ) else {
        let mut response = bilingual(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many live connections from your address. Close some pages and try again.",
            "اتصالات مباشرة كثيرة جداً من عنوانك. أغلق بعض الصفحات وحاول مجدداً.",
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
        return response;
    };
    let topics = watch.topics();
    let last = parts
        .headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .or(query.get("last"))
        .and_then(|v| v.trim().parse::<u64>().ok());
    // Subscribe before looking back, so nothing falls in between.
    let receiver = state.live.subscribe();
    let backlog = match last.and_then(|last| state.live.since(last, &topics)) {
        Some(missed) => missed
            .iter()
            .map(|e| Event::default().id(e.id.to_string()).data(&e.data))
            .collect(),
        None => match snapshot(&state, &topics).await {
            Ok(events) => events,
            Err(error) => {
                tracing::warn!(%error, "live: cannot read a snapshot");
                Vec::new()
            }
        },
    };
    let floor = last.unwrap_or(0);
    let live = stream::unfold(
        (receiver, slot, topics),
        move |(mut receiver, slot, topics)| async move {
            loop {
                match receiver.recv().await {
                    Ok(e) if e.id > floor && topics.contains(&e.topic) => {
                        let event = Event::default().id(e.id.to_string()).data(&e.data);
                        return Some((event, (receiver, slot, topics)));
                    }
                    Ok(_) => {}
                    // Too slow (or shutting down): end; the browser resumes later.
                    Err(_) => return None,
                }
            }
        },
    );
    let events = stream::iter(backlog).chain(live).map(Ok::<_, Infallible>);
    sse(events)
}

fn sse(events: impl Stream<Item = Result<Event, Infallible>> + Send + 'static) -> Response {
    let mut response = Sse::new(events)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(20)))
        .into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}

/// What a query asks to follow, or `None` when the event or token is unknown.
async fn resolve(state: &AppState, query: &Params) -> sqlx::Result<Option<Watch>> {
    if let Some(token) = query.get("token") {
        let Some(token) = Token::parse(token) else {
            return Ok(None);
        };
        return Ok(rows::by_token_hash(&state.pool, &state.key, &token.hash())
            .await?
            .map(|r| Watch {
                event: r.event_id,
                registration: Some(r.id),
            }));
    }
    let Some(slug) = query.get("event").and_then(crate::domain::EventSlug::parse) else {
        return Ok(None);
    };
    // A closed event's numbers are for those invited: its public stream is
    // as unknown as a missing event's.
    Ok(db::events::seats_by_slug(&state.pool, slug.as_str())
        .await?
        .filter(|event| event.visibility == Visibility::Public)
        .map(|event| Watch {
            event: event.id,
            registration: None,
        }))
}

/// The current state of every topic, as messages, under the current id.
async fn snapshot(state: &AppState, topics: &[Topic]) -> sqlx::Result<Vec<Event>> {
    let id = state.live.last_id().to_string();
    let now = state.clock.now().as_second();
    let mut messages = Vec::new();
    for topic in topics {
        match *topic {
            Topic::Event(event) => {
                messages.extend(
                    Snapshot::of(&state.pool, event, now)
                        .await?
                        .changes_since(None),
                );
            }
            Topic::Registration(registration) => {
                messages.extend(participant(&state.pool, registration).await?);
            }
        }
    }
    Ok(messages
        .iter()
        .filter_map(|m| serde_json::to_string(m).ok())
        .map(|data| Event::default().id(id.clone()).data(data))
        .collect())
}

/// The live stream.
pub fn routes() -> Router<AppState> {
    Router::new().route("/live", get(stream))
}
