//! `cargo bench -p server --bench live`
//!
//! Holds SUBSCRIBERS concurrent live streams (server-sent events) of one
//! event open on 127.0.0.1 while updates are published, and prints:
//!   (a) how many streams were held, and how many messages were lost;
//!   (b) the fan-out latency p50 / p99 / max: from a participant opening
//!       the link in their confirmation email (which, at a first-come
//!       event, takes a place and changes the seats left) to each
//!       subscriber reading the message that says so;
//!   (c) the server's memory per subscriber: its resident memory with every
//!       stream open, minus before, divided by the number of streams.
//! The server runs optimised in a child process (this same executable), so
//! its memory is its own; the subscribers are raw sockets in this one.
//! Traffic goes only to 127.0.0.1, bounded in count and time.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::BufRead;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use app::server::{AppState, Clock, Config, crypto, demo};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SUBSCRIBERS: usize = 10_000;
const ROUNDS: usize = 20;
/// Connections being opened at once.
const CONNECT_BATCH: usize = 250;
const ROUND_TIMEOUT: Duration = Duration::from_secs(10);
const SERVE_ENV: &str = "LAUSANNE_LIVE_BENCH_SERVE";

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    match std::env::var(SERVE_ENV) {
        Ok(dir) => runtime.block_on(serve(dir)),
        Err(_) => runtime.block_on(run()),
    }
}

fn config(dir: &str, addr: &str) -> Config {
    let dir = dir.to_owned();
    let addr = addr.to_owned();
    Config::from_lookup(move |name| match name {
        "DATABASE_URL" => Some(format!("sqlite://{dir}/bench.db?mode=rwc")),
        "LEPTOS_SITE_ADDR" => Some(addr.clone()),
        "LEPTOS_SITE_ROOT" => Some(dir.clone()),
        "LAUSANNE_OUTBOX_DIR" => Some(format!("{dir}/outbox")),
        "LAUSANNE_LIVE_PER_CLIENT" => Some((SUBSCRIBERS + 100).to_string()),
        "LAUSANNE_MAX_CONNECTIONS" => Some((SUBSCRIBERS + 100).to_string()),
        "LAUSANNE_FORM_LIMIT" => Some("1000000".to_owned()),
        _ => None,
    })
    .unwrap()
}

/// The child: serves the prepared database until its parent closes stdin.
async fn serve(dir: String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let config = config(&dir, &addr.to_string());
    let db = app::server::db::Db::open(config.database_url.as_str())
        .await
        .unwrap();
    let key = crypto::load(&config.data_key).unwrap();
    let state = AppState::new(db, config, key, Clock::system());
    // Confirmation emails, as `.eml` files in the outbox folder.
    app::server::delivery::spawn_worker(state.clone()).unwrap();
    tokio::spawn(server::serve(listener, state, std::future::pending()));
    println!("{addr}");
    tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        while std::io::stdin().read_line(&mut line).is_ok_and(|n| n > 0) {}
    })
    .await
    .unwrap();
}

/// The seats left that a stream's `data:` line gives, if it gives them.
fn seats_left(line: &[u8]) -> Option<i64> {
    let data = std::str::from_utf8(line.strip_prefix(b"data: ")?).ok()?;
    let at = data.find("\"left\":")?;
    data[at + 7..].trim_end().trim_end_matches('}').parse().ok()
}

