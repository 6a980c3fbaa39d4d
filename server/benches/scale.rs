//! `bash scripts/with-postgres.sh cargo bench -p server --bench scale -- --pg`
//! (or with `DATABASE_URL=postgres://…`)
//!
//! Two instances of the app (optimised, in this process, each with its own
//! pool, outbox worker, listener and leader election) on one fresh
//! PostgreSQL database, as behind a load balancer, and prints:
//!   (a) registrations/s from 64 clients posting to one instance, then to
//!       both (alternately), for at most 15 s each;
//!   (b) the fan-out latency p50 / p99 of live updates across instances:
//!       from a participant opening their link on A (which takes a
//!       first-come place) to each of the streams open on B reading the
//!       new seat count;
//!   (c) on the last line, `oversold: N`: approved registrations beyond a
//!       mode's capacity once the participants have opened their links, 64
//!       at a time, split between the instances, for at most 15 s.
//! Traffic goes only to 127.0.0.1, bounded in count and time.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use app::server::{AppState, Clock, Config, crypto, demo};

mod support;

const CLIENTS: usize = 64;
const PHASE: Duration = Duration::from_secs(15);
const PER_PHASE: usize = 6_000;
const SUBSCRIBERS: usize = 200;
const SAMPLES: usize = 50;

fn main() {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(run());
}

/// Starts one instance on `url`; returns its address.
async fn instance(url: &str, dir: &std::path::Path, key: &crypto::DataKey) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let outbox = dir.join("outbox");
    let config = Config::from_lookup(|name| match name {
        "DATABASE_URL" => Some(url.to_owned()),
        "LAUSANNE_DATA_KEY" => Some(support::POSTGRES_KEY.to_owned()),
        "LEPTOS_SITE_ADDR" => Some(addr.to_string()),
        "LEPTOS_SITE_ROOT" => Some(dir.display().to_string()),
        "LAUSANNE_OUTBOX_DIR" => Some(outbox.display().to_string()),
        // Every simulated participant posts, and reads, from 127.0.0.1.
        "LAUSANNE_FORM_LIMIT" => Some("1000000".to_owned()),
        "LAUSANNE_LIVE_PER_CLIENT" => Some((SUBSCRIBERS + 100).to_string()),
        _ => None,
    })
    .unwrap();
    let db = app::server::db::Db::open(url).await.unwrap();
    let state = AppState::new(db, config, key.clone(), Clock::system());
    app::server::delivery::spawn_worker(state.clone()).unwrap();
    listener.set_nonblocking(true).unwrap();
    let listener = tokio::net::TcpListener::from_std(listener).unwrap();
    tokio::spawn(server::serve(listener, state, std::future::pending()));
    format!("http://{addr}")
}

