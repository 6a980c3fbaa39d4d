//! `GET /live`: one server-sent-events stream per page, for the event it
//! shows and, on a participant's private page, their registration.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures::{Stream, StreamExt, stream};

use crate::domain::{LiveMessage, LiveStream, Visibility};
use crate::server::AppState;
use crate::server::auth::RequireAdmin;
use crate::server::db::{self, registrations as rows};
use crate::server::forms::{Params, bilingual};
use crate::server::limits::{client_ip, limit_key};
use crate::server::token::Token;

use crate::server::live::{Topic, Watch};
use crate::server::updates::fanout::{self, Handover, HandoverOffered, Subscription};
use crate::server::updates::{Snapshot, participant};

/// The one live endpoint: an event's public stream (`GET /live?event=<slug>`),
/// a list's (`GET /live?events=<slug>,<slug>…`: those events, and events
/// being published) or a participant's own (`GET /live?token=<private
/// token>`, which carries their event's too), resumed with `Last-Event-ID`
/// (or `&last=`).
pub async fn stream(State(state): State<AppState>, query: Params, parts: Parts) -> Response {
    let watch = match resolve(&state, &query, &parts).await {
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
    let topics = watch.topics();
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
    let last = parts
        .headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .or(query.get("last"))
        .and_then(|v| state.live.parse_stream_id(v));
    // Subscribe before looking back, so nothing falls in between.
    let receiver = state.live.subscribe();
    let watermark = state.live.last_id();
    let backlog: Vec<(u64, Arc<str>)> = match last.and_then(|last| state.live.since(last, &topics))
    {
        Some(missed) => missed
            .iter()
            .map(|e| (e.id, e.data.as_str().into()))
            .collect(),
        None => match snapshot(&state, &topics).await {
            Ok(messages) => messages,
            Err(error) => {
                tracing::warn!(%error, "live: cannot read a snapshot");
                Vec::new()
            }
        },
    };
    if parts.extensions.get::<HandoverOffered>().is_some() {
        // The server's shared writers take the connection.
        return handover(Subscription {
            slot,
            topics,
            watermark,
            backlog: backlog
                .iter()
                .map(|(id, data)| state.live.frame(*id, data))
                .collect(),
        });
    }
    let backlog: Vec<Event> = backlog
        .iter()
        .map(|(id, data)| Event::default().id(state.live.stream_id(*id)).data(&**data))
        .collect();
    let floor = last.unwrap_or(0);
    let stream_ids = state.live.clone();
    let live = stream::unfold(
        (receiver, slot, topics),
        move |(mut receiver, slot, topics)| {
            let stream_ids = stream_ids.clone();
            async move {
                loop {
                    match receiver.recv().await {
                        Ok(e) if e.id > floor && topics.contains(&e.topic) => {
                            let event = Event::default()
                                .id(stream_ids.stream_id(e.id))
                                .data(&e.data);
                            return Some((event, (receiver, slot, topics)));
                        }
                        Ok(_) => {}
                        // Too slow (or shutting down): end; the browser resumes later.
                        Err(_) => return None,
                    }
                }
            }
        },
    );
    let events = stream::iter(backlog).chain(live).map(Ok::<_, Infallible>);
    sse(events)
}

fn sse(events: impl Stream<Item = Result<Event, Infallible>> + Send + 'static) -> Response {
    let mut response = Sse::new(events)
        .keep_alive(KeepAlive::new().interval(fanout::KEEP_ALIVE))
        .into_response();
    stream_headers(&mut response);
    response
}

/// A stream's answer without its body: the head the shared writers send
/// before the stream, which the answer carries.
fn handover(subscription: Subscription) -> Response {
    let mut response = StatusCode::OK.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    stream_headers(&mut response);
    response
        .extensions_mut()
        .insert(Handover::new(subscription));
    response
}

fn stream_headers(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
}

/// What a query asks to follow, or `None` when the event or token is unknown.
async fn resolve(state: &AppState, query: &Params, parts: &Parts) -> sqlx::Result<Option<Watch>> {
    if let Some(slug) = query.get("checkin") {
        // Staff only: to anyone else, as unknown as a missing event.
        let staff = crate::server::auth::staff_of(parts, state)
            .await
            .ok()
            .flatten();
        let Some(slug) = crate::domain::EventSlug::parse(slug).filter(|_| staff.is_some()) else {
            return Ok(None);
        };
        return Ok(db::events::seats_by_slug(&state.db, slug.as_str())
            .await?
            .map(|event| Watch {
                checkin: Some(event.id),
                ..Watch::default()
            }));
    }
    if let Some(token) = query.get("token") {
        let Some(token) = Token::parse(token) else {
            return Ok(None);
        };
        return Ok(rows::by_token_hash(&state.db, &state.key, &token.hash())
            .await?
            .map(|r| Watch {
                registration: Some(r.id),
                ..Watch::event(r.event_id)
            }));
    }
    if let Some(session) = query.get("board") {
        // A public event's board only; a closed event's questions are for
        // those invited.
        let Ok(session) = session.parse::<i64>() else {
            return Ok(None);
        };
        return Ok(
            crate::server::questions::public_board_event(&state.db, session)
                .await?
                .map(|event| Watch {
                    board: Some(session),
                    ..Watch::event(event)
                }),
        );
    }
    if let Some(list) = query.get("events") {
        // Only public events: a closed event's numbers are for those invited.
        let slugs: Vec<&str> = list
            .split(',')
            .filter(|slug| crate::domain::EventSlug::parse(slug).is_some())
            .take(LiveStream::MAX_LISTED)
            .collect();
        return Ok(Some(Watch {
            events: db::events::public_ids(&state.db, &slugs).await?,
            listing: true,
            ..Watch::default()
        }));
    }
    let Some(slug) = query.get("event").and_then(crate::domain::EventSlug::parse) else {
        return Ok(None);
    };
    // A closed event's numbers are for those invited: its public stream is
    // as unknown as a missing event's.
    Ok(db::events::seats_by_slug(&state.db, slug.as_str())
        .await?
        .filter(|event| event.visibility == Visibility::Public)
        .map(|event| Watch::event(event.id)))
}

/// The current state of every topic, as messages under the current id.
async fn snapshot(state: &AppState, topics: &[Topic]) -> sqlx::Result<Vec<(u64, Arc<str>)>> {
    let id = state.live.last_id();
    let now = state.clock.now().as_second();
    let mut messages = Vec::new();
    for topic in topics {
        match *topic {
            Topic::Event(event) => {
                messages.extend(
                    Snapshot::of(&state.db, event, now)
                        .await?
                        .changes_since(None),
                );
            }
            Topic::Registration(registration) => {
                messages.extend(participant(&state.db, registration).await?);
            }
            Topic::Board(session) => {
                let questions =
                    crate::server::questions::board(&state.db, &state.key, session).await?;
                messages.push(LiveMessage::Board { session, questions });
            }
            Topic::Checkin(event) => {
                messages.push(crate::server::checkin::count_message(&state.db, event, now).await?);
            }
            // Only what is published from now on.
            Topic::Listing => {}
        }
    }
    Ok(messages
        .iter()
        .filter_map(|m| serde_json::to_string(m).ok())
        .map(|data| (id, data.into()))
        .collect())
}

/// `GET /staff/metrics` (admins): live streams open now, in the
/// Prometheus text format; `?event=<slug>` adds that event's own count.
pub async fn metrics(
    State(state): State<AppState>,
    RequireAdmin(_): RequireAdmin,
    query: Params,
) -> Response {
    let mut text = format!(
        "# TYPE lausanne_live_streams gauge\nlausanne_live_streams {}\n",
        state.live.stream_count()
    );
    if let Some(slug) = query.get("event").and_then(crate::domain::EventSlug::parse) {
        match db::events::seats_by_slug(&state.db, slug.as_str()).await {
            Ok(Some(event)) => text.push_str(&format!(
                "# TYPE lausanne_live_event_streams gauge\n\
                 lausanne_live_event_streams{{event=\"{}\"}} {}\n",
                slug.as_str(),
                state.live.streams_for(event.id)
            )),
            Ok(None) => {}
            Err(error) => tracing::warn!(%error, "metrics: cannot read an event"),
        }
    }
    let mut response = text.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The live stream, and its numbers for admins.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/live", get(stream))
        .route("/staff/metrics", get(metrics))
}