/// The private page path in the email to `email`, once delivered.
async fn private_link(outbox: &std::path::Path, email: &str) -> String {
    let deadline = Instant::now() + ROUND_TIMEOUT;
    while Instant::now() < deadline {
        for entry in std::fs::read_dir(outbox).into_iter().flatten() {
            let raw = std::fs::read(entry.unwrap().path()).unwrap();
            let Some(message) = mail_parser::MessageParser::default().parse(&raw) else {
                continue;
            };
            let to = message
                .to()
                .and_then(|to| to.first())
                .and_then(|to| to.address());
            let body = message.body_text(0).unwrap_or_default();
            if to == Some(email)
                && let Some(at) = body.find("/en/r/")
            {
                return body[at..at + "/en/r/".len() + 32].to_owned();
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("no confirmation email to {email}");
}

fn resident_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

async fn run() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().display().to_string();
    let prepared = config(&path, "127.0.0.1:0");
    let db = app::server::db::Db::open(prepared.database_url.as_str())
        .await
        .unwrap();
    let pool = db.as_sqlite().unwrap().clone();
    // The key file in `dir`, which the serving child reads.
    let key = crypto::load(&prepared.data_key).unwrap();
    db.migrate(&key).await.unwrap();
    demo::load(&db, &key, jiff::Timestamp::now()).await.unwrap();
    // The demo's online briefing: first come, first served, so each
    // registration takes a seat and changes "seats left".
    let (slug, left): (String, i64) = sqlx::query_as(
        "SELECT slug, seats_online - (SELECT COUNT(*) FROM registrations r
             WHERE r.event_id = e.id AND r.state = 'approved')
         FROM events e WHERE kind = 'briefing' AND format = 'online' AND ends_at > unixepoch()",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    pool.close().await;

    let mut child = Command::new(std::env::current_exe().unwrap())
        .env(SERVE_ENV, &path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut addr = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut addr)
        .unwrap();
    let addr = addr.trim().to_owned();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    // Warm up: a page and one stream, then the baseline.
    client
        .get(format!("http://{addr}/en/events/{slug}"))
        .send()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = resident_kib(child.id());

    // Subscribers: each reads its stream and records, in a slot of its own
    // (no lock shared with the others), when it sees the "left" value the
    // current round waits for.
    let expected = Arc::new(AtomicI64::new(-1));
    let round = Arc::new(AtomicUsize::new(0));
    // When the current round began, in nanoseconds from `started`.
    let round_start = Arc::new(AtomicU64::new(0));
    // Per subscriber and round: its latency in nanoseconds, 0 until seen.
    let latencies: Arc<Vec<AtomicU64>> = Arc::new(
        (0..SUBSCRIBERS * ROUNDS)
            .map(|_| AtomicU64::new(0))
            .collect(),
    );
    let delivered = Arc::new(AtomicUsize::new(0));
    let ready = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(SUBSCRIBERS);
    for batch in 0..SUBSCRIBERS.div_ceil(CONNECT_BATCH) {
        let mut connects = Vec::new();
        for _ in 0..CONNECT_BATCH.min(SUBSCRIBERS - batch * CONNECT_BATCH) {
            let addr = addr.clone();
            let slug = slug.clone();
            connects.push(tokio::spawn(async move {
                let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
                let request = format!(
                    "GET /live?event={slug} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
                );
                stream.write_all(request.as_bytes()).await.unwrap();
                stream
            }));
        }
        for connect in connects {
            let mut stream = connect.await.unwrap();
            let subscriber = tasks.len();
            let (expected, round, round_start, latencies, delivered, ready) = (
                expected.clone(),
                round.clone(),
                round_start.clone(),
                latencies.clone(),
                delivered.clone(),
                ready.clone(),
            );
            tasks.push(tokio::spawn(async move {
                // Lines of the stream, read as they come (a frame is one read).
                let mut pending = Vec::with_capacity(256);
                let mut chunk = [0u8; 512];
                let mut snapshot_seen = false;
                while let Ok(n @ 1..) = stream.read(&mut chunk).await {
                    pending.extend_from_slice(&chunk[..n]);
                    while let Some(end) = pending.iter().position(|&b| b == b'\n') {
                        if let Some(left) = seats_left(&pending[..end]) {
                            if !snapshot_seen {
                                snapshot_seen = true;
                                ready.fetch_add(1, Ordering::SeqCst);
                            } else if left == expected.load(Ordering::SeqCst) {
                                let elapsed = started.elapsed().as_nanos() as u64
                                    - round_start.load(Ordering::SeqCst);
                                let slot = subscriber * ROUNDS + round.load(Ordering::SeqCst);
                                latencies[slot].store(elapsed.max(1), Ordering::Relaxed);
                                delivered.fetch_add(1, Ordering::SeqCst);
                            }
                        }
                        pending.drain(..=end);
                    }
                }
            }));
        }
    }
    while ready.load(Ordering::SeqCst) < SUBSCRIBERS && started.elapsed() < Duration::from_secs(60)
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let held = ready.load(Ordering::SeqCst);
    println!(
        "subscribers holding a stream: {held} of {SUBSCRIBERS} (connected in {:.1} s)",
        started.elapsed().as_secs_f64()
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = resident_kib(child.id());

    let register = format!("http://{addr}/en/events/{slug}/register");
    let mut lost = 0;
    // Per round: the confirmation's answer, and the first subscriber reached.
    let (mut answered, mut reached) = (Vec::new(), Vec::new());
    for this_round in 0..ROUNDS {
        let email = format!("live-bench-{this_round}@example.org");
        let response = client
            .post(&register)
            .form(&[
                ("name", "Bench Participant"),
                ("organisation", "Bench Organisation"),
                ("role", "Tester"),
                ("email", email.as_str()),
                ("mode", "online"),
                ("consent", "yes"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 303);
        let link = private_link(&dir.path().join("outbox"), &email).await;
        let target = delivered.load(Ordering::SeqCst) + held;
        round.store(this_round, Ordering::SeqCst);
        expected.store(left - 1 - this_round as i64, Ordering::SeqCst);
        round_start.store(started.elapsed().as_nanos() as u64, Ordering::SeqCst);
        let response = client
            .get(format!("http://{addr}{link}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        answered.push(started.elapsed().as_nanos() as u64 - round_start.load(Ordering::SeqCst));
        let deadline = Instant::now() + ROUND_TIMEOUT;
        while delivered.load(Ordering::SeqCst) < target && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        lost += target.saturating_sub(delivered.load(Ordering::SeqCst));
        let first = (0..SUBSCRIBERS)
            .map(|subscriber| latencies[subscriber * ROUNDS + this_round].load(Ordering::Relaxed))
            .filter(|&nanos| nanos > 0)
            .min();
        reached.push(first.unwrap_or(u64::MAX));
    }
    let median_ms = |mut values: Vec<u64>| {
        values.sort_unstable();
        values
            .get(values.len() / 2)
            .map_or(f64::NAN, |&n| n as f64 / 1e6)
    };
    println!(
        "median round: confirmation answered in {:.1} ms, first subscriber reached after {:.1} ms",
        median_ms(answered),
        median_ms(reached)
    );
    let mut latencies: Vec<Duration> = latencies
        .iter()
        .map(|slot| slot.load(Ordering::Relaxed))
        .filter(|&nanos| nanos > 0)
        .map(Duration::from_nanos)
        .collect();
    latencies.sort();
    let pick = |q: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * q).round() as usize)
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
    };
    let per_subscriber = (after.saturating_sub(before)) as f64 / held.max(1) as f64;
    println!(
        "updates published: {ROUNDS}; messages delivered: {}; lost: {lost}",
        latencies.len()
    );
    println!("server memory: {before} KiB before, {after} KiB with {held} streams open");
    println!(
        "fan-out latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; server memory per subscriber {per_subscriber:.1} KiB",
        pick(0.5),
        pick(0.99),
        pick(1.0),
    );
    for task in tasks {
        task.abort();
    }
    drop(child.stdin.take());
    let _ = child.kill();
    let _ = child.wait();
}
