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
//! Stream ids name the instance that numbered them (`<instance>-<n>`), so
//! that an id from another instance behind the load balancer, or from
//! before a restart, gets a fresh snapshot rather than a wrong replay.
//!
//! With several instances (PostgreSQL), a change made on one reaches the
//! others as a [`Signal`] (`db::signals`, `server::signals`).
//! A client too slow to keep up falls behind the broadcast buffer and is
//! disconnected (its browser reconnects and resumes) rather than buffered
//! without bound.

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::{Notify, broadcast};

use crate::domain::LiveMessage;
use crate::server::db::Tx;
use crate::server::db::signals::{self, Signal};
use crate::server::page_cache::{self, PageCache};

/// Messages kept for streams that reconnect.
const RECENT: usize = 4096;
/// Messages a stream may fall behind before it is dropped.
const BUFFER: usize = 1024;
/// Streams open at once, all clients together.
const MAX_STREAMS: usize = 20_000;

/// A random id for this instance (never 0).
fn random_instance() -> u32 {
    let mut bytes = [0; 4];
    // Without the system's randomness, the clock's nanoseconds still tell
    // two instances apart.
    if getrandom::fill(&mut bytes).is_err() {
        bytes = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.subsec_nanos())
            .to_le_bytes();
    }
    u32::from_le_bytes(bytes).max(1)
}

/// Who a message is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Topic {
    /// Everyone looking at an event (and its participants), or at a list
    /// that shows it.
    Event(i64),
    /// Everyone looking at a list: events being published.
    Listing,
    /// One participant, on their private page.
    Registration(i64),
    /// A session's question board.
    Board(i64),
    /// An event's door: how many are checked in (staff only).
    Checkin(i64),
}

/// A published message, serialised once for every stream that carries it.
#[derive(Debug)]
pub struct Envelope {
    pub id: u64,
    pub topic: Topic,
    pub data: String,
    /// The whole server-sent event (`id:`, `data:`, blank line), written
    /// as is to every stream the shared writers hold.
    pub frame: bytes::Bytes,
}

#[derive(Clone)]
pub struct Live {
    inner: Arc<Inner>,
}

