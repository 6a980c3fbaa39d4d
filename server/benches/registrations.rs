//! `cargo bench -p server --bench registrations`, and on PostgreSQL
//! `bash scripts/with-postgres.sh cargo bench -p server --bench registrations -- --pg`
//! (or with `DATABASE_URL=postgres://…`)
//!
//! Boots the server (optimised, in this process) on 127.0.0.1 with a fresh
//! SQLite file (WAL, `synchronous = FULL`), or a fresh PostgreSQL database,
//! and prints:
//!   (a) registrations/s sustained over HTTP: real form posts, each one a
//!       write transaction that counts seats, inserts the registration, its
//!       audit entry and its email, then commits;
//!   (b) the raw rate of single-row insert transactions into the same
//!       database with the same settings (the ceiling for durable commits);
//!   (c) their ratio;
//!   (d) on the last line, `oversold: N`: approved registrations beyond a
//!       mode's capacity, summed over every event and mode, once every
//!       participant has opened their link (where a first-come place is
//!       taken), 32 at a time.
//! Traffic goes only to 127.0.0.1, bounded in count and time.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use app::server::{AppState, Clock, Config, crypto, db, demo};

mod support;

const REGISTRATIONS: usize = 3_000;
const CONCURRENCY: usize = 32;
const TIME_LIMIT: Duration = Duration::from_secs(30);
const RAW_INSERTS: usize = 3_000;

fn main() {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(run());
}

async fn run() {
    let dir = tempfile::tempdir().unwrap();
    let (url, postgres) = support::database(dir.path()).await;
    let durability = support::durability(&url, postgres).await;
    let db = app::server::db::Db::open(&url).await.unwrap();
    let pool = support::sql(&url).await;
    // A fixed data key: the bench needs no key file.
    let key = crypto::DataKey::from_bytes(&[1; 32]);
    db.migrate(&key).await.unwrap();
    let now = jiff::Timestamp::now();
    demo::load(&db, &key, now).await.unwrap();
    // The demo's online briefing: first come, first served; 150 seats, then
    // the waitlist. Most registrations below end up waitlisted.
    let slug: String = sqlx::query_scalar(
        "SELECT slug FROM events WHERE kind = 'briefing' AND format = 'online' AND ends_at > $1",
    )
    .bind(now.as_second())
    .fetch_one(&pool)
    .await
    .unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let outbox = dir.path().join("outbox");
    let config = Config::from_lookup(|name| match name {
        "DATABASE_URL" => Some(url.clone()),
        "LAUSANNE_DATA_KEY" if postgres => Some(support::POSTGRES_KEY.to_owned()),
        "LEPTOS_SITE_ADDR" => Some(addr.to_string()),
        "LEPTOS_SITE_ROOT" => Some(dir.path().display().to_string()),
        "LAUSANNE_OUTBOX_DIR" => Some(outbox.display().to_string()),
        // Every simulated participant posts from 127.0.0.1.
        "LAUSANNE_FORM_LIMIT" => Some("1000000".to_owned()),
        _ => None,
    })
    .unwrap();
    let state = AppState::new(db.clone(), config, key.clone(), Clock::system());
    listener.set_nonblocking(true).unwrap();
    let listener = tokio::net::TcpListener::from_std(listener).unwrap();
    tokio::spawn(server::serve(listener, state, std::future::pending()));

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(CONCURRENCY)
        .build()
        .unwrap();
    let target = Arc::new(format!("http://{addr}/en/events/{slug}/register"));
    let next = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let (client, target, next, failures) = (
                client.clone(),
                target.clone(),
                next.clone(),
                failures.clone(),
            );
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= REGISTRATIONS || started.elapsed() > TIME_LIMIT {
                        return;
                    }
                    let email = format!("bench{i}@example.org");
                    let form = support::online_registration(&email);
                    let ok = client
                        .post(target.as_str())
                        .form(&form)
                        .send()
                        .await
                        .is_ok_and(|r| r.status().as_u16() == 303);
                    if !ok {
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    // The briefing holds only the bench's registrations (emails are sealed).
    let done: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM registrations r JOIN events e ON e.id = r.event_id WHERE e.slug = $1",
    )
    .bind(&slug)
    .fetch_one(&pool)
    .await
    .unwrap();
    let http_rate = done as f64 / elapsed;
    println!(
        "registrations over HTTP: {done} in {elapsed:.2} s with {CONCURRENCY} clients, {} failed",
        failures.load(Ordering::Relaxed)
    );
    println!("registrations/s (HTTP, {durability}): {http_rate:.0}");

    // Every participant opens the link from their email, 32 at once: a
    // first-come place is taken when an address is confirmed, so this is
    // where seats are counted under concurrency.
    let bodies: Vec<Vec<u8>> = sqlx::query_scalar(
        "SELECT o.body_text FROM outbox o JOIN registrations r ON r.id = o.registration_id
         JOIN events e ON e.id = r.event_id WHERE e.slug = $1",
    )
    .bind(&slug)
    .fetch_all(&pool)
    .await
    .unwrap();
    let links: Vec<String> = bodies
        .iter()
        .filter_map(|body| {
            let body = key.open(crypto::OUTBOX_BODY, body).ok()?;
            let start = body.find("/en/r/")?;
            Some(format!("http://{addr}{}", &body[start..start + 6 + 32]))
        })
        .collect();
    let links = Arc::new(links);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let openers: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let (client, links, next, failures) = (
                client.clone(),
                links.clone(),
                next.clone(),
                failures.clone(),
            );
            tokio::spawn(async move {
                while let Some(link) = links.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let ok = client
                        .get(link)
                        .send()
                        .await
                        .is_ok_and(|r| r.status().is_success());
                    if !ok {
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for opener in openers {
        opener.await.unwrap();
    }
    println!(
        "confirmations over HTTP: {} in {:.2} s, {} failed in all",
        links.len(),
        started.elapsed().as_secs_f64(),
        failures.load(Ordering::Relaxed)
    );

    // The same database, the same settings: one durable transaction per row.
    let event_id: i64 = sqlx::query_scalar("SELECT id FROM events WHERE slug = $1")
        .bind(&slug)
        .fetch_one(&pool)
        .await
        .unwrap();
    let started = Instant::now();
    for i in 0..RAW_INSERTS {
        let mut tx = db.begin_write().await.unwrap();
        // Through the app's own insert, so sealing the personal data counts.
        let email = format!("raw{i}@example.org");
        db::registrations::insert(
            &mut tx,
            &key,
            &db::registrations::NewRegistration {
                event_id,
                token_hash: email.as_bytes(),
                name: "Raw",
                organisation: "Raw",
                organisation_id: None,
                role: "Raw",
                email: &email,
                mode: app::domain::AttendanceMode::Online,
                interpretation: None,
                accessibility: "",
                lang: app::domain::Lang::En,
                state: app::domain::RegistrationState::Withdrawn,
                now: 0,
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    let raw_rate = RAW_INSERTS as f64 / started.elapsed().as_secs_f64();
    println!("raw insert transactions/s (same database, {durability}): {raw_rate:.0}");
    println!("ratio HTTP / raw: {:.2}", http_rate / raw_rate);

    let oversold = support::oversold(&pool).await;
    println!("oversold: {oversold}");
}
