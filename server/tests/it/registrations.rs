//! Registering, the private page, and what happens to seats: driven over HTTP
//! against the real server, reading the emails from the outbox table.

use crate::common::{TestApp, spawn_app};
use app::server::crypto;

fn person(email: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", "Amal Haddad".to_owned()),
        ("organisation", "Syrian Families Network (demo)".to_owned()),
        ("role", "Coordinator".to_owned()),
        ("email", email.to_owned()),
        ("mode", "online".to_owned()),
        ("interpretation", "ar".to_owned()),
        ("accessibility", "".to_owned()),
        ("consent", "yes".to_owned()),
    ]
}

async fn state_of(app: &TestApp, email: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT state FROM registrations WHERE email_lookup = $1 ORDER BY id")
        .bind(app.lookup(crypto::REGISTRATION_EMAIL, email))
        .fetch_all(app.sql())
        .await
        .unwrap()
}

#[tokio::test]
async fn first_come_registration_is_approved_once_the_link_from_the_email_is_opened() {
    let app = spawn_app().await;
    let slug = app.briefing_slug().await;
    let response = app
        .post_form(
            &format!("/en/events/{slug}/register"),
            &person("amal@example.org"),
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(
        response.headers()["location"],
        format!("/en/events/{slug}/registered").as_str()
    );
    // Nothing public moves before the address is confirmed.
    assert_eq!(state_of(&app, "amal@example.org").await, ["pending"]);

    let link = app.private_link("amal@example.org").await;
    let (status, page) = app.get(&link).await;
    assert_eq!(status, 200);
    assert!(page.contains("data-state=\"approved\""), "{page:.80}");
    assert!(page.contains("your email address is confirmed"));
    assert_eq!(state_of(&app, "amal@example.org").await, ["approved"]);
    let (_, again) = app.get(&link).await;
    assert!(
        !again.contains("your email address is confirmed"),
        "said once"
    );
    let confirmed: Option<i64> =
        sqlx::query_scalar("SELECT email_confirmed_at FROM registrations WHERE email_lookup = $1")
            .bind(app.lookup(crypto::REGISTRATION_EMAIL, "amal@example.org"))
            .fetch_one(app.sql())
            .await
            .unwrap();
    assert!(confirmed.is_some());

    // The private page is never cached nor leaked through Referer.
    let response = app.client.get(app.url(&link)).send().await.unwrap();
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert_eq!(response.headers()["referrer-policy"], "same-origin");

    // The calendar file: an online participant gets no venue.
    let (status, ics) = app.get(&format!("{link}/calendar.ics")).await;
    assert_eq!(status, 200);
    assert!(ics.starts_with("BEGIN:VCALENDAR"));
    assert!(!ics.contains("LOCATION"));
}

#[tokio::test]
async fn registering_twice_answers_the_same_and_sends_a_fresh_link() {
    let app = spawn_app().await;
    let slug = app.briefing_slug().await;
    let path = format!("/en/events/{slug}/register");
    let first = app.post_form(&path, &person("twice@example.org")).await;
    let old_link = app.private_link("twice@example.org").await;
    let second = app.post_form(&path, &person("TWICE@example.org")).await;
    assert_eq!(first.status(), second.status());
    assert_eq!(first.headers()["location"], second.headers()["location"]);
    assert_eq!(state_of(&app, "twice@example.org").await.len(), 1);
    let new_link = app.private_link("twice@example.org").await;
    assert_ne!(old_link, new_link);
    // Asking again voids nothing: both links work, before and after either
    // is used (a stranger typing the address, or a mail scanner opening the
    // new one, cannot take the participant's link away).
    assert_eq!(app.get(&old_link).await.0, 200);
    assert_eq!(app.get(&new_link).await.0, 200);
    assert_eq!(app.get(&old_link).await.0, 200);
}

#[tokio::test]
async fn a_rejected_form_keeps_what_was_typed_and_explains_in_arabic() {
    let app = spawn_app().await;
    let slug = app.briefing_slug().await;
    let mut fields = person("not-an-email");
    fields.retain(|(k, _)| *k != "consent");
    fields.push(("name", "ريما الحلبي".to_owned()));
    fields.retain(|(k, v)| *k != "name" || v != "Amal Haddad");
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM registrations")
        .fetch_one(app.sql())
        .await
        .unwrap();
    let response = app
        .post_form(&format!("/ar/events/{slug}/register"), &fields)
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("dir=\"rtl\""));
    assert!(
        page.contains("value=\"ريما الحلبي\""),
        "the name typed is kept"
    );
    assert!(
        page.contains("value=\"not-an-email\""),
        "the email typed is kept"
    );
    assert!(page.contains("يُرجى إدخال عنوان بريد إلكتروني"));
    assert!(page.contains("يُرجى تحديد هذا المربع"));
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM registrations")
        .fetch_one(app.sql())
        .await
        .unwrap();
    assert_eq!(stored, before, "nothing stored");
}

