//! Public pages, rendered and compressed once per change instead of once per
//! request.
//!
//! A public page is the same for every reader until what it shows changes,
//! and the server knows when that is: the code that changes an event or a
//! bulletin says so after its commit ([`PageCache::changed`], also called by
//! the live hub for every event it is told about). So the data behind each
//! public page says, while the page renders, what it shows ([`shows`]): which
//! topics, and until when the clock leaves it as it is (a registration
//! window closing, a session going live). The HTTP layer ([`http`]) keeps
//! such pages, with their brotli, gzip and plain bodies, and serves them
//! until one of their topics changes or that moment comes.
//!
//! Nothing is kept that a page did not declare: private and staff pages
//! never do, and a page that shows anything about its reader declares
//! [`personal`], which no other declaration can undo.
//!
//! Freshness is by sequence numbers rather than by finding entries: every
//! change takes the next number and records it for its topics; an entry
//! remembers the number current when its rendering began, and is stale as
//! soon as one of its topics changed after that. A change made while a page
//! renders therefore always makes that page stale.

pub mod http;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use leptos::prelude::use_context;
use lru::LruCache;
use tokio::sync::Notify;

use crate::server::db;
use crate::server::db::Db;

/// The header through which a rendering page tells the cache what it shows;
/// the cache takes it off every response.
pub(crate) const DECLARATION: HeaderName = HeaderName::from_static("x-lausanne-page-cache");

/// What a cached page shows, so that it is dropped when that changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Topic {
    /// Which events are published, and anything lists of them show (seats,
    /// titles, dates, cancellations).
    Events,
    /// One event: its page, its form, its calendar.
    Event(i64),
    /// An event's question boards.
    Questions(i64),
    /// The published bulletins.
    Bulletins,
}

impl Topic {
    fn code(self) -> String {
        match self {
            Self::Events => "events".to_owned(),
            Self::Event(id) => format!("event={id}"),
            Self::Questions(id) => format!("questions={id}"),
            Self::Bulletins => "bulletins".to_owned(),
        }
    }

    fn parse(code: &str) -> Option<Self> {
        match code {
            "events" => Some(Self::Events),
            "bulletins" => Some(Self::Bulletins),
            _ => match code.split_once('=')? {
                ("event", id) => id.parse().ok().map(Self::Event),
                ("questions", id) => id.parse().ok().map(Self::Questions),
                _ => None,
            },
        }
    }
}

/// Called by the data behind a public page while it renders: the page shows
/// `topics` and, as far as the clock goes, stays as it is until `until`
/// (Unix seconds). Each piece of data a page shows declares its own; a page
/// is kept only if it declared something and nothing declared it personal.
pub fn shows(topics: &[Topic], until: Option<i64>) {
    declare(&declaration(topics, until));
}

/// Lists of events show the published events as of now: kept until any
/// event changes, or the clock moves one of them on (starts, ends, closes).
pub async fn shows_events(pool: &Db, now: i64) -> sqlx::Result<()> {
    let until = db::events::next_change(pool, None, now).await?;
    shows(&[Topic::Events], until);
    Ok(())
}

/// One event's pages: kept until it changes, or its own next moment comes.
pub async fn shows_event(pool: &Db, event: i64, now: i64) -> sqlx::Result<()> {
    let until = db::events::next_change(pool, Some(event), now).await?;
    shows(&[Topic::Event(event)], until);
    Ok(())
}

/// The same for a response built by hand (a feed, a calendar file).
pub fn mark(response: &mut axum::response::Response, topics: &[Topic], until: Option<i64>) {
    if let Ok(value) = HeaderValue::from_str(&declaration(topics, until)) {
        response.headers_mut().append(DECLARATION, value);
    }
}

/// Called by anything that shows a page's reader something of their own:
/// the page is never kept or served to anyone else, here or by any cache
/// on the way.
pub fn personal() {
    declare("personal");
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            axum::http::header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
}

fn declaration(topics: &[Topic], until: Option<i64>) -> String {
    let mut codes: Vec<String> = topics.iter().map(|t| t.code()).collect();
    codes.extend(until.map(|at| format!("until={at}")));
    if codes.is_empty() {
        codes.push("static".to_owned());
    }
    codes.join(",")
}

