//! Rule 1 under load, on two instances of the app sharing one database (as
//! behind a load balancer): 200 concurrent registrations split between them
//! and four moderators approving on both, at an event with 50 in-person and
//! 50 online seats, 20 rounds. Approved per mode never exceeds capacity,
//! everyone else is waitlisted or pending, no response is a 5xx, and the
//! database agrees with what the responses said.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};

use crate::common::{TestApp, spawn_app};

const ROUNDS: usize = 20;
const PEOPLE: usize = 200;
const SEATS: i64 = 50;
const MODERATORS: usize = 4;

async fn fresh_event(app: &TestApp, round: usize) -> (i64, String) {
    let slug = format!("capacity-round-{round}");
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO events (slug, kind, format, title_en, title_ar, time_zone, starts_at, ends_at,
             seats_in_person, seats_online, waitlist, requires_approval)
         VALUES ($1, 'consultation', 'hybrid', 'Capacity', 'السعة', 'UTC',
             $2, $3, $4, $5, true, true)
         RETURNING id",
    )
    .bind(&slug)
    .bind(day("2027-01-10"))
    .bind(day("2027-01-11"))
    .bind(SEATS)
    .bind(SEATS)
    .fetch_one(app.sql())
    .await
    .unwrap();
    (id, slug)
}

/// Midnight UTC of `date` (YYYY-MM-DD), in Unix seconds.
fn day(date: &str) -> i64 {
    format!("{date}T00:00:00Z")
        .parse::<jiff::Timestamp>()
        .unwrap()
        .as_second()
}

/// Reads `done=N` from the queue redirect after a decision.
fn approved_in(location: &str) -> i64 {
    location
        .split(['?', '&'])
        .find_map(|pair| pair.strip_prefix("done="))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no done= in {location}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn seats_are_never_oversold() {
    let app = Arc::new(spawn_app().await);
    let other = app.second_instance(|_| {}).await;
    // Instance A and instance B; staff sessions live in the database, so the
    // moderator's cookie (for 127.0.0.1, any port) works on both.
    let bases = Arc::new([app.url(""), format!("http://{}", other.addr)]);
    let (email, password) = app.create_staff(app::domain::Role::Moderator).await;
    let moderator = Arc::new(app.login(&email, &password).await);
    let server_errors = Arc::new(AtomicUsize::new(0));

    for round in 0..ROUNDS {
        let (event_id, slug) = fresh_event(&app, round).await;
        let registering = Arc::new(AtomicUsize::new(PEOPLE));
        let approved_by_responses = Arc::new(AtomicI64::new(0));

        let mut tasks = Vec::new();
        for i in 0..PEOPLE {
            let (app, slug, errors, registering, bases) = (
                app.clone(),
                slug.clone(),
                server_errors.clone(),
                registering.clone(),
                bases.clone(),
            );
            tasks.push(tokio::spawn(async move {
                let mode = if i % 2 == 0 { "in_person" } else { "online" };
                let fields = [
                    ("name", format!("Person {i}")),
                    ("organisation", "Load test".to_owned()),
                    ("role", "Tester".to_owned()),
                    ("email", format!("r{round}p{i}@example.org")),
                    ("mode", mode.to_owned()),
                    ("consent", "yes".to_owned()),
                ];
                let response = app
                    .client
                    .post(format!("{}/en/events/{slug}/register", bases[i % 2]))
                    .form(&fields)
                    .send()
                    .await
                    .unwrap();
                let status = response.status().as_u16();
                if status >= 500 {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
                assert_eq!(status, 303, "registration {i} of round {round}");
                registering.fetch_sub(1, Ordering::Relaxed);
            }));
        }
        for m in 0..MODERATORS {
            let (app, moderator, errors, registering, approved, bases) = (
                app.clone(),
                moderator.clone(),
                server_errors.clone(),
                registering.clone(),
                approved_by_responses.clone(),
                bases.clone(),
            );
            tasks.push(tokio::spawn(async move {
                loop {
                    let done_registering = registering.load(Ordering::Relaxed) == 0;
                    let pending: Vec<i64> = sqlx::query_scalar(
                        "SELECT id FROM registrations WHERE event_id = $1 AND state = 'pending'
                         ORDER BY random() LIMIT 15",
                    )
                    .bind(event_id)
                    .fetch_all(app.sql())
                    .await
                    .unwrap();
                    if pending.is_empty() {
                        if done_registering {
                            return;
                        }
                        tokio::task::yield_now().await;
                        continue;
                    }
                    let ids = pending
                        .iter()
                        .map(i64::to_string)
                        .collect::<Vec<_>>()
                        .join(",");
                    let response = moderator
                        .post(format!("{}/en/staff/registrations", bases[m % 2]))
                        .form(&[("decision", "approve"), ("ids", ids.as_str())])
                        .send()
                        .await
                        .unwrap();
                    let status = response.status().as_u16();
                    if status >= 500 {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                    assert_eq!(status, 303);
                    let location = response.headers()["location"].to_str().unwrap().to_owned();
                    approved.fetch_add(approved_in(&location), Ordering::Relaxed);
                    // Once both modes are full, approvals are refused; stop
                    // when nothing pending can get a seat any more.
                    let full: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND state = 'approved'",
                    )
                    .bind(event_id)
                    .fetch_one(app.sql())
                    .await
                    .unwrap();
                    if full == 2 * SEATS && done_registering {
                        return;
                    }
                }
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }

        let per_mode: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT mode, state, COUNT(*) FROM registrations WHERE event_id = $1
             GROUP BY mode, state",
        )
        .bind(event_id)
        .fetch_all(app.sql())
        .await
        .unwrap();
        let count = |mode: &str, state: &str| {
            per_mode
                .iter()
                .filter(|(m, s, _)| m == mode && s == state)
                .map(|(_, _, n)| *n)
                .sum::<i64>()
        };
        for mode in ["in_person", "online"] {
            let approved = count(mode, "approved");
            assert!(
                approved <= SEATS,
                "round {round}: {approved} approved {mode}"
            );
            assert_eq!(approved, SEATS, "round {round}: every seat of {mode} went");
            let rest = count(mode, "pending") + count(mode, "waitlisted");
            assert_eq!(approved + rest, 100, "round {round}: {per_mode:?}");
        }
        let approved_total = count("in_person", "approved") + count("online", "approved");
        assert_eq!(
            approved_by_responses.load(Ordering::Relaxed),
            approved_total,
            "round {round}: the responses said otherwise"
        );
    }
    assert_eq!(server_errors.load(Ordering::Relaxed), 0);
    println!(
        "{ROUNDS} rounds of {PEOPLE} concurrent registrations on two instances with {MODERATORS} \
         moderators approving on both: approved per mode never above {SEATS}, no 5xx"
    );
}
