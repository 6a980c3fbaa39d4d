//! The bulletin and the mailing list, driven over HTTP: archive, reader,
//! language switch, search in both languages, Atom feeds (parsed with
//! feed-rs), the editor (admins only, audited, XSS inert), image upload,
//! subscribe / confirm / unsubscribe, and the mailing of an issue (once per
//! subscriber, even when the delivery worker is killed half way through).

use std::collections::HashMap;
use std::time::Duration;

use crate::common::{TestApp, on_postgres, spawn_app, spawn_app_with};
use crate::mail::{SmtpServer, eventually, files_in, free_port, smtp_url};
use app::domain::Role;
use app::server::crypto;

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(app.sql())
        .await
        .unwrap()
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// Posts the editor's form as `admin`; returns the response.
async fn post_issue(
    app: &TestApp,
    admin: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    admin.post(app.url(path)).form(fields).send().await.unwrap()
}

/// Creates and publishes an issue; returns its id.
async fn publish(app: &TestApp, admin: &reqwest::Client, fields: &[(&str, &str)]) -> i64 {
    let mut all = fields.to_vec();
    all.push(("action", "publish"));
    let response = post_issue(app, admin, "/en/staff/bulletins/new", &all).await;
    let to = location(&response);
    assert_eq!(
        response.status().as_u16(),
        303,
        "{}",
        response.text().await.unwrap()
    );
    to.trim_start_matches("/en/staff/bulletins/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn archive_reader_and_language_switch() {
    let app = spawn_app().await;

    let (status, html) = app.get("/en/bulletins").await;
    assert_eq!(status, 200);
    let newest = html
        .find("What the Children &amp; Youth consultation heard")
        .unwrap();
    let oldest = html
        .find("What the Mechanism is, and what it is not")
        .unwrap();
    assert!(newest < oldest, "newest first");
    assert!(html.contains("Sample"), "samples are labelled");
    assert!(html.contains("min read"));
    assert!(html.contains("href=\"/feeds/bulletins.en.atom\""));

    let (status, home) = app.get("/ar").await;
    assert_eq!(status, 200);
    assert!(
        home.contains("href=\"/ar/bulletins\""),
        "in the site navigation"
    );
    assert!(
        home.contains("ما سمعناه في مشاورات الأطفال والشباب"),
        "latest on the home page"
    );

    let path = "/ar/bulletins/working-with-civil-society";
    let (status, page) = app.get(path).await;
    assert_eq!(status, 200);
    assert!(page.contains("dir=\"rtl\""));
    assert!(page.contains("كيف نعمل مع المجتمع المدني السوري"));
    assert!(page.contains("<h2>البداية</h2>"), "Markdown rendered");
    assert!(page.contains("عدد نموذجي"), "says it is a sample");
    // Previous and next issues, and the switch to the same issue in English.
    assert!(page.contains("href=\"/ar/bulletins/what-the-mechanism-is\""));
    assert!(page.contains("href=\"/ar/bulletins/children-and-youth-consultation\""));
    assert!(page.contains("href=\"/en/bulletins/working-with-civil-society\""));
    let (status, english) = app.get("/en/bulletins/working-with-civil-society").await;
    assert_eq!(status, 200);
    assert!(english.contains("How we work with Syrian civil society"));

    assert_eq!(app.get("/en/bulletins/no-such-issue").await.0, 404);
    assert_eq!(app.get("/en/bulletins/Bad%20Slug").await.0, 404);
}

#[tokio::test]
async fn an_issue_missing_in_one_language_says_so_and_links_to_the_other() {
    let app = spawn_app().await;
    let admin = app.staff_client(Role::Admin).await;
    publish(
        &app,
        &admin,
        &[
            ("number", "4"),
            ("slug", "english-only"),
            ("title_en", "Only in English"),
            ("body_en", "Some text."),
        ],
    )
    .await;
    let (status, page) = app.get("/ar/bulletins/english-only").await;
    assert_eq!(status, 200);
    assert!(page.contains("هذا العدد غير متوفر بالعربية"), "{page}");
    assert!(page.contains("href=\"/en/bulletins/english-only\""));
    let (_, archive) = app.get("/ar/bulletins").await;
    assert!(archive.contains("بالإنجليزية فقط"));
}

#[tokio::test]
async fn search_matches_both_languages_with_and_without_diacritics() {
    let app = spawn_app().await;
    let found = |html: &str, slug: &str| html.contains(&format!("/bulletins/{slug}\""));
    let children = "children-and-youth-consultation";

    // As written: الأطفال، الاستراتيجية، المشاورات.
    for query in [
        "الأطفال",
        "الاطفال",            // alef with hamza folded
        "الأَطْفَال",            // with tashkeel
        "الاستراتيجيه",       // taa marbuta as haa
        "المـشـاورات",       // tatweel
        "استراتيجية الأطفال", // every word must match
    ] {
        let (status, html) = app
            .get(&format!("/ar/bulletins?q={}", urlencode(query)))
            .await;
        assert_eq!(status, 200);
        assert!(found(&html, children), "{query} finds the issue");
        assert!(!found(&html, "what-the-mechanism-is"), "{query} only it");
    }
    // English words find the issue from an Arabic page, and vice versa.
    let (_, html) = app.get("/ar/bulletins?q=Consultation").await;
    assert!(found(&html, children));
    let (_, html) = app
        .get(&format!("/en/bulletins?q={}", urlencode("بروتوكول")))
        .await;
    assert!(found(&html, "working-with-civil-society"));
    // Nothing matches; FTS syntax is only text.
    let (status, html) = app.get("/en/bulletins?q=%22%20OR%20*%20NEAR(").await;
    assert_eq!(status, 200);
    assert!(html.contains("No issue matches"));
}

fn urlencode(text: &str) -> String {
    form_urlencoded(text)
}

fn form_urlencoded(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn atom_feeds_parse_and_have_stable_ids_and_absolute_links() {
    let app = spawn_app_with(|setup| {
        setup.config.public_url = "https://platform.example.org".to_owned();
    })
    .await;
    let fetch = |path: &'static str| {
        let client = app.client.clone();
        let url = app.url(path);
        async move {
            let response = client
                .get(url)
                .header("host", "evil.example")
                .send()
                .await
                .unwrap();
            assert_eq!(response.status().as_u16(), 200, "{path}");
            assert_eq!(
                response.headers()["content-type"],
                "application/atom+xml; charset=utf-8"
            );
            response.bytes().await.unwrap()
        }
    };
    let en = feed_rs::parser::parse(&fetch("/feeds/bulletins.atom").await[..]).unwrap();
    let en_again = feed_rs::parser::parse(&fetch("/feeds/bulletins.en.atom").await[..]).unwrap();
    let ar = feed_rs::parser::parse(&fetch("/feeds/bulletins.ar.atom").await[..]).unwrap();
    let ar_query =
        feed_rs::parser::parse(&fetch("/feeds/bulletins.atom?lang=ar").await[..]).unwrap();
    assert_eq!(en.entries.len(), 3);
    assert_eq!(ar.entries.len(), 3);
    assert!(en.id.starts_with("tag:platform.example.org,"), "{}", en.id);
    assert_ne!(en.id, ar.id);
    assert_eq!(ar.id, ar_query.id);
    assert_eq!(en.language.as_deref(), Some("en"));
    assert_eq!(ar.language.as_deref(), Some("ar"));
    let ids = |f: &feed_rs::model::Feed| f.entries.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&en), ids(&en_again), "stable ids");
    for entry in en.entries.iter().chain(&ar.entries) {
        assert!(entry.id.starts_with("tag:platform.example.org,"));
        let link = &entry.links[0].href;
        assert!(
            link.starts_with("https://platform.example.org/"),
            "absolute, from LAUSANNE_PUBLIC_URL, never Host: {link}"
        );
        assert!(entry.published.is_some() && entry.updated.is_some());
        assert!(
            entry
                .content
                .as_ref()
                .and_then(|c| c.body.as_ref())
                .is_some()
        );
    }
    assert_eq!(
        ar.entries[0].title.as_ref().unwrap().content,
        "3. ما سمعناه في مشاورات الأطفال والشباب"
    );
    assert_eq!(app.get("/feeds/bulletins.fr.atom").await.0, 404);
    assert_eq!(app.get("/feeds/bulletins.atom?lang=fr").await.0, 404);
}

