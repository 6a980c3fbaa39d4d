//! The bad-input catalogue: every public form and staff action gets empty
//! and whitespace-only fields, 100 KB strings, invalid and look-alike emails,
//! markup, bidi overrides and zero-width characters, SQL metacharacters,
//! unknown enum values, wrong types, forged tokens, a foreign `Origin` and an
//! oversized body. Each gets a 4xx with a clear localised message, nothing is
//! stored by a rejected request, and no response reveals whether an email is
//! registered.

use crate::common::{TestApp, spawn_app};
use app::server::crypto;

type Fields = Vec<(&'static str, String)>;

/// Everything a person could have stored; a rejected request changes none of it.
async fn footprint(app: &TestApp) -> (i64, i64, i64, i64) {
    sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM registrations),
                (SELECT COUNT(*) FROM organisations),
                (SELECT COUNT(*) FROM outbox),
                (SELECT COUNT(*) FROM audit)",
    )
    .fetch_one(app.sql())
    .await
    .unwrap()
}

fn registration(email: &str) -> Fields {
    vec![
        ("name", "Amal Haddad".to_owned()),
        ("organisation", "Independent".to_owned()),
        ("role", "Lawyer".to_owned()),
        ("email", email.to_owned()),
        ("mode", "online".to_owned()),
        ("interpretation", "none".to_owned()),
        ("accessibility", String::new()),
        ("consent", "yes".to_owned()),
    ]
}

fn organisation() -> Fields {
    vec![
        ("name", "Families for Truth".to_owned()),
        ("country", "Syria".to_owned()),
        ("areas", "detention".to_owned()),
        ("description", "We document disappearances.".to_owned()),
        ("contact_email", "info@example.org".to_owned()),
        ("website", String::new()),
        ("consent", "yes".to_owned()),
    ]
}

fn with(mut fields: Fields, name: &'static str, value: &str) -> Fields {
    fields.retain(|(k, _)| *k != name);
    fields.push((name, value.to_owned()));
    fields
}

/// (what is wrong, the field, the value, a phrase the English answer must contain)
fn catalogue(big: &str) -> Vec<(&'static str, &'static str, String, &'static str)> {
    vec![
        ("empty name", "name", "", "Please fill this in."),
        ("whitespace name", "name", "   \t ", "Please fill this in."),
        ("100 KB name", "name", big, "Please shorten this"),
        (
            "markup in name",
            "name",
            "<script>alert(1)</script>",
            "Please remove the",
        ),
        (
            "bidi override in name",
            "name",
            "Amal\u{202E}ladaH",
            "hidden formatting characters",
        ),
        (
            "zero-width space in name",
            "name",
            "Am\u{200B}al",
            "hidden formatting characters",
        ),
        ("invalid email", "email", "amal@", "email address like"),
        (
            "look-alike email",
            "email",
            "amal@exаmple.org",
            "email address like",
        ),
        (
            "SQL in email",
            "email",
            "a@b.org'; DROP TABLE registrations;--",
            "email address like",
        ),
        (
            "header injection in email",
            "email",
            "a@b.org\r\nBcc: c@d.org",
            "email address like",
        ),
        (
            "unknown mode",
            "mode",
            "by_pigeon",
            "choose one of the options",
        ),
        (
            "unknown interpretation",
            "interpretation",
            "xx",
            "choose one of the options",
        ),
        ("no consent", "consent", "", "tick this box"),
    ]
    .into_iter()
    .map(|(what, field, value, phrase)| (what, field, value.to_owned(), phrase))
    .collect()
}

