//! Reminders before an event, with the app's clock: once at each time,
//! never for cancelled events or participants who turned them off, never
//! twice however many workers run; their join links keep to the window.

use app::domain::Role;
use app::server::reminders::send_due;

use crate::common::{TestApp, now, spawn_app};
use crate::events_editor::{event_fields, post, with};
use crate::live::{add_session, location, register};

const MEETING: &str = "https://meet.example.org/reminder-room-77";

async fn starts_at(app: &TestApp, slug: &str) -> i64 {
    sqlx::query_scalar("SELECT starts_at FROM events WHERE slug = $1")
        .bind(slug)
        .fetch_one(app.sql())
        .await
        .unwrap()
}

/// Moves the app's clock to `at` (Unix seconds).
fn move_to(app: &TestApp, at: i64) {
    app.advance(at - app.state.clock.now().as_second());
}

fn reminders_to(mails: &[crate::common::StoredMail]) -> Vec<&crate::common::StoredMail> {
    mails
        .iter()
        .filter(|m| m.subject.starts_with("Reminder:") || m.subject.starts_with("تذكير:"))
        .collect()
}

#[tokio::test]
async fn reminders_go_once_at_each_time_and_their_join_links_keep_to_the_window() {
    let app = spawn_app().await;
    let slug = app.briefing_slug().await;
    let event = app.event_id(&slug).await;
    let start = starts_at(&app, &slug).await;
    let session = add_session(&app, event, start - now().as_second() + 600, MEETING).await;
    let (_, _) = register(&app, &slug, "remind-me@example.org", "online").await;
    let (quiet, _) = register(&app, &slug, "no-reminders@example.org", "online").await;
    // Turned off on the private page.
    let off = app
        .post_form(&format!("{quiet}/reminders"), &[("reminders", "off")])
        .await;
    assert_eq!(off.status().as_u16(), 303);
    assert!(app.get(&quiet).await.1.contains("Reminders are off"));

    // Not yet.
    assert_eq!(send_due(&app.state).await.unwrap(), 0);
    // Two days before: one email (the participant who kept them on), once,
    // with two workers at once and after a restart alike.
    move_to(&app, start - 48 * 3600 + 30);
    let (a, b) = tokio::join!(send_due(&app.state), send_due(&app.state));
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    assert_eq!(send_due(&app.state).await.unwrap(), 0);
    let mails = app.mails_to("remind-me@example.org").await;
    let sent = reminders_to(&mails);
    assert_eq!(sent.len(), 1);
    assert!(reminders_to(&app.mails_to("no-reminders@example.org").await).is_empty());
    let body = &sent[0].body;
    assert!(
        body.contains("Test session") && body.contains("calendar.ics"),
        "{body}"
    );
    assert!(!body.contains(MEETING), "never the meeting URL: {body}");
    let join = body
        .split_whitespace()
        .filter_map(|word| word.find("/join/").map(|at| &word[at..]))
        .find(|link| link.ends_with(&format!("/{session}")))
        .expect("a personal join link for the session")
        .to_owned();

    // The join link is refused before the window, like any other.
    let (status, to) = location(&app, &join).await;
    assert_eq!(status, 303);
    assert!(to.contains("join=early") && !to.contains(MEETING), "{to}");

    // Two hours before: the second reminder, once.
    move_to(&app, start - 2 * 3600 + 30);
    assert_eq!(send_due(&app.state).await.unwrap(), 1);
    assert_eq!(send_due(&app.state).await.unwrap(), 0);
    assert_eq!(
        reminders_to(&app.mails_to("remind-me@example.org").await).len(),
        2
    );
    // Inside the window the reminder's link leads to the meeting.
    move_to(&app, start + 600 - 5 * 60);
    assert_eq!(location(&app, &join).await.1, MEETING);
    // After the start: nothing more.
    move_to(&app, start + 3600);
    assert_eq!(send_due(&app.state).await.unwrap(), 0);
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reminders_sent WHERE event_id = $1")
        .bind(event)
        .fetch_one(app.sql())
        .await
        .unwrap();
    assert_eq!(rows, 2);
}

#[tokio::test]
async fn no_reminders_for_cancelled_events_and_bad_times_are_refused() {
    let app = spawn_app().await;
    let slug = app.briefing_slug().await;
    let start = starts_at(&app, &slug).await;
    register(&app, &slug, "cancelled@example.org", "online").await;
    sqlx::query("UPDATE events SET status = 'cancelled' WHERE slug = $1")
        .bind(&slug)
        .execute(app.sql())
        .await
        .unwrap();
    move_to(&app, start - 3600);
    assert_eq!(send_due(&app.state).await.unwrap(), 0);
    assert!(reminders_to(&app.mails_to("cancelled@example.org").await).is_empty());

    // The editor: a reminder at or after the start, or beyond 30 days, is
    // refused with a message and nothing changes; empty means none.
    let admin = app.staff_client(Role::Admin).await;
    let slug = "reminder-times";
    let create = with(
        event_fields(slug),
        &[
            ("action", "publish"),
            ("remind_first_hours", "48"),
            ("remind_second_hours", "2"),
        ],
    );
    assert_eq!(
        post(&app, &admin, "/en/staff/events/new", &create).await.0,
        303
    );
    let edit = format!("/en/staff/events/{slug}/edit");
    for (bad, message) in [
        ("0", "before the event starts"),
        ("-3", "before the event starts"),
        ("721", "720"),
        ("two days", "720"),
    ] {
        let fields = with(
            event_fields(slug),
            &[
                ("action", "save"),
                ("remind_first_hours", bad),
                ("remind_second_hours", "2"),
            ],
        );
        let (status, _, body) = post(&app, &admin, &edit, &fields).await;
        assert_eq!(status, 422, "{bad}");
        assert!(body.contains(message), "{bad}: {message}");
    }
    let hours: (Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT remind_first_hours, remind_second_hours FROM events WHERE slug = $1",
    )
    .bind(slug)
    .fetch_one(app.sql())
    .await
    .unwrap();
    assert_eq!(hours, (Some(48), Some(2)), "the defaults, unchanged");
    let fields = with(
        event_fields(slug),
        &[
            ("action", "save"),
            ("remind_first_hours", "24"),
            ("remind_second_hours", ""),
        ],
    );
    assert_eq!(post(&app, &admin, &edit, &fields).await.0, 303);
    let hours: (Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT remind_first_hours, remind_second_hours FROM events WHERE slug = $1",
    )
    .bind(slug)
    .fetch_one(app.sql())
    .await
    .unwrap();
    assert_eq!(hours, (Some(24), None));
}
