//! Hybrid sessions and live pages: join links and their windows (with the
//! app's injectable clock, never sleeps), the live stream, calendars, and a
//! scan of everything a non-entitled viewer can reach for meeting URLs.

use std::time::Duration;

use app::domain::{LiveMessage, Role};
use app::server::live::Topic;

use crate::common::{TestApp, now, on_postgres, spawn_app, spawn_app_with};

/// The placeholder domain of every demo meeting URL.
const MEETING_HOST: &str = "meet.example.org";

fn person(email: &str, mode: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", "Rania Khoury".to_owned()),
        ("organisation", "Documentation Collective (demo)".to_owned()),
        ("role", "Researcher".to_owned()),
        ("email", email.to_owned()),
        ("mode", mode.to_owned()),
        ("interpretation", "none".to_owned()),
        ("accessibility", "".to_owned()),
        ("consent", "yes".to_owned()),
    ]
}

/// Registers `email` for `slug` and opens the link from the email (which
/// confirms the address, and at a first-come event takes a place); returns
/// the private page path and token.
pub(crate) async fn register(
    app: &TestApp,
    slug: &str,
    email: &str,
    mode: &str,
) -> (String, String) {
    let response = app
        .post_form(&format!("/en/events/{slug}/register"), &person(email, mode))
        .await;
    assert_eq!(response.status().as_u16(), 303, "registering {email}");
    let link = app.private_link(email).await;
    assert_eq!(app.get(&link).await.0, 200, "opening the link");
    let token = link.rsplit('/').next().unwrap().to_owned();
    (link, token)
}

pub(crate) async fn registration_id(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM registrations WHERE email_lookup = $1")
        .bind(app.lookup(app::server::crypto::REGISTRATION_EMAIL, email))
        .fetch_one(app.sql())
        .await
        .unwrap()
}

/// A session of the event starting `starts_in` seconds after the test's
/// "now", an hour long, its join window opening 15 minutes before.
pub(crate) async fn add_session(app: &TestApp, event: i64, starts_in: i64, url: &str) -> i64 {
    let starts = now().as_second() + starts_in;
    sqlx::query_scalar(
        "INSERT INTO sessions (event_id, title_en, title_ar, starts_at, ends_at, meeting_url)
         VALUES ($1, 'Test session', 'جلسة اختبار', $2, $3, $4) RETURNING id",
    )
    .bind(event)
    .bind(starts)
    .bind(starts + 3600)
    .bind(url)
    .fetch_one(app.sql())
    .await
    .unwrap()
}

pub(crate) async fn location(app: &TestApp, path: &str) -> (u16, String) {
    let response = app.client.get(app.url(path)).send().await.unwrap();
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, location)
}

async fn joins(app: &TestApp, registration: i64, session: i64) -> i64 {
    sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(joins), 0) AS BIGINT) FROM attendance
         WHERE registration_id = $1 AND session_id = $2",
    )
    .bind(registration)
    .bind(session)
    .fetch_one(app.sql())
    .await
    .unwrap()
}

#[tokio::test]
async fn the_join_window_opens_and_closes_to_the_second() {
    let app = spawn_app().await;
    let slug = app.briefing_slug().await;
    // The briefing is first come, first served: this one is approved at once.
    let (_, token) = register(&app, &slug, "joiner@example.org", "online").await;
    let id = registration_id(&app, "joiner@example.org").await;
    let secret = "https://meet.example.org/window-test-7f3a";
    let session = add_session(&app, app.event_id(&slug).await, 3600, secret).await;
    let join = format!("/join/{token}/{session}");
    let opens = 3600 - 15 * 60;

    app.advance(opens - 1);
    let (status, to) = location(&app, &join).await;
    assert_eq!(status, 303);
    assert_eq!(to, format!("/en/r/{token}?join=early#agenda"));
    assert_eq!(joins(&app, id, session).await, 0);

    app.advance(1);
    assert_eq!(location(&app, &join).await, (303, secret.to_owned()));
    assert_eq!(joins(&app, id, session).await, 1);

    app.advance(15 * 60 + 1800);
    assert_eq!(location(&app, &join).await, (303, secret.to_owned()));
    assert_eq!(joins(&app, id, session).await, 2);

    app.advance(1799);
    assert_eq!(location(&app, &join).await, (303, secret.to_owned()));
    app.advance(1);
    let (status, to) = location(&app, &join).await;
    assert_eq!(status, 303);
    assert_eq!(to, format!("/en/r/{token}?join=over#agenda"));
    assert_eq!(joins(&app, id, session).await, 3);

    // The private page explains, in the participant's language.
    let (_, page) = app.get(&format!("/en/r/{token}?join=over")).await;
    assert!(page.contains("That session has ended."));
}

