//! Check-in at the door: only approved in-person participants come in, once
//! a day, with attendance recorded once; everyone else gets a clear reason
//! (waitlisted, pending, online only, another event's code, unknown code,
//! the event over); undo takes it all back; every staff device's count
//! follows live, on every instance, and nobody else's can.

use std::time::Duration;

use app::domain::Role;

use crate::common::{TestApp, on_postgres};
use crate::events_editor::{event_fields, post, with};
use crate::live::registration_id;

const SLUG: &str = "door-event";
const OTHER: &str = "other-door-event";

/// An event the day after the test's "now" (Zurich), with one session in
/// the room on its first morning.
async fn door_event(app: &TestApp, admin: &reqwest::Client, slug: &str) {
    let fields = with(
        event_fields(slug),
        &[
            ("action", "publish"),
            ("starts_at", "2026-11-30T09:00"),
            ("ends_at", "2026-12-01T17:00:00"),
            ("registration_closes_at", "2026-11-30T08:00"),
        ],
    );
    let (status, _, body) = post(app, admin, "/en/staff/events/new", &fields).await;
    assert_eq!(status, 303, "{body}");
    let session: Vec<(String, String)> = [
        ("action", "save"),
        ("title_en", "Morning in the room"),
        ("title_ar", "صباح في القاعة"),
        ("starts_at", "2026-11-30T10:00"),
        ("ends_at", "2026-11-30T12:00"),
        ("room", "Room 3"),
        ("meeting_url", "https://meet.example.org/door-secret"),
        ("join_minutes_before", "15"),
        ("interpretation", "ar | 2\nen | Floor"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let path = format!("/en/staff/events/{slug}/sessions/new");
    let (status, _, body) = post(app, admin, &path, &session).await;
    assert_eq!(status, 303, "{body}");
}

/// Registers, opens the link; returns the registration and its private page.
pub(crate) async fn sign_up(
    app: &TestApp,
    slug: &str,
    name: &str,
    email: &str,
    mode: &str,
) -> (i64, String) {
    sign_up_in(app, "en", slug, name, email, mode).await
}

/// [`sign_up`] from the registration form in `lang`.
pub(crate) async fn sign_up_in(
    app: &TestApp,
    lang: &str,
    slug: &str,
    name: &str,
    email: &str,
    mode: &str,
) -> (i64, String) {
    let fields = [
        ("name", name),
        ("organisation", "Door Association (demo)"),
        ("role", "Member"),
        ("email", email),
        ("mode", mode),
        ("interpretation", "none"),
        ("consent", "yes"),
    ];
    let response = app
        .post_form(&format!("/{lang}/events/{slug}/register"), &fields)
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let link = app.private_link(email).await;
    assert_eq!(app.get(&link).await.0, 200);
    (registration_id(app, email).await, link)
}

pub(crate) async fn decide(app: &TestApp, staff: &reqwest::Client, decision: &str, id: i64) {
    let response = staff
        .post(app.url("/en/staff/registrations"))
        .form(&[("decision", decision), ("ids", &id.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
}

/// The check-in code a private page shows, if any.
pub(crate) fn code_in(page: &str) -> Option<String> {
    let at = page.find("checkin-code")?;
    let rest = &page[at..];
    let start = rest.find("<code>")? + "<code>".len();
    let end = rest[start..].find("</code>")?;
    Some(rest[start..start + end].to_owned())
}

/// Posts to the door; returns where it sends the staff member.
async fn door(app: &TestApp, staff: &reqwest::Client, fields: &[(&str, &str)]) -> String {
    let response = staff
        .post(app.url(&format!("/en/staff/events/{SLUG}/check-in")))
        .form(fields)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    response.headers()["location"].to_str().unwrap().to_owned()
}

async fn count(app: &TestApp, table: &str, registration: i64) -> i64 {
    sqlx::query_scalar::<_, i64>(&format!(
        "SELECT COUNT(*) FROM {table} WHERE registration_id = $1"
    ))
    .bind(registration)
    .fetch_one(app.sql())
    .await
    .unwrap()
}

/// Reads `response` (a stream) until `wanted` appears; returns what was read.
async fn read_until(response: &mut reqwest::Response, wanted: &str) -> String {
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !text.contains(wanted) {
        let chunk = tokio::time::timeout_at(deadline, response.chunk())
            .await
            .unwrap_or_else(|_| panic!("no {wanted} in {text}"))
            .unwrap()
            .unwrap();
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    text
}

#[tokio::test]
async fn only_approved_in_person_participants_are_checked_in_once_a_day() {
    let app = crate::common::spawn_app().await;
    let admin = app.staff_client(Role::Admin).await;
    door_event(&app, &admin, SLUG).await;
    door_event(&app, &admin, OTHER).await;
    let (a, a_page) = sign_up(
        &app,
        SLUG,
        "Door Person Alpha",
        "a@door.example",
        "in_person",
    )
    .await;
    let (b, b_page) = sign_up(&app, SLUG, "Door Person Beta", "b@door.example", "online").await;
    let (c, c_page) = sign_up(
        &app,
        SLUG,
        "Door Person Gamma",
        "c@door.example",
        "in_person",
    )
    .await;
    let (d, _) = sign_up(
        &app,
        SLUG,
        "Door Person Delta",
        "d@door.example",
        "in_person",
    )
    .await;
    let (e, e_page) = sign_up(
        &app,
        OTHER,
        "Door Person Echo",
        "e@door.example",
        "in_person",
    )
    .await;
    for id in [a, b, e] {
        decide(&app, &admin, "approve", id).await;
    }
    decide(&app, &admin, "waitlist", c).await;

    // The pass: only for the approved in person, as a QR code and letters.
    let a_code = code_in(&app.get(&a_page).await.1).expect("A's code");
    let a_html = app.get(&a_page).await.1;
    assert!(a_html.contains("<svg") && a_html.contains(r#"role="img""#));
    assert!(
        !a_html.contains(&a_code.replace('-', "")),
        "the QR holds the code only"
    );
    assert_eq!(code_in(&app.get(&b_page).await.1), None, "online");
    assert_eq!(code_in(&app.get(&c_page).await.1), None, "waitlisted");
    let e_code = code_in(&app.get(&e_page).await.1).expect("E's code");
    assert_ne!(a_code, e_code);
    // The online participant sees the interpretation channels by the join button.
    let b_html = app.get(&b_page).await.1;
    assert!(
        b_html.contains("Arabic — 2") && b_html.contains("English — Floor"),
        "{b_html}"
    );

    // The first morning, in the room.
    app.advance(22 * 3600);
    let moderator = app.staff_client(Role::Moderator).await;
    let session: i64 = sqlx::query_scalar(
        "SELECT id FROM sessions WHERE title_en = 'Morning in the room' AND event_id = $1",
    )
    .bind(app.event_id(SLUG).await)
    .fetch_one(app.sql())
    .await
    .unwrap();

    // The live count is for staff only; a staff device on another instance
    // behind the load balancer follows check-ins made on this one (on
    // SQLite, which runs one instance, "another" is this one).
    let stream = format!("/live?checkin={SLUG}");
    assert_eq!(app.get(&stream).await.0, 404);
    let other = app.second_instance(|_| {}).await;
    let elsewhere = if on_postgres() {
        format!("http://{}", other.addr)
    } else {
        app.url("")
    };
    let mut live = moderator
        .get(format!("{elsewhere}{stream}"))
        .send()
        .await
        .unwrap();
    assert_eq!(live.status().as_u16(), 200);
    read_until(&mut live, r#""arrived":0,"expected":1"#).await;

    // Found by code (however typed), checked in, attendance recorded.
    let page = app
        .page_as(
            &moderator,
            &format!(
                "/en/staff/events/{SLUG}/check-in?q={}",
                a_code.to_lowercase()
            ),
        )
        .await;
    assert!(
        page.contains("Door Person Alpha") && !page.contains("Door Person Beta"),
        "{page}"
    );
    let by_name = app
        .page_as(
            &moderator,
            &format!("/en/staff/events/{SLUG}/check-in?q=door+person"),
        )
        .await;
    assert!(by_name.contains("Door Person Beta") && !by_name.contains("Door Person Echo"));
    let to = door(&app, &moderator, &[("code", &a_code), ("action", "in")]).await;
    assert!(to.contains("done=in"), "{to}");
    assert_eq!(count(&app, "checkins", a).await, 1);
    let attended: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM attendance WHERE registration_id = $1 AND session_id = $2",
    )
    .bind(a)
    .bind(session)
    .fetch_one(app.sql())
    .await
    .unwrap();
    assert_eq!(attended, 1);
    read_until(&mut live, r#""arrived":1,"expected":1"#).await;

    // Twice: refused, nothing more recorded.
    let to = door(
        &app,
        &moderator,
        &[("registration", &a.to_string()), ("action", "in")],
    )
    .await;
    assert!(to.contains("refused=already_in"), "{to}");
    assert_eq!(count(&app, "checkins", a).await, 1);
    let joins: i64 = sqlx::query_scalar("SELECT joins FROM attendance WHERE registration_id = $1")
        .bind(a)
        .fetch_one(app.sql())
        .await
        .unwrap();
    assert_eq!(joins, 1);

    // Everyone else, with the reason.
    for (fields, why) in [
        (vec![("registration", b.to_string())], "online_only"),
        (vec![("registration", c.to_string())], "waitlisted"),
        (vec![("registration", d.to_string())], "pending"),
        (vec![("registration", e.to_string())], "other_event"),
        (vec![("code", e_code.clone())], "other_event"),
        (vec![("code", "not a code".to_owned())], "unknown_code"),
    ] {
        let fields: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .chain([("action", "in")])
            .collect();
        let to = door(&app, &moderator, &fields).await;
        assert!(to.contains(&format!("refused={why}")), "{why}: {to}");
    }
    for id in [b, c, d, e] {
        assert_eq!(count(&app, "checkins", id).await, 0);
    }
    // The reason is said in words, in both languages.
    let page = app
        .page_as(
            &moderator,
            &format!("/ar/staff/events/{SLUG}/check-in?q={e_code}"),
        )
        .await;
    assert!(page.contains("هذا الرمز لفعالية أخرى"), "{page}");

    // Strangers change nothing.
    let anonymous = app
        .client
        .post(app.url(&format!("/en/staff/events/{SLUG}/check-in")))
        .form(&[("registration", b.to_string().as_str()), ("action", "undo")])
        .send()
        .await
        .unwrap();
    assert!(matches!(anonymous.status().as_u16(), 303 | 401 | 403));
    assert!(
        anonymous
            .headers()
            .get("location")
            .is_none_or(|l| l.to_str().unwrap().contains("/staff/login"))
    );
    let stranger = app
        .get(&format!("/en/staff/events/{SLUG}/check-in?q=door"))
        .await
        .1;
    assert!(!stranger.contains("Door Person"));

    // Undo: gone, attendance too; once.
    let to = door(
        &app,
        &moderator,
        &[("registration", &a.to_string()), ("action", "undo")],
    )
    .await;
    assert!(to.contains("done=undone"), "{to}");
    assert_eq!(count(&app, "checkins", a).await, 0);
    assert_eq!(count(&app, "attendance", a).await, 0);
    read_until(&mut live, r#""arrived":0,"expected":1"#).await;
    let to = door(
        &app,
        &moderator,
        &[("registration", &a.to_string()), ("action", "undo")],
    )
    .await;
    assert!(to.contains("refused=not_in"), "{to}");

    // The report counts who came.
    door(&app, &moderator, &[("code", &a_code), ("action", "in")]).await;
    let report = app
        .page_as(&moderator, &format!("/en/staff/events/{SLUG}/report"))
        .await;
    assert!(report.contains("Checked in at the door"), "{report}");

    // Once it is over, nobody comes in.
    app.advance(3 * 24 * 3600);
    let moderator = app.staff_client(Role::Moderator).await;
    let to = door(&app, &moderator, &[("code", &a_code), ("action", "undo")]).await;
    assert!(to.contains("refused=event_over"), "{to}");
    assert_eq!(
        code_in(&app.get(&a_page).await.1),
        None,
        "no pass after the event"
    );
}
