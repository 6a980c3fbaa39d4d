//! Rule 6: every staff page, action and server function is authorised on the
//! server. Walked without a session, as a moderator, and as an admin.

use crate::common::{TestApp, spawn_app};
use app::domain::Role;
use app::server::crypto;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    Nobody,
    Moderator,
    Admin,
}

/// What a request may get: `Ok` (2xx, or a 303 that is not to the sign-in
/// page), `SignIn` (303 to the sign-in page or 401), `Forbidden` (403).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    Ok,
    SignIn,
    Forbidden,
}

async fn outcome(response: reqwest::Response) -> Expect {
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    assert!(status < 500, "{status}");
    match status {
        401 => Expect::SignIn,
        303 if location.contains("/staff/login") => Expect::SignIn,
        403 => Expect::Forbidden,
        200..=299 | 303 => Expect::Ok,
        other => panic!("unexpected {other}: {}", response.text().await.unwrap()),
    }
}

/// (description, method, path, form body, moderator's outcome, admin's outcome)
fn routes(slug: &str, pending: i64) -> Vec<(String, &'static str, String, String, Expect, Expect)> {
    use Expect::{Forbidden, Ok};
    let page = |path: &str| ("GET", path.to_owned(), String::new());
    let mut routes = vec![
        ("dashboard", page("/en/staff"), Ok, Ok),
        ("dashboard in Arabic", page("/ar/staff"), Ok, Ok),
        (
            "moderation queue",
            page("/en/staff/registrations?state=pending"),
            Ok,
            Ok,
        ),
        ("organisations", page("/en/staff/organisations"), Ok, Ok),
        ("audit log", page("/en/staff/audit"), Ok, Ok),
        ("users", page("/en/staff/users"), Forbidden, Ok),
        ("events editor", page("/en/staff/events"), Forbidden, Ok),
        ("new event", page("/en/staff/events/new"), Forbidden, Ok),
        (
            "edit event",
            page(&format!("/en/staff/events/{slug}/edit")),
            Forbidden,
            Ok,
        ),
        (
            "new session",
            page(&format!("/en/staff/events/{slug}/sessions/new")),
            Forbidden,
            Ok,
        ),
        (
            "CSV export",
            page(&format!("/en/staff/events/{slug}/participants.csv")),
            Forbidden,
            Ok,
        ),
        (
            "questions",
            page(&format!("/en/staff/events/{slug}/questions")),
            Ok,
            Ok,
        ),
        (
            "what participants told us",
            page(&format!("/ar/staff/events/{slug}/hearing")),
            Ok,
            Ok,
        ),
        (
            "report",
            page(&format!("/en/staff/events/{slug}/report")),
            Ok,
            Ok,
        ),
        (
            "report CSV",
            page(&format!("/en/staff/events/{slug}/report.csv")),
            Ok,
            Ok,
        ),
        (
            "fn report",
            (
                "POST",
                "/api/staff/report".to_owned(),
                format!("lang=en&slug={slug}"),
            ),
            Ok,
            Ok,
        ),
        (
            "check-in",
            page(&format!("/en/staff/events/{slug}/check-in?q=a")),
            Ok,
            Ok,
        ),
        (
            "fn check-in",
            (
                "POST",
                "/api/staff/checkin".to_owned(),
                format!("lang=en&slug={slug}&query=a"),
            ),
            Ok,
            Ok,
        ),
        (
            "check someone in",
            (
                "POST",
                format!("/en/staff/events/{slug}/check-in"),
                format!("registration={pending}&action=in"),
            ),
            Ok,
            Ok,
        ),
        (
            "materials",
            page(&format!("/en/staff/events/{slug}/materials")),
            Forbidden,
            Ok,
        ),
        (
            "fn materials",
            (
                "POST",
                "/api/staff/materials".to_owned(),
                format!("lang=en&slug={slug}"),
            ),
            Forbidden,
            Ok,
        ),
        (
            "announcements",
            page(&format!("/en/staff/events/{slug}/announcements")),
            Ok,
            Ok,
        ),
        (
            "fn announcements",
            (
                "POST",
                "/api/staff/announcements".to_owned(),
                format!("lang=en&slug={slug}"),
            ),
            Ok,
            Ok,
        ),
        (
            "what we heard",
            (
                "POST",
                format!("/en/staff/events/{slug}/hearing"),
                "heard_en=We+heard+you.".to_owned(),
            ),
            Forbidden,
            Ok,
        ),
        (
            "fn questions",
            (
                "POST",
                "/api/staff/questions".to_owned(),
                format!("lang=en&slug={slug}"),
            ),
            Ok,
            Ok,
        ),
        (
            "fn hearing",
            (
                "POST",
                "/api/staff/hearing".to_owned(),
                format!("lang=en&slug={slug}"),
            ),
            Ok,
            Ok,
        ),
        (
            "decide",
            (
                "POST",
                "/en/staff/registrations".to_owned(),
                format!("decision=waitlist&ids={pending}"),
            ),
            Ok,
            Ok,
        ),
        (
            "vet",
            (
                "POST",
                "/en/staff/organisations".to_owned(),
                "one=verified%3A2".to_owned(),
            ),
            Ok,
            Ok,
        ),
        (
            "add user",
            (
                "POST",
                "/en/staff/users".to_owned(),
                "email=new%40example.org&name=New&role=moderator".to_owned(),
            ),
            Forbidden,
            Ok,
        ),
        (
            "fn me",
            ("POST", "/api/staff/me".to_owned(), String::new()),
            Ok,
            Ok,
        ),
        (
            "fn users",
            ("POST", "/api/staff/users".to_owned(), "lang=en".to_owned()),
            Forbidden,
            Ok,
        ),
        (
            "fn editor events",
            (
                "POST",
                "/api/staff/editor/events".to_owned(),
                "lang=en".to_owned(),
            ),
            Forbidden,
            Ok,
        ),
        (
            "fn dashboard",
            (
                "POST",
                "/api/staff/dashboard".to_owned(),
                "lang=en".to_owned(),
            ),
            Ok,
            Ok,
        ),
        (
            "fn queue",
            (
                "POST",
                "/api/staff/queue".to_owned(),
                "lang=en&filter[mode]=online".to_owned(),
            ),
            Ok,
            Ok,
        ),
        (
            "fn organisations",
            (
                "POST",
                "/api/staff/organisations".to_owned(),
                "lang=en".to_owned(),
            ),
            Ok,
            Ok,
        ),
        (
            "fn audit",
            ("POST", "/api/staff/audit".to_owned(), "lang=en".to_owned()),
            Ok,
            Ok,
        ),
        (
            "bulletin editor",
            page("/en/staff/bulletins"),
            Forbidden,
            Ok,
        ),
        (
            "new bulletin",
            page("/en/staff/bulletins/new"),
            Forbidden,
            Ok,
        ),
        (
            "edit bulletin",
            page("/ar/staff/bulletins/1"),
            Forbidden,
            Ok,
        ),
        (
            "preview bulletin",
            (
                "POST",
                "/en/staff/bulletins/new".to_owned(),
                "action=preview&number=9&slug=x&title_en=T&body_en=B".to_owned(),
            ),
            Forbidden,
            Ok,
        ),
        (
            "unpublish bulletin",
            (
                "POST",
                "/en/staff/bulletins/1".to_owned(),
                "action=unpublish".to_owned(),
            ),
            Forbidden,
            Ok,
        ),
        (
            "fn staff bulletins",
            (
                "POST",
                "/api/staff/bulletins".to_owned(),
                "lang=en".to_owned(),
            ),
            Forbidden,
            Ok,
        ),
        (
            "fn staff bulletin",
            ("POST", "/api/staff/bulletin".to_owned(), "id=1".to_owned()),
            Forbidden,
            Ok,
        ),
    ];
    routes
        .drain(..)
        .map(|(what, (method, path, body), moderator, admin)| {
            (what.to_owned(), method, path, body, moderator, admin)
        })
        .collect()
}