#[tokio::test]
async fn a_closed_event_needs_its_invitation_code() {
    let app = spawn_app().await;
    let (slug, code): (String, String) = sqlx::query_as(
        "SELECT slug, invitation_code FROM events WHERE visibility = 'closed' AND invitation_code IS NOT NULL",
    )
    .fetch_one(app.sql())
    .await
    .unwrap();
    let path = format!("/en/events/{slug}/register");
    let mut fields = person("invited@example.org");
    fields.push(("invitation_code", "WRONG123".to_owned()));
    let response = app.post_form(&path, &fields).await;
    assert_eq!(response.status().as_u16(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("invitation code is not valid")
    );
    assert!(state_of(&app, "invited@example.org").await.is_empty());

    fields.pop();
    fields.push(("invitation_code", code));
    let response = app.post_form(&path, &fields).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(state_of(&app, "invited@example.org").await, ["pending"]);
}

#[tokio::test]
async fn a_freed_seat_goes_to_the_oldest_waitlisted_who_is_told() {
    let app = spawn_app().await;
    let slug = app.briefing_slug().await;
    sqlx::query("UPDATE events SET seats_online = 1 WHERE slug = $1")
        .bind(&slug)
        .execute(app.sql())
        .await
        .unwrap();
    let path = format!("/en/events/{slug}/register");
    for email in [
        "first@example.org",
        "second@example.org",
        "third@example.org",
    ] {
        assert_eq!(
            app.post_form(&path, &person(email)).await.status().as_u16(),
            303
        );
        // Places go in the order addresses are confirmed.
        let link = app.private_link(email).await;
        assert_eq!(app.get(&link).await.0, 200);
    }
    assert_eq!(state_of(&app, "first@example.org").await, ["approved"]);
    assert_eq!(state_of(&app, "second@example.org").await, ["waitlisted"]);
    assert_eq!(state_of(&app, "third@example.org").await, ["waitlisted"]);

    let first = app.private_link("first@example.org").await;
    let response = app
        .post_form(&first, &[("action", "withdraw".to_owned())])
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(state_of(&app, "first@example.org").await, ["withdrawn"]);
    assert_eq!(state_of(&app, "second@example.org").await, ["approved"]);
    assert_eq!(state_of(&app, "third@example.org").await, ["waitlisted"]);
    let subjects: Vec<String> = app
        .mails_to("second@example.org")
        .await
        .into_iter()
        .map(|m| m.subject)
        .collect();
    assert!(
        subjects.last().unwrap().starts_with("A place is yours"),
        "{subjects:?}"
    );
}

#[tokio::test]
async fn delete_my_data_erases_everything_personal_at_once() {
    let app = spawn_app().await;
    let slug = app.briefing_slug().await;
    app.post_form(
        &format!("/en/events/{slug}/register"),
        &person("erase@example.org"),
    )
    .await;
    let link = app.private_link("erase@example.org").await;

    // Without the confirmation tick nothing happens.
    let response = app
        .post_form(&link, &[("action", "erase".to_owned())])
        .await;
    assert_eq!(response.status().as_u16(), 422);
    assert_eq!(state_of(&app, "erase@example.org").await.len(), 1);

    let response = app
        .post_form(
            &link,
            &[
                ("action", "erase".to_owned()),
                ("confirm", "yes".to_owned()),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(response.headers()["location"], "/en/deleted");
    assert!(state_of(&app, "erase@example.org").await.is_empty());
    let mails = app.mails_to("erase@example.org").await;
    assert!(mails.is_empty(), "queued and sent emails go with it");
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit WHERE action = 'erased'")
        .fetch_one(app.sql())
        .await
        .unwrap();
    assert_eq!(audited, 1);
    assert_eq!(app.get(&link).await.0, 404);
}

#[tokio::test]
async fn participants_edit_their_details() {
    let app = spawn_app().await;
    let slug = app.briefing_slug().await;
    app.post_form(
        &format!("/en/events/{slug}/register"),
        &person("edit@example.org"),
    )
    .await;
    let link = app.private_link("edit@example.org").await;
    let edit = [
        ("action", "edit".to_owned()),
        ("name", "Amal H.".to_owned()),
        ("organisation", "Independent".to_owned()),
        ("role", "Researcher".to_owned()),
        ("interpretation", "none".to_owned()),
        ("accessibility", "Step-free access, please.".to_owned()),
    ];
    let response = app.post_form(&link, &edit).await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, page) = app.get(&format!("{link}?done=saved")).await;
    assert!(page.contains("value=\"Amal H.\""));
    assert!(page.contains("Step-free access, please."));
    assert!(page.contains("Your changes are saved."));
}

#[tokio::test]
async fn posts_from_another_site_are_refused_and_store_nothing() {
    let app = spawn_app().await;
    let slug = app.briefing_slug().await;
    let response = app
        .client
        .post(app.url(&format!("/en/events/{slug}/register")))
        .header("origin", "https://evil.example")
        .form(&person("csrf@example.org"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    assert!(response.text().await.unwrap().contains("another website"));
    assert!(state_of(&app, "csrf@example.org").await.is_empty());
}
