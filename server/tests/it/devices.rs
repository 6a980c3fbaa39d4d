//! "Remember me on this device": the event page shows a participant's own
//! registration and join buttons to the browser they asked to remember
//! them, and to no one else; the device joins through the same gate.

use crate::common::{TestApp, spawn_app};
use crate::live::{add_session, location, register, registration_id};

/// Ticks "remember me" on the private page with `client`; the response.
async fn remember(app: &TestApp, client: &reqwest::Client, link: &str) -> reqwest::Response {
    client
        .post(app.url(link))
        .form(&[("action", "remember"), ("remember", "yes")])
        .send()
        .await
        .unwrap()
}

async fn devices(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM remembered_devices")
        .fetch_one(app.sql())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_remembered_browser_sees_its_registration_and_joins_from_the_event_page() {
    let app = spawn_app().await;
    let slug = app.briefing_slug().await;
    let (link, token) = register(&app, &slug, "device@example.org", "online").await;
    let id = registration_id(&app, "device@example.org").await;
    let secret = "https://meet.example.org/device-test-51c2";
    let session = add_session(&app, app.event_id(&slug).await, 3600, secret).await;
    let event_page = format!("/en/events/{slug}");

    // Not without the box ticked: the form says so and nothing is set.
    let browser = app.cookie_client();
    let response = browser
        .post(app.url(&link))
        .form(&[("action", "remember")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 422);
    assert!(response.headers().get("set-cookie").is_none());
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Please tick this box")
    );
    assert_eq!(devices(&app).await, 0);

    // Ticked: an HttpOnly, SameSite=Lax cookie, lasting as long as the
    // registration is kept, holding a token that is not the private one
    // and that the database holds only hashed.
    let response = remember(&app, &browser, &link).await;
    assert_eq!(response.status().as_u16(), 303);
    assert!(
        response.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with("?done=remembered")
    );
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("lausanne_device="), "{cookie}");
    for part in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="] {
        assert!(cookie.contains(part), "{part}: {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain http here: {cookie}");
    let device = cookie["lausanne_device=".len()..][..32].to_owned();
    assert_ne!(device, token);
    let stored: Vec<u8> = sqlx::query_scalar("SELECT token_hash FROM remembered_devices")
        .fetch_one(app.sql())
        .await
        .unwrap();
    assert_eq!(stored.len(), 32);
    assert!(!String::from_utf8_lossy(&stored).contains(&device));
    let private = app.page_as(&browser, &link).await;
    assert!(
        private.contains("This browser remembers your registration"),
        "{private}"
    );

    // The event page: the registration and a Join button (once the window
    // opens), for this browser alone, never kept by any cache.
    let response = browser.get(app.url(&event_page)).send().await.unwrap();
    assert_eq!(response.headers()["cache-control"], "private, no-store");
    let page = response.text().await.unwrap();
    assert!(page.contains("Your registration"), "{page}");
    assert!(page.contains(r#"data-state="approved""#));
    assert!(page.contains(&format!("/join/device/{session}")));
    assert!(!page.contains(secret) && !page.contains(&token) && !page.contains(&device));
    let stranger = app.cookie_client();
    let (_, public) = app.get(&event_page).await;
    let other = app.page_as(&stranger, &event_page).await;
    for seen in [&public, &other] {
        assert!(!seen.contains("Your registration") && !seen.contains("/join/device/"));
    }

    // The device's join link follows the private link's rules exactly.
    let join = format!("/join/device/{session}");
    let early = browser.get(app.url(&join)).send().await.unwrap();
    assert_eq!(early.status().as_u16(), 303);
    assert_eq!(
        early.headers()["location"],
        format!("{event_page}?join=early#agenda")
    );
    app.advance(3600 - 15 * 60);
    let open = browser.get(app.url(&join)).send().await.unwrap();
    assert_eq!(open.headers()["location"], secret);
    let joins: i64 = sqlx::query_scalar("SELECT joins FROM attendance WHERE registration_id = $1")
        .bind(id)
        .fetch_one(app.sql())
        .await
        .unwrap();
    assert_eq!(joins, 1, "attendance as through the private link");
    // Without the cookie, or with someone else's made-up one: nothing.
    assert_eq!(location(&app, &join).await.0, 404);
    let forged = app
        .client
        .get(app.url(&join))
        .header("cookie", format!("lausanne_device={}", "ab".repeat(16)))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status().as_u16(), 404);

    // Another site cannot make the browser forget (a cross-site post).
    let response = browser
        .post(app.url("/en/device/forget"))
        .header("sec-fetch-site", "cross-site")
        .form(&[("event", slug.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    assert!(response.headers().get("set-cookie").is_none());
    assert_eq!(devices(&app).await, 1);

    // "Not you?": this browser forgets, and its cookie goes.
    let response = browser
        .post(app.url("/en/device/forget"))
        .form(&[("event", slug.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(response.headers()["location"], event_page);
    assert!(
        response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    assert_eq!(devices(&app).await, 0);
    let page = app.page_as(&browser, &event_page).await;
    assert!(!page.contains("Your registration"));
}

#[tokio::test]
async fn devices_are_forgotten_from_the_private_page_with_the_data_and_in_time() {
    let app = spawn_app().await;
    let slug = app.briefing_slug().await;
    let (link, _) = register(&app, &slug, "forget@example.org", "online").await;
    let event_page = format!("/en/events/{slug}");

    // Two browsers; the private page forgets both.
    let (phone, laptop) = (app.cookie_client(), app.cookie_client());
    remember(&app, &phone, &link).await;
    remember(&app, &laptop, &link).await;
    assert_eq!(devices(&app).await, 2);
    let response = app.post_form(&link, &[("action", "forget_devices")]).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(devices(&app).await, 0);
    assert!(
        !app.page_as(&phone, &event_page)
            .await
            .contains("Your registration")
    );

    // "Delete my data" takes the devices with the registration.
    remember(&app, &phone, &link).await;
    assert_eq!(devices(&app).await, 1);
    let response = app
        .post_form(&link, &[("action", "erase"), ("confirm", "yes")])
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(devices(&app).await, 0);

    // A device is remembered only as long as the registration is kept.
    let (link, _) = register(&app, &slug, "later@example.org", "online").await;
    remember(&app, &laptop, &link).await;
    assert!(
        app.page_as(&laptop, &event_page)
            .await
            .contains("Your registration")
    );
    let (ends, retention): (i64, i64) = (
        sqlx::query_scalar("SELECT ends_at FROM events WHERE slug = $1")
            .bind(&slug)
            .fetch_one(app.sql())
            .await
            .unwrap(),
        i64::from(app.state.config.retention_days) * 86_400,
    );
    let expires: i64 = sqlx::query_scalar("SELECT expires_at FROM remembered_devices")
        .fetch_one(app.sql())
        .await
        .unwrap();
    assert_eq!(expires, ends + retention);
    app.advance(ends + retention - crate::common::now().as_second());
    assert!(
        !app.page_as(&laptop, &event_page)
            .await
            .contains("Your registration")
    );
}