async fn send(
    app: &TestApp,
    client: &reqwest::Client,
    method: &str,
    path: &str,
    body: &str,
) -> reqwest::Response {
    let request = if method == "GET" {
        client.get(app.url(path))
    } else {
        client
            .post(app.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_owned())
    };
    request.send().await.unwrap()
}

#[tokio::test]
async fn every_staff_route_checks_the_role() {
    let app = spawn_app().await;
    let slug = app.platform_slug().await;
    let pending: i64 =
        sqlx::query_scalar("SELECT id FROM registrations WHERE state = 'pending' LIMIT 1")
            .fetch_one(app.sql())
            .await
            .unwrap();
    let moderator = app.staff_client(Role::Moderator).await;
    let admin = app.staff_client(Role::Admin).await;
    let audit_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit")
        .fetch_one(app.sql())
        .await
        .unwrap();

    for who in [Who::Nobody, Who::Moderator, Who::Admin] {
        let client = match who {
            Who::Nobody => &app.client,
            Who::Moderator => &moderator,
            Who::Admin => &admin,
        };
        for (what, method, path, body, for_moderator, for_admin) in routes(&slug, pending) {
            let expected = match who {
                Who::Nobody => Expect::SignIn,
                Who::Moderator => for_moderator,
                Who::Admin => for_admin,
            };
            let got = outcome(send(&app, client, method, &path, &body).await).await;
            assert_eq!(got, expected, "{what} ({method} {path}) as {who:?}");
        }
    }

    // What the anonymous and forbidden requests tried changed nothing: the
    // audit log holds only the moderator's and admin's decisions (two each).
    let audit_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit")
        .fetch_one(app.sql())
        .await
        .unwrap();
    let decisions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit WHERE actor = 'staff'")
        .fetch_one(app.sql())
        .await
        .unwrap();
    assert_eq!(audit_after - audit_before, decisions);
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email_lookup = $1")
        .bind(app.lookup(crypto::USER_EMAIL, "new@example.org"))
        .fetch_one(app.sql())
        .await
        .unwrap();
    assert_eq!(users, 1, "only the admin's request created the user");

    // The export is a CSV that spreadsheets cannot be tricked by.
    let evil = app
        .state
        .key
        .seal(crypto::REGISTRATION_NAME, "=HYPERLINK(\"http://evil\")")
        .unwrap();
    sqlx::query("UPDATE registrations SET name = $1 WHERE state = 'approved'")
        .bind(evil)
        .execute(app.sql())
        .await
        .unwrap();
    let response = admin
        .get(app.url(&format!("/en/staff/events/{slug}/participants.csv")))
        .send()
        .await
        .unwrap();
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = response.text().await.unwrap();
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""),
        "{csv}"
    );
    assert!(!csv.contains(",=HYPERLINK"));
}
