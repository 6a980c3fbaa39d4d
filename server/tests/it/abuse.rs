//! Abuse resistance: per-address limits on the public forms (with the real
//! address only from a trusted proxy), the honeypot, and the limits on slow
//! or oversized requests.

use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::{TestApp, spawn_app_with};

async fn limited(per_hour: u32, proxies: &str) -> TestApp {
    let proxies = proxies.to_owned();
    spawn_app_with(move |setup| {
        setup.config.form_limit = NonZeroU32::new(per_hour).unwrap();
        setup.config.trusted_proxies = proxies
            .split(',')
            .filter(|a| !a.is_empty())
            .map(|a| a.parse().unwrap())
            .collect();
    })
    .await
}

async fn subscribe(
    app: &TestApp,
    lang: &str,
    email: &str,
    forwarded: Option<&str>,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(&format!("/{lang}/subscribe")))
        .form(&[("email", email), ("lang", lang)]);
    if let Some(forwarded) = forwarded {
        request = request.header("x-forwarded-for", forwarded);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn over_the_limit_a_form_comes_back_localised_with_429_and_retry_after() {
    let app = limited(3, "").await;
    for i in 0..3 {
        let response = subscribe(&app, "en", &format!("reader{i}@example.org"), None).await;
        assert_eq!(response.status().as_u16(), 303);
    }
    let refused = subscribe(&app, "ar", "typed-by-hand@example.org", None).await;
    assert_eq!(refused.status().as_u16(), 429);
    let retry: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    // Three an hour: the next one in at most twenty minutes.
    assert!((1..=20 * 60).contains(&retry), "Retry-After: {retry}");
    let page = refused.text().await.unwrap();
    assert!(page.contains("dir=\"rtl\""));
    assert!(page.contains("محاولات كثيرة جدًا"), "the Arabic message");
    assert!(
        page.contains("typed-by-hand@example.org"),
        "what was typed is kept"
    );
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM subscribers")
        .fetch_one(app.sql())
        .await
        .unwrap();
    assert_eq!(stored, 3);

    // Each form has its own allowance: registering still works.
    let slug = app.briefing_slug().await;
    let registered = app
        .post_form(
            &format!("/en/events/{slug}/register"),
            &[
                ("name", "Limit Test"),
                ("organisation", "Limits"),
                ("role", "Tester"),
                ("email", "limits@example.org"),
                ("mode", "online"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(registered.status().as_u16(), 303);
    // A client cannot pick another address by claiming one: without a
    // trusted proxy, X-Forwarded-For is ignored.
    let spoofed = subscribe(&app, "en", "spoof@example.org", Some("203.0.113.7")).await;
    assert_eq!(spoofed.status().as_u16(), 429);
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_allowance() {
    let app = limited(1, "127.0.0.1").await;
    let first = subscribe(&app, "en", "a@example.org", Some("203.0.113.7")).await;
    assert_eq!(first.status().as_u16(), 303);
    let again = subscribe(&app, "en", "b@example.org", Some("203.0.113.7")).await;
    assert_eq!(again.status().as_u16(), 429);
    // Another client of the proxy; the address the client itself claimed
    // (left of the proxy's) does not count.
    let other = subscribe(
        &app,
        "en",
        "c@example.org",
        Some("198.51.100.1, 203.0.113.8"),
    )
    .await;
    assert_eq!(other.status().as_u16(), 303);
    let claimed = subscribe(
        &app,
        "en",
        "d@example.org",
        Some("198.51.100.2, 203.0.113.8"),
    )
    .await;
    assert_eq!(claimed.status().as_u16(), 429);
}

#[tokio::test]
async fn a_filled_honeypot_stores_nothing_and_asks_to_send_again() {
    let app = limited(100, "").await;
    let slug = app.briefing_slug().await;
    let count = |table: &'static str| {
        let pool = app.sql().clone();
        async move {
            sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let before = (
        count("registrations").await,
        count("organisations").await,
        count("subscribers").await,
        count("outbox").await,
    );
    let robot = [
        ("name", "Robot Typed"),
        ("organisation", "Spam"),
        ("role", "Bot"),
        ("email", "robot@example.org"),
        ("mode", "online"),
        ("consent", "yes"),
        ("lp_extra", "+1 555 0100"),
    ];
    let response = app
        .post_form(&format!("/ar/events/{slug}/register"), &robot)
        .await;
    // Nobody is told "done" falsely: the form comes back, as typed, with the
    // honeypot emptied and a neutral request to send it again.
    assert_eq!(response.status().as_u16(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("يُرجى مراجعة إجاباتك وإرسال النموذج مرة أخرى"));
    assert!(page.contains("Robot Typed"));
    assert!(!page.contains("+1 555 0100"));
    let response = app
        .post_form(
            "/en/subscribe",
            &[
                ("email", "robot@example.org"),
                ("lang", "en"),
                ("lp_extra", "1"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let response = app
        .post_form(
            "/en/organisation",
            &[
                ("name", "Spam Org"),
                ("contact_email", "robot@example.org"),
                ("lp_extra", "1"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let after = (
        count("registrations").await,
        count("organisations").await,
        count("subscribers").await,
        count("outbox").await,
    );
    assert_eq!(before, after);

    // People never see the field: it is off screen and hidden from
    // assistive technology, on every public form.
    for path in [
        format!("/ar/events/{slug}/register"),
        "/en/organisation".to_owned(),
        "/en/subscribe".to_owned(),
    ] {
        let (_, page) = app.get(&path).await;
        assert!(
            page.contains("<div aria-hidden=\"true\" class=\"honeypot\">")
                && page.contains("name=\"lp_extra\""),
            "{path}"
        );
    }
}

/// Reads until the server closes the connection (or 10 s pass); returns what
/// it sent.
async fn read_to_close(stream: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn slow_idle_and_oversized_requests_are_cut_off() {
    let app = spawn_app_with(|setup| setup.config.read_timeout = Duration::from_secs(1)).await;

    // A connection that never sends anything is closed.
    let started = Instant::now();
    let mut idle = TcpStream::connect(app.addr).await.unwrap();
    read_to_close(&mut idle).await;
    let idle_for = started.elapsed();
    assert!(
        idle_for < Duration::from_secs(4),
        "idle connection open {idle_for:?}"
    );

    // Headers sent a byte at a time, slower than the timeout allows.
    let started = Instant::now();
    let mut slow = TcpStream::connect(app.addr).await.unwrap();
    slow.write_all(b"GET /en HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut closed = false;
    for _ in 0..20 {
        tokio::time::sleep(Duration::from_millis(300)).await;
        if slow.write_all(b"X").await.is_err() {
            closed = true;
            break;
        }
    }
    let answer = read_to_close(&mut slow).await;
    assert!(
        closed || answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
    assert!(started.elapsed() < Duration::from_secs(8));

    // A form body that stalls gets 408, in the page's language.
    let mut stalled = TcpStream::connect(app.addr).await.unwrap();
    stalled
        .write_all(
            b"POST /ar/subscribe HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nemail=",
        )
        .await
        .unwrap();
    let answer = read_to_close(&mut stalled).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("dir=\"rtl\""), "{answer}");

    // Too many header bytes, or too many header fields: 431.
    let big = "a".repeat(20 * 1024);
    let response = app
        .client
        .get(app.url("/en"))
        .header("x-padding", big)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 431);
    let mut request = app.client.get(app.url("/en"));
    for i in 0..80 {
        request = request.header(format!("x-field-{i}"), "1");
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status().as_u16(), 431);
    // And an ordinary request still works.
    assert_eq!(app.get("/en").await.0, 200);
}

/// Every route that changes state refuses a request another site sends,
/// whatever the method, before reading it: forms, private-page actions,
/// staff actions, uploads and server functions. Our own origin passes.
#[tokio::test]
async fn every_state_changing_route_refuses_other_sites() {
    let app = crate::common::spawn_app().await;
    let slug = app.briefing_slug().await;
    let before: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM registrations) + (SELECT COUNT(*) FROM subscribers)
              + (SELECT COUNT(*) FROM organisations) + (SELECT COUNT(*) FROM audit)",
    )
    .fetch_one(app.sql())
    .await
    .unwrap();
    let token = "a".repeat(32);
    let paths = [
        format!("/en/events/{slug}/register"),
        format!("/ar/r/{token}"),
        "/en/organisation".to_owned(),
        "/ar/subscribe".to_owned(),
        format!("/en/subscribe/confirm/{token}"),
        "/en/staff/login".to_owned(),
        "/en/staff/logout".to_owned(),
        "/en/staff/users".to_owned(),
        "/en/staff/registrations".to_owned(),
        "/en/staff/organisations".to_owned(),
        "/en/staff/bulletins/new".to_owned(),
        "/en/staff/bulletins/1".to_owned(),
        "/en/staff/bulletins/media".to_owned(),
        "/en/staff/events/new".to_owned(),
        format!("/en/staff/events/{slug}/edit"),
        format!("/en/staff/events/{slug}/sessions/new"),
        format!("/en/staff/events/{slug}/sessions/1"),
        "/api/staff/users".to_owned(),
        "/api/registrations/private".to_owned(),
        "/api/privacy/retention".to_owned(),
    ];
    for path in &paths {
        for method in [
            reqwest::Method::POST,
            reqwest::Method::PUT,
            reqwest::Method::DELETE,
        ] {
            for (header, value) in [
                ("origin", "https://evil.example"),
                ("origin", "null"),
                ("sec-fetch-site", "cross-site"),
                ("sec-fetch-site", "same-site"),
            ] {
                let response = app
                    .client
                    .request(method.clone(), app.url(path))
                    .header(header, value)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body("email=x%40example.org&lang=en&name=x")
                    .send()
                    .await
                    .unwrap();
                assert_eq!(
                    response.status().as_u16(),
                    403,
                    "{method} {path} with {header}: {value}"
                );
                if path.starts_with("/ar/") {
                    assert!(response.text().await.unwrap().contains("dir=\"rtl\""));
                }
            }
        }
    }
    let after: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM registrations) + (SELECT COUNT(*) FROM subscribers)
              + (SELECT COUNT(*) FROM organisations) + (SELECT COUNT(*) FROM audit)",
    )
    .fetch_one(app.sql())
    .await
    .unwrap();
    assert_eq!(before, after);

    // Our own pages posting to us: accepted. Where a browser sends both
    // headers `Sec-Fetch-Site` decides (under `Referrer-Policy: no-referrer`
    // the `Origin` is `null`); an old one sends only our `Origin`.
    for (origin, site) in [
        (Some(app.state.config.public_origin()), Some("same-origin")),
        (Some("null"), Some("same-origin")),
        (Some(app.state.config.public_origin()), None),
        (None, None),
    ] {
        let mut request = app
            .client
            .post(app.url("/en/subscribe"))
            .form(&[("email", "ours@example.org"), ("lang", "en")]);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        if let Some(site) = site {
            request = request.header("sec-fetch-site", site);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status().as_u16(), 303, "{origin:?} {site:?}");
    }
}