/// Payloads that must come out inert, in the reader and in the preview.
const XSS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](https://evil.example/track.png)",
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)>",
    "<div style=\"width: expression(alert(1))\">x</div>",
    "<a href=\"javascript:alert(1)\" onclick=\"alert(1)\">x</a>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "[x](vbscript:msgbox(1))",
    "<<script>script>alert(1)<</script>/script>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
];

/// Every tag in `html` (text is escaped, so every `<` starts a tag) is one
/// we allow, with no event handler, style, or script/data URL.
fn assert_tags_inert(html: &str) {
    let allowed = [
        "p",
        "h2",
        "h3",
        "h4",
        "ul",
        "ol",
        "li",
        "blockquote",
        "em",
        "strong",
        "del",
        "a",
        "code",
        "pre",
        "hr",
        "br",
        "img",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "sup",
        "div",
        "section",
        "article",
    ];
    for tag in html.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap().to_lowercase();
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap();
        if name.starts_with('!') {
            // Leptos' hydration markers.
            assert!(!tag.contains("script"), "<{tag}>");
            continue;
        }
        assert!(allowed.contains(&name), "<{tag}> is not allowed");
        for bad in [
            " on",
            "style=",
            "javascript:",
            "vbscript:",
            "data:",
            "evil.example",
            "src=\"x\"",
        ] {
            assert!(!tag.contains(bad), "{bad} in <{tag}>");
        }
    }
}