/// Posts registrations from [`CLIENTS`] clients, each to the next of
/// `bases` in turn, for at most [`PHASE`]; returns registrations/s.
async fn register(client: &reqwest::Client, bases: &[String], slug: &str, phase: &str) -> f64 {
    let next = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (client, bases, next, done, failed) = (
                client.clone(),
                bases.to_vec(),
                next.clone(),
                done.clone(),
                failed.clone(),
            );
            let (slug, phase) = (slug.to_owned(), phase.to_owned());
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= PER_PHASE || started.elapsed() > PHASE {
                        return;
                    }
                    let email = format!("{phase}{i}@example.org");
                    let form = support::online_registration(&email);
                    let base = &bases[i % bases.len()];
                    let ok = client
                        .post(format!("{base}/en/events/{slug}/register"))
                        .form(&form)
                        .send()
                        .await
                        .is_ok_and(|r| r.status().as_u16() == 303);
                    if ok {
                        done.fetch_add(1, Ordering::Relaxed);
                    } else {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let done = done.load(Ordering::Relaxed);
    println!(
        "  {phase}: {done} registrations in {elapsed:.2} s, {} failed",
        failed.load(Ordering::Relaxed)
    );
    done as f64 / elapsed
}

/// The private links in the confirmation emails of `slug`'s registrations.
async fn links(pool: &sqlx::AnyPool, key: &crypto::DataKey, slug: &str) -> Vec<String> {
    let bodies: Vec<Vec<u8>> = sqlx::query_scalar(
        "SELECT o.body_text FROM outbox o JOIN registrations r ON r.id = o.registration_id
         JOIN events e ON e.id = r.event_id WHERE e.slug = $1 ORDER BY o.id",
    )
    .bind(slug)
    .fetch_all(pool)
    .await
    .unwrap();
    bodies
        .iter()
        .filter_map(|body| {
            let body = key.open(crypto::OUTBOX_BODY, body).ok()?;
            let start = body.find("/en/r/")?;
            Some(body[start..start + 6 + 32].to_owned())
        })
        .collect()
}

/// The online seats left that a chunk of a stream announces for `slug`.
fn seats_left(text: &str, slug: &str) -> Vec<i64> {
    let marker = format!(r#"{{"seats":{{"event":"{slug}","mode":"online","left":"#);
    text.match_indices(&marker)
        .filter_map(|(at, _)| {
            let rest = &text[at + marker.len()..];
            rest[..rest.find('}')?].parse().ok()
        })
        .collect()
}

async fn run() {
    let dir = tempfile::tempdir().unwrap();
    let (url, postgres) = support::database(dir.path()).await;
    assert!(
        postgres,
        "the scale bench runs two instances on PostgreSQL: \
         bash scripts/with-postgres.sh cargo bench -p server --bench scale -- --pg"
    );
    println!("on {}", support::durability(&url, postgres).await);
    let key = crypto::DataKey::parse(support::POSTGRES_KEY).unwrap();
    let db = app::server::db::Db::open(&url).await.unwrap();
    db.migrate(&key).await.unwrap();
    let now = jiff::Timestamp::now();
    demo::load(&db, &key, now).await.unwrap();
    let pool = support::sql(&url).await;
    // The demo's online briefing: first come, first served; 150 seats, then
    // the waitlist.
    let slug: String = sqlx::query_scalar(
        "SELECT slug FROM events WHERE kind = 'briefing' AND format = 'online' AND ends_at > $1",
    )
    .bind(now.as_second())
    .fetch_one(&pool)
    .await
    .unwrap();
    let a = instance(&url, dir.path(), &key).await;
    let b = instance(&url, dir.path(), &key).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(CLIENTS)
        .build()
        .unwrap();

    // (a) One instance, then two.
    let one = register(&client, std::slice::from_ref(&a), &slug, "one").await;
    let two = register(&client, &[a.clone(), b.clone()], &slug, "two").await;
    println!("registrations/s, one instance ({CLIENTS} clients): {one:.0}");
    println!(
        "registrations/s, two instances ({CLIENTS} clients): {two:.0} ({:.2}x)",
        two / one
    );

    // (b) Streams open on B; places taken on A, one at a time.
    let sent: Arc<Mutex<HashMap<i64, Instant>>> = Arc::default();
    let heard: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let mut streams = Vec::new();
    for _ in 0..SUBSCRIBERS {
        let response = client
            .get(format!("{b}/live?event={slug}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let (sent, heard, slug) = (sent.clone(), heard.clone(), slug.clone());
        streams.push(tokio::spawn(async move {
            let mut response = response;
            while let Ok(Some(chunk)) = response.chunk().await {
                let at = Instant::now();
                for left in seats_left(&String::from_utf8_lossy(&chunk), &slug) {
                    if let Some(start) = sent.lock().unwrap().get(&left) {
                        heard.lock().unwrap().push(at - *start);
                    }
                }
            }
        }));
    }
    let links = links(&pool, &key, &slug).await;
    let online_left = |pool: sqlx::AnyPool, slug: String| async move {
        sqlx::query_scalar::<_, i64>(
            "SELECT e.seats_online - (SELECT COUNT(*) FROM registrations r
                 WHERE r.event_id = e.id AND r.mode = 'online' AND r.state = 'approved')
             FROM events e WHERE e.slug = $1",
        )
        .bind(slug)
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    let mut opened = 0;
    for link in links.iter().take(SAMPLES) {
        let left = online_left(pool.clone(), slug.clone()).await;
        sent.lock().unwrap().insert(left - 1, Instant::now());
        let response = client.get(format!("{a}{link}")).send().await.unwrap();
        assert!(response.status().is_success());
        opened += 1;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mut latencies = heard.lock().unwrap().clone();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    println!(
        "live fan-out A -> B: {} of {} messages heard by {SUBSCRIBERS} streams on B for {opened} \
         places taken on A; p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        latencies.len(),
        SUBSCRIBERS * opened,
        at(0.5).as_secs_f64() * 1000.0,
        at(0.99).as_secs_f64() * 1000.0,
        latencies.last().unwrap().as_secs_f64() * 1000.0
    );
    for stream in streams {
        stream.abort();
    }

    // (c) Everyone else opens their link, on A or B, 64 at a time.
    let rest = Arc::new(links[opened..].to_vec());
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let openers: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (client, rest, next, bases) = (
                client.clone(),
                rest.clone(),
                next.clone(),
                [a.clone(), b.clone()],
            );
            tokio::spawn(async move {
                while started.elapsed() < PHASE {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(link) = rest.get(i) else { return };
                    let _ = client.get(format!("{}{link}", bases[i % 2])).send().await;
                }
            })
        })
        .collect();
    for opener in openers {
        opener.await.unwrap();
    }
    println!(
        "confirmations on both instances: {} of {} in {:.2} s",
        next.load(Ordering::Relaxed).min(rest.len()),
        rest.len(),
        started.elapsed().as_secs_f64()
    );
    let oversold = support::oversold(&pool).await;
    println!("oversold: {oversold}");
}
