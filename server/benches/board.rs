//! `cargo bench -p server --bench board` (on PostgreSQL: `bash
//! scripts/with-postgres.sh cargo bench -p server --bench board -- --pg`)
//!
//! A session's live question board with SUBSCRIBERS streams open on
//! 127.0.0.1 while approved participants vote through their private links,
//! VOTES_PER_SECOND votes a second for SECONDS seconds, and prints:
//!   (a) how many streams were held, votes cast, and vote messages lost;
//!   (b) on the last line, the fan-out latency p50 / p99 / max: from the
//!       moment a vote is posted to each subscriber reading the message
//!       with that question's new count.
//! The app runs optimised in this process (server and clients share the
//! cores). Traffic goes only to 127.0.0.1, bounded in count and time.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use app::domain::{AttendanceMode, Lang, QuestionState, RegistrationState};
use app::server::db::questions::{self, NewQuestion};
use app::server::db::registrations::{self, NewRegistration};
use app::server::token::Token;
use app::server::{AppState, Clock, Config, crypto, demo};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

mod support;

const SUBSCRIBERS: usize = 500;
const VOTES_PER_SECOND: usize = 20;
const SECONDS: usize = 10;
const QUESTIONS: usize = 10;
const VOTES: usize = VOTES_PER_SECOND * SECONDS;
/// Each participant votes once per question.
const VOTERS: usize = VOTES / QUESTIONS;

fn main() {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(run());
}

/// `(question, votes)` of a stream's `data:` line about votes.
fn votes_of(line: &str) -> Option<(i64, i64)> {
    let rest = line.strip_prefix("data: {\"votes\":{\"question\":")?;
    let (question, rest) = rest.split_once(",\"votes\":")?;
    Some((
        question.parse().ok()?,
        rest.trim_end_matches('}').parse().ok()?,
    ))
}

