//! Live updates (server-sent events). Code that changes an event's seats or
//! registrations marks the event dirty; a worker recomputes what pages show
//! (seats left, registration open, sessions live or joinable, watched
//! participants' states), compares it with what it last published, and
//! broadcasts the differences as small typed [`LiveMessage`]s. Time-driven
//! changes (a session going live, a join window opening) are found by the
//! same worker once a second, with the app's clock. Only events that have
//! an open stream are recomputed: with nobody watching, it reads nothing.
//!
//! Each stream replays what it missed after a reconnect (`Last-Event-ID`)
//! from a bounded ring of recent messages, or starts from a fresh snapshot.
//! A client too slow to keep up falls behind the broadcast buffer and is
//! disconnected (its browser reconnects and resumes) rather than buffered
//! without bound.

use std::collections::{HashMap, HashSet, VecDeque};
use std::convert::Infallible;
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::{Stream, StreamExt, stream};
use sqlx::SqlitePool;
use tokio::sync::{Notify, broadcast};

use super::auth::client_ip;
use super::db::{self, registrations as rows};
use super::forms::{Params, bilingual};
use super::limits::limit_key;
use super::registrations::{Terms, seats, window_error};
use super::token::Token;
use super::{AppState, Clock};
use crate::domain::{AttendanceMode, LiveMessage, RegistrationState, SessionTimes};

/// Messages kept for streams that reconnect.
const RECENT: usize = 4096;
/// Messages a stream may fall behind before it is dropped.
const BUFFER: usize = 1024;
/// Streams open at once, all clients together.
const MAX_STREAMS: usize = 20_000;
/// How often time-driven changes are looked for.
const TICK: Duration = Duration::from_secs(1);

/// Who a message is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Topic {
    /// Everyone looking at an event (and its participants).
    Event(i64),
    /// One participant, on their private page.
    Registration(i64),
}

/// A published message, serialised once for every stream that carries it.
#[derive(Debug)]
pub struct Envelope {
    pub id: u64,
    pub topic: Topic,
    pub data: String,
}

#[derive(Clone)]
pub struct Live {
    inner: Arc<Inner>,
}

struct Inner {
    sender: broadcast::Sender<Arc<Envelope>>,
    /// The last message id given, and the recent messages in id order.
    recent: Mutex<(u64, VecDeque<Arc<Envelope>>)>,
    dirty: Mutex<HashSet<i64>>,
    wake: Notify,
    /// Events with an open stream: event → streams. Only these are
    /// recomputed; nobody else would hear the result.
    watched_events: Mutex<HashMap<i64, usize>>,
    /// Registrations with an open stream: registration → (event, streams).
    watched: Mutex<HashMap<i64, (i64, usize)>>,
    streams_per_client: Mutex<HashMap<IpAddr, usize>>,
    streams: AtomicUsize,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Default for Live {
    fn default() -> Self {
        Self::new()
    }
}

impl Live {
    pub fn new() -> Self {
        let (sender, _) = broadcast::channel(BUFFER);
        Self {
            inner: Arc::new(Inner {
                sender,
                recent: Mutex::new((0, VecDeque::with_capacity(RECENT))),
                dirty: Mutex::default(),
                wake: Notify::new(),
                watched_events: Mutex::default(),
                watched: Mutex::default(),
                streams_per_client: Mutex::default(),
                streams: AtomicUsize::new(0),
            }),
        }
    }

    /// Something about the event's seats or registrations changed (call
    /// after the commit): its pages will be brought up to date.
    pub fn event_touched(&self, event_id: i64) {
        lock(&self.inner.dirty).insert(event_id);
        self.inner.wake.notify_one();
    }

    /// The event itself was edited: pages showing it say so.
    pub fn event_edited(&self, event_id: i64) {
        self.publish(Topic::Event(event_id), &LiveMessage::EventChanged);
        self.event_touched(event_id);
    }

