//! The public pages, in both languages, over real HTTP.

use crate::common::spawn_app;

#[tokio::test]
async fn home_renders_in_english_and_arabic() {
    let app = spawn_app().await;

    let (status, en) = app.get("/en").await;
    assert_eq!(status, 200);
    assert!(en.contains(r#"<html lang="en" dir="ltr""#), "{en}");
    assert!(en.contains("<title>Lausanne Platform — dialogue with Syrian civil society</title>"));
    assert!(en.contains(r#"<meta name="description""#));
    assert!(en.contains("Next event"));
    assert!(en.contains("Gender Strategy follow-up consultation"));

    let (status, ar) = app.get("/ar").await;
    assert_eq!(status, 200);
    assert!(ar.contains(r#"<html lang="ar" dir="rtl""#), "{ar}");
    assert!(ar.contains("منصّة لوزان"));
    assert!(ar.contains("الفعالية القادمة"));
    assert!(ar.contains("مشاورة متابعة للاستراتيجية الجندرية"));
    // One `lang` attribute on <html>, not two.
    assert_eq!(ar.matches("<html").count(), 1);
    assert_eq!(
        ar.split("<html")
            .nth(1)
            .unwrap()
            .split('>')
            .next()
            .unwrap()
            .matches("lang=")
            .count(),
        1
    );
}

#[tokio::test]
async fn root_picks_the_language_by_cookie_then_accept_language() {
    let app = spawn_app().await;
    let location = |r: &reqwest::Response| r.headers()["location"].to_str().unwrap().to_owned();

    let r = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/en");

    let r = app
        .client
        .get(app.url("/"))
        .header("accept-language", "ar-SY,ar;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/ar");

    let r = app
        .client
        .get(app.url("/"))
        .header("accept-language", "ar")
        .header("cookie", "lang=en")
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/en", "the cookie wins over the header");

    // Reading a page remembers its language.
    let r = app.client.get(app.url("/ar/events")).send().await.unwrap();
    let cookie = r.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("lang=ar;"), "{cookie}");
}

#[tokio::test]
async fn events_list_in_both_languages_with_filters() {
    let app = spawn_app().await;

    let (status, upcoming) = app.get("/en/events").await;
    assert_eq!(status, 200);
    assert!(upcoming.contains("Upcoming events"));
    assert!(upcoming.contains("Lausanne Platform 2026"));
    assert!(!upcoming.contains("Lausanne Platform, November 2021"));

    let (_, past) = app.get("/en/events?when=past").await;
    for title in [
        "Lausanne Platform, November 2021",
        "Children &amp; Youth Strategy consultations",
        "Gender Strategy consultations",
        "Arria-formula briefing",
        "Panel on the arbitrary detention of children in Syria",
    ] {
        assert!(past.contains(title), "missing {title}");
    }

    let (status, ar_past) = app.get("/ar/events?when=past").await;
    assert_eq!(status, 200);
    assert!(ar_past.contains(r#"dir="rtl""#));
    assert!(ar_past.contains("منصّة لوزان، تشرين الثاني ٢٠٢١"));
    assert!(ar_past.contains("١٨–١٩ تشرين الثاني ٢٠٢١"));

    let (_, briefings) = app.get("/en/events?when=past&kind=briefing").await;
    assert!(briefings.contains("Arria-formula briefing"));
    assert!(!briefings.contains("Gender Strategy consultations"));

    let (_, online) = app.get("/en/events?format=online").await;
    assert!(online.contains("Gender Strategy follow-up"));
    assert!(!online.contains("Lausanne Platform 2026"));

    let (_, search) = app.get("/en/events?when=past&q=GENDER").await;
    assert!(search.contains("Gender Strategy consultations"));
    assert!(!search.contains("Arria"));

    // Arabic search ignores diacritics and letter variants: "الاستراتيجيه" (ه for ة).
    let (_, ar_search) = app.get("/ar/events?when=past&q=%D8%A7%D9%84%D8%A7%D8%B3%D8%AA%D8%B1%D8%A7%D8%AA%D9%8A%D8%AC%D9%8A%D9%87").await;
    assert!(
        ar_search.contains("مشاورات الاستراتيجية الجندرية"),
        "{ar_search}"
    );
    assert!(!ar_search.contains("صيغة آريا"));
}

#[tokio::test]
async fn event_page_shows_agenda_in_the_event_time_zone() {
    let app = spawn_app().await;
    let slug = app.platform_slug().await;

    let (status, en) = app.get(&format!("/en/events/{slug}")).await;
    assert_eq!(status, 200);
    assert!(en.contains("<title>Lausanne Platform 2026: accountability with and for Syrian civil society · Lausanne Platform</title>"));
    assert!(en.contains("The Hague, Netherlands"));
    assert!(en.contains("In person and online"));
    assert!(en.contains("Arabic, English, Kurdish"));
    assert!(en.contains("Europe/Amsterdam, UTC+01:00"));
    assert!(en.contains("Day 1"));
    assert!(en.contains("Welcome and opening remarks"));
    assert!(en.contains("09:00–09:30"));
    assert!(en.contains("Closing session and next steps"));

    let (status, ar) = app.get(&format!("/ar/events/{slug}")).await;
    assert_eq!(status, 200);
    assert!(ar.contains(r#"dir="rtl""#));
    assert!(ar.contains("كلمة الترحيب والافتتاح"));
    assert!(ar.contains("٠٩:٠٠–٠٩:٣٠"));
    assert!(ar.contains("اليوم ١"));
    assert!(ar.contains("لاهاي، هولندا"));
    assert!(ar.contains("العربية، الإنجليزية، الكردية"));
}

#[tokio::test]
async fn public_pages_never_carry_meeting_urls_or_venues() {
    let app = spawn_app().await;
    let slug = app.platform_slug().await;
    for path in [
        "/en",
        "/ar",
        "/en/events",
        "/en/events?when=past",
        &format!("/en/events/{slug}"),
        &format!("/ar/events/{slug}"),
    ] {
        let (_, body) = app.get(path).await;
        assert!(
            !body.contains("meet.example.org"),
            "meeting URL leaked on {path}"
        );
        assert!(!body.contains("Demo venue"), "venue leaked on {path}");
    }
}

#[tokio::test]
async fn compresses_responses() {
    let app = spawn_app().await;
    for encoding in ["br", "gzip"] {
        let r = app
            .client
            .get(app.url("/en/events"))
            .header("accept-encoding", encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["content-encoding"], encoding);
    }
}

#[tokio::test]
async fn public_files_are_served_beside_the_language_routes() {
    let app = spawn_app().await;
    let r = app
        .client
        .get(app.url("/favicon.svg"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
    let (status, robots) = app.get("/robots.txt").await;
    assert_eq!(status, 200);
    assert!(robots.contains("User-agent"));
}

#[tokio::test]
async fn pages_hold_up_under_concurrent_readers() {
    let app = std::sync::Arc::new(spawn_app().await);
    let slug = app.platform_slug().await;
    let paths = [
        "/en/events".to_owned(),
        "/ar/events?when=past".to_owned(),
        format!("/ar/events/{slug}"),
        "/en".to_owned(),
    ];
    let mut tasks = Vec::new();
    for i in 0..200 {
        let app = app.clone();
        let path = paths[i % paths.len()].clone();
        tasks.push(tokio::spawn(async move { (app.get(&path).await, path) }));
    }
    for task in tasks {
        let ((status, body), path) = task.await.unwrap();
        assert_eq!(status, 200, "{path}");
        assert!(
            body.contains("<title>") && body.contains("</footer>"),
            "{path}: {}",
            &body[body.len().saturating_sub(300)..]
        );
    }
}
