//! The page cache: after every kind of change the next read of every page it
//! affects shows the new state, pages it does not affect keep their entries,
//! nothing personal is kept or served across readers, readers revalidate with
//! 304s, and the cache holds no more than its ceiling.
//!
//! "The page as it is now" is the same page rendered for a reader the cache
//! never serves (one with a cookie it does not know), so each check compares
//! what the cache serves with a fresh rendering, not with expected words.

use app::domain::Role;
use app::server::page_cache::http::key_of;

use crate::common::{TestApp, now, spawn_app, spawn_app_with};
use crate::events_editor::{event_fields, with};
use crate::live::{register, registration_id};

/// A cookie no page knows: the request is rendered afresh, never from or
/// into the cache.
const FRESH: &str = "fresh=1";

async fn body(app: &TestApp, path: &str, cookie: Option<&str>) -> String {
    let mut request = app.client.get(app.url(path));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200, "{path}");
    response.text().await.unwrap()
}

fn kept(app: &TestApp, path: &str) -> bool {
    let key = key_of(path).expect("a page that may be kept");
    app.state
        .pages
        .holds(&key, app.state.clock.now().as_second())
}

async fn get_with(app: &TestApp, path: &str, header: &str, value: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header(header, value)
        .send()
        .await
        .unwrap()
}

/// Reads `path` until it is kept; returns what it showed.
async fn warm(app: &TestApp, path: &str) -> String {
    let shown = body(app, path, None).await;
    assert!(kept(app, path), "{path} was not kept");
    shown
}

/// What the cache serves for `path` is the page as it is now; returns it.
async fn current(app: &TestApp, path: &str) -> String {
    let served = body(app, path, None).await;
    let fresh = body(app, path, Some(FRESH)).await;
    assert_eq!(served, fresh, "{path} was served stale");
    served
}