    /// Streams open now.
    pub fn stream_count(&self) -> usize {
        self.inner.streams.load(Ordering::SeqCst)
    }

    fn publish(&self, topic: Topic, message: &LiveMessage) {
        let Ok(data) = serde_json::to_string(message) else {
            return;
        };
        let mut recent = lock(&self.inner.recent);
        recent.0 += 1;
        let envelope = Arc::new(Envelope {
            id: recent.0,
            topic,
            data,
        });
        if recent.1.len() == RECENT {
            recent.1.pop_front();
        }
        recent.1.push_back(Arc::clone(&envelope));
        // Sent under the lock, so streams see ids in order. No receivers is fine.
        let _ = self.inner.sender.send(envelope);
    }

    fn last_id(&self) -> u64 {
        lock(&self.inner.recent).0
    }

    /// The messages after `last` for `topics`, if the ring still holds all of them.
    fn since(&self, last: u64, topics: &[Topic]) -> Option<Vec<Arc<Envelope>>> {
        let recent = lock(&self.inner.recent);
        if last > recent.0 {
            return None;
        }
        let oldest = recent.1.front().map_or(recent.0 + 1, |e| e.id);
        if last + 1 < oldest {
            return None;
        }
        Some(
            recent
                .1
                .iter()
                .filter(|e| e.id > last && topics.contains(&e.topic))
                .cloned()
                .collect(),
        )
    }

    fn take_dirty(&self) -> HashSet<i64> {
        std::mem::take(&mut *lock(&self.inner.dirty))
    }

    /// Watched registrations of these events.
    fn watched_in(&self, events: &HashSet<i64>) -> Vec<i64> {
        lock(&self.inner.watched)
            .iter()
            .filter(|(_, (event, _))| events.contains(event))
            .map(|(registration, _)| *registration)
            .collect()
    }

    fn is_watched(&self, registration: i64) -> bool {
        lock(&self.inner.watched).contains_key(&registration)
    }

    fn watched_events(&self) -> HashSet<i64> {
        lock(&self.inner.watched_events).keys().copied().collect()
    }

    /// A place for one more stream from `client`, or `None` when it (or the
    /// server) has as many as it may.
    fn admit(&self, client: IpAddr, per_client: usize, watch: Watch) -> Option<Slot> {
        {
            let mut clients = lock(&self.inner.streams_per_client);
            let open = clients.entry(client).or_default();
            if *open >= per_client || self.inner.streams.load(Ordering::SeqCst) >= MAX_STREAMS {
                return None;
            }
            *open += 1;
            self.inner.streams.fetch_add(1, Ordering::SeqCst);
        }
        *lock(&self.inner.watched_events)
            .entry(watch.event)
            .or_default() += 1;
        if let Some(registration) = watch.registration {
            lock(&self.inner.watched)
                .entry(registration)
                .or_insert((watch.event, 0))
                .1 += 1;
        }
        Some(Slot {
            live: self.clone(),
            client,
            watch,
        })
    }
}

/// What one stream follows: an event, and on a participant's own stream
/// their registration too.
#[derive(Clone, Copy, Debug)]
struct Watch {
    event: i64,
    registration: Option<i64>,
}

impl Watch {
    fn topics(self) -> Vec<Topic> {
        let mut topics = vec![Topic::Event(self.event)];
        topics.extend(self.registration.map(Topic::Registration));
        topics
    }
}

/// Counts one stream less for `key`, forgetting it at zero.
fn release<K: std::hash::Hash + Eq, V>(
    map: &Mutex<HashMap<K, V>>,
    key: &K,
    count: impl Fn(&mut V) -> &mut usize,
) {
    let mut map = lock(map);
    if let Some(value) = map.get_mut(key) {
        let n = count(value);
        *n = n.saturating_sub(1);
        if *n == 0 {
            map.remove(key);
        }
    }
}

/// One open stream; closing it gives its place back.
struct Slot {
    live: Live,
    client: IpAddr,
    watch: Watch,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let inner = &self.live.inner;
        inner.streams.fetch_sub(1, Ordering::SeqCst);
        release(&inner.streams_per_client, &self.client, |n| n);
        release(&inner.watched_events, &self.watch.event, |n| n);
        if let Some(registration) = self.watch.registration {
            release(&inner.watched, &registration, |(_, n)| n);
        }
    }
}