struct Inner {
    /// This instance, in stream ids and signals: random at each start.
    instance: u32,
    sender: broadcast::Sender<Arc<Envelope>>,
    /// The last message id given, and the recent messages in id order.
    recent: Mutex<(u64, VecDeque<Arc<Envelope>>)>,
    dirty: Mutex<HashSet<i64>>,
    /// Events edited, and events published, since the worker last looked.
    edited: Mutex<HashSet<i64>>,
    published: Mutex<HashSet<i64>>,
    /// Events whose questions changed since the worker last looked.
    questions: Mutex<HashSet<i64>>,
    /// Events whose check-ins changed since the worker last looked.
    checkins: Mutex<HashSet<i64>>,
    wake: Notify,
    /// Events with an open stream: event → streams. Only these are
    /// recomputed; nobody else would hear the result.
    watched_events: Mutex<HashMap<i64, usize>>,
    /// Registrations with an open stream: registration → (event, streams).
    watched: Mutex<HashMap<i64, (i64, usize)>>,
    /// Question boards with an open stream: session → (event, streams).
    watched_boards: Mutex<HashMap<i64, (i64, usize)>>,
    streams_per_client: Mutex<HashMap<IpAddr, usize>>,
    streams: AtomicUsize,
    /// Kept public pages, made stale by the same signals.
    pages: PageCache,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Live {
    pub fn new(pages: PageCache) -> Self {
        let (sender, _) = broadcast::channel(BUFFER);
        Self {
            inner: Arc::new(Inner {
                instance: random_instance(),
                sender,
                recent: Mutex::new((0, VecDeque::with_capacity(RECENT))),
                dirty: Mutex::default(),
                edited: Mutex::default(),
                published: Mutex::default(),
                questions: Mutex::default(),
                checkins: Mutex::default(),
                wake: Notify::new(),
                watched_events: Mutex::default(),
                watched: Mutex::default(),
                watched_boards: Mutex::default(),
                streams_per_client: Mutex::default(),
                streams: AtomicUsize::new(0),
                pages,
            }),
        }
    }

    /// This instance's id.
    pub fn instance(&self) -> u32 {
        self.inner.instance
    }

    /// The stream id of message `id`.
    pub fn stream_id(&self, id: u64) -> String {
        format!("{:08x}-{id}", self.inner.instance)
    }

    /// The message number in a stream id this instance gave; `None` for
    /// another instance's (or a malformed one).
    pub fn parse_stream_id(&self, text: &str) -> Option<u64> {
        let (instance, id) = text.trim().split_once('-')?;
        (u32::from_str_radix(instance, 16).ok()? == self.inner.instance)
            .then(|| id.parse().ok())
            .flatten()
    }

    /// One server-sent event's bytes.
    pub fn frame(&self, id: u64, data: &str) -> bytes::Bytes {
        format!("id: {}\ndata: {data}\n\n", self.stream_id(id)).into()
    }

    /// Tells the other instances of `signal` when `tx` commits; call
    /// [`Live::signal`] after the commit for this one.
    pub async fn announce(&self, tx: &mut Tx, signal: Signal) -> sqlx::Result<()> {
        signals::notify(tx, self.inner.instance, signal).await
    }

    /// Brings what this instance shows up to date after `signal` (a change
    /// it made, or another instance's).
    pub fn signal(&self, signal: Signal) {
        match signal {
            Signal::Touched(event) => self.event_touched(event),
            Signal::Edited(event) => self.event_edited(event),
            Signal::Published(event) => self.event_published(event),
            Signal::Questions(event) => self.questions_changed(event),
            Signal::Checkins(event) => {
                lock(&self.inner.checkins).insert(event);
                self.inner.wake.notify_one();
            }
            Signal::Bulletins => self.inner.pages.changed(&[page_cache::Topic::Bulletins]),
            // For the outbox workers (`server::signals`), not for pages.
            Signal::Mail => {}
        }
    }

    /// Other instances' signals may have been lost: every watched event is
    /// recomputed, and no kept page is trusted.
    pub fn resync(&self) {
        self.inner.pages.changed_everything();
        let events: Vec<i64> = lock(&self.inner.watched_events).keys().copied().collect();
        lock(&self.inner.questions).extend(events.iter().copied());
        lock(&self.inner.dirty).extend(events);
        self.inner.wake.notify_one();
    }

    /// Something about the event's seats or registrations changed (call
    /// after the commit): its pages will be brought up to date.
    pub fn event_touched(&self, event_id: i64) {
        self.inner.pages.changed(&[
            page_cache::Topic::Event(event_id),
            page_cache::Topic::Events,
        ]);
        lock(&self.inner.dirty).insert(event_id);
        self.inner.wake.notify_one();
    }

    /// The event itself was edited: pages showing it say so.
    pub fn event_edited(&self, event_id: i64) {
        lock(&self.inner.edited).insert(event_id);
        self.event_touched(event_id);
    }

    /// The event was just published: open lists say there is a new one.
    pub fn event_published(&self, event_id: i64) {
        lock(&self.inner.published).insert(event_id);
        self.event_edited(event_id);
    }

    /// An event's questions changed (call after the commit): its boards
    /// will be brought up to date.
    pub fn questions_changed(&self, event_id: i64) {
        self.inner
            .pages
            .changed(&[page_cache::Topic::Questions(event_id)]);
        lock(&self.inner.questions).insert(event_id);
        self.inner.wake.notify_one();
    }

    /// A receiver of every message published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Envelope>> {
        self.inner.sender.subscribe()
    }

    /// Resolves when an event was marked dirty since the worker last looked.
    pub async fn woken(&self) {
        self.inner.wake.notified().await;
    }

    /// Streams open now.
    pub fn stream_count(&self) -> usize {
        self.inner.streams.load(Ordering::SeqCst)
    }

    pub fn publish(&self, topic: Topic, message: &LiveMessage) {
        let Ok(data) = serde_json::to_string(message) else {
            return;
        };
        let mut recent = lock(&self.inner.recent);
        recent.0 += 1;
        let envelope = Arc::new(Envelope {
            id: recent.0,
            topic,
            frame: self.frame(recent.0, &data),
            data,
        });
        if recent.1.len() == RECENT {
            recent.1.pop_front();
        }
        recent.1.push_back(Arc::clone(&envelope));
        // Sent under the lock, so streams see ids in order. No receivers is fine.
        let _ = self.inner.sender.send(envelope);
    }

    pub fn last_id(&self) -> u64 {
        lock(&self.inner.recent).0
    }

