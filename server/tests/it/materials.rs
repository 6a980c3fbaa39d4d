//! Materials: the kind is read from the bytes (a lying name or type, an
//! oversized or empty file, a missing title: a clear message, the titles
//! kept, nothing stored); public ones are on the event page and download
//! by anyone; private ones never appear on public pages, feeds or search,
//! and download only through an approved participant's private link, as
//! attachments no shared cache keeps.

use app::domain::Role;

use crate::checkin::{decide, sign_up};
use crate::common::{TestApp, spawn_app};
use crate::events_editor::{event_fields, post, with};

const SLUG: &str = "materials-event";
const PRIVATE_TITLE: &str = "Confidential briefing notes mat-private";
const PUBLIC_TITLE: &str = "Public agenda mat-public";

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".to_vec()
}

fn docx() -> Vec<u8> {
    let mut bytes = b"PK\x03\x04".to_vec();
    bytes.extend_from_slice(b"\x14\0\0\0\x08\0[Content_Types].xml....word/document.xml....");
    bytes
}

/// A file to attach: bytes, name, declared type.
type File = (Vec<u8>, &'static str, &'static str);
/// Fields, file, and what the answer says.
type Case<'a> = (&'a [(&'a str, &'a str)], Option<File>, &'a str);

struct Sent {
    status: u16,
    location: String,
    body: String,
}

async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    fields: &[(&str, &str)],
    file: Option<File>,
) -> Sent {
    upload_to(app, client, SLUG, fields, file).await
}