fn declare(value: &str) {
    let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(value),
    ) else {
        return;
    };
    response.append_header(DECLARATION, value);
}

/// What a rendered page declared.
#[derive(Debug, Default, PartialEq)]
pub struct Declared {
    pub topics: Vec<Topic>,
    pub until: Option<i64>,
}

impl Declared {
    /// The declarations on a response, or `None` when it may not be kept
    /// (nothing declared, something personal, or a declaration not understood).
    pub fn read(headers: &HeaderMap) -> Option<Self> {
        let mut declared = Self::default();
        let mut any = false;
        for value in headers.get_all(DECLARATION) {
            for code in value.to_str().ok()?.split(',') {
                any = true;
                match code {
                    "personal" => return None,
                    "static" => {}
                    _ => match code.strip_prefix("until=") {
                        Some(at) => {
                            let at = at.parse().ok()?;
                            declared.until = Some(declared.until.map_or(at, |u: i64| u.min(at)));
                        }
                        None => {
                            let topic = Topic::parse(code)?;
                            if !declared.topics.contains(&topic) {
                                declared.topics.push(topic);
                            }
                        }
                    },
                }
            }
        }
        any.then_some(declared)
    }
}

/// The earliest of `instants` after `now`: when a page showing them next
/// changes by the clock alone.
pub fn next_after(now: i64, instants: impl IntoIterator<Item = i64>) -> Option<i64> {
    instants.into_iter().filter(|&at| at > now).min()
}

/// A kept page: its bodies, the headers it was sent with, and what makes it
/// stale.
pub struct Entry {
    pub identity: Bytes,
    pub brotli: Bytes,
    pub gzip: Bytes,
    /// The page's own headers (content type, language, policy), without the
    /// ones each response computes.
    pub headers: HeaderMap,
    /// A weak validator: the same for the three encodings of one content.
    pub etag: HeaderValue,
    /// The change sequence number when its rendering began.
    rendered_after: u64,
    topics: Vec<Topic>,
    until: Option<i64>,
}

impl Entry {
    pub fn new(
        identity: Bytes,
        brotli: Bytes,
        gzip: Bytes,
        headers: HeaderMap,
        etag: HeaderValue,
        rendered_after: u64,
        declared: Declared,
    ) -> Self {
        Self {
            identity,
            brotli,
            gzip,
            headers,
            etag,
            rendered_after,
            topics: declared.topics,
            until: declared.until,
        }
    }

    /// Bytes held, with a fixed allowance for the key and the headers.
    fn weight(&self, key: &str) -> usize {
        const OVERHEAD: usize = 1024;
        self.identity.len() + self.brotli.len() + self.gzip.len() + key.len() + OVERHEAD
    }
}

#[derive(Clone)]
pub struct PageCache {
    inner: Arc<Inner>,
}

struct Inner {
    ceiling: usize,
    store: Mutex<Store>,
    changes: Mutex<Changes>,
    /// Pages being rendered to be kept, by key: whoever else asks for one
    /// meanwhile waits for it instead of rendering it again.
    rendering: Mutex<HashMap<String, Arc<Notify>>>,
}

/// How long a reader waits for someone else's rendering of the same page
/// before rendering it themselves.
const WAIT_FOR_RENDERING: Duration = Duration::from_secs(5);

/// The first request for a missing page renders it; the others wait until
/// this is dropped (after the page was kept, or was found not keepable).
pub struct Rendering {
    cache: PageCache,
    key: String,
}

impl Drop for Rendering {
    fn drop(&mut self) {
        if let Some(waiting) = lock(&self.cache.inner.rendering).remove(&self.key) {
            waiting.notify_waiters();
        }
    }
}

struct Store {
    entries: LruCache<String, Arc<Entry>>,
    bytes: usize,
}