/// What an event's pages show that can change while they are open.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Snapshot {
    seats: Vec<(AttendanceMode, i64)>,
    registration_open: bool,
    /// Session id, live, join window open (online sessions only).
    sessions: Vec<(i64, bool, bool)>,
}

impl Snapshot {
    async fn of(pool: &SqlitePool, event_id: i64, now: i64) -> sqlx::Result<Self> {
        let event = db::events::seats_by_id(pool, event_id).await?;
        let mut seats_left = Vec::new();
        for &mode in AttendanceMode::offered_by(Terms::of(&event).format) {
            let taken = rows::count_approved(pool, event_id, mode.code()).await?;
            seats_left.push((mode, (seats(&event, mode) - taken).max(0)));
        }
        let sessions = db::sessions::public_agenda(pool, event_id)
            .await?
            .into_iter()
            .map(|s| {
                let times = SessionTimes {
                    starts_at: s.starts_at,
                    ends_at: s.ends_at,
                    join_opens_minutes_before: s.join_opens_minutes_before,
                };
                let join_open =
                    s.online && times.join_window(now) == crate::domain::JoinWindow::Open;
                (s.id, times.is_live(now), join_open)
            })
            .collect();
        Ok(Self {
            seats: seats_left,
            registration_open: window_error(&event, now).is_none(),
            sessions,
        })
    }

    /// The messages that turn `before` (nothing: everything) into `self`.
    fn changes_since(&self, before: Option<&Snapshot>) -> Vec<LiveMessage> {
        let mut messages = Vec::new();
        for &(mode, left) in &self.seats {
            if before.is_none_or(|b| !b.seats.contains(&(mode, left))) {
                messages.push(LiveMessage::Seats { mode, left });
            }
        }
        if before.is_none_or(|b| b.registration_open != self.registration_open) {
            messages.push(LiveMessage::Registration {
                open: self.registration_open,
            });
        }
        for &(session, live, join_open) in &self.sessions {
            if before.is_none_or(|b| !b.sessions.contains(&(session, live, join_open))) {
                messages.push(LiveMessage::Session {
                    session,
                    live,
                    join_open,
                });
            }
        }
        messages
    }
}

async fn participant(pool: &SqlitePool, registration: i64) -> sqlx::Result<Option<LiveMessage>> {
    let Some((state, mode)) = rows::state_and_mode(pool, registration).await? else {
        return Ok(None);
    };
    let (Some(state), Some(mode)) = (
        RegistrationState::parse(&state),
        AttendanceMode::parse(&mode),
    ) else {
        return Ok(None);
    };
    Ok(Some(LiveMessage::Participant {
        state,
        can_join: state.may_join(mode),
    }))
}