fn assert_inert(html: &str) {
    // Only the issue's text: the page itself has its own scripts.
    let start = html.find("<div class=\"prose\"").expect("a body");
    let end = html[start..].find("<nav").map_or(html.len(), |e| start + e);
    assert_tags_inert(&html[start..end]);
}

#[tokio::test]
async fn the_xss_catalogue_renders_inert() {
    let app = spawn_app().await;
    let admin = app.staff_client(Role::Admin).await;
    let payload = XSS.join("\n\n");
    let fields = [
        ("number", "7"),
        ("slug", "xss"),
        ("title_en", "Catalogue"),
        ("summary_en", "<script>alert(1)</script>"),
        ("body_en", payload.as_str()),
        ("title_ar", "فهرس"),
        ("body_ar", payload.as_str()),
    ];
    // The preview is rendered on the server with the same sanitiser.
    let mut preview = fields.to_vec();
    preview.push(("action", "preview"));
    let response = post_issue(&app, &admin, "/en/staff/bulletins/new", &preview).await;
    assert_eq!(response.status().as_u16(), 200);
    let html = response.text().await.unwrap();
    let start = html.find("editor-preview").unwrap();
    assert_tags_inert(&html[start..html[start..].find("</section>").unwrap() + start]);

    publish(&app, &admin, &fields).await;
    for lang in ["en", "ar"] {
        let (status, html) = app.get(&format!("/{lang}/bulletins/xss")).await;
        assert_eq!(status, 200);
        assert_inert(&html);
        // The text is still there, as text.
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }
    let feed = app.get("/feeds/bulletins.atom").await.1;
    assert!(!feed.contains("<script"), "escaped in the feed too");
}

#[tokio::test]
async fn the_editor_saves_publishes_and_unpublishes_with_an_audit_trail() {
    let app = spawn_app().await;
    let admin = app.staff_client(Role::Admin).await;
    let fields = [
        ("action", "save"),
        ("number", "4"),
        ("slug", "issue-4"),
        ("title_en", "Draft issue"),
        ("body_en", "Draft *text*."),
    ];
    let response = post_issue(&app, &admin, "/en/staff/bulletins/new", &fields).await;
    assert_eq!(response.status().as_u16(), 303);
    let path = location(&response);
    let id = path
        .trim_start_matches("/en/staff/bulletins/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let edit = format!("/en/staff/bulletins/{id}");
    assert_eq!(
        app.get("/en/bulletins/issue-4").await.0,
        404,
        "a draft is not public"
    );
    let page = app.page_as(&admin, &edit).await;
    assert!(page.contains("Draft issue") && page.contains("<em>text</em>"));

    // A number or address already used is refused next to the field.
    let taken = [
        ("action", "save"),
        ("number", "1"),
        ("slug", "another"),
        ("title_en", "T"),
        ("body_en", "B"),
    ];
    let response = post_issue(&app, &admin, "/en/staff/bulletins/new", &taken).await;
    assert_eq!(response.status().as_u16(), 422);
    assert!(response.text().await.unwrap().contains("already used"));

    let mut publish_fields = fields.to_vec();
    publish_fields[0] = ("action", "publish");
    let response = post_issue(&app, &admin, &edit, &publish_fields).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(app.get("/en/bulletins/issue-4").await.0, 200);
    let response = post_issue(&app, &admin, &edit, &[("action", "unpublish")]).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(app.get("/en/bulletins/issue-4").await.0, 404);

    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit WHERE subject_type = 'bulletin' AND actor = 'staff' ORDER BY id",
    )
    .fetch_all(app.sql())
    .await
    .unwrap();
    assert_eq!(
        actions,
        [
            "bulletin_created",
            "bulletin_published",
            "bulletin_unpublished"
        ]
    );
    // The audit page names them in the reader's language.
    let audit = app.page_as(&admin, "/ar/staff/audit").await;
    assert!(audit.contains("نُشر عدد من النشرة"), "{audit}");
}