async fn upload_to(
    app: &TestApp,
    client: &reqwest::Client,
    slug: &str,
    fields: &[(&str, &str)],
    file: Option<File>,
) -> Sent {
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in fields {
        form = form.text((*name).to_owned(), (*value).to_owned());
    }
    if let Some((bytes, name, mime)) = file {
        let mut part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
        if !mime.is_empty() {
            part = part.mime_str(mime).unwrap();
        }
        form = form.part("file", part);
    }
    let response = client
        .post(app.url(&format!("/en/staff/events/{slug}/materials")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    Sent {
        status: response.status().as_u16(),
        location: response
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned())
            .unwrap_or_default(),
        body: response.text().await.unwrap_or_default(),
    }
}

async fn stored(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM materials")
        .fetch_one(app.sql())
        .await
        .unwrap()
}

async fn id_of(app: &TestApp, title: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM materials WHERE title_en = $1")
        .bind(title)
        .fetch_one(app.sql())
        .await
        .unwrap()
}

#[tokio::test]
async fn private_materials_reach_only_approved_participants() {
    let app = spawn_app().await;
    let admin = app.staff_client(Role::Admin).await;
    let fields = with(event_fields(SLUG), &[("action", "publish")]);
    assert_eq!(
        post(&app, &admin, "/en/staff/events/new", &fields).await.0,
        303
    );

    let public = upload(
        &app,
        &admin,
        &[
            ("title_en", PUBLIC_TITLE),
            ("title_ar", "جدول الأعمال"),
            ("visibility", "public"),
        ],
        Some((pdf(), "agenda.pdf", "application/pdf")),
    )
    .await;
    assert_eq!(public.status, 303, "{}", public.body);
    assert!(public.location.contains("done=added"));
    let private = upload(
        &app,
        &admin,
        &[("title_en", PRIVATE_TITLE), ("visibility", "participants")],
        Some((docx(), "notes.docx", "")),
    )
    .await;
    assert_eq!(private.status, 303, "{}", private.body);
    let (public_id, private_id) = (
        id_of(&app, PUBLIC_TITLE).await,
        id_of(&app, PRIVATE_TITLE).await,
    );

    // Public: on the event page, downloadable by anyone, as an attachment.
    let event_page = app.get(&format!("/en/events/{SLUG}")).await.1;
    assert!(
        event_page.contains(PUBLIC_TITLE)
            && event_page.contains(&format!("/materials/{public_id}"))
    );
    let download = app
        .client
        .get(app.url(&format!("/materials/{public_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(download.status().as_u16(), 200);
    assert_eq!(download.headers()["content-type"], "application/pdf");
    assert!(
        download.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(download.headers()["x-content-type-options"], "nosniff");
    assert_eq!(download.bytes().await.unwrap().to_vec(), pdf());

    // Private: nowhere public, not even by its number.
    for path in [
        format!("/en/events/{SLUG}"),
        format!("/ar/events/{SLUG}"),
        "/en/events".to_owned(),
        "/en/events?q=mat-private".to_owned(),
        "/en/events?q=Confidential".to_owned(),
        "/events.ics".to_owned(),
        format!("/events/{SLUG}.ics"),
        "/feeds/bulletins.atom".to_owned(),
        "/en".to_owned(),
    ] {
        let (_, body) = app.get(&path).await;
        assert!(!body.contains("briefing notes"), "{path}");
        assert!(
            !body.contains(&format!("/materials/{private_id}")),
            "{path}"
        );
    }
    assert_eq!(app.get(&format!("/materials/{private_id}")).await.0, 404);
    assert_eq!(app.get("/materials/999999").await.0, 404);
    assert_eq!(app.get("/materials/..%2F1").await.0, 404);

    // Through the private link of an approved participant only.
    let (approved, approved_page) = sign_up(
        &app,
        SLUG,
        "Material Reader",
        "reader@materials.example",
        "online",
    )
    .await;
    let (_, pending_page) = sign_up(
        &app,
        SLUG,
        "Material Waiter",
        "waiter@materials.example",
        "online",
    )
    .await;
    let pending_html = app.get(&pending_page).await.1;
    assert!(!pending_html.contains("mat-private"), "not approved yet");
    assert_eq!(
        app.get(&format!("{pending_page}/materials/{private_id}"))
            .await
            .0,
        404
    );
    decide(&app, &admin, "approve", approved).await;
    let html = app.get(&approved_page).await.1;
    assert!(
        html.contains("mat-private")
            && html.contains(&format!("{approved_page}/materials/{private_id}"))
    );
    let download = app
        .client
        .get(app.url(&format!("{approved_page}/materials/{private_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(download.status().as_u16(), 200);
    let headers = download.headers().clone();
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    // No cache at all (the private pages' own rule is stricter still than
    // `private`).
    let cache = headers["cache-control"].to_str().unwrap();
    assert!(
        cache.contains("no-store") && !cache.contains("public"),
        "{cache}"
    );
    assert_eq!(
        headers["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    assert_eq!(download.bytes().await.unwrap().to_vec(), docx());
    // A made-up link, or another event's participant: nothing.
    let made_up = "/en/r/0123456789abcdef0123456789abcdef";
    assert_eq!(
        app.get(&format!("{made_up}/materials/{private_id}"))
            .await
            .0,
        404
    );
    let platform = app.platform_slug().await;
    let (other, other_page) = sign_up(
        &app,
        &platform,
        "Other Reader",
        "other@materials.example",
        "online",
    )
    .await;
    decide(&app, &admin, "approve", other).await;
    assert_eq!(
        app.get(&format!("{other_page}/materials/{private_id}"))
            .await
            .0,
        404
    );

    // A closed event's "public" material is for those invited: only their
    // private links serve it.
    crate::closed_and_bad_input::seed_closed_event(&app).await;
    let closed = upload_to(
        &app,
        &admin,
        "closed-with-details",
        &[
            ("title_en", "Closed agenda mat-closed"),
            ("visibility", "public"),
        ],
        Some((pdf(), "closed.pdf", "application/pdf")),
    )
    .await;
    assert_eq!(closed.status, 303, "{}", closed.body);
    let closed_id = id_of(&app, "Closed agenda mat-closed").await;
    assert_eq!(app.get(&format!("/materials/{closed_id}")).await.0, 404);
    assert!(
        !app.get("/en/events/closed-with-details")
            .await
            .1
            .contains("mat-closed")
    );

    // Removed: gone from every page and link.
    let moderator = app.staff_client(Role::Moderator).await;
    let path = format!("/en/staff/events/{SLUG}/materials/{public_id}/delete");
    let refused = moderator
        .post(app.url(&path))
        .form(&[("remove", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 403);
    let removed = admin
        .post(app.url(&path))
        .form(&[("remove", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status().as_u16(), 303);
    assert_eq!(app.get(&format!("/materials/{public_id}")).await.0, 404);
    assert!(
        !app.get(&format!("/en/events/{SLUG}"))
            .await
            .1
            .contains(PUBLIC_TITLE)
    );
}

#[tokio::test]
async fn bad_uploads_are_refused_with_the_titles_kept() {
    let app = spawn_app().await;
    let admin = app.staff_client(Role::Admin).await;
    let fields = with(event_fields(SLUG), &[("action", "publish")]);
    assert_eq!(
        post(&app, &admin, "/en/staff/events/new", &fields).await.0,
        303
    );
    let titles = [("title_en", "Kept title <b>"), ("visibility", "public")];
    let kept = [
        ("title_en", "Kept title x1"),
        ("title_ar", "عنوان محفوظ"),
        ("visibility", "public"),
    ];
    let html = b"<!doctype html><script>alert(1)</script>".to_vec();
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".to_vec();
    let mut oversized = pdf();
    oversized.resize(20 * 1024 * 1024 + 1, b' ');
    let cases: Vec<Case> = vec![
        // A PDF that calls itself a Word file, and one declared as a web page.
        (
            &kept,
            Some((pdf(), "notes.docx", "")),
            "does not match what it contains",
        ),
        (
            &kept,
            Some((pdf(), "notes.pdf", "text/html")),
            "does not match what it contains",
        ),
        // Not a kind we take, whatever the name.
        (
            &kept,
            Some((html, "agenda.pdf", "application/pdf")),
            "The file’s contents decide",
        ),
        (
            &kept,
            Some((svg, "logo.png", "image/png")),
            "The file’s contents decide",
        ),
        (
            &kept,
            Some((oversized, "big.pdf", "application/pdf")),
            "larger than 20 MB",
        ),
        (
            &kept,
            Some((Vec::new(), "empty.pdf", "application/pdf")),
            "Choose a file",
        ),
        (&kept, None, "Choose a file"),
        (&titles, Some((pdf(), "a.pdf", "")), "Kept title &lt;b&gt;"),
        (
            &[("visibility", "public")],
            Some((pdf(), "a.pdf", "")),
            "Please fill this in.",
        ),
        (
            &[("title_en", "x"), ("visibility", "everyone")],
            Some((pdf(), "a.pdf", "")),
            "Who can download it",
        ),
        (
            &[
                ("title_en", "x"),
                ("visibility", "public"),
                ("session", "999999"),
            ],
            Some((pdf(), "a.pdf", "")),
            "Session",
        ),
    ];
    for (fields, file, says) in cases {
        let sent = upload(&app, &admin, fields, file).await;
        assert_eq!(sent.status, 422, "{says}: {}", sent.body);
        assert!(sent.body.contains(says), "{says}: {}", sent.body);
        if fields == kept.as_slice() {
            assert!(sent.body.contains("Kept title x1") && sent.body.contains("عنوان محفوظ"));
        }
        assert_eq!(stored(&app).await, 0, "{says}");
    }
    // Staff other than admins, and strangers, cannot attach.
    let moderator = app.staff_client(Role::Moderator).await;
    let sent = upload(&app, &moderator, &kept, Some((pdf(), "a.pdf", ""))).await;
    assert_eq!(sent.status, 403);
    let sent = upload(&app, &app.client, &kept, Some((pdf(), "a.pdf", ""))).await;
    assert!(matches!(sent.status, 303 | 401), "{}", sent.status);
    assert_eq!(stored(&app).await, 0);
}
