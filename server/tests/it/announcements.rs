//! Announcements reach exactly the group chosen, each in their language
//! (the other text when theirs is empty), through the outbox at the
//! bulletin's pace, after an optional preview that sends nothing.

use app::domain::Role;

use crate::checkin::decide;
use crate::common::{TestApp, spawn_app_with};
use crate::events_editor::{event_fields, post, with};

/// Registers in `lang` and opens the link; returns the registration.
async fn sign_up(app: &TestApp, slug: &str, lang: &str, email: &str, mode: &str) -> i64 {
    crate::checkin::sign_up_in(app, lang, slug, "Announcement Reader", email, mode)
        .await
        .0
}

fn announcements(mails: &[crate::common::StoredMail]) -> Vec<&crate::common::StoredMail> {
    mails
        .iter()
        .filter(|m| m.subject.starts_with("Announcement:") || m.subject.starts_with("إعلان:"))
        .collect()
}

#[tokio::test]
async fn announcements_reach_exactly_the_chosen_group_in_their_language() {
    let app = spawn_app_with(|setup| setup.config.bulletin_rate = 1).await;
    let admin = app.staff_client(Role::Admin).await;
    // A hybrid event of its own (the demo's have participants already).
    let slug = "announcements-event";
    let fields = with(event_fields(slug), &[("action", "publish")]);
    assert_eq!(
        post(&app, &admin, "/en/staff/events/new", &fields).await.0,
        303
    );
    let a = sign_up(&app, slug, "en", "room@example.org", "in_person").await;
    let b = sign_up(&app, slug, "ar", "online-ar@example.org", "online").await;
    let c = sign_up(&app, slug, "en", "waiting@example.org", "online").await;
    sign_up(&app, slug, "en", "pending@example.org", "online").await;
    decide(&app, &admin, "approve", a).await;
    decide(&app, &admin, "approve", b).await;
    decide(&app, &admin, "waitlist", c).await;
    let page = format!("/en/staff/events/{slug}/announcements");
    let moderator = app.staff_client(Role::Moderator).await;
    let send = |fields: Vec<(&'static str, &'static str)>| {
        moderator.post(app.url(&page)).form(&fields).send()
    };
    let before = app.mails().await.len();

    // Preview: who and what, nothing sent.
    let preview = send(vec![
        ("action", "preview"),
        ("mode", "online"),
        ("waitlisted", "yes"),
        ("body_en", "The online room opens at 9:00. ann-en"),
        ("body_ar", "تفتح القاعة الإلكترونية في التاسعة. ann-ar"),
    ])
    .await
    .unwrap();
    assert_eq!(preview.status().as_u16(), 200);
    let body = preview.text().await.unwrap();
    assert!(body.contains(r#"data-recipients="2""#), "{body}");
    assert!(body.contains("ann-en") && body.contains("ann-ar"));
    assert_eq!(app.mails().await.len(), before);

    // Online, approved only: the Arabic reader alone, in Arabic.
    let sent = send(vec![
        ("action", "send"),
        ("mode", "online"),
        ("body_en", "The online room opens at 9:00. ann-en"),
        ("body_ar", "تفتح القاعة الإلكترونية في التاسعة. ann-ar"),
    ])
    .await
    .unwrap();
    assert_eq!(sent.status().as_u16(), 303);
    let to_b = app.mails_to("online-ar@example.org").await;
    let to_b = announcements(&to_b);
    assert_eq!(to_b.len(), 1);
    assert!(to_b[0].subject.starts_with("إعلان:") && to_b[0].body.contains("ann-ar"));
    for other in [
        "room@example.org",
        "waiting@example.org",
        "pending@example.org",
    ] {
        assert!(
            announcements(&app.mails_to(other).await).is_empty(),
            "{other}"
        );
    }

    // Everyone approved and waitlisted, English only: the Arabic reader gets
    // the English; the pending registration nothing.
    let sent = send(vec![
        ("action", "send"),
        ("mode", "all"),
        ("waitlisted", "yes"),
        ("body_en", "Bring your badge. ann-2"),
    ])
    .await
    .unwrap();
    assert_eq!(sent.status().as_u16(), 303);
    for (who, n) in [
        ("room@example.org", 1),
        ("online-ar@example.org", 2),
        ("waiting@example.org", 1),
        ("pending@example.org", 0),
    ] {
        let got = app.mails_to(who).await;
        assert_eq!(announcements(&got).len(), n, "{who}");
    }
    assert!(
        announcements(&app.mails_to("online-ar@example.org").await)[1]
            .body
            .contains("ann-2")
    );
    // Spread at the bulletin rate (here one a minute): the first is sent,
    // the last waits its turn.
    let rows: Vec<(Option<i64>, i64)> = sqlx::query_as(
        "SELECT sent_at, next_attempt_at FROM outbox WHERE subject LIKE 'Announcement:%' ORDER BY id",
    )
    .fetch_all(app.sql())
    .await
    .unwrap();
    // The English ones of the second send: the in-person reader's (first
    // in line) and the waitlisted one's (third).
    assert_eq!(rows.len(), 2, "{rows:?}");
    let last = rows[1];
    assert!(last.0.is_none(), "not sent before its turn");
    assert!(
        last.1 >= app.state.clock.now().as_millisecond() + 60_000,
        "{rows:?}"
    );

    // The recipients see it on their private page.
    let link = app.private_link("online-ar@example.org").await;
    let private = app.get(&link).await.1;
    assert!(
        private.contains("ann-ar") && private.contains("ann-2"),
        "{private}"
    );
    let link = app.private_link("pending@example.org").await;
    assert!(!app.get(&link).await.1.contains("ann-2"));

    // Audited with the count only.
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit WHERE action = 'announced'")
        .fetch_one(app.sql())
        .await
        .unwrap();
    assert_eq!(audited, 2);
    let listed = app.page_as(&moderator, &page).await;
    assert!(
        listed.contains("ann-2") && listed.contains("3 recipients"),
        "{listed}"
    );

    // Empty texts: refused, nothing queued or recorded.
    let count = app.mails().await.len();
    let empty = send(vec![
        ("action", "send"),
        ("mode", "all"),
        ("body_en", "  "),
        ("body_ar", ""),
    ])
    .await
    .unwrap();
    assert_eq!(empty.status().as_u16(), 422);
    assert!(empty.text().await.unwrap().contains("Please fill this in."));
    let bad_mode = send(vec![
        ("action", "send"),
        ("mode", "everyone"),
        ("body_en", "x"),
    ])
    .await
    .unwrap();
    assert_eq!(bad_mode.status().as_u16(), 422);
    assert_eq!(app.mails().await.len(), count);

    // Not for the public, nor from another site.
    let response = app
        .post_form(
            &page,
            &[("action", "send"), ("mode", "all"), ("body_en", "x")],
        )
        .await;
    assert!(matches!(response.status().as_u16(), 303 | 401));
    let cross = moderator
        .post(app.url(&page))
        .header("origin", "https://evil.example")
        .form(&[("action", "send"), ("mode", "all"), ("body_en", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status().as_u16(), 403);
    assert_eq!(app.mails().await.len(), count);
}