async fn run() {
    let dir = tempfile::tempdir().unwrap();
    let (url, postgres) = support::database(dir.path()).await;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let site = dir.path().display().to_string();
    let config = Config::from_lookup(|name| match name {
        "DATABASE_URL" => Some(url.clone()),
        "LAUSANNE_DATA_KEY" if postgres => Some(support::POSTGRES_KEY.to_owned()),
        "LEPTOS_SITE_ADDR" => Some(addr.to_string()),
        "LEPTOS_SITE_ROOT" => Some(site.clone()),
        "LAUSANNE_OUTBOX_DIR" => Some(format!("{site}/outbox")),
        "LAUSANNE_LIVE_PER_CLIENT" => Some((SUBSCRIBERS + 100).to_string()),
        "LAUSANNE_MAX_CONNECTIONS" => Some((SUBSCRIBERS + 1000).to_string()),
        _ => None,
    })
    .unwrap();
    let db = app::server::db::Db::open(&url).await.unwrap();
    let key = crypto::load(&config.data_key).unwrap();
    db.migrate(&key).await.unwrap();
    let now = jiff::Timestamp::now().as_second();
    demo::load(&db, &key, jiff::Timestamp::now()).await.unwrap();

    // The demo's online briefing, a session under way, approved
    // participants with private links, and approved questions.
    let event: i64 = match &db {
        app::server::db::Db::Sqlite(pool) => sqlx::query_scalar(
            "SELECT id FROM events WHERE kind = 'briefing' AND format = 'online' AND ends_at > ?",
        )
        .bind(now)
        .fetch_one(pool)
        .await
        .unwrap(),
        app::server::db::Db::Postgres(pool) => sqlx::query_scalar(
            "SELECT id FROM events WHERE kind = 'briefing' AND format = 'online' AND ends_at > $1",
        )
        .bind(now)
        .fetch_one(pool)
        .await
        .unwrap(),
    };
    let session = app::server::db::sessions::insert(
        &db,
        &app::server::db::sessions::NewSession {
            event_id: event,
            title_en: "Questions",
            title_ar: "أسئلة",
            starts_at: now - 600,
            ends_at: now + 3600,
            room: None,
            meeting_url: Some("https://meet.example.org/board-bench"),
        },
    )
    .await
    .unwrap();
    let mut tokens = Vec::new();
    for i in 0..VOTERS {
        let token = Token::generate().unwrap();
        let email = format!("board-bench-{i}@example.org");
        let id = registrations::insert(
            &db,
            &key,
            &NewRegistration {
                event_id: event,
                token_hash: &token.hash(),
                name: "Bench Voter",
                organisation: "Bench Organisation",
                organisation_id: None,
                role: "Tester",
                email: &email,
                mode: AttendanceMode::Online,
                interpretation: None,
                accessibility: "",
                lang: Lang::En,
                state: RegistrationState::Approved,
                now,
            },
        )
        .await
        .unwrap();
        registrations::confirm_email(&db, id, now).await.unwrap();
        tokens.push(token.as_str().to_owned());
    }
    let mut question_ids = Vec::new();
    for i in 0..QUESTIONS {
        let text = format!("Bench question number {i}: what happens to the evidence we send?");
        let id = questions::insert(
            &db,
            &key,
            &NewQuestion {
                event_id: event,
                session_id: session,
                registration_id: None,
                author_key: b"bench",
                text: &text,
                lang: Lang::En,
                now,
            },
        )
        .await
        .unwrap();
        questions::set_state(&db, &key, id, QuestionState::Approved, None, now)
            .await
            .unwrap();
        question_ids.push(id);
    }

    let state = AppState::new(db, config, key, Clock::system());
    listener.set_nonblocking(true).unwrap();
    let listener = tokio::net::TcpListener::from_std(listener).unwrap();
    tokio::spawn(server::serve(listener, state, std::future::pending()));
    let addr = addr.to_string();

    // When each (question, count) was voted, from `started`.
    let sent: Arc<Mutex<HashMap<(i64, i64), Duration>>> = Arc::default();
    let started = Instant::now();
    let ready = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut subscribers = Vec::new();
    for _ in 0..SUBSCRIBERS {
        let (addr, sent, ready) = (addr.clone(), sent.clone(), ready.clone());
        subscribers.push(tokio::spawn(async move {
            let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
            let request = format!(
                "GET /live?board={session} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
            );
            stream.write_all(request.as_bytes()).await.unwrap();
            let mut latencies = Vec::with_capacity(VOTES);
            let mut pending = Vec::with_capacity(1024);
            let mut chunk = [0u8; 4096];
            let mut snapshot = false;
            let deadline = tokio::time::Instant::now() + Duration::from_secs(SECONDS as u64 + 40);
            while let Ok(Ok(n @ 1..)) = tokio::time::timeout_at(deadline, stream.read(&mut chunk)).await {
                let at = started.elapsed();
                pending.extend_from_slice(&chunk[..n]);
                while let Some(end) = pending.iter().position(|&b| b == b'\n') {
                    let line = String::from_utf8_lossy(&pending[..end]).into_owned();
                    if !snapshot && line.starts_with("data: {\"board\"") {
                        snapshot = true;
                        ready.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    } else if let Some(key) = votes_of(&line)
                        && let Some(&when) = sent.lock().unwrap().get(&key)
                    {
                        latencies.push(at.saturating_sub(when));
                        if latencies.len() == VOTES {
                            return latencies;
                        }
                    }
                    pending.drain(..=end);
                }
            }
            latencies
        }));
    }
    while ready.load(std::sync::atomic::Ordering::SeqCst) < SUBSCRIBERS
        && started.elapsed() < Duration::from_secs(60)
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let held = ready.load(std::sync::atomic::Ordering::SeqCst);
    println!(
        "subscribers holding the board: {held} of {SUBSCRIBERS} (connected in {:.1} s)",
        started.elapsed().as_secs_f64()
    );

    // Votes at a steady rate: vote k goes to question k % QUESTIONS, from
    // voter k / QUESTIONS, so each question's votes are half a second
    // apart and its count goes 1, 2, 3…
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut tick = tokio::time::interval(Duration::from_secs(1) / VOTES_PER_SECOND as u32);
    let mut posts = Vec::new();
    let mut counts: HashMap<i64, i64> = HashMap::new();
    let voting = Instant::now();
    for k in 0..VOTES {
        tick.tick().await;
        let question = question_ids[k % QUESTIONS];
        let count = counts.entry(question).or_default();
        *count += 1;
        sent.lock()
            .unwrap()
            .insert((question, *count), started.elapsed());
        let url = format!("http://{addr}/en/r/{}/questions", tokens[k / QUESTIONS]);
        let client = client.clone();
        posts.push(tokio::spawn(async move {
            let response = client
                .post(url)
                .form(&[("action", "vote"), ("question", &question.to_string())])
                .send()
                .await
                .unwrap();
            response.status().as_u16()
        }));
    }
    let mut refused = 0;
    for post in posts {
        if post.await.unwrap() != 303 {
            refused += 1;
        }
    }
    println!(
        "votes cast: {VOTES} in {:.1} s ({refused} refused)",
        voting.elapsed().as_secs_f64()
    );
    let mut latencies = Vec::new();
    for subscriber in subscribers {
        latencies.extend(subscriber.await.unwrap());
    }
    let expected = held * VOTES;
    println!(
        "vote messages delivered: {} of {expected}; lost: {}",
        latencies.len(),
        expected.saturating_sub(latencies.len())
    );
    latencies.sort();
    let pick = |q: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * q).round() as usize)
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "board fan-out latency ({held} subscribers, {VOTES_PER_SECOND} votes/s, {}): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        if postgres { "PostgreSQL" } else { "SQLite" },
        pick(0.5),
        pick(0.99),
        pick(1.0),
    );
}