#[tokio::test]
async fn images_are_checked_stored_and_served_safely() {
    let app = spawn_app().await;
    let admin = app.staff_client(Role::Admin).await;
    let png =
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    let upload = |bytes: Vec<u8>, name: &'static str| {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name);
        admin
            .post(app.url("/en/staff/bulletins/media"))
            .multipart(reqwest::multipart::Form::new().part("image", part))
            .send()
    };
    let response = upload(png.clone(), "pixel.png").await.unwrap();
    assert_eq!(response.status().as_u16(), 303);
    let to = location(&response);
    let name = to.split("uploaded=").nth(1).expect("uploaded").to_owned();
    assert!(name.ends_with(".png"));
    // On PostgreSQL in the database, where another instance reads it; on
    // SQLite a file under LAUSANNE_MEDIA_DIR.
    let other = app.second_instance(|_| {}).await;
    let base = if on_postgres() {
        assert!(!app.state.config.media_dir.join(&name).exists());
        format!("http://{}", other.addr)
    } else {
        assert!(
            app.state.config.media_dir.join(&name).is_file(),
            "stored under LAUSANNE_MEDIA_DIR"
        );
        app.url("")
    };
    let served = app
        .client
        .get(format!("{base}/media/{name}"))
        .send()
        .await
        .unwrap();
    assert_eq!(served.status().as_u16(), 200);
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.headers()["x-content-type-options"], "nosniff");
    assert!(
        served.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert_eq!(served.bytes().await.unwrap().to_vec(), png);

    // An SVG (script inside) named .png, and a file too large: refused.
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".to_vec();
    let response = upload(svg, "x.png").await.unwrap();
    assert!(location(&response).contains("upload_error=not_an_image"));
    let mut big = png.clone();
    big.resize(2 * 1024 * 1024 + 10, 0);
    let response = upload(big, "big.png").await;
    if let Ok(response) = response {
        assert!(
            response.status().as_u16() == 413 || location(&response).contains("upload_error"),
            "{}",
            response.status()
        );
    }
    assert_eq!(app.get("/media/..%2F..%2Fetc%2Fpasswd").await.0, 404);
    assert_eq!(
        app.get("/media/00000000000000000000000000000000.png")
            .await
            .0,
        404
    );
    let moderator = app.staff_client(Role::Moderator).await;
    let part = reqwest::multipart::Part::bytes(png).file_name("p.png");
    let response = moderator
        .post(app.url("/en/staff/bulletins/media"))
        .multipart(reqwest::multipart::Form::new().part("image", part))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM audit WHERE action = 'media_uploaded'"
        )
        .await,
        1
    );
}

/// The path (`/{lang}/…/{token}`) of the latest link to `email` containing `marker`.
async fn link_in_mail(app: &TestApp, email: &str, marker: &str) -> String {
    let body = app.mails_to(email).await.pop().unwrap().body;
    let start = body
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {body}"));
    let url = body[start..].split_whitespace().next().unwrap();
    let origin = app.state.config.public_url.clone();
    let full = body[..start]
        .rsplit(char::is_whitespace)
        .next()
        .unwrap()
        .to_owned()
        + url;
    full.trim_start_matches(&origin).to_owned()
}