#[tokio::test]
async fn join_links_refuse_clearly_and_never_reveal_the_meeting() {
    let app = spawn_app().await;
    let briefing = app.briefing_slug().await;
    let platform = app.platform_slug().await;
    let secret = "https://meet.example.org/refusal-test-91c2";
    let session = add_session(&app, app.event_id(&briefing).await, 60, secret).await;
    let other_event_session: i64 = sqlx::query_scalar(
        "SELECT s.id FROM sessions s JOIN events e ON e.id = s.event_id WHERE e.slug = $1 LIMIT 1",
    )
    .bind(&platform)
    .fetch_one(app.sql())
    .await
    .unwrap();
    let (_, token) = register(&app, &briefing, "refused@example.org", "online").await;

    // Malformed and foreign tokens: a page in both languages, no redirect.
    for path in [
        format!("/join/not-a-token/{session}"),
        format!("/join/{}/{session}", "0".repeat(32)),
        format!("/join/{}/{session}", "A".repeat(32)),
        format!("/join/{token}x/{session}"),
    ] {
        let response = app.client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 404, "{path}");
        let body = response.text().await.unwrap();
        assert!(
            body.contains("not valid") && body.contains("غير صالح"),
            "{body}"
        );
        assert!(!body.contains(MEETING_HOST));
    }
    // Sessions of another event, unknown or absurd ids.
    for other in [
        other_event_session.to_string(),
        "999999".to_owned(),
        "-1".to_owned(),
        "99999999999999999999999".to_owned(),
        "%27%20OR%201%3D1".to_owned(),
    ] {
        let (status, to) = location(&app, &format!("/join/{token}/{other}")).await;
        assert_eq!(status, 303, "{other}");
        assert_eq!(to, format!("/en/r/{token}?join=unknown#agenda"), "{other}");
    }
    // A cancelled session.
    sqlx::query("UPDATE sessions SET cancelled = $1 WHERE id = $2")
        .bind(true)
        .bind(session)
        .execute(app.sql())
        .await
        .unwrap();
    let (_, to) = location(&app, &format!("/join/{token}/{session}")).await;
    assert!(to.ends_with("?join=cancelled#agenda"), "{to}");
    sqlx::query("UPDATE sessions SET cancelled = $1 WHERE id = $2")
        .bind(false)
        .bind(session)
        .execute(app.sql())
        .await
        .unwrap();
    assert_eq!(
        location(&app, &format!("/join/{token}/{session}")).await.1,
        secret
    );

    // Withdrawn: the old link still opens the private page, but not the meeting.
    let response = app
        .post_form(&format!("/en/r/{token}"), &[("action", "withdraw")])
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, to) = location(&app, &format!("/join/{token}/{session}")).await;
    assert!(to.ends_with("?join=not_entitled#agenda"), "{to}");

    // Registering again sends a further link; the first one keeps working.
    let (_, token2) = register(&app, &briefing, "twice@example.org", "online").await;
    let (_, token3) = register(&app, &briefing, "twice@example.org", "online").await;
    assert_ne!(token2, token3);
    assert_eq!(
        location(&app, &format!("/join/{token2}/{session}")).await.1,
        secret
    );
    assert_eq!(
        location(&app, &format!("/join/{token3}/{session}")).await.1,
        secret
    );
    let attended: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attendance")
        .fetch_one(app.sql())
        .await
        .unwrap();
    assert_eq!(attended, 2, "only the two admitted joins are recorded");
}

/// Reads the stream at `path` until `wanted` appears in its text (or the
/// time runs out); returns what was read.
pub(crate) async fn read_stream_until(
    app: &TestApp,
    path: &str,
    last_event_id: Option<&str>,
    wanted: &str,
    during: impl AsyncFnOnce(),
) -> String {
    read_stream_at(app, &app.url(path), last_event_id, wanted, during).await
}

/// [`read_stream_until`] at a full URL (another instance's).
pub(crate) async fn read_stream_at(
    app: &TestApp,
    url: &str,
    last_event_id: Option<&str>,
    wanted: &str,
    during: impl AsyncFnOnce(),
) -> String {
    let path = url;
    let mut request = app.client.get(url);
    if let Some(id) = last_event_id {
        request = request.header("last-event-id", id);
    }
    let mut response = request.send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200, "{path}");
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut text = String::new();
    // The snapshot comes first; then whatever `during` causes.
    let first = tokio::time::timeout(Duration::from_secs(5), response.chunk())
        .await
        .expect("a first message")
        .unwrap()
        .unwrap();
    text.push_str(&String::from_utf8_lossy(&first));
    during().await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !text.contains(wanted) {
        match tokio::time::timeout_at(deadline, response.chunk()).await {
            Ok(Ok(Some(chunk))) => text.push_str(&String::from_utf8_lossy(&chunk)),
            _ => break,
        }
    }
    text
}

