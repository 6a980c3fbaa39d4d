//! The staff events and sessions editor: admins create, edit, publish and
//! cancel events and their sessions; every refusal is a 422 that keeps what
//! was typed; moderators and signed-out visitors can do nothing; every
//! change is audited; the meeting URL stays in the editor.

use crate::common::{TestApp, spawn_app};
use app::domain::LocalDateTime;
use app::domain::Role;
use app::domain::form::FieldError;
use app::domain::time_zone::instant;
use app::server::crypto;

/// (what, fields changed, message expected)
type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);

const SECRET_URL: &str = "https://meet.example.org/room/s3cret-editor-42";

/// A valid hybrid event, as the form posts it.
pub(crate) fn event_fields(slug: &str) -> Vec<(String, String)> {
    [
        ("slug", slug),
        ("kind", "consultation"),
        ("format", "hybrid"),
        ("visibility", "public"),
        ("title_en", "Consultation on detention"),
        ("title_ar", "مشاورة حول الاعتقال"),
        ("summary_en", "Two days with families of the detained."),
        ("summary_ar", "يومان مع عائلات المعتقلين."),
        ("description_en", "First paragraph.\n\nSecond paragraph."),
        ("description_ar", "الفقرة الأولى."),
        ("city_en", "Geneva"),
        ("city_ar", "جنيف"),
        ("country_en", "Switzerland"),
        ("country_ar", "سويسرا"),
        ("venue", "Palais Wilson, room 3"),
        ("time_zone", "Europe/Zurich"),
        ("starts_at", "2027-03-01T09:00"),
        ("ends_at", "2027-03-02T17:00:00"),
        ("registration_opens_at", ""),
        ("registration_closes_at", "2027-02-20T23:59"),
        ("seats_in_person", "30"),
        ("seats_online", "80"),
        ("waitlist", "on"),
        ("requires_approval", "on"),
        ("interpretation", "ar"),
        ("interpretation", "en"),
        ("invitation_code", ""),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

pub(crate) fn with(
    mut fields: Vec<(String, String)>,
    changes: &[(&str, &str)],
) -> Vec<(String, String)> {
    for (name, value) in changes {
        fields.retain(|(k, _)| k != name);
        fields.push(((*name).to_owned(), (*value).to_owned()));
    }
    fields
}

fn session_fields(title: &str, starts: &str, ends: &str) -> Vec<(String, String)> {
    [
        ("action", "save"),
        ("title_en", title),
        ("title_ar", "جلسة"),
        ("starts_at", starts),
        ("ends_at", ends),
        ("room", "Room 3"),
        ("meeting_url", SECRET_URL),
        ("join_minutes_before", "20"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

pub(crate) async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    fields: &[(String, String)],
) -> (u16, String, String) {
    let response = client
        .post(app.url(path))
        .form(fields)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, location, response.text().await.unwrap())
}

async fn get(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    let response = client.get(app.url(path)).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

pub(crate) async fn create(app: &TestApp, admin: &reqwest::Client, slug: &str, action: &str) {
    let fields = with(event_fields(slug), &[("action", action)]);
    let (status, location, body) = post(app, admin, "/en/staff/events/new", &fields).await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(location, format!("/en/staff/events/{slug}/edit?done=saved"));
}

async fn status_of(app: &TestApp, slug: &str) -> String {
    sqlx::query_scalar("SELECT status FROM events WHERE slug = $1")
        .bind(slug)
        .fetch_one(app.sql())
        .await
        .unwrap()
}

async fn audit_actions(app: &TestApp, subject_type: &str, id: i64) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT action FROM audit WHERE subject_type = $1 AND subject_id = $2 AND actor = 'staff'
         ORDER BY id",
    )
    .bind(subject_type)
    .bind(id)
    .fetch_all(app.sql())
    .await
    .unwrap()
}

#[tokio::test]
async fn admin_creates_edits_publishes_and_cancels_an_event() {
    let app = spawn_app().await;
    let admin = app.staff_client(Role::Admin).await;

    let (status, body) = get(&app, &admin, "/en/staff/events").await;
    assert_eq!(status, 200);
    assert!(body.contains("New event"), "{body}");
    assert!(body.contains(&app.platform_slug().await));
    let (status, body) = get(&app, &admin, "/en/staff/events/new").await;
    assert_eq!(status, 200);
    assert!(body.contains("Save as draft"));
    assert!(body.contains("Asia/Damascus"), "the time zone list");

    // A draft: not on the public pages.
    let slug = "detention-consultation-2027";
    create(&app, &admin, slug, "draft").await;
    assert_eq!(status_of(&app, slug).await, "draft");
    assert_eq!(app.get(&format!("/en/events/{slug}")).await.0, 404);
    let (starts, ends, closes, seats, interpretation): (i64, i64, i64, i64, String) =
        sqlx::query_as(
            "SELECT starts_at, ends_at, registration_closes_at, seats_online, interpretation
             FROM events WHERE slug = $1",
        )
        .bind(slug)
        .fetch_one(app.sql())
        .await
        .unwrap();
    // 09:00 in Zurich in March is 08:00 UTC.
    assert_eq!(
        starts,
        "2027-03-01T08:00:00Z"
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_second()
    );
    assert_eq!(
        ends,
        "2027-03-02T16:00:00Z"
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_second()
    );
    assert_eq!(
        closes,
        "2027-02-20T22:59:00Z"
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_second()
    );
    assert_eq!((seats, interpretation.as_str()), (80, "ar,en"));

    let (status, body) = get(
        &app,
        &admin,
        &format!("/en/staff/events/{slug}/edit?done=saved"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(body.contains("Saved."));
    assert!(
        body.contains("2027-03-01T09:00:00"),
        "local times shown back"
    );
    assert!(body.contains("Palais Wilson"));

    // Edit and publish: on the public pages, found by its new title.
    let fields = with(
        event_fields(slug),
        &[
            ("action", "publish"),
            ("title_en", "Consultation on enforced disappearance"),
        ],
    );
    let (status, location, body) = post(
        &app,
        &admin,
        &format!("/en/staff/events/{slug}/edit"),
        &fields,
    )
    .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(location, format!("/en/staff/events/{slug}/edit?done=saved"));
    assert_eq!(status_of(&app, slug).await, "published");
    let (status, body) = app.get(&format!("/en/events/{slug}")).await;
    assert_eq!(status, 200);
    assert!(body.contains("Consultation on enforced disappearance"));
    assert!(!body.contains("Palais Wilson"), "the venue is never public");
    let (_, body) = app.get("/en/events?q=disappearance").await;
    assert!(body.contains(slug), "the search text follows the title");

    // Cancelling needs the confirmation box.
    let cancel = [("action".to_owned(), "cancel".to_owned())];
    let (status, _, body) = post(
        &app,
        &admin,
        &format!("/en/staff/events/{slug}/edit"),
        &cancel,
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("Please tick this box to continue."));
    assert_eq!(status_of(&app, slug).await, "published");
    let cancel = with(cancel.to_vec(), &[("confirm", "yes")]);
    let (status, location, _) = post(
        &app,
        &admin,
        &format!("/en/staff/events/{slug}/edit"),
        &cancel,
    )
    .await;
    assert_eq!(status, 303);
    assert!(location.ends_with("?done=cancelled"));
    assert_eq!(status_of(&app, slug).await, "cancelled");
    assert_eq!(app.get(&format!("/en/events/{slug}")).await.0, 404);
    let (_, body) = get(&app, &admin, "/en/staff/events").await;
    assert!(body.contains("Cancelled"));

    // A new slug moves the event.
    let fields = with(
        event_fields(slug),
        &[("action", "save"), ("slug", "detention-2027")],
    );
    let (status, location, _) = post(
        &app,
        &admin,
        &format!("/en/staff/events/{slug}/edit"),
        &fields,
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(location, "/en/staff/events/detention-2027/edit?done=saved");
    assert_eq!(status_of(&app, "detention-2027").await, "cancelled");

    let id = app.event_id("detention-2027").await;
    assert_eq!(
        audit_actions(&app, "event", id).await,
        [
            "event_created",
            "event_updated",
            "event_published",
            "event_cancelled",
            "event_updated"
        ]
    );
    let (_, audit) = get(&app, &admin, "/en/staff/audit").await;
    assert!(audit.contains("Event published"), "labelled in English");
    let (_, audit) = get(&app, &admin, "/ar/staff/audit").await;
    assert!(audit.contains("نُشرت الفعالية"), "labelled in Arabic");
}

#[tokio::test]
async fn admin_adds_edits_and_cancels_sessions_and_the_meeting_url_stays_secret() {
    let app = spawn_app().await;
    let admin = app.staff_client(Role::Admin).await;
    let slug = "hybrid-briefing-2027";
    create(&app, &admin, slug, "publish").await;
    let sessions = format!("/en/staff/events/{slug}/sessions");

    let (status, body) = get(&app, &admin, &format!("{sessions}/new")).await;
    assert_eq!(status, 200);
    assert!(body.contains("Online meeting address"));

    let fields = session_fields("Opening plenary", "2027-03-01T09:30", "2027-03-01T11:00");
    let (status, location, body) = post(&app, &admin, &format!("{sessions}/new"), &fields).await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(
        location,
        format!("/en/staff/events/{slug}/edit?done=session_saved#agenda")
    );
    let (id, url, join, starts): (i64, String, i64, i64) = sqlx::query_as(
        "SELECT id, meeting_url, join_opens_minutes_before, starts_at FROM sessions
         WHERE title_en = 'Opening plenary'",
    )
    .fetch_one(app.sql())
    .await
    .unwrap();
    assert_eq!((url.as_str(), join), (SECRET_URL, 20));
    assert_eq!(
        starts,
        "2027-03-01T08:30:00Z"
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_second()
    );

    let (_, public) = app.get(&format!("/en/events/{slug}")).await;
    assert!(public.contains("Opening plenary"));
    assert!(!public.contains(SECRET_URL) && !public.contains("s3cret"));
    let (_, edit) = get(&app, &admin, &format!("/en/staff/events/{slug}/edit")).await;
    assert!(edit.contains("Opening plenary"));
    assert!(
        !edit.contains("s3cret"),
        "the agenda list does not show the URL"
    );
    let (status, form) = get(&app, &admin, &format!("{sessions}/{id}")).await;
    assert_eq!(status, 200);
    assert!(
        form.contains(SECRET_URL),
        "the admin's session form shows it"
    );

    // Edit.
    let fields = session_fields(
        "Opening plenary, revised",
        "2027-03-01T10:00",
        "2027-03-01T11:30:30",
    );
    let (status, _, body) = post(&app, &admin, &format!("{sessions}/{id}"), &fields).await;
    assert_eq!(status, 303, "{body}");
    let title: String = sqlx::query_scalar("SELECT title_en FROM sessions WHERE id = $1")
        .bind(id)
        .fetch_one(app.sql())
        .await
        .unwrap();
    assert_eq!(title, "Opening plenary, revised");

    // Refusals keep what was typed.
    let outside = session_fields("Too late", "2027-03-03T10:00", "2027-03-03T11:00");
    let (status, _, body) = post(&app, &admin, &format!("{sessions}/new"), &outside).await;
    assert_eq!(status, 422);
    assert!(
        body.contains("The session must take place within the event"),
        "{body}"
    );
    assert!(body.contains("Too late") && body.contains("2027-03-03T10:00"));
    let http = with(
        session_fields("Plain http", "2027-03-01T12:00", "2027-03-01T13:00"),
        &[("meeting_url", "http://meet.example.org/x")],
    );
    let (status, _, body) = post(&app, &admin, &format!("{sessions}/new"), &http).await;
    assert_eq!(status, 422);
    assert!(body.contains("must start with https://"));
    assert!(body.contains("http://meet.example.org/x"));
    let backwards = session_fields("Backwards", "2027-03-01T12:00", "2027-03-01T11:00");
    let (status, _, body) = post(&app, &admin, &format!("{sessions}/new"), &backwards).await;
    assert_eq!(status, 422);
    assert!(body.contains("The end must be after the start."));
    let window = with(
        session_fields("Window", "2027-03-01T12:00", "2027-03-01T13:00"),
        &[("join_minutes_before", "1441")],
    );
    let (status, _, body) = post(&app, &admin, &format!("{sessions}/new"), &window).await;
    assert_eq!(status, 422);
    assert!(body.contains("from 0 to 1440"));
    // A session of another event is not found.
    let other = app.platform_slug().await;
    let (status, _, _) = post(
        &app,
        &admin,
        &format!("/en/staff/events/{other}/sessions/{id}"),
        &fields,
    )
    .await;
    assert_eq!(status, 404);

    // Cancel.
    let cancel = [
        ("action".to_owned(), "cancel".to_owned()),
        ("confirm".to_owned(), "yes".to_owned()),
    ];
    let (status, _, _) = post(&app, &admin, &format!("{sessions}/{id}"), &cancel).await;
    assert_eq!(status, 303);
    let cancelled: i64 = sqlx::query_scalar(
        "SELECT CASE WHEN cancelled THEN 1 ELSE 0 END FROM sessions WHERE id = $1",
    )
    .bind(id)
    .fetch_one(app.sql())
    .await
    .unwrap();
    assert_eq!(cancelled, 1);
    let (_, public) = app.get(&format!("/en/events/{slug}")).await;
    assert!(!public.contains("Opening plenary"));

    assert_eq!(
        audit_actions(&app, "session", id).await,
        ["session_added", "session_updated", "session_cancelled"]
    );
    let reasons: Vec<Vec<u8>> =
        sqlx::query_scalar("SELECT reason FROM audit WHERE reason IS NOT NULL")
            .fetch_all(app.sql())
            .await
            .unwrap();
    for reason in reasons {
        let reason = app
            .state
            .key
            .open(app::server::crypto::AUDIT_REASON, &reason)
            .unwrap();
        assert!(!reason.contains("meet.example"), "{reason}");
    }
    for path in ["/en/staff/audit", "/ar/staff/audit"] {
        let (_, audit) = get(&app, &admin, path).await;
        assert!(!audit.contains("s3cret"), "{path}");
    }
    let (_, audit) = get(&app, &admin, "/en/staff/audit").await;
    assert!(audit.contains("Session added"));
    let (_, ics) = app.get(&format!("/en/events/{slug}")).await;
    assert!(!ics.contains("s3cret"));
}

#[tokio::test]
async fn every_refusal_is_a_422_that_keeps_what_was_typed() {
    let app = spawn_app().await;
    let admin = app.staff_client(Role::Admin).await;
    let taken = app.platform_slug().await;
    let typed = "Typed title that comes back";
    let cases: Vec<Case> = vec![
        (
            "end before start",
            vec![("ends_at", "2027-03-01T08:00")],
            "The end must be after the start.",
        ),
        (
            "registration closes after the start",
            vec![("registration_closes_at", "2027-03-01T10:00")],
            "Registration must close before the event starts.",
        ),
        (
            "registration closes before it opens",
            vec![
                ("registration_opens_at", "2027-02-10T10:00"),
                ("registration_closes_at", "2027-02-01T10:00"),
            ],
            "Registration must close after it opens.",
        ),
        (
            "unknown time zone",
            vec![("time_zone", "Mars/Olympus_Mons")],
            "We do not know this time zone.",
        ),
        (
            "a time the clocks skip",
            vec![
                ("starts_at", "2027-03-28T02:30"),
                ("ends_at", "2027-03-29T10:00"),
            ],
            "This time does not exist in this time zone",
        ),
        (
            "duplicate slug",
            vec![("slug", taken.as_str())],
            "Another event already uses this web address.",
        ),
        (
            "bad slug",
            vec![("slug", "Not A Slug")],
            "Use lowercase letters",
        ),
        (
            "closed without a code",
            vec![("visibility", "closed")],
            "A closed event needs an invitation code.",
        ),
        (
            "online seats for an in-person event",
            vec![("format", "in_person")],
            "This event does not offer this option.",
        ),
        (
            "in-person seats for an online event",
            vec![("format", "online")],
            "This event does not offer this option.",
        ),
        (
            "not a date",
            vec![("starts_at", "next tuesday")],
            "Please enter a date and time",
        ),
        (
            "negative seats",
            vec![("seats_online", "-3")],
            "Please enter a whole number from 0 to",
        ),
        (
            "missing title",
            vec![("title_ar", "  ")],
            "Please fill this in.",
        ),
    ];
    let events_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events")
        .fetch_one(app.sql())
        .await
        .unwrap();
    for (what, changes, message) in cases {
        let mut changes = changes;
        changes.push(("title_en", typed));
        changes.push(("action", "publish"));
        let fields = with(event_fields("a-fresh-slug"), &changes);
        let (status, _, body) = post(&app, &admin, "/en/staff/events/new", &fields).await;
        assert_eq!(status, 422, "{what}");
        assert!(body.contains(message), "{what}: {message}");
        assert!(body.contains(typed), "{what}: the typed title is kept");
        assert!(
            body.contains("Palais Wilson"),
            "{what}: the typed venue is kept"
        );
        assert!(body.contains("Some answers need your attention"), "{what}");
    }
    let events_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events")
        .fetch_one(app.sql())
        .await
        .unwrap();
    assert_eq!(events_before, events_after, "nothing was saved");

    // In Arabic.
    let fields = with(
        event_fields("a-fresh-slug"),
        &[("action", "draft"), ("ends_at", "2027-02-01T08:00")],
    );
    let (status, _, body) = post(&app, &admin, "/ar/staff/events/new", &fields).await;
    assert_eq!(status, 422);
    assert!(body.contains("يجب أن تكون النهاية بعد البداية."), "{body}");
    assert!(body.contains("مشاورة حول الاعتقال"));

    // Fewer seats than are already approved.
    let slug = "small-room-2027";
    create(&app, &admin, slug, "publish").await;
    let id = app.event_id(slug).await;
    // Sealed with the app's key, as the app writes them.
    let key = &app.state.key;
    let seal = |column: &str, plain: &str| key.seal(column, plain).unwrap();
    for n in 0..3u8 {
        let email = format!("p{n}@example.org");
        sqlx::query(
            "INSERT INTO registrations (event_id, token_hash, name, organisation, role, email,
                 email_lookup, accessibility, mode, lang, state, consented_at, created_at,
                 updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'in_person', 'en', 'approved', 0, 0, 0)",
        )
        .bind(id)
        .bind(vec![0xA0 + n; 32])
        .bind(seal(crypto::REGISTRATION_NAME, "P"))
        .bind(seal(crypto::REGISTRATION_ORGANISATION, "O"))
        .bind(seal(crypto::REGISTRATION_ROLE, "R"))
        .bind(seal(crypto::REGISTRATION_EMAIL, &email))
        .bind(key.lookup(crypto::REGISTRATION_EMAIL, &email))
        .bind(seal(crypto::REGISTRATION_ACCESSIBILITY, ""))
        .execute(app.sql())
        .await
        .unwrap();
    }
    let fields = with(
        event_fields(slug),
        &[("action", "save"), ("seats_in_person", "2")],
    );
    let (status, _, body) = post(
        &app,
        &admin,
        &format!("/en/staff/events/{slug}/edit"),
        &fields,
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body.contains("3 places are already approved in this mode"),
        "{body}"
    );
    let fields = with(
        event_fields(slug),
        &[("action", "save"), ("seats_in_person", "3")],
    );
    let (status, _, _) = post(
        &app,
        &admin,
        &format!("/en/staff/events/{slug}/edit"),
        &fields,
    )
    .await;
    assert_eq!(status, 303, "as many seats as approved is fine");

    // Dates that would leave a session outside.
    let session = session_fields("Day two", "2027-03-02T10:00", "2027-03-02T11:00");
    let (status, _, _) = post(
        &app,
        &admin,
        &format!("/en/staff/events/{slug}/sessions/new"),
        &session,
    )
    .await;
    assert_eq!(status, 303);
    let fields = with(
        event_fields(slug),
        &[("action", "save"), ("ends_at", "2027-03-01T18:00")],
    );
    let (status, _, body) = post(
        &app,
        &admin,
        &format!("/en/staff/events/{slug}/edit"),
        &fields,
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("Some sessions of this event fall outside these dates."));
}

#[tokio::test]
async fn moderators_and_signed_out_visitors_cannot_use_the_editor() {
    let app = spawn_app().await;
    let admin = app.staff_client(Role::Admin).await;
    let moderator = app.staff_client(Role::Moderator).await;
    let slug = "guarded-2027";
    create(&app, &admin, slug, "draft").await;
    let fields = session_fields("Guarded", "2027-03-01T10:00", "2027-03-01T11:00");
    let (status, _, _) = post(
        &app,
        &admin,
        &format!("/en/staff/events/{slug}/sessions/new"),
        &fields,
    )
    .await;
    assert_eq!(status, 303);
    let id: i64 = sqlx::query_scalar("SELECT id FROM sessions WHERE title_en = 'Guarded'")
        .fetch_one(app.sql())
        .await
        .unwrap();
    let audit_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit")
        .fetch_one(app.sql())
        .await
        .unwrap();

    let pages = [
        "/en/staff/events".to_owned(),
        "/en/staff/events/new".to_owned(),
        format!("/en/staff/events/{slug}/edit"),
        format!("/en/staff/events/{slug}/sessions/new"),
        format!("/en/staff/events/{slug}/sessions/{id}"),
        format!("/ar/staff/events/{slug}/sessions/{id}"),
    ];
    let event = with(event_fields("sneaky-2027"), &[("action", "publish")]);
    let cancel = vec![
        ("action".to_owned(), "cancel".to_owned()),
        ("confirm".to_owned(), "yes".to_owned()),
    ];
    let posts = [
        ("/en/staff/events/new".to_owned(), event.clone()),
        (
            format!("/en/staff/events/{slug}/edit"),
            with(event.clone(), &[("slug", slug)]),
        ),
        (format!("/en/staff/events/{slug}/edit"), cancel.clone()),
        (
            format!("/en/staff/events/{slug}/sessions/new"),
            fields.clone(),
        ),
        (
            format!("/en/staff/events/{slug}/sessions/{id}"),
            fields.clone(),
        ),
        (
            format!("/en/staff/events/{slug}/sessions/{id}"),
            cancel.clone(),
        ),
    ];

    for path in &pages {
        let (status, body) = get(&app, &moderator, path).await;
        assert_eq!(status, 403, "moderator GET {path}");
        assert!(!body.contains(SECRET_URL));
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 303, "signed-out GET {path}");
        let location = response.headers()["location"].to_str().unwrap();
        assert!(location.contains("/staff/login"), "{location}");
    }
    for (path, form) in &posts {
        let (status, _, body) = post(&app, &moderator, path, form).await;
        assert_eq!(status, 403, "moderator POST {path}");
        assert!(!body.contains(SECRET_URL));
        // A browser's form is sent to sign in; anything else is a 401.
        let response = app
            .client
            .post(app.url(path))
            .header("accept", "text/html")
            .form(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 303, "signed-out POST {path}");
        let response = app
            .client
            .post(app.url(path))
            .form(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 401, "signed-out POST {path}");
    }
    for endpoint in ["/api/staff/editor/events", "/api/staff/editor/session"] {
        let body = format!("lang=en&slug={slug}");
        for (client, expected) in [(&moderator, 403), (&app.client, 401)] {
            let response = client
                .post(app.url(endpoint))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body.clone())
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let text = response.text().await.unwrap();
            assert_eq!(status, expected, "{endpoint}: {text}");
            assert!(!text.contains(SECRET_URL));
        }
    }

    let audit_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit")
        .fetch_one(app.sql())
        .await
        .unwrap();
    assert_eq!(audit_before, audit_after, "nothing was changed");
    assert_eq!(status_of(&app, slug).await, "draft");
    let sneaky: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE slug = 'sneaky-2027'")
        .fetch_one(app.sql())
        .await
        .unwrap();
    assert_eq!(sneaky, 0);
}

#[test]
fn local_times_resolve_in_the_event_time_zone() {
    let zurich = jiff::tz::TimeZone::get("Europe/Zurich").unwrap();
    let at = |s: &str| instant(&zurich, LocalDateTime::parse(s).unwrap());
    let second = |s: &str| s.parse::<jiff::Timestamp>().unwrap().as_second();
    assert_eq!(at("2027-01-10T09:00"), Ok(second("2027-01-10T08:00:00Z")));
    // Skipped when the clocks go forward.
    assert_eq!(at("2027-03-28T02:30"), Err(FieldError::NoSuchTime));
    // Twice when they go back: the first.
    assert_eq!(
        at("2027-10-31T02:30:15"),
        Ok(second("2027-10-31T00:30:15Z"))
    );
}