#[tokio::test]
async fn the_registration_form_refuses_every_bad_input_and_stores_nothing() {
    let app = spawn_app().await;
    let slug = app.briefing_slug().await;
    let path = format!("/en/events/{slug}/register");
    let big = "x".repeat(100 * 1024);
    let before = footprint(&app).await;
    for (what, field, value, phrase) in catalogue(&big) {
        let response = app
            .post_form(
                &path,
                &with(registration("amal@example.org"), field, &value),
            )
            .await;
        assert_eq!(response.status().as_u16(), 422, "{what}");
        let page = response.text().await.unwrap();
        assert!(page.contains(phrase), "{what}: no {phrase:?} in the answer");
        assert!(
            !page.contains("<script>alert(1)"),
            "{what}: markup echoed unescaped"
        );
        assert_eq!(
            footprint(&app).await,
            before,
            "{what}: something was stored"
        );
    }
    // The same in Arabic: the message is localised.
    let response = app
        .post_form(
            &format!("/ar/events/{slug}/register"),
            &with(registration("x@example.org"), "name", ""),
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("يُرجى ملء هذا الحقل.")
    );

    // Wrong types and unknown fields: an array where a string goes is read as text.
    let response = app
        .post_form(&path, &with(registration("amal@example.org"), "mode", "1"))
        .await;
    assert_eq!(response.status().as_u16(), 422);

    // Not a form at all.
    let response = app
        .client
        .post(app.url(&path))
        .header("content-type", "application/json")
        .body(r#"{"name":"Amal"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 415);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("could not process this form")
    );

    // An oversized body.
    let huge = "y".repeat(1024 * 1024);
    let response = app
        .post_form(
            &path,
            &with(registration("amal@example.org"), "name", &huge),
        )
        .await;
    assert_eq!(response.status().as_u16(), 413);
    assert!(response.text().await.unwrap().contains("too large"));

    // Another site.
    let response = app
        .client
        .post(app.url(&path))
        .header("origin", "https://evil.example")
        .form(&registration("amal@example.org"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    let response = app
        .client
        .post(app.url(&path))
        .header("sec-fetch-site", "cross-site")
        .form(&registration("amal@example.org"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    assert_eq!(footprint(&app).await, before);

    // SQL metacharacters in a name are just text: stored as typed, nothing else happens.
    let name = "Robert'); DROP TABLE registrations;--";
    let response = app
        .post_form(
            &path,
            &with(registration("bobby@example.org"), "name", name),
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let stored: Vec<u8> =
        sqlx::query_scalar("SELECT name FROM registrations WHERE email_lookup = $1")
            .bind(app.lookup(crypto::REGISTRATION_EMAIL, "bobby@example.org"))
            .fetch_one(app.sql())
            .await
            .unwrap();
    assert_eq!(
        app.state
            .key
            .open(crypto::REGISTRATION_NAME, &stored)
            .unwrap(),
        name
    );
}

#[tokio::test]
async fn duplicates_do_not_reveal_who_is_registered() {
    let app = spawn_app().await;
    let slug = app.briefing_slug().await;
    let path = format!("/en/events/{slug}/register");
    let known = app
        .post_form(&path, &registration("known@example.org"))
        .await;
    let again = app
        .post_form(&path, &registration("known@example.org"))
        .await;
    let unknown = app
        .post_form(&path, &registration("unknown@example.org"))
        .await;
    for response in [&again, &unknown] {
        assert_eq!(response.status(), known.status());
        assert_eq!(response.headers()["location"], known.headers()["location"]);
    }
    let live: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM registrations WHERE email_lookup = $1")
            .bind(app.lookup(crypto::REGISTRATION_EMAIL, "known@example.org"))
            .fetch_one(app.sql())
            .await
            .unwrap();
    assert_eq!(live, 1, "a duplicate submission stores nothing new");
}

#[tokio::test]
async fn the_organisation_form_refuses_bad_input_and_stores_nothing() {
    let app = spawn_app().await;
    let before = footprint(&app).await;
    let big = "z".repeat(100 * 1024);
    let cases: Vec<(&str, &str, String, &str)> = vec![
        ("empty name", "name", String::new(), "Please fill this in."),
        (
            "whitespace description",
            "description",
            "  \n ".to_owned(),
            "Please fill this in.",
        ),
        (
            "100 KB description",
            "description",
            big,
            "Please shorten this",
        ),
        (
            "markup in name",
            "name",
            "<b>x</b>".to_owned(),
            "Please remove",
        ),
        (
            "bidi in country",
            "country",
            "Syria\u{2067}".to_owned(),
            "hidden formatting",
        ),
        (
            "look-alike email",
            "contact_email",
            "info@exаmple.org".to_owned(),
            "email address like",
        ),
        (
            "javascript website",
            "website",
            "javascript:alert(1)".to_owned(),
            "web address like",
        ),
        (
            "unknown area",
            "areas",
            "weapons".to_owned(),
            "choose one of the options",
        ),
        ("no consent", "consent", String::new(), "tick this box"),
    ];
    for (what, field, value, phrase) in cases {
        let response = app
            .post_form("/en/organisation", &with(organisation(), field, &value))
            .await;
        assert_eq!(response.status().as_u16(), 422, "{what}");
        let page = response.text().await.unwrap();
        assert!(page.contains(phrase), "{what}: no {phrase:?}");
        assert_eq!(footprint(&app).await, before, "{what}");
    }
    let response = app.post_form("/en/organisation", &organisation()).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(response.headers()["location"], "/en/organisation/thanks");
}

#[tokio::test]
async fn forged_tokens_find_nothing() {
    let app = spawn_app().await;
    let before = footprint(&app).await;
    for token in [
        "00000000000000000000000000000000",
        "not-a-token",
        "../../etc/passwd",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ] {
        let path = format!("/en/r/{}", token.replace('/', "%2F"));
        assert_eq!(app.get(&path).await.0, 404, "{token}");
        let response = app
            .post_form(
                &path,
                &[
                    ("action", "erase".to_owned()),
                    ("confirm", "yes".to_owned()),
                ],
            )
            .await;
        assert_eq!(response.status().as_u16(), 404, "{token}");
        assert_eq!(app.get(&format!("{path}/calendar.ics")).await.0, 404);
    }
    assert_eq!(footprint(&app).await, before);
}

#[tokio::test]
async fn staff_actions_refuse_bad_input() {
    let app = spawn_app().await;
    let (email, password) = app.create_staff(app::domain::Role::Moderator).await;
    let staff = app.login(&email, &password).await;
    let before = footprint(&app).await;
    let post = |fields: Vec<(&'static str, String)>| {
        staff
            .post(app.url("/en/staff/registrations"))
            .form(&fields)
            .send()
    };
    let cases: Vec<(&str, Fields, &str)> = vec![
        (
            "nothing selected",
            vec![("decision", "approve".to_owned())],
            "Please fill this in.",
        ),
        (
            "unknown decision",
            vec![("decision", "delete".to_owned()), ("ids", "1".to_owned())],
            "choose one of the options",
        ),
        (
            "wrong type",
            vec![
                ("decision", "approve".to_owned()),
                ("ids", "1;DROP".to_owned()),
            ],
            "choose one of the options",
        ),
        (
            "reject without reason",
            vec![
                ("decision", "reject".to_owned()),
                ("ids", "1".to_owned()),
                ("reason", "  ".to_owned()),
            ],
            "Please fill this in.",
        ),
        (
            "reason with bidi",
            vec![
                ("decision", "reject".to_owned()),
                ("ids", "1".to_owned()),
                ("reason", "x\u{202E}y".to_owned()),
            ],
            "hidden formatting",
        ),
        (
            "100 KB reason",
            vec![
                ("decision", "reject".to_owned()),
                ("ids", "1".to_owned()),
                ("reason", "r".repeat(100 * 1024)),
            ],
            "Please shorten this",
        ),
        (
            "malformed row button",
            vec![("one", "approve".to_owned())],
            "choose one of the options",
        ),
    ];
    for (what, fields, phrase) in cases {
        let response = post(fields).await.unwrap();
        assert_eq!(response.status().as_u16(), 422, "{what}");
        assert!(
            response.text().await.unwrap().contains(phrase),
            "{what}: no {phrase:?}"
        );
        assert_eq!(footprint(&app).await, before, "{what}");
    }
    // The reason typed is kept when the form comes back.
    let response = post(vec![
        ("decision", "bogus".to_owned()),
        ("ids", "1".to_owned()),
        ("reason", "Kept reason".to_owned()),
    ])
    .await
    .unwrap();
    assert!(response.text().await.unwrap().contains("Kept reason"));

    for (what, value) in [
        ("unknown state", "pending:1"),
        ("no such organisation", "verified:999999"),
        ("wrong type", "verified:x"),
    ] {
        let response = staff
            .post(app.url("/en/staff/organisations"))
            .form(&[("one", value)])
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_client_error(),
            "{what}: {}",
            response.status()
        );
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("could not process this form"),
            "{what}"
        );
    }
    // A staff action from another site.
    let response = staff
        .post(app.url("/en/staff/registrations"))
        .header("origin", "https://evil.example")
        .form(&[("decision", "approve"), ("ids", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    assert_eq!(footprint(&app).await, before);
}