#[tokio::test]
async fn every_change_reaches_the_pages_showing_it_and_no_other() {
    let app = spawn_app().await;
    let briefing = app.briefing_slug().await;
    let platform = app.platform_slug().await;
    let briefing_page = format!("/en/events/{briefing}");
    let briefing_form = format!("/ar/events/{briefing}/register");
    let platform_page = format!("/en/events/{platform}");
    let lists = ["/en", "/ar/events", "/en/events?when=past", "/events.ics"];
    let bulletins = ["/en/bulletins", "/feeds/bulletins.atom"];

    // A registration takes one of the briefing's first-come seats.
    let before = warm(&app, &briefing_page).await;
    warm(&app, &briefing_form).await;
    warm(&app, &platform_page).await;
    for page in lists.iter().chain(&bulletins) {
        warm(&app, page).await;
    }
    register(&app, &briefing, "seat@example.org", "online").await;
    assert_ne!(current(&app, &briefing_page).await, before);
    current(&app, &briefing_form).await;
    for page in lists {
        current(&app, page).await;
    }
    assert!(kept(&app, &platform_page), "another event's page");
    for page in bulletins {
        assert!(kept(&app, page), "{page} does not show events");
    }

    // A moderator's approval takes a seat at the moderated meeting.
    register(&app, &platform, "approved@example.org", "online").await;
    let before = warm(&app, &platform_page).await;
    warm(&app, &briefing_page).await;
    let id = registration_id(&app, "approved@example.org").await;
    let moderator = app.staff_client(Role::Moderator).await;
    let decided = moderator
        .post(app.url("/en/staff/registrations"))
        .form(&[("decision", "approve"), ("ids", &id.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(decided.status().as_u16(), 303);
    assert_ne!(current(&app, &platform_page).await, before);
    assert!(kept(&app, &briefing_page));

    // An admin publishes a new event, edits it, and cancels it.
    let admin = app.staff_client(Role::Admin).await;
    let slug = "cache-consultation";
    let event_page = format!("/en/events/{slug}");
    let list = warm(&app, "/en/events").await;
    warm(&app, &briefing_page).await;
    let created = admin
        .post(app.url("/en/staff/events/new"))
        .form(&with(event_fields(slug), &[("action", "publish")]))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 303);
    let list_now = current(&app, "/en/events").await;
    assert!(!list.contains(slug) && list_now.contains(slug), "published");
    let shown = warm(&app, &event_page).await;
    let edit = format!("/en/staff/events/{slug}/edit");
    let edited = admin
        .post(app.url(&edit))
        .form(&with(
            event_fields(slug),
            &[("action", "save"), ("title_en", "Consultation, new title")],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(edited.status().as_u16(), 303);
    let shown_now = current(&app, &event_page).await;
    assert!(!shown.contains("new title") && shown_now.contains("new title"));
    assert!(current(&app, "/en/events").await.contains("new title"));
    warm(&app, &event_page).await;
    let cancelled = admin
        .post(app.url(&edit))
        .form(&[("action", "cancel"), ("confirm", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(cancelled.status().as_u16(), 303);
    let (status, _) = app.get(&event_page).await;
    assert_eq!(status, 404, "a cancelled event's page is gone, not kept");
    assert!(!current(&app, "/en/events").await.contains(slug));
    assert!(kept(&app, &briefing_page), "another event's page");

    // A bulletin published, then unpublished.
    let archive = warm(&app, "/en/bulletins").await;
    warm(&app, "/feeds/bulletins.atom").await;
    warm(&app, &briefing_page).await;
    let fields = [
        ("action", "publish"),
        ("number", "40"),
        ("slug", "cache-issue"),
        ("title_en", "An issue about caching"),
        ("body_en", "Text."),
    ];
    let published = admin
        .post(app.url("/en/staff/bulletins/new"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(published.status().as_u16(), 303);
    let edit = published.headers()["location"].to_str().unwrap().to_owned();
    let edit = edit.split('?').next().unwrap().to_owned();
    let archive_now = current(&app, "/en/bulletins").await;
    assert!(!archive.contains("cache-issue") && archive_now.contains("cache-issue"));
    assert!(
        current(&app, "/feeds/bulletins.atom")
            .await
            .contains("cache-issue")
    );
    assert!(kept(&app, &briefing_page), "events do not show bulletins");
    warm(&app, "/en/bulletins/cache-issue").await;
    let unpublished = admin
        .post(app.url(&edit))
        .form(&[("action", "unpublish")])
        .send()
        .await
        .unwrap();
    assert_eq!(unpublished.status().as_u16(), 303);
    assert_eq!(app.get("/en/bulletins/cache-issue").await.0, 404);
    assert!(!current(&app, "/en/bulletins").await.contains("cache-issue"));
}

#[tokio::test]
async fn the_clock_ends_a_kept_page_when_a_session_goes_live() {
    let app = spawn_app().await;
    let platform = app.platform_slug().await;
    let page = format!("/en/events/{platform}");
    let event = app.event_id(&platform).await;
    let first_start: i64 =
        sqlx::query_scalar("SELECT MIN(starts_at) FROM sessions WHERE event_id = $1")
            .bind(event)
            .fetch_one(app.sql())
            .await
            .unwrap();
    // A minute before the first session starts, the page is kept as it is.
    app.advance(first_start - now().as_second() - 60);
    let before = current(&app, &page).await;
    assert!(!before.contains("class=\"live-badge\""), "not live yet");
    warm(&app, &page).await;
    // At its start it goes live: the kept page is no longer served.
    app.advance(61);
    assert!(!kept(&app, &page));
    let live = current(&app, &page).await;
    assert!(live.contains("class=\"live-badge\""), "{live}");
}

#[tokio::test]
async fn nothing_personal_is_kept_or_served_to_another_reader() {
    let app = spawn_app().await;
    let briefing = app.briefing_slug().await;
    let (private, _) = register(&app, &briefing, "private@example.org", "online").await;
    for _ in 0..2 {
        let response = app.client.get(app.url(&private)).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(response.headers()["cache-control"], "no-store");
        assert!(!response.headers().contains_key("etag"));
    }
    assert!(!kept(&app, &private), "a private page");
    assert!(
        app.state.pages.len() < 2,
        "only what the link's page declared"
    );

    // Staff pages: never kept, never stored by a browser.
    let staff = app.staff_client(Role::Admin).await;
    for path in ["/en/staff", "/en/staff/registrations", "/en/staff/events"] {
        let response = staff.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
        assert!(!kept(&app, path), "{path}");
    }

    // A reader with a cookie of their own (a session, a remembered device)
    // is always answered afresh, and what they were shown is not kept for
    // others: change the database behind the cache's back, and only the
    // fresh reader sees it.
    let page = format!("/en/events/{briefing}");
    let before = warm(&app, &page).await;
    sqlx::query("UPDATE events SET title_en = 'Changed behind the cache' WHERE slug = $1")
        .bind(&briefing)
        .execute(app.sql())
        .await
        .unwrap();
    let signed_in = app.page_as(&staff, &page).await;
    assert!(signed_in.contains("Changed behind the cache"));
    assert_eq!(
        body(&app, &page, None).await,
        before,
        "others: the kept page"
    );
    assert!(!body(&app, &page, None).await.contains("Changed behind"));
    // A search is never kept: how fast it came back would tell the next
    // reader that someone searched for that.
    let search = "/en/events?q=detention";
    assert!(key_of(search).is_none());
    body(&app, search, None).await;
    assert!(app.state.pages.len() <= 2);
}

#[tokio::test]
async fn readers_revalidate_pages_and_files_with_304() {
    let app = spawn_app().await;
    let briefing = app.briefing_slug().await;
    let page = format!("/en/events/{briefing}");
    let first = app.client.get(app.url(&page)).send().await.unwrap();
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    assert_eq!(first.headers()["cache-control"], "no-cache");
    assert_eq!(first.headers()["vary"], "accept-encoding");
    let again = get_with(&app, &page, "if-none-match", &etag).await;
    assert_eq!(again.status().as_u16(), 304);
    assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
    assert!(again.bytes().await.unwrap().is_empty());
    // Every encoding of one content has the same validator.
    let brotli = get_with(&app, &page, "accept-encoding", "br").await;
    assert_eq!(brotli.headers()["content-encoding"], "br");
    assert_eq!(brotli.headers()["etag"].to_str().unwrap(), etag);

    // A change: a new validator, and the old one gets the whole page.
    register(&app, &briefing, "etag@example.org", "online").await;
    let changed = get_with(&app, &page, "if-none-match", &etag).await;
    assert_eq!(changed.status().as_u16(), 200);
    assert_ne!(changed.headers()["etag"].to_str().unwrap(), etag);

    // A file from memory, by ETag and by date.
    let icon = app
        .client
        .get(app.url("/favicon.svg"))
        .send()
        .await
        .unwrap();
    assert_eq!(icon.status().as_u16(), 200);
    let etag = icon.headers()["etag"].to_str().unwrap().to_owned();
    let modified = icon.headers()["last-modified"].to_str().unwrap().to_owned();
    for (name, value) in [("if-none-match", etag), ("if-modified-since", modified)] {
        let again = get_with(&app, "/favicon.svg", name, &value).await;
        assert_eq!(again.status().as_u16(), 304, "{name}");
    }
    let missing = app
        .client
        .get(app.url("/pkg/none.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status().as_u16(), 404);
    assert!(!missing.headers().contains_key("cache-control"));
}

#[tokio::test]
async fn the_cache_never_grows_past_its_ceiling() {
    let app = spawn_app_with(|setup| {
        setup.config.page_cache_bytes = 256 * 1024;
    })
    .await;
    let ceiling = app.state.pages.ceiling();
    let mut peak = 0;
    for i in 0..1000 {
        // Distinct query strings a stranger might make up.
        let path = format!("/en/events?when=past&page={i}");
        let (status, _) = app.get(&path).await;
        assert_eq!(status, 200);
        peak = peak.max(app.state.pages.bytes());
        assert!(app.state.pages.bytes() <= ceiling);
    }
    println!(
        "page cache: peak {peak} bytes of a {ceiling}-byte ceiling after 1000 distinct queries, \
         {} entries held",
        app.state.pages.len()
    );
    assert!(peak > ceiling / 2, "it was used");
    // Overlong or crowded query strings are not kept at all.
    let long = format!("/en/events?when={}", "x".repeat(300));
    app.get(&long).await;
    assert!(key_of(&long).is_none());
}
