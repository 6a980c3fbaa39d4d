//! Closed events keep their details to themselves, and bad input gets a
//! clear answer: never a 500, never a panic.

use crate::common::{now, spawn_app};
use app::server::db::events::{self, NewEvent};
use app::server::db::sessions::{self, NewSession};

const SECRET: [&str; 6] = [
    "SECRET-SUMMARY",
    "SECRET-DESCRIPTION",
    "SECRET-CITY",
    "SECRET-SESSION",
    "SECRET-ROOM",
    "secret-meeting.example.org",
];

pub(crate) async fn seed_closed_event(app: &crate::common::TestApp) {
    let start = now().as_second() + 86_400 * 3;
    let id = events::insert(
        &app.db,
        &NewEvent {
            slug: "closed-with-details",
            kind: app::domain::EventKind::CommunityEvent,
            format: app::domain::EventFormat::Hybrid,
            visibility: app::domain::Visibility::Closed,
            title_en: "Closed meeting for testing",
            title_ar: "اجتماع مغلق للاختبار",
            summary_en: SECRET[0],
            summary_ar: SECRET[0],
            description_en: SECRET[1],
            description_ar: SECRET[1],
            city_en: Some(SECRET[2]),
            city_ar: Some(SECRET[2]),
            country_en: None,
            country_ar: None,
            venue: Some("SECRET-VENUE"),
            time_zone: "Europe/Istanbul",
            starts_at: start,
            ends_at: start + 7200,
            seats_in_person: 10,
            seats_online: 10,
            interpretation: "ar,en",
        },
    )
    .await
    .unwrap();
    sessions::insert(
        &app.db,
        &NewSession {
            event_id: id,
            title_en: SECRET[3],
            title_ar: SECRET[3],
            starts_at: start,
            ends_at: start + 3600,
            room: Some(SECRET[4]),
            meeting_url: Some("https://secret-meeting.example.org/x"),
        },
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn closed_events_are_listed_without_details() {
    let app = spawn_app().await;
    seed_closed_event(&app).await;

    let (_, list) = app.get("/en/events").await;
    assert!(list.contains("Closed meeting for testing"));
    assert!(list.contains("Closed event"));
    let (status, page) = app.get("/en/events/closed-with-details").await;
    assert_eq!(status, 200);
    assert!(page.contains("This is a closed event."));
    let (_, ar_page) = app.get("/ar/events/closed-with-details").await;
    assert!(ar_page.contains("فعالية مغلقة"));

    // Searching for a hidden detail does not find (and so reveal) the event.
    let (_, search) = app.get("/en/events?q=SECRET-SUMMARY").await;
    assert!(!search.contains("Closed meeting for testing"));

    // Nor does the server function behind the page, asked directly.
    let api = app
        .client
        .post(app.url("/api/events/show"))
        .form(&[("lang", "en"), ("slug", "closed-with-details")])
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 200);
    let api = api.text().await.unwrap();
    assert!(api.contains("Closed meeting for testing"), "{api}");

    for body in [&list, &page, &ar_page, &api] {
        for secret in SECRET.iter().chain(&["SECRET-VENUE"]) {
            assert!(!body.contains(secret), "{secret} leaked");
        }
    }
}

#[tokio::test]
async fn unknown_and_malformed_paths_get_a_localised_404() {
    let app = spawn_app().await;
    let long = format!("/en/events/{}", "a".repeat(5000));
    let cases: [(&str, &str); 8] = [
        ("/en/events/no-such-event", "Page not found"),
        ("/ar/events/no-such-event", "الصفحة غير موجودة"),
        (
            "/en/events/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            "Page not found",
        ),
        ("/en/events/..%2F..%2Fetc%2Fpasswd", "Page not found"),
        (&long, "Page not found"),
        ("/en/events/a/b/c", "Page not found"),
        ("/fr/events", "الصفحة غير موجودة"),
        ("/nothing-here", "Page not found"),
    ];
    for (path, expected) in cases {
        let (status, body) = app.get(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(body.contains(expected), "{path}: {body}");
        assert!(!body.contains("<script>alert"), "{path} reflected markup");
    }
    // The language-less 404 speaks both languages.
    let (_, body) = app.get("/fr/events").await;
    assert!(body.contains("Page not found") && body.contains("الصفحة غير موجودة"));
}

#[tokio::test]
async fn trailing_slashes_redirect_to_the_one_address_on_this_site() {
    let app = spawn_app().await;
    for (path, target) in [
        ("/en/", "/en"),
        ("/ar/events/?when=past", "/ar/events?when=past"),
        ("//evil.example/", "/evil.example"),
        ("///", "/"),
    ] {
        let r = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 308, "{path}");
        assert_eq!(r.headers()["location"], target, "{path}");
    }
}

#[tokio::test]
async fn absurd_filters_are_ignored_with_a_notice() {
    let app = spawn_app().await;
    // As long as a URI may be (the HTTP client refuses longer ones).
    let long = "x".repeat(60_000);
    let queries = [
        "when=yesterday&kind=%00&format=%F0%9F%92%A5".to_owned(),
        "kind=platform_meeting&kind=briefing&when[]=1".to_owned(),
        format!("q={long}"),
        "q=%E0%A4%A".to_owned(),
        "q=%27%20OR%201%3D1%20--&format=online".to_owned(),
        "q=%25%25%25_%5C".to_owned(),
        "q=%E2%80%AE%E2%80%8B".to_owned(),
    ];
    for query in &queries {
        for lang in ["en", "ar"] {
            let (status, body) = app.get(&format!("/{lang}/events?{query}")).await;
            assert!(
                status == 200 || status == 414 || status == 431,
                "{query:.60}: {status}"
            );
            if status == 200 {
                assert!(body.contains("<h1>"), "{query:.60}");
            }
        }
    }
    let (_, body) = app.get("/en/events?when=yesterday&kind=nonsense").await;
    assert!(body.contains("were not recognised and have been ignored"));
    let (_, body) = app.get("/ar/events?when=yesterday").await;
    assert!(body.contains("لم نتعرّف على بعض قيم التصفية"));
    let (_, body) = app.get("/en/events?q=%27%20OR%201%3D1%20--").await;
    assert!(body.contains("No events match these filters."));
}

#[tokio::test]
async fn server_functions_refuse_garbage_without_a_500() {
    let app = spawn_app().await;
    let bodies = [
        "",
        "lang=fr&slug=x",
        "lang=en",
        "%%%",
        &"a=b&".repeat(10_000),
    ];
    for endpoint in [
        "/api/events/show",
        "/api/events/list",
        "/api/events/upcoming",
        "/api/nope",
    ] {
        for body in bodies {
            let r = app
                .client
                .post(app.url(endpoint))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body.to_owned())
                .send()
                .await
                .unwrap();
            assert!(
                r.status().is_client_error(),
                "{endpoint} {body:.20}: {}",
                r.status()
            );
        }
    }
}

#[tokio::test]
async fn a_missing_database_folder_is_created() {
    // SQLite only: the folder of its database file.
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}/a/b/c/lausanne.db?mode=rwc",
        dir.path().display()
    );
    let db = app::server::db::Db::open(&url).await.unwrap();
    let key = app::server::crypto::DataKey::from_bytes(&[7; 32]);
    db.migrate(&key).await.unwrap();
    assert!(dir.path().join("a/b/c/lausanne.db").exists());
}

#[test]
fn an_unopenable_database_stops_the_binary_with_one_clear_line() {
    // SQLite only: a database file that cannot be opened.
    let dir = tempfile::tempdir().unwrap();
    // A directory where the database file should be.
    let url = format!("sqlite://{}?mode=rwc", dir.path().display());
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_lausanne"))
        .arg("migrate")
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("lausanne: cannot open the database"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
}