#[derive(Default)]
struct Changes {
    last: u64,
    /// The number of each topic's latest change; never changed means 0.
    topics: HashMap<Topic, u64>,
    /// The number of the latest change to everything (see
    /// [`PageCache::changed_everything`]).
    everything: u64,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl PageCache {
    /// A cache holding at most `ceiling` bytes (0: keep nothing).
    pub fn new(ceiling: usize) -> Self {
        Self {
            inner: Arc::new(Inner {
                ceiling,
                store: Mutex::new(Store {
                    entries: LruCache::unbounded(),
                    bytes: 0,
                }),
                changes: Mutex::default(),
                rendering: Mutex::default(),
            }),
        }
    }

    pub fn ceiling(&self) -> usize {
        self.inner.ceiling
    }

    /// Bytes held now.
    pub fn bytes(&self) -> usize {
        lock(&self.inner.store).bytes
    }

    /// Entries held now, fresh or not.
    pub fn len(&self) -> usize {
        lock(&self.inner.store).entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What `topics` show changed (call after the commit).
    pub fn changed(&self, topics: &[Topic]) {
        let mut changes = lock(&self.inner.changes);
        changes.last += 1;
        let number = changes.last;
        for topic in topics {
            changes.topics.insert(*topic, number);
        }
    }

    /// Anything may have changed: after another instance's changes could
    /// not be heard (its notices lost while the connection to the database
    /// was down), no page kept so far is trusted.
    pub fn changed_everything(&self) {
        let mut changes = lock(&self.inner.changes);
        changes.last += 1;
        changes.everything = changes.last;
    }

    /// The number a rendering about to begin is stale after.
    pub fn sequence(&self) -> u64 {
        lock(&self.inner.changes).last
    }

    fn is_fresh(&self, entry: &Entry, now: i64) -> bool {
        if entry.until.is_some_and(|until| now >= until) {
            return false;
        }
        let changes = lock(&self.inner.changes);
        changes.everything <= entry.rendered_after
            && entry.topics.iter().all(|topic| {
                changes.topics.get(topic).copied().unwrap_or(0) <= entry.rendered_after
            })
    }

    /// The fresh entry for `key`; a stale one is dropped.
    pub fn get(&self, key: &str, now: i64) -> Option<Arc<Entry>> {
        let mut store = lock(&self.inner.store);
        let entry = Arc::clone(store.entries.get(key)?);
        if self.is_fresh(&entry, now) {
            return Some(entry);
        }
        if let Some(gone) = store.entries.pop(key) {
            store.bytes -= gone.weight(key);
        }
        None
    }

    /// Either the turn to render `key` (when nobody else is), or `None`
    /// once whoever was rendering it has finished (or after a few seconds):
    /// a burst of readers after a change costs one rendering, not one each.
    pub async fn turn(&self, key: &str) -> Option<Rendering> {
        let first = {
            let mut rendering = lock(&self.inner.rendering);
            match rendering.get(key) {
                Some(first) => Arc::clone(first),
                None => {
                    rendering.insert(key.to_owned(), Arc::new(Notify::new()));
                    return Some(Rendering {
                        cache: self.clone(),
                        key: key.to_owned(),
                    });
                }
            }
        };
        let mut finished = std::pin::pin!(first.notified());
        finished.as_mut().enable();
        // It may have finished before we listened: then it is no longer there.
        let still = lock(&self.inner.rendering)
            .get(key)
            .is_some_and(|now| Arc::ptr_eq(now, &first));
        if still {
            let _ = tokio::time::timeout(WAIT_FOR_RENDERING, finished).await;
        }
        None
    }

    /// Whether `key` has a fresh entry (for tests and metrics; does not
    /// count as a use).
    pub fn holds(&self, key: &str, now: i64) -> bool {
        let store = lock(&self.inner.store);
        store
            .entries
            .peek(key)
            .is_some_and(|entry| self.is_fresh(entry, now))
    }

    /// Keeps `entry` for `key`, dropping the least recently used entries
    /// beyond the ceiling. An entry larger than an eighth of the ceiling is
    /// not kept: it would push out too much.
    pub fn insert(&self, key: String, entry: Arc<Entry>) {
        let weight = entry.weight(&key);
        if weight > self.inner.ceiling / 8 {
            return;
        }
        let mut store = lock(&self.inner.store);
        if let Some(old) = store.entries.put(key.clone(), entry) {
            store.bytes -= old.weight(&key);
        }
        store.bytes += weight;
        while store.bytes > self.inner.ceiling {
            let Some((gone_key, gone)) = store.entries.pop_lru() else {
                break;
            };
            store.bytes -= gone.weight(&gone_key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(size: usize, after: u64, declared: Declared) -> Arc<Entry> {
        Arc::new(Entry::new(
            Bytes::from(vec![b'x'; size]),
            Bytes::new(),
            Bytes::new(),
            HeaderMap::new(),
            HeaderValue::from_static("W/\"x\""),
            after,
            declared,
        ))
    }

    #[test]
    fn a_change_makes_only_pages_showing_it_stale() {
        let cache = PageCache::new(1 << 20);
        let event = |id| Declared {
            topics: vec![Topic::Event(id)],
            until: None,
        };
        let seq = cache.sequence();
        cache.insert("/en/events/a".into(), entry(10, seq, event(1)));
        cache.insert("/en/events/b".into(), entry(10, seq, event(2)));
        cache.changed(&[Topic::Event(1), Topic::Events]);
        assert!(cache.get("/en/events/a", 0).is_none());
        assert!(cache.get("/en/events/b", 0).is_some());
    }

    #[test]
    fn a_change_during_rendering_makes_the_page_stale() {
        let cache = PageCache::new(1 << 20);
        let seq = cache.sequence();
        cache.changed(&[Topic::Bulletins]);
        let declared = Declared {
            topics: vec![Topic::Bulletins],
            until: None,
        };
        cache.insert("/en/bulletins".into(), entry(10, seq, declared));
        assert!(cache.get("/en/bulletins", 0).is_none());
    }

    #[test]
    fn the_clock_ends_an_entry_at_its_moment() {
        let cache = PageCache::new(1 << 20);
        let declared = Declared {
            topics: vec![],
            until: Some(100),
        };
        cache.insert("/en".into(), entry(10, 0, declared));
        assert!(cache.get("/en", 99).is_some());
        assert!(cache.get("/en", 100).is_none());
        assert_eq!(cache.bytes(), 0);
    }

    #[test]
    fn never_holds_more_than_its_ceiling() {
        let cache = PageCache::new(64 * 1024);
        for i in 0..1000 {
            cache.insert(
                format!("/en/events?kind={i}"),
                entry(3000, 0, Declared::default()),
            );
            assert!(cache.bytes() <= 64 * 1024);
        }
        assert!(cache.len() > 10);
        // The most recent is kept, the oldest went.
        assert!(cache.get("/en/events?kind=999", 0).is_some());
        assert!(cache.get("/en/events?kind=0", 0).is_none());
    }

    #[tokio::test]
    async fn a_burst_of_readers_waits_for_one_rendering() {
        let cache = PageCache::new(1 << 20);
        let first = cache.turn("/en").await.expect("the first renders");
        let waiting = tokio::spawn({
            let cache = cache.clone();
            async move { cache.turn("/en").await.is_none() }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiting.is_finished(), "the second waits");
        cache.insert("/en".into(), entry(10, 0, Declared::default()));
        drop(first);
        assert!(
            waiting.await.expect("joined"),
            "and then reads the kept page"
        );
        assert!(cache.turn("/en").await.is_some(), "nobody renders it now");
    }

    #[test]
    fn a_hundred_thousand_distinct_queries_stay_under_the_ceiling() {
        let ceiling = 1024 * 1024;
        let cache = PageCache::new(ceiling);
        let mut peak = 0;
        for i in 0..100_000 {
            let key = format!("/en/events?when=past&page={i}");
            cache.insert(key, entry(2000, 0, Declared::default()));
            peak = peak.max(cache.bytes());
        }
        assert!(peak <= ceiling, "{peak}");
        assert!(cache.len() < 1000);
    }

    #[test]
    fn declarations_are_read_back_and_personal_wins() {
        let mut headers = HeaderMap::new();
        headers.append(DECLARATION, HeaderValue::from_static("events,until=50"));
        headers.append(DECLARATION, HeaderValue::from_static("event=7,until=40"));
        let declared = Declared::read(&headers).expect("cacheable");
        assert_eq!(declared.topics, [Topic::Events, Topic::Event(7)]);
        assert_eq!(declared.until, Some(40));
        headers.append(DECLARATION, HeaderValue::from_static("personal"));
        assert_eq!(Declared::read(&headers), None);
        assert_eq!(Declared::read(&HeaderMap::new()), None);
        let mut odd = HeaderMap::new();
        odd.append(DECLARATION, HeaderValue::from_static("event=x"));
        assert_eq!(Declared::read(&odd), None);
    }
}