/// Online places left at event `slug`.
async fn online_seats_left(app: &TestApp, slug: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT seats_online - (SELECT COUNT(*) FROM registrations r
            WHERE r.event_id = e.id AND r.mode = 'online' AND r.state = 'approved')
         FROM events e WHERE slug = $1",
    )
    .bind(slug)
    .fetch_one(app.sql())
    .await
    .unwrap()
}

#[tokio::test]
async fn open_pages_hear_about_seats_states_and_sessions() {
    let app = spawn_app().await;
    let briefing = app.briefing_slug().await;
    let left = online_seats_left(&app, &briefing).await;

    // Seats: someone registers (first come: approved) while the page is open.
    let expected = format!(
        r#"{{"seats":{{"event":"{briefing}","mode":"online","left":{}}}}}"#,
        left - 1
    );
    let text = read_stream_until(
        &app,
        &format!("/live?event={briefing}"),
        None,
        &expected,
        async || {
            register(&app, &briefing, "seat@example.org", "online").await;
        },
    )
    .await;
    assert!(
        text.contains(&format!(
            r#"{{"seats":{{"event":"{briefing}","mode":"online","left":{left}}}}}"#
        )),
        "the snapshot first: {text}"
    );
    assert!(text.contains(&expected), "{text}");

    // A participant's own stream: a moderator approves them.
    let platform = app.platform_slug().await;
    let (_, token) = register(&app, &platform, "waiting@example.org", "online").await;
    let id = registration_id(&app, "waiting@example.org").await;
    let moderator = app.staff_client(Role::Moderator).await;
    let text = read_stream_until(
        &app,
        &format!("/live?token={token}"),
        None,
        r#""participant":{"state":"approved","can_join":true}"#,
        async || {
            let response = moderator
                .post(app.url("/en/staff/registrations"))
                .form(&[("one", format!("approve:{id}"))])
                .send()
                .await
                .unwrap();
            assert_eq!(response.status().as_u16(), 303);
        },
    )
    .await;
    assert!(
        text.contains(r#""participant":{"state":"pending","can_join":false}"#),
        "{text}"
    );
    assert!(
        text.contains(r#""state":"approved","can_join":true"#),
        "{text}"
    );

    // Time: a session's join window opens, then it goes live, on the app's clock.
    let session = add_session(
        &app,
        app.event_id(&briefing).await,
        3600,
        "https://meet.example.org/t",
    )
    .await;
    app.advance(3600 - 15 * 60 - 1);
    let joinable =
        format!(r#"{{"session":{{"session":{session},"live":false,"join_open":true}}}}"#);
    let text = read_stream_until(
        &app,
        &format!("/live?event={briefing}"),
        None,
        &joinable,
        async || {
            app.advance(1);
        },
    )
    .await;
    assert!(
        text.contains(&format!(
            r#"{{"session":{{"session":{session},"live":false,"join_open":false}}}}"#
        )),
        "closed in the snapshot: {text}"
    );
    assert!(text.contains(&joinable), "{text}");
    let live = format!(r#"{{"session":{{"session":{session},"live":true,"join_open":true}}}}"#);
    let text = read_stream_until(
        &app,
        &format!("/live?event={briefing}"),
        None,
        &live,
        async || {
            app.advance(15 * 60);
        },
    )
    .await;
    assert!(text.contains(&live), "{text}");
}

/// The `id:`s of a stream's text: `<instance>-<number>`, as (instance,
/// number).
fn stream_ids(text: &str) -> Vec<(String, u64)> {
    text.lines()
        .filter_map(|l| l.strip_prefix("id:"))
        .filter_map(|id| {
            let (instance, number) = id.trim().split_once('-')?;
            Some((instance.to_owned(), number.parse().ok()?))
        })
        .collect()
}

#[tokio::test]
async fn streams_resume_after_a_reconnect_and_shrug_off_absurd_ids() {
    let app = spawn_app().await;
    let briefing = app.briefing_slug().await;
    let path = format!("/live?event={briefing}");
    let text = read_stream_until(&app, &path, None, "\"left\"", async || {}).await;
    let (instance, seen) = stream_ids(&text).pop().expect("an id");
    // Missed while away: two registrations.
    register(&app, &briefing, "away1@example.org", "online").await;
    register(&app, &briefing, "away2@example.org", "online").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let resumed = read_stream_until(
        &app,
        &path,
        Some(&format!("{instance}-{seen}")),
        "\"left\"",
        async || {},
    )
    .await;
    let ids = stream_ids(&resumed);
    assert!(
        !ids.is_empty() && ids.iter().all(|(i, id)| *i == instance && *id > seen),
        "{resumed}"
    );

    // Another instance's id (or one from before a restart), and absurd
    // ones: a fresh snapshot, never an error.
    let other = if instance == "00000001" {
        "00000002"
    } else {
        "00000001"
    };
    let elsewhere = format!("{other}-{seen}");
    for absurd in [
        elsewhere.as_str(),
        "99999999999999",
        &format!("{instance}-99999999999999"),
        "-5",
        "abc",
        "18446744073709551616",
        "",
    ] {
        let text = read_stream_until(&app, &path, Some(absurd), "\"left\"", async || {}).await;
        assert!(text.contains(r#"{"seats":{"#), "{absurd}: {text}");
        assert!(
            text.contains(r#"{"registration":"#),
            "a snapshot: {absurd}: {text}"
        );
    }
    let text = read_stream_until(
        &app,
        &format!("{path}&last=%00%FF"),
        None,
        "\"left\"",
        async || {},
    )
    .await;
    assert!(text.contains(r#"{"seats":{"#));
}

#[tokio::test]
async fn streams_refuse_what_they_cannot_serve() {
    let app = spawn_app_with(|setup| setup.config.live_per_client = 3).await;
    let briefing = app.briefing_slug().await;
    for path in [
        "/live".to_owned(),
        "/live?event=no-such-event".to_owned(),
        "/live?event=%3Cscript%3E".to_owned(),
        "/live?token=short".to_owned(),
        format!("/live?token={}", "f".repeat(32)),
    ] {
        let (status, body) = app.get(&path).await;
        assert_eq!(status, 404, "{path}");
        assert!(
            body.contains("does not exist") && body.contains("غير موجود"),
            "{body}"
        );
    }
    // Many connections from one client: the fourth is refused with 429.
    let mut open = Vec::new();
    for _ in 0..3 {
        let response = app
            .client
            .get(app.url(&format!("/live?event={briefing}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        open.push(response);
    }
    let response = app
        .client
        .get(app.url(&format!("/live?event={briefing}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 429);
    assert_eq!(response.headers()["retry-after"], "30");
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Too many live connections")
    );
    // Pages still work meanwhile; closing streams frees their places.
    assert_eq!(app.get(&format!("/en/events/{briefing}")).await.0, 200);
    drop(open);
    assert!(
        app.live_streams_reach(0).await,
        "closed streams give their places back"
    );
}

#[tokio::test]
async fn calendars_have_utc_times_stable_uids_and_no_meeting_urls() {
    let app = spawn_app().await;
    let platform = app.platform_slug().await;
    let id = app.event_id(&platform).await;
    let response = app.client.get(app.url("/events.ics")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    let all = response.text().await.unwrap();
    assert!(all.starts_with("BEGIN:VCALENDAR\r\n") && all.ends_with("END:VCALENDAR\r\n"));
    assert!(all.contains(&format!("UID:event-{id}@lausanne-platform\r\n")));
    let unfolded = all.replace("\r\n ", "");
    // Links come from the configured public URL, never from the request.
    let public = &app.state.config.public_url;
    assert!(unfolded.contains(&format!("URL:{public}/en/events/{platform}")));
    assert!(
        unfolded
            .lines()
            .filter(|l| l.starts_with("DTSTART:"))
            .all(|l| l.ends_with('Z'))
    );
    assert_eq!(
        app.get("/events.ics").await.1.replace("DTSTAMP", ""),
        all.replace("DTSTAMP", "")
    );

    let (status, one) = app.get(&format!("/events/{platform}.ics?lang=ar")).await;
    assert_eq!(status, 200);
    let one = one.replace("\r\n ", "");
    let sessions: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE event_id = $1 AND NOT cancelled")
            .bind(id)
            .fetch_one(app.sql())
            .await
            .unwrap();
    assert_eq!(one.matches("BEGIN:VEVENT").count() as i64, 1 + sessions);
    assert!(
        one.contains("SUMMARY:منصة لوزان") || one.contains("SUMMARY:"),
        "{one}"
    );
    assert!(one.contains(&format!("/ar/events/{platform}")));

    // Repeated or badly encoded parameters are read leniently, never refused.
    assert_eq!(app.get("/events.ics?lang=ar&lang=en&lang=%FF").await.0, 200);
    let stream = app
        .client
        .get(app.url(&format!("/live?event={platform}&event=x&last=%FF")))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status().as_u16(), 200);
    drop(stream);

    for bad in [
        "/events/nope.ics",
        "/events/UPPER.ics",
        "/events/x",
        "/events/..%2F.ics",
    ] {
        assert_eq!(app.get(bad).await.0, 404, "{bad}");
    }
    assert!(!all.contains(MEETING_HOST) && !one.contains(MEETING_HOST));
}

/// Every response a non-entitled viewer can reach, scanned for meeting URLs.
#[tokio::test]
async fn meeting_urls_reach_no_one_who_is_not_entitled() {
    let app = spawn_app().await;
    let secrets: Vec<String> =
        sqlx::query_scalar("SELECT meeting_url FROM sessions WHERE meeting_url IS NOT NULL")
            .fetch_all(app.sql())
            .await
            .unwrap();
    assert!(secrets.len() >= 2, "the demo has meeting URLs");
    let slugs: Vec<String> = sqlx::query_scalar("SELECT slug FROM events")
        .fetch_all(app.sql())
        .await
        .unwrap();
    let platform = app.platform_slug().await;
    let briefing = app.briefing_slug().await;

    // Participants who may not join: pending, waitlisted, rejected, withdrawn
    // (online), and approved in person.
    let moderator = app.staff_client(Role::Moderator).await;
    let mut people = Vec::new();
    for (email, mode, decision) in [
        ("pending@example.org", "online", None),
        ("waitlisted@example.org", "online", Some("waitlist")),
        ("rejected@example.org", "online", Some("reject")),
        ("withdrawn@example.org", "online", None),
        ("inperson@example.org", "in_person", Some("approve")),
    ] {
        let (_, token) = register(&app, &platform, email, mode).await;
        if let Some(decision) = decision {
            let id = registration_id(&app, email).await;
            let response = moderator
                .post(app.url("/en/staff/registrations"))
                .form(&[
                    ("one", format!("{decision}:{id}")),
                    ("reason", "Not this time.".to_owned()),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(response.status().as_u16(), 303, "{email}");
        }
        people.push(token);
    }
    let withdrawn = &people[3];
    app.post_form(&format!("/en/r/{withdrawn}"), &[("action", "withdraw")])
        .await;
    // Approved online: entitled, yet its page carries join links, never URLs.
    let (_, entitled) = register(&app, &briefing, "entitled@example.org", "online").await;

    let mut reachable = Vec::new();
    let mut paths = vec![
        "/".to_owned(),
        "/events.ics".to_owned(),
        "/events.ics?lang=ar".to_owned(),
    ];
    for lang in ["en", "ar"] {
        paths.push(format!("/{lang}"));
        paths.push(format!("/{lang}/events"));
        paths.push(format!("/{lang}/events?when=past"));
        paths.push(format!("/{lang}/organisation"));
        for slug in &slugs {
            paths.push(format!("/{lang}/events/{slug}"));
            paths.push(format!("/{lang}/events/{slug}/register"));
        }
        for token in people.iter().chain([&entitled]) {
            paths.push(format!("/{lang}/r/{token}"));
            paths.push(format!("/{lang}/r/{token}/calendar.ics"));
        }
    }
    for slug in &slugs {
        paths.push(format!("/events/{slug}.ics"));
    }
    for path in &paths {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned());
        reachable.push((path.clone(), location.unwrap_or_default()));
        reachable.push((path.clone(), response.text().await.unwrap()));
    }
    // Server functions, as the browser calls them.
    for (endpoint, args) in [
        ("/api/events/upcoming", "lang=en&limit=20".to_owned()),
        ("/api/events/list", "lang=ar".to_owned()),
    ]
    .into_iter()
    .chain(
        slugs
            .iter()
            .map(|s| ("/api/events/show", format!("lang=en&slug={s}"))),
    )
    .chain(
        people
            .iter()
            .chain([&entitled])
            .map(|t| ("/api/registrations/private", format!("lang=en&token={t}"))),
    ) {
        let response = app
            .client
            .post(app.url(endpoint))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(args.clone())
            .send()
            .await
            .unwrap();
        reachable.push((format!("{endpoint} {args}"), response.text().await.unwrap()));
    }
    // Join links of everyone not entitled, for every session of every event.
    let sessions: Vec<i64> = sqlx::query_scalar("SELECT id FROM sessions")
        .fetch_all(app.sql())
        .await
        .unwrap();
    for token in &people {
        for session in &sessions {
            let path = format!("/join/{token}/{session}");
            let response = app.client.get(app.url(&path)).send().await.unwrap();
            let location = response
                .headers()
                .get("location")
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default();
            reachable.push((path.clone(), location));
            reachable.push((path, response.text().await.unwrap()));
        }
    }
    // Live streams: the public ones and each participant's own.
    for path in slugs.iter().map(|s| format!("/live?event={s}")).chain(
        people
            .iter()
            .chain([&entitled])
            .map(|t| format!("/live?token={t}")),
    ) {
        let mut response = app.client.get(app.url(&path)).send().await.unwrap();
        let mut text = String::new();
        while let Ok(Ok(Some(chunk))) =
            tokio::time::timeout(Duration::from_millis(300), response.chunk()).await
        {
            text.push_str(&String::from_utf8_lossy(&chunk));
        }
        reachable.push((path, text));
    }
    let mut scanned = 0;
    for (path, text) in &reachable {
        scanned += text.len();
        assert!(!text.contains(MEETING_HOST), "{path} shows a meeting URL");
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "{path} shows {secret}");
        }
    }
    assert!(
        reachable.len() > 100 && scanned > 100_000,
        "{} responses, {scanned} bytes",
        reachable.len()
    );
    // The entitled participant's page has join links (when windows are open),
    // and the approved in-person participant sees no join control at all.
    let (_, page) = app.get(&format!("/en/r/{entitled}")).await;
    assert!(page.contains("Online sessions"));
    let (_, page) = app.get(&format!("/en/r/{}", people[4])).await;
    assert!(!page.contains("/join/"));
}

#[tokio::test]
async fn a_client_that_stops_reading_is_dropped_not_buffered() {
    let app = spawn_app().await;
    let briefing = app.briefing_slug().await;
    let event = app.event_id(&briefing).await;
    // A raw connection that asks for the stream and then never reads.
    let mut socket = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    tokio::io::AsyncWriteExt::write_all(
        &mut socket,
        format!("GET /live?event={briefing} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes(),
    )
    .await
    .unwrap();
    assert!(app.live_streams_reach(1).await);
    // Far more than the socket buffers hold and the broadcast keeps.
    let changed = LiveMessage::EventChanged {
        event: briefing.clone(),
    };
    for _ in 0..200_000 {
        app.state.live.publish(Topic::Event(event), &changed);
    }
    assert!(
        app.live_streams_reach(0).await,
        "the stalled stream is still held"
    );
    // Everyone else carries on.
    let text = read_stream_until(
        &app,
        &format!("/live?event={briefing}"),
        None,
        "\"left\"",
        async || {},
    )
    .await;
    assert!(text.contains(r#"{"seats":{"#));
    drop(socket);
}

/// Reads from `socket` until what came contains `until` (or 5 s pass, or
/// the connection ends); returns it all.
async fn read_raw_until(socket: &mut tokio::net::TcpStream, until: &str) -> String {
    use tokio::io::AsyncReadExt;
    let mut seen = Vec::new();
    let mut chunk = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !String::from_utf8_lossy(&seen).contains(until) {
        match tokio::time::timeout_at(deadline, socket.read(&mut chunk)).await {
            Ok(Ok(n @ 1..)) => seen.extend_from_slice(&chunk[..n]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&seen).into_owned()
}

#[tokio::test]
async fn streams_go_to_the_shared_writers_even_on_a_reused_connection() {
    use tokio::io::AsyncWriteExt;
    let app = spawn_app().await;
    let briefing = app.briefing_slug().await;
    let mut socket = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    // A page first, as a browser reuses the connection it loaded it on.
    socket
        .write_all(format!("GET /en/events/{briefing} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let page = read_raw_until(&mut socket, "</html>").await;
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    socket
        .write_all(format!("GET /live?event={briefing} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let stream = read_raw_until(&mut socket, "\"left\"").await;
    let (head, body) = stream.split_once("\r\n\r\n").unwrap();
    // Answered by the shared writers: no chunks (hyper's way), the stream
    // ends with the connection; the router's headers are all there.
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    for line in [
        "content-type: text/event-stream",
        "cache-control: no-store",
        "x-content-type-options: nosniff",
        "connection: close",
    ] {
        assert!(head.contains(line), "{line} in {head}");
    }
    assert!(!head.contains("transfer-encoding"), "{head}");
    assert!(
        body.starts_with("id: ") && body.contains(r#"data: {"seats":{"#),
        "{body}"
    );
    assert!(app.live_streams_reach(1).await);
    // It carries what is published, once serialised for everyone.
    let event = app.event_id(&briefing).await;
    app.state.live.publish(
        Topic::Event(event),
        &LiveMessage::EventChanged {
            event: briefing.clone(),
        },
    );
    let more = read_raw_until(&mut socket, "event_changed").await;
    assert!(
        more.contains(&format!(
            r#"data: {{"event_changed":{{"event":"{briefing}"}}}}"#
        )),
        "{more}"
    );
    // A stream's client has nothing to say: anything it sends ends it.
    socket.write_all(b"hello").await.unwrap();
    assert!(app.live_streams_reach(0).await, "the stream is still held");
    assert_eq!(read_raw_until(&mut socket, "never").await, "");
}

#[tokio::test]
async fn a_refused_stream_is_answered_in_full_and_closed() {
    use tokio::io::AsyncWriteExt;
    let app = spawn_app().await;
    let mut socket = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    socket
        .write_all(b"GET /live?event=no-such-event HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let answer = read_raw_until(&mut socket, "never").await;
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 404 Not Found\r\n"), "{head}");
    assert!(head.contains("connection: close"), "{head}");
    assert!(
        head.contains(&format!("content-length: {}", body.len())),
        "{head}"
    );
    assert!(
        body.contains("does not exist") && body.contains("غير موجود"),
        "{body}"
    );
    // A head that never ends, or is not HTTP, gets a plain refusal.
    for request in [
        format!(
            "GET /live?event=x HTTP/1.1\r\nX-Long: {}\r\n",
            "a".repeat(20_000)
        ),
        "GET /live?event=x HTTP/9.9\r\n\r\n".to_owned(),
        "GET /live?event=x HTTP/1.1\r\nBad Header\r\n\r\n".to_owned(),
    ] {
        let mut socket = tokio::net::TcpStream::connect(app.addr).await.unwrap();
        socket.write_all(request.as_bytes()).await.unwrap();
        let answer = read_raw_until(&mut socket, "never").await;
        assert!(
            answer.starts_with("HTTP/1.1 431") || answer.starts_with("HTTP/1.1 400"),
            "{answer}"
        );
        assert!(answer.contains("content-length: 0"), "{answer}");
    }
    assert_eq!(app.state.live.stream_count(), 0);
}

/// The live stream a page names, from its islands' properties.
fn stream_of(html: &str) -> String {
    let start = html.find("/live?events=").expect("a list stream");
    let end = start + html[start..].find('"').expect("the end of it");
    html[start..end].to_owned()
}

#[tokio::test]
async fn open_lists_hear_about_their_events_and_new_ones() {
    let app = spawn_app().await;
    let admin = app.staff_client(Role::Admin).await;
    let briefing = app.briefing_slug().await;

    // The list's cards show places per mode, and the list follows exactly
    // the events it shows that can still change.
    let (status, html) = app.get("/en/events").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"class="card-status""#), "{html}");
    let stream = stream_of(&html);
    assert!(stream.contains(&briefing), "{stream}");
    let (_, past) = app.get("/en/events?when=past").await;
    assert!(
        !past.contains("/live?events="),
        "ended events do not change"
    );

    // Seats change on the list's stream, named by event.
    let left = online_seats_left(&app, &briefing).await;
    let seats =
        |left| format!(r#"{{"seats":{{"event":"{briefing}","mode":"online","left":{left}}}}}"#);
    let text = read_stream_until(&app, &stream, None, &seats(left - 1), async || {
        register(&app, &briefing, "list@example.org", "online").await;
    })
    .await;
    assert!(text.contains(&seats(left)), "the snapshot first: {text}");
    assert!(text.contains(&seats(left - 1)), "{text}");

    // An event published while the list is open is news to it.
    let slug = "list-news-2027";
    let listed =
        format!(r#"{{"listed":{{"event":"{slug}","kind":"consultation","format":"hybrid"}}}}"#);
    let text = read_stream_until(&app, &stream, None, &listed, async || {
        crate::events_editor::create(&app, &admin, slug, "publish").await;
    })
    .await;
    assert!(text.contains(&listed), "{text}");

    // Cancelling an event the list shows says so.
    let cancelled = format!(r#"{{"cancelled":{{"event":"{briefing}"}}}}"#);
    let text = read_stream_until(&app, &stream, None, &cancelled, async || {
        let fields =
            [("action", "cancel"), ("confirm", "yes")].map(|(k, v)| (k.to_owned(), v.to_owned()));
        let (status, _, _) = crate::events_editor::post(
            &app,
            &admin,
            &format!("/en/staff/events/{briefing}/edit"),
            &fields,
        )
        .await;
        assert_eq!(status, 303);
    })
    .await;
    assert!(text.contains(&cancelled), "{text}");
}

#[tokio::test]
async fn list_streams_follow_only_public_events_and_count_for_admins_only() {
    let app = spawn_app().await;
    let briefing = app.briefing_slug().await;
    let closed: String =
        sqlx::query_scalar("SELECT slug FROM events WHERE visibility = 'closed' LIMIT 1")
            .fetch_one(app.sql())
            .await
            .unwrap();
    // A made-up list naming a closed event, nonsense and an unknown slug
    // follows only the public event.
    let path = format!("/live?events={closed},{briefing},%3Cx%3E,no-such-event");
    let mut response = app.client.get(app.url(&path)).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let first = tokio::time::timeout(Duration::from_secs(5), response.chunk())
        .await
        .expect("a snapshot")
        .unwrap()
        .unwrap();
    let text = String::from_utf8_lossy(&first);
    assert!(
        text.contains(&briefing) && !text.contains(&closed),
        "{text}"
    );

    // How many follow an event: for admins, not for the public or moderators.
    let metrics = format!("/staff/metrics?event={briefing}");
    let (status, _) = app.get(&metrics).await;
    assert_ne!(status, 200);
    let moderator = app.staff_client(Role::Moderator).await;
    let response = moderator.get(app.url(&metrics)).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 403);
    let admin = app.staff_client(Role::Admin).await;
    let text = admin
        .get(app.url(&metrics))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.contains("lausanne_live_streams 1\n"), "{text}");
    assert!(
        text.contains(&format!(
            "lausanne_live_event_streams{{event=\"{briefing}\"}} 1\n"
        )),
        "{text}"
    );
    drop(response);
}

/// Two instances behind a load balancer, one database: a registration or a
/// decision made on A reaches the streams open on B within a second, and
/// B's kept pages are not served stale; the same once the connections that
/// listen for the other instance's changes are killed. On SQLite, which
/// runs one instance, "B" is A.
#[tokio::test]
async fn changes_on_one_instance_reach_streams_on_the_other() {
    let app = spawn_app().await;
    let other = app.second_instance(|_| {}).await;
    let b = if on_postgres() {
        format!("http://{}", other.addr)
    } else {
        app.url("")
    };
    let briefing = app.briefing_slug().await;
    let platform = app.platform_slug().await;
    let moderator = app.staff_client(Role::Moderator).await;

    // A visitor's seat count on B follows a registration on A.
    let left = online_seats_left(&app, &briefing).await;
    let seats = format!(
        r#"{{"seats":{{"event":"{briefing}","mode":"online","left":{}}}}}"#,
        left - 1
    );
    let page = format!("{b}/en/events/{briefing}");
    let page_text = async || {
        let response = app.client.get(&page).send().await.unwrap();
        response.text().await.unwrap()
    };
    let before = page_text().await;
    let mut registered = None;
    let text = read_stream_at(
        &app,
        &format!("{b}/live?event={briefing}"),
        None,
        &seats,
        async || {
            register(&app, &briefing, "seat-on-a@example.org", "online").await;
            registered = Some(std::time::Instant::now());
        },
    )
    .await;
    let seats_heard = registered.unwrap().elapsed();
    assert!(text.contains(&seats), "{text}");
    assert!(
        seats_heard < Duration::from_secs(1),
        "seats on B after {seats_heard:?}"
    );
    let after = page_text().await;
    assert_ne!(
        before, after,
        "B's kept event page follows A's registration"
    );

    // A participant's stream on B hears the approval made on A, before and
    // after the listening connections are killed.
    let mut approvals = Vec::new();
    for (round, email) in ["waiting-1@example.org", "waiting-2@example.org"]
        .into_iter()
        .enumerate()
    {
        if round == 1 && on_postgres() {
            kill_listeners(&app).await;
        }
        let (_, token) = register(&app, &platform, email, "online").await;
        let id = registration_id(&app, email).await;
        let mut approved = None;
        let text = read_stream_at(
            &app,
            &format!("{b}/live?token={token}"),
            None,
            r#""state":"approved","can_join":true"#,
            async || {
                let response = moderator
                    .post(app.url("/en/staff/registrations"))
                    .form(&[("one", format!("approve:{id}"))])
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status().as_u16(), 303);
                approved = Some(std::time::Instant::now());
            },
        )
        .await;
        let heard = approved.unwrap().elapsed();
        assert!(
            text.contains(r#""state":"approved","can_join":true"#),
            "round {round}: {text}"
        );
        assert!(heard < Duration::from_secs(1), "round {round}: {heard:?}");
        approvals.push(heard);
    }
    println!(
        "seats on B {} ms after a registration on A returned; approvals on A heard on B after \
         {} ms, and {} ms {}",
        seats_heard.as_millis(),
        approvals[0].as_millis(),
        approvals[1].as_millis(),
        if on_postgres() {
            "once the listening connections were killed"
        } else {
            "(SQLite: one instance)"
        }
    );
}

/// Ends the connections that listen for other instances' changes (as a
/// network cut or a PostgreSQL restart would), and waits until both
/// instances listen again.
async fn kill_listeners(app: &TestApp) {
    // This test's database only: other tests' instances listen on theirs.
    let listeners = "SELECT pid FROM pg_stat_activity
                     WHERE datname = current_database() AND query ILIKE 'listen%'";
    let killed: Vec<i32> = sqlx::query_scalar(listeners)
        .fetch_all(app.sql())
        .await
        .unwrap();
    assert_eq!(killed.len(), 2, "both instances listened");
    for pid in &killed {
        let done: bool = sqlx::query_scalar("SELECT pg_terminate_backend($1)")
            .bind(pid)
            .fetch_one(app.sql())
            .await
            .unwrap();
        assert!(done);
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let now: Vec<i32> = sqlx::query_scalar(listeners)
            .fetch_all(app.sql())
            .await
            .unwrap();
        if now.len() == 2 && now.iter().all(|pid| !killed.contains(pid)) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "listening again: {now:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