#[tokio::test]
async fn subscribe_confirm_and_unsubscribe_send_nobody_duplicate_mail() {
    let app = spawn_app().await;
    let email = "reader@example.org";
    let mails = || async { app.mails_to("reader@example.org").await.len() };

    // Subscribing: always "check your email".
    let response = app
        .post_form("/ar/subscribe", &[("email", email), ("lang", "ar")])
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(location(&response), "/ar/subscribe/sent");
    assert_eq!(mails().await, 1);
    // Twice: the same answer, and no second email (a fresh one only after 15 minutes).
    let again = app
        .post_form(
            "/ar/subscribe",
            &[("email", "Reader@Example.org"), ("lang", "ar")],
        )
        .await;
    assert_eq!(location(&again), "/ar/subscribe/sent");
    assert_eq!(mails().await, 1);
    let mail = app.mails_to(email).await.pop().unwrap();
    assert_eq!(mail.lang, "ar");
    assert!(mail.subject.contains("نشرة"));

    // A bad form comes back with the field's message.
    let bad = app
        .post_form("/en/subscribe", &[("email", "nope"), ("lang", "en")])
        .await;
    assert_eq!(bad.status().as_u16(), 422);

    // After 15 minutes, asking again sends a fresh link; the old one stops working.
    let old_confirm = link_in_mail(&app, email, "/subscribe/confirm/").await;
    app.advance(16 * 60);
    let again = app
        .post_form("/ar/subscribe", &[("email", email), ("lang", "ar")])
        .await;
    assert_eq!(location(&again), "/ar/subscribe/sent");
    assert_eq!(mails().await, 2);
    assert_eq!(app.get(&old_confirm).await.0, 404);
    assert_eq!(
        app.post_form(&old_confirm, &[("go", "1")])
            .await
            .status()
            .as_u16(),
        404
    );

    let confirm = link_in_mail(&app, email, "/subscribe/confirm/").await;
    assert_ne!(confirm, old_confirm);
    assert!(confirm.starts_with("/ar/subscribe/confirm/"), "{confirm}");
    // Opening the link changes nothing (mail scanners open links); the button does.
    let (status, page) = app.get(&confirm).await;
    assert_eq!(status, 200);
    assert!(page.contains("أؤكد اشتراكي"));
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM subscribers WHERE confirmed_at IS NOT NULL"
        )
        .await,
        0
    );
    let response = app.post_form(&confirm, &[("go", "1")]).await;
    assert_eq!(location(&response), "/ar/subscribe/confirmed");
    let confirmed_at = count(&app, "SELECT confirmed_at FROM subscribers").await;
    // Confirming twice: the same page, nothing changes, no email.
    app.advance(60);
    let response = app.post_form(&confirm, &[("go", "1")]).await;
    assert_eq!(location(&response), "/ar/subscribe/confirmed");
    assert_eq!(
        count(&app, "SELECT confirmed_at FROM subscribers").await,
        confirmed_at
    );
    // Subscribing again once confirmed: same answer, no email.
    app.advance(3600);
    let response = app
        .post_form("/en/subscribe", &[("email", email), ("lang", "en")])
        .await;
    assert_eq!(location(&response), "/en/subscribe/sent");
    assert_eq!(mails().await, 2);

    // A forged token: refused, nothing removed.
    let forged = "/ar/unsubscribe/0123456789abcdef0123456789abcdef";
    assert_eq!(app.get(forged).await.0, 404);
    assert_eq!(
        app.post_form(forged, &[("x", "1")]).await.status().as_u16(),
        404
    );
    assert_eq!(app.get("/ar/unsubscribe/not-a-token").await.0, 404);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM subscribers").await, 1);

    // One click from a mail client (RFC 8058): no Origin, no cookies, and a
    // foreign Origin is no reason to refuse either.
    let unsubscribe = link_in_mail(&app, email, "/unsubscribe/").await;
    let response = app
        .client
        .post(app.url(&unsubscribe))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "https://mail.example.net")
        .header("sec-fetch-site", "cross-site")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM subscribers").await, 0);
    assert_eq!(mails().await, 0, "their mail is erased with them");
    // The old token no longer works.
    let response = app.post_form(&unsubscribe, &[("x", "1")]).await;
    assert_eq!(response.status().as_u16(), 404);
    // Other cross-site posts are still refused.
    let response = app
        .client
        .post(app.url("/en/subscribe"))
        .header("origin", "https://evil.example")
        .form(&[("email", "x@example.org"), ("lang", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
}

#[tokio::test]
async fn the_organisation_opt_in_lands_as_a_pending_subscriber() {
    let app = spawn_app().await;
    let response = app
        .post_form(
            "/ar/organisation",
            &[
                ("name", "جمعية الأمل"),
                ("country", "سوريا"),
                ("areas", "gender"),
                ("description", "نوثّق."),
                ("contact_email", "org@example.org"),
                ("mailing_list", "yes"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (lang, source, confirmed): (String, String, Option<i64>) = sqlx::query_as(
        "SELECT lang, source, confirmed_at FROM subscribers WHERE email_lookup = $1",
    )
    .bind(app.lookup(crypto::SUBSCRIBER_EMAIL, "org@example.org"))
    .fetch_one(app.sql())
    .await
    .unwrap();
    assert_eq!(
        (lang.as_str(), source.as_str(), confirmed),
        ("ar", "organisation", None)
    );
    let link = link_in_mail(&app, "org@example.org", "/subscribe/confirm/").await;
    assert!(link.starts_with("/ar/subscribe/confirm/"));
}

/// Stores a subscriber confirmed at `at`, its address sealed and looked up
/// with the app's data key as the app stores it (on either database).
async fn insert_confirmed(
    app: &TestApp,
    conn: &mut sqlx::AnyConnection,
    email: &str,
    lang: &str,
    at: i64,
) {
    let key = &app.state.key;
    sqlx::query(
        "INSERT INTO subscribers (email, email_lookup, lang, confirm_hash, unsubscribe_hash,
             source, created_at, confirm_sent_at, confirmed_at)
         VALUES ($1, $2, $3, $4, $5, 'form', $6, $6, $6)",
    )
    .bind(key.seal(crypto::SUBSCRIBER_EMAIL, email).unwrap())
    .bind(key.lookup(crypto::SUBSCRIBER_EMAIL, email))
    .bind(lang)
    // Distinct 32-byte hashes no link's token has.
    .bind(key.lookup("test.confirm_hash", email))
    .bind(key.lookup("test.unsubscribe_hash", email))
    .bind(at)
    .execute(conn)
    .await
    .unwrap();
}

/// `n` confirmed subscribers, half in each language, confirmed an hour ago.
async fn confirmed_subscribers(app: &TestApp, n: i64) {
    let at = app.state.clock.now().as_second() - 3600;
    let mut tx = app.sql().begin().await.unwrap();
    for i in 1..=n {
        let lang = if i % 2 == 0 { "ar" } else { "en" };
        insert_confirmed(app, &mut tx, &format!("reader{i}@example.org"), lang, at).await;
    }
    tx.commit().await.unwrap();
}

fn issue_fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("number", "4"),
        ("slug", "issue-4"),
        ("title_en", "Fourth issue"),
        ("summary_en", "What happened."),
        ("body_en", "## News\n\nText."),
        ("title_ar", "العدد الرابع"),
        ("body_ar", "## أخبار\n\nنص."),
    ]
}

#[tokio::test]
async fn publishing_mails_each_confirmed_subscriber_once_in_their_language() {
    let app = spawn_app().await;
    confirmed_subscribers(&app, 6).await;
    // A pending subscriber gets nothing.
    app.post_form(
        "/en/subscribe",
        &[("email", "pending@example.org"), ("lang", "en")],
    )
    .await;
    let admin = app.staff_client(Role::Admin).await;
    let id = publish(&app, &admin, &issue_fields()).await;

    let all_sent = eventually(Duration::from_secs(20), || async {
        count(&app, "SELECT COUNT(*) FROM outbox WHERE list_unsubscribe IS NOT NULL AND subscriber_id IS NOT NULL AND sent_at IS NOT NULL AND subject LIKE '%4%'").await == 6
    })
    .await;
    assert!(all_sent, "six copies sent");
    assert!(
        eventually(Duration::from_secs(5), || async {
            count(
                &app,
                &format!(
                    "SELECT COUNT(*) FROM bulletins WHERE id = {id} AND mail_done_at IS NOT NULL"
                ),
            )
            .await
                == 1
        })
        .await
    );
    let subjects: Vec<(String, String)> = app
        .mails()
        .await
        .into_iter()
        .filter(|m| m.subscriber_id.is_some() && m.to.starts_with("reader"))
        .map(|m| (m.subject, m.lang))
        .collect();
    assert_eq!(subjects.len(), 6);
    for (subject, lang) in &subjects {
        let expected = if lang == "ar" {
            "النشرة 4: العدد الرابع"
        } else {
            "Bulletin 4: Fourth issue"
        };
        assert_eq!(subject, expected);
    }

    // The emails carry one-click unsubscribe headers and a link in the text.
    let files = files_in(&app.outbox_dir);
    let message = files
        .iter()
        .map(|f| std::fs::read(f).unwrap())
        .find(|raw| {
            // An issue, not the pending subscriber's confirmation request
            // (which carries the same headers).
            mail_parser::MessageParser::default()
                .parse(&raw[..])
                .and_then(|m| m.subject().map(|s| s.starts_with("Bulletin 4")))
                .unwrap_or(false)
        })
        .expect("a bulletin email");
    let parsed = mail_parser::MessageParser::default()
        .parse(&message[..])
        .unwrap();
    let header = parsed
        .header_raw("List-Unsubscribe")
        .unwrap()
        .trim()
        .to_owned();
    assert!(
        header.starts_with("<http://127.0.0.1:") && header.contains("/unsubscribe/"),
        "{header}"
    );
    assert_eq!(
        parsed.header_raw("List-Unsubscribe-Post").map(str::trim),
        Some("List-Unsubscribe=One-Click")
    );
    let url = header.trim_matches(['<', '>']);
    assert!(
        parsed.body_text(0).unwrap().contains(url),
        "the link is in the text too"
    );

    // That one-click link works (no Origin, as a mail client sends it; here
    // as multipart, which RFC 8058 allows too).
    let path = url.trim_start_matches(&app.state.config.public_url);
    let response = app
        .client
        .post(app.url(path))
        .multipart(reqwest::multipart::Form::new().text("List-Unsubscribe", "One-Click"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.text().await.unwrap(), "unsubscribed\n");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM subscribers WHERE confirmed_at IS NOT NULL"
        )
        .await,
        5
    );

    // Unpublishing and publishing again, or saving, sends nothing more.
    let edit = format!("/en/staff/bulletins/{id}");
    post_issue(&app, &admin, &edit, &[("action", "unpublish")]).await;
    let mut again = issue_fields();
    again.push(("action", "publish"));
    let response = post_issue(&app, &admin, &edit, &again).await;
    assert_eq!(response.status().as_u16(), 303);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM bulletin_deliveries WHERE bulletin_id = {id}")
        )
        .await,
        5,
        "one delivery per remaining subscriber (the one who left took theirs along)"
    );
    assert_eq!(
        app.mails()
            .await
            .iter()
            .filter(|m| m.subscriber_id.is_some() && m.to.starts_with("reader"))
            .count(),
        5
    );
    // Someone confirmed after the issue went out does not get it.
    confirmed_subscribers_after(&app).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(app.mails_to("late@example.org").await.len(), 0);
    // Samples are never mailed.
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM bulletin_deliveries d JOIN bulletins b ON b.id = d.bulletin_id WHERE b.sample = true").await,
        0
    );
}