    /// The messages after `last` for `topics`, if the ring still holds all of them.
    pub fn since(&self, last: u64, topics: &[Topic]) -> Option<Vec<Arc<Envelope>>> {
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

    pub fn take_dirty(&self) -> HashSet<i64> {
        std::mem::take(&mut *lock(&self.inner.dirty))
    }

    pub fn take_edited(&self) -> HashSet<i64> {
        std::mem::take(&mut *lock(&self.inner.edited))
    }

    pub fn take_published(&self) -> HashSet<i64> {
        std::mem::take(&mut *lock(&self.inner.published))
    }

    pub fn take_questions(&self) -> HashSet<i64> {
        std::mem::take(&mut *lock(&self.inner.questions))
    }

    pub fn take_checkins(&self) -> HashSet<i64> {
        std::mem::take(&mut *lock(&self.inner.checkins))
    }

    /// Boards open now: session → event.
    pub fn watched_boards(&self) -> HashMap<i64, i64> {
        lock(&self.inner.watched_boards)
            .iter()
            .map(|(session, (event, _))| (*session, *event))
            .collect()
    }

    /// Watched registrations of these events.
    pub fn watched_in(&self, events: &HashSet<i64>) -> Vec<i64> {
        lock(&self.inner.watched)
            .iter()
            .filter(|(_, (event, _))| events.contains(event))
            .map(|(registration, _)| *registration)
            .collect()
    }

    pub fn is_watched(&self, registration: i64) -> bool {
        lock(&self.inner.watched).contains_key(&registration)
    }

    /// Streams open now that follow `event`.
    pub fn streams_for(&self, event: i64) -> usize {
        lock(&self.inner.watched_events)
            .get(&event)
            .copied()
            .unwrap_or(0)
    }

    pub fn watched_events(&self) -> HashSet<i64> {
        lock(&self.inner.watched_events).keys().copied().collect()
    }

    /// A place for one more stream from `client`, or `None` when it (or the
    /// server) has as many as it may.
    pub fn admit(&self, client: IpAddr, per_client: usize, watch: Watch) -> Option<Slot> {
        {
            let mut clients = lock(&self.inner.streams_per_client);
            let open = clients.entry(client).or_default();
            if *open >= per_client || self.inner.streams.load(Ordering::SeqCst) >= MAX_STREAMS {
                return None;
            }
            *open += 1;
            self.inner.streams.fetch_add(1, Ordering::SeqCst);
        }
        {
            let mut watched = lock(&self.inner.watched_events);
            for &event in &watch.events {
                *watched.entry(event).or_default() += 1;
            }
        }
        if let (Some(registration), Some(&event)) = (watch.registration, watch.events.first()) {
            lock(&self.inner.watched)
                .entry(registration)
                .or_insert((event, 0))
                .1 += 1;
        }
        if let (Some(session), Some(&event)) = (watch.board, watch.events.first()) {
            lock(&self.inner.watched_boards)
                .entry(session)
                .or_insert((event, 0))
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
/// their registration too; or a list's events and the events published.
#[derive(Clone, Debug, Default)]
pub struct Watch {
    pub events: Vec<i64>,
    pub registration: Option<i64>,
    /// A session whose question board the page shows.
    pub board: Option<i64>,
    /// An event whose door count the (staff) page shows.
    pub checkin: Option<i64>,
    pub listing: bool,
}

impl Watch {
    pub fn event(event: i64) -> Self {
        Self {
            events: vec![event],
            ..Self::default()
        }
    }

    pub fn topics(&self) -> Vec<Topic> {
        let mut topics: Vec<Topic> = self.events.iter().copied().map(Topic::Event).collect();
        topics.extend(self.registration.map(Topic::Registration));
        topics.extend(self.board.map(Topic::Board));
        topics.extend(self.checkin.map(Topic::Checkin));
        if self.listing {
            topics.push(Topic::Listing);
        }
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
pub struct Slot {
    live: Live,
    client: IpAddr,
    watch: Watch,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let inner = &self.live.inner;
        inner.streams.fetch_sub(1, Ordering::SeqCst);
        release(&inner.streams_per_client, &self.client, |n| n);
        for event in &self.watch.events {
            release(&inner.watched_events, event, |n| n);
        }
        if let Some(registration) = self.watch.registration {
            release(&inner.watched, &registration, |(_, n)| n);
        }
        if let Some(session) = self.watch.board {
            release(&inner.watched_boards, &session, |(_, n)| n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resume_needs_every_missed_message() {
        let live = Live::new(PageCache::new(0));
        assert!(
            live.since(0, &[Topic::Event(1)])
                .is_some_and(|m| m.is_empty())
        );
        for _ in 0..RECENT + 10 {
            live.publish(
                Topic::Event(1),
                &LiveMessage::EventChanged { event: "a".into() },
            );
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
        let live = Live::new(PageCache::new(0));
        let client: IpAddr = [192, 0, 2, 1].into();
        let event = Watch::event;
        let a = live.admit(
            client,
            2,
            Watch {
                registration: Some(7),
                ..Watch::event(1)
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