/// Runs the worker that finds and publishes changes, until the runtime stops.
pub fn spawn_worker(pool: SqlitePool, clock: Clock, live: Live) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut events: HashMap<i64, Snapshot> = HashMap::new();
        let mut participants: HashMap<i64, LiveMessage> = HashMap::new();
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            let timed = tokio::select! {
                _ = tick.tick() => true,
                () = live.inner.wake.notified() => false,
            };
            let now = clock.now().as_second();
            let touched = live.take_dirty();
            // Only events someone follows: on a tick all of them (time moves
            // for every one), otherwise those a commit touched.
            let watched = live.watched_events();
            events.retain(|id, _| watched.contains(id));
            let due: Vec<i64> = if timed {
                watched.into_iter().collect()
            } else {
                watched.intersection(&touched).copied().collect()
            };
            for event in due {
                match Snapshot::of(&pool, event, now).await {
                    Ok(snapshot) => {
                        for message in snapshot.changes_since(events.get(&event)) {
                            live.publish(Topic::Event(event), &message);
                        }
                        events.insert(event, snapshot);
                    }
                    Err(sqlx::Error::RowNotFound) => {
                        events.remove(&event);
                    }
                    Err(error) => tracing::warn!(%error, event, "live: cannot read event"),
                }
            }
            participants.retain(|registration, _| live.is_watched(*registration));
            for registration in live.watched_in(&touched) {
                match participant(&pool, registration).await {
                    Ok(Some(message)) if participants.get(&registration) != Some(&message) => {
                        live.publish(Topic::Registration(registration), &message);
                        participants.insert(registration, message);
                    }
                    Ok(_) => {}
                    Err(error) => tracing::warn!(%error, "live: cannot read registration"),
                }
            }
        }
    })
}

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
    let receiver = state.live.inner.sender.subscribe();
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
    Ok(db::events::seats_by_slug(&state.pool, slug.as_str())
        .await?
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_the_differences() {
        let before = Snapshot {
            seats: vec![(AttendanceMode::InPerson, 3), (AttendanceMode::Online, 5)],
            registration_open: true,
            sessions: vec![(1, false, false), (2, false, true)],
        };
        let after = Snapshot {
            seats: vec![(AttendanceMode::InPerson, 2), (AttendanceMode::Online, 5)],
            registration_open: true,
            sessions: vec![(1, true, true), (2, false, true)],
        };
        assert_eq!(
            after.changes_since(Some(&before)),
            vec![
                LiveMessage::Seats {
                    mode: AttendanceMode::InPerson,
                    left: 2
                },
                LiveMessage::Session {
                    session: 1,
                    live: true,
                    join_open: true
                },
            ]
        );
        assert_eq!(after.changes_since(None).len(), 5);
        assert!(after.changes_since(Some(&after)).is_empty());
    }

    #[test]
    fn resume_needs_every_missed_message() {
        let live = Live::new();
        assert!(
            live.since(0, &[Topic::Event(1)])
                .is_some_and(|m| m.is_empty())
        );
        for _ in 0..RECENT + 10 {
            live.publish(Topic::Event(1), &LiveMessage::EventChanged);
        }
        let last = live.last_id();
        assert_eq!(last, (RECENT + 10) as u64);
        // Too old: some were dropped from the ring.
        assert!(live.since(5, &[Topic::Event(1)]).is_none());
        // From the future: absurd.
        assert!(live.since(last + 1, &[Topic::Event(1)]).is_none());
        assert!(live.since(u64::MAX, &[Topic::Event(1)]).is_none());
        let missed = live.since(last - 3, &[Topic::Event(1)]).unwrap_or_default();
        assert_eq!(missed.len(), 3);
        assert!(
            live.since(last - 3, &[Topic::Event(2)])
                .is_some_and(|m| m.is_empty())
        );
    }

    #[test]
    fn streams_per_client_are_limited() {
        let live = Live::new();
        let client: IpAddr = [192, 0, 2, 1].into();
        let event = |event| Watch {
            event,
            registration: None,
        };
        let a = live.admit(
            client,
            2,
            Watch {
                event: 1,
                registration: Some(7),
            },
        );
        let b = live.admit(client, 2, event(2));
        assert!(a.is_some() && b.is_some());
        assert!(live.admit(client, 2, event(1)).is_none());
        assert!(live.admit([192, 0, 2, 2].into(), 2, event(1)).is_some());
        assert!(live.is_watched(7));
        assert_eq!(live.watched_events(), HashSet::from([1, 2]));
        drop(a);
        assert!(!live.is_watched(7));
        assert_eq!(live.watched_events(), HashSet::from([2]));
        assert!(live.admit(client, 2, event(1)).is_some());
        assert_eq!(live.stream_count(), 1);
        drop(b);
        assert_eq!(live.stream_count(), 0);
    }
}