async fn confirmed_subscribers_after(app: &TestApp) {
    let at = app.state.clock.now().as_second() + 10;
    let mut conn = app.sql().acquire().await.unwrap();
    insert_confirmed(app, &mut conn, "late@example.org", "en", at).await;
    app.state.mail.wake_mailing();
}

/// Rule: nobody gets the same issue twice, even when the delivery worker dies
/// half way through a mailing to 1,000 subscribers over a real SMTP server.
#[tokio::test]
async fn killing_the_worker_half_way_through_a_mailing_sends_each_subscriber_one_copy() {
    const N: usize = 1000;
    let port = free_port();
    let smtp = SmtpServer::start(port);
    let app = spawn_app_with(|setup| {
        setup.config.smtp_url = Some(smtp_url(port));
        setup.config.bulletin_rate = 1_000_000;
    })
    .await;
    confirmed_subscribers(&app, i64::try_from(N).unwrap()).await;
    let admin = app.staff_client(Role::Admin).await;
    publish(&app, &admin, &issue_fields()).await;

    // Half way: kill the worker (abort its task, as a crash would end it).
    let half = eventually(Duration::from_secs(120), || async {
        smtp.received().len() >= N / 2
    })
    .await;
    assert!(half, "half the mailing went out: {}", smtp.received().len());
    app.worker.abort();
    let at_kill = smtp.received().len();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let stalled = smtp.received().len();
    assert!(
        stalled < N,
        "the kill landed mid-mailing ({at_kill} then {stalled})"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        smtp.received().len(),
        stalled,
        "nothing is sent while no worker runs"
    );

    // A new worker on the same database finishes the job.
    let _worker = app::server::delivery::spawn_worker(app.state.clone()).unwrap();
    let done = eventually(Duration::from_secs(180), || async {
        count(
            &app,
            "SELECT COUNT(*) FROM outbox WHERE subscriber_id IS NOT NULL AND sent_at IS NULL",
        )
        .await
            == 0
    })
    .await;
    assert!(done, "the outbox drained");
    tokio::time::sleep(Duration::from_millis(500)).await;

    let received = smtp.received();
    let mut per_address: HashMap<String, usize> = HashMap::new();
    for file in &received {
        let raw = std::fs::read(file).unwrap();
        let message = mail_parser::MessageParser::default()
            .parse(&raw[..])
            .unwrap();
        if message.header_raw("List-Unsubscribe").is_none() {
            continue;
        }
        let to = message
            .to()
            .and_then(|t| t.first())
            .and_then(|a| a.address())
            .unwrap()
            .to_owned();
        *per_address.entry(to).or_default() += 1;
    }
    assert_eq!(per_address.len(), N, "every subscriber got the issue");
    let twice: Vec<_> = per_address.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "nobody got it twice: {twice:?}");
    println!(
        "killed at {at_kill} of {N} received; {} after restart",
        received.len()
    );
}

/// Rule: with two instances running (on PostgreSQL), one mails (the
/// leader): nobody gets
/// the issue twice, and the configured rate is the site's, not each
/// instance's. At 6,000 a minute the mailing queues 100 copies a second, so
/// 1,000 subscribers take ten steps a second apart, whatever the number of
/// instances (two mailing at once would take half the time).
#[tokio::test]
async fn two_instances_mail_an_issue_once_at_the_configured_rate() {
    const N: i64 = 1000;
    const RATE: u32 = 6000;
    let app = spawn_app_with(|setup| setup.config.bulletin_rate = RATE).await;
    // SQLite runs one instance (it leads alone): the second is PostgreSQL's.
    let _other = if on_postgres() {
        Some(app.second_instance(|_| {}).await)
    } else {
        None
    };
    confirmed_subscribers(&app, N).await;
    let admin = app.staff_client(Role::Admin).await;
    publish(&app, &admin, &issue_fields()).await;

    let queued = || {
        count(
            &app,
            "SELECT COUNT(*) FROM outbox WHERE subscriber_id IS NOT NULL",
        )
    };
    let started = eventually(Duration::from_secs(60), || async { queued().await > 0 }).await;
    assert!(started, "the mailing started");
    let first = std::time::Instant::now();
    let done = eventually(Duration::from_secs(60), || async { queued().await == N }).await;
    assert!(
        done,
        "every subscriber's copy was queued: {}",
        queued().await
    );
    let took = first.elapsed();
    let per_subscriber = count(
        &app,
        "SELECT COUNT(*) FROM (SELECT subscriber_id FROM outbox WHERE subscriber_id IS NOT NULL
             GROUP BY subscriber_id HAVING COUNT(*) > 1) AS twice",
    )
    .await;
    assert_eq!(per_subscriber, 0, "nobody is queued the issue twice");
    // Ten steps, nine pauses of a second between the first and the last.
    let per_minute = 60.0 * (N as f64 - 100.0) / took.as_secs_f64();
    println!(
        "{} queued {N} copies in {} ms after the first: {per_minute:.0} a minute for a \
         configured {RATE}",
        if on_postgres() {
            "two instances"
        } else {
            "one instance"
        },
        took.as_millis()
    );
    assert!(
        took >= Duration::from_millis(8_500),
        "the rate held: {} ms",
        took.as_millis()
    );
}
