//! Priorities at registration, feedback after the event, the staff's
//! aggregated view (no count under 5, ever), "what we heard" on the past
//! event's page, and their retention.

use app::domain::Role;
use app::server::retention;

use crate::common::{TestApp, now, spawn_app};
use crate::events_editor::{event_fields, post, with};
use crate::live::{register, registration_id};

const TOPICS: &str = "Detention | الاحتجاز\nMissing persons | المفقودون\nDocumentation | التوثيق";

/// A consultation an admin creates in the events editor with three topics;
/// returns its slug and the topics' ids.
async fn event_with_topics(app: &TestApp) -> (String, Vec<i64>) {
    let admin = app.staff_client(Role::Admin).await;
    let slug = "consultation-with-topics";
    let fields = with(
        event_fields(slug),
        &[("action", "publish"), ("topics", TOPICS)],
    );
    let (status, _, body) = post(app, &admin, "/en/staff/events/new", &fields).await;
    assert_eq!(status, 303, "{body}");
    let topics = sqlx::query_scalar("SELECT id FROM event_topics ORDER BY position")
        .fetch_all(app.sql())
        .await
        .unwrap();
    (slug.to_owned(), topics)
}

fn registration(email: &str, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = [
        ("name", format!("Person {email}")),
        ("organisation", "Families for Truth (demo)".to_owned()),
        ("role", "Coordinator".to_owned()),
        ("email", email.to_owned()),
        ("mode", "online".to_owned()),
        ("interpretation", "none".to_owned()),
        ("accessibility", String::new()),
        ("consent", "yes".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    fields.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    fields
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(app.sql()).await.unwrap()
}

#[tokio::test]
async fn priorities_are_counted_so_that_no_one_stands_out() {
    let app = spawn_app().await;
    let (slug, topics) = event_with_topics(&app).await;
    assert_eq!(topics.len(), 3);
    let form = format!("/en/events/{slug}/register");
    // The form offers them, in the reader's language.
    let arabic = app.get(&format!("/ar/events/{slug}/register")).await.1;
    assert!(arabic.contains("المفقودون") && arabic.contains(r#"name="topics""#));

    // A topic of no event, and invisible characters: refused, nothing kept.
    for extra in [
        [("topics", "999999"), ("hear", "")],
        [("topics", ""), ("hear", "hidden\u{202E}text")],
    ] {
        let response = app
            .post_form(&form, &registration("bad@example.org", &extra))
            .await;
        assert_eq!(response.status().as_u16(), 422);
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM priorities").await, 0);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM registrations WHERE event_id IN (SELECT event_id FROM event_topics)").await,
        0
    );

    let detention = topics[0].to_string();
    let missing = topics[1].to_string();
    let admin = app.staff_client(Role::Admin).await;
    let page = format!("/en/staff/events/{slug}/hearing");
    for i in 0..4 {
        let words = format!("Hear the families first, answer-{i}");
        let extra = [("topics", detention.as_str()), ("hear", words.as_str())];
        let response = app
            .post_form(&form, &registration(&format!("p{i}@example.org"), &extra))
            .await;
        assert_eq!(response.status().as_u16(), 303);
    }
    // Four answers: every count reads "fewer than 5", and no words show.
    let seen = app.page_as(&admin, &page).await;
    assert!(!seen.contains("answer-0"), "{seen}");
    assert!(
        seen.contains(r#"data-count="priorities">fewer than 5"#),
        "{seen}"
    );
    assert!(!seen.contains("<td>4</td>"), "an exact small count: {seen}");
    // The fifth: now counted, and the words shown, without names; the
    // organisation only where it was allowed.
    let extra = [
        ("topics", &format!("{detention},{missing}") as &str),
        ("hear", "Attributed words answer-4"),
        ("attribute", "yes"),
    ];
    assert_eq!(
        app.post_form(&form, &registration("p4@example.org", &extra))
            .await
            .status()
            .as_u16(),
        303
    );
    let seen = app.page_as(&admin, &page).await;
    assert!(seen.contains(r#"data-count="priorities">5"#), "{seen}");
    assert!(seen.contains("<td>5</td>"), "detention chosen by 5: {seen}");
    assert!(seen.contains("answer-0") && seen.contains("answer-4"));
    assert_eq!(
        seen.matches("Families for Truth (demo)").count(),
        1,
        "only the attributed one"
    );
    assert!(!seen.contains("Person p"), "no names");
    assert!(
        !seen.contains("<td>1</td>"),
        "missing persons (1) reads fewer than 5"
    );

    // Sealed at rest: the words are nowhere in plain text.
    let rows: Vec<String> = sqlx::query_scalar("SELECT topics FROM priorities")
        .fetch_all(app.sql())
        .await
        .unwrap();
    assert_eq!(rows.len(), 5);
    let sealed: Vec<Vec<u8>> = sqlx::query_scalar("SELECT text FROM priorities")
        .fetch_all(app.sql())
        .await
        .unwrap();
    assert!(
        sealed
            .iter()
            .all(|t| !String::from_utf8_lossy(t).contains("answer-"))
    );

    // The staff page is for staff; the topics and summary for admins.
    let (status, body) = app.get(&page).await;
    assert!(matches!(status, 303 | 401) && !body.contains("answer-0"));
    let moderator = app.staff_client(Role::Moderator).await;
    assert!(app.page_as(&moderator, &page).await.contains("answer-0"));
    let refused = moderator
        .post(app.url(&page))
        .form(&[("heard_en", "A moderator's summary")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 403);
    // Bad topics in the editor: a clear message, what was typed kept,
    // nothing changed.
    let edit = format!("/en/staff/events/{slug}/edit");
    let fields = with(
        event_fields(&slug),
        &[("action", "save"), ("topics", "No Arabic title here")],
    );
    let (status, _, body) = post(&app, &admin, &edit, &fields).await;
    assert_eq!(status, 422);
    assert!(body.contains("English | Arabic") && body.contains("No Arabic title here"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM event_topics").await, 3);
    // Renaming keeps the answers counted; the editor shows the topics.
    let renamed = TOPICS.replace("Detention", "Arbitrary detention");
    let fields = with(
        event_fields(&slug),
        &[("action", "save"), ("topics", &renamed)],
    );
    assert_eq!(post(&app, &admin, &edit, &fields).await.0, 303);
    assert!(
        app.page_as(&admin, &edit)
            .await
            .contains("Arbitrary detention | الاحتجاز")
    );
    assert!(
        app.page_as(&admin, &page)
            .await
            .contains("Arbitrary detention")
    );
    assert!(app.page_as(&admin, &page).await.contains("<td>5</td>"));

    // "Delete my data" takes their priorities too.
    app.get(&app.private_link("p4@example.org").await).await;
    let link = app.private_link("p4@example.org").await;
    let erased = app
        .post_form(&link, &[("action", "erase"), ("confirm", "yes")])
        .await;
    assert_eq!(erased.status().as_u16(), 303);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM priorities").await, 4);
}

#[tokio::test]
async fn feedback_is_asked_once_and_shown_only_in_aggregate() {
    let app = spawn_app().await;
    let slug = app.briefing_slug().await;
    let mut links = Vec::new();
    for i in 0..2 {
        let (link, _) = register(&app, &slug, &format!("fb{i}@example.org"), "online").await;
        links.push(link);
    }
    let event = app.event_id(&slug).await;
    let ends: i64 = sqlx::query_scalar("SELECT ends_at FROM events WHERE id = $1")
        .bind(event)
        .fetch_one(app.sql())
        .await
        .unwrap();
    // Before the end: no email, and the form refuses.
    let sent = app::server::hearing::send_feedback_requests(&app.state)
        .await
        .unwrap();
    assert_eq!(sent, 0);
    let early = app
        .post_form(
            &format!("{}/feedback", links[0]),
            &[("usefulness", "4"), ("safety", "5")],
        )
        .await;
    assert_eq!(early.status().as_u16(), 422);

    // Once it ended: one email each, even with two workers at once and a
    // later run.
    app.advance(ends - now().as_second() + 60);
    let (a, b) = tokio::join!(
        app::server::hearing::send_feedback_requests(&app.state),
        app::server::hearing::send_feedback_requests(&app.state),
    );
    assert_eq!(a.unwrap() + b.unwrap(), 2);
    assert_eq!(
        app::server::hearing::send_feedback_requests(&app.state)
            .await
            .unwrap(),
        0
    );
    for i in 0..2 {
        let mails = app.mails_to(&format!("fb{i}@example.org")).await;
        let asks: Vec<_> = mails
            .iter()
            .filter(|m| m.subject.starts_with("How was it?"))
            .collect();
        assert_eq!(asks.len(), 1, "one feedback email each");
        assert!(asks[0].body.contains("#feedback"));
    }
    // The link in it opens the private page with the form.
    let link = app.private_link("fb0@example.org").await;
    let page = app.get(&link).await.1;
    assert!(
        page.contains("How was it?") && page.contains(r#"name="usefulness""#),
        "{page}"
    );

    // Bad answers: refused, nothing stored.
    for bad in [
        vec![("usefulness", "0"), ("safety", "3")],
        vec![("usefulness", "6"), ("safety", "3")],
        vec![("safety", "3")],
        vec![
            ("usefulness", "3"),
            ("safety", "3"),
            ("change", "x\u{200B}y"),
        ],
    ] {
        let response = app.post_form(&format!("{link}/feedback"), &bad).await;
        assert_eq!(response.status().as_u16(), 422, "{bad:?}");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM feedback").await, 0);
    let answer = [
        ("usefulness", "4"),
        ("safety", "2"),
        ("change", "More time for questions fb-words"),
    ];
    let given = app.post_form(&format!("{link}/feedback"), &answer).await;
    assert_eq!(given.status().as_u16(), 303);
    // Once only, whichever link.
    let again = app
        .post_form(&format!("{}/feedback", links[0]), &answer)
        .await;
    assert_eq!(again.status().as_u16(), 422);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM feedback").await, 1);
    assert!(!app.get(&link).await.1.contains(r#"name="usefulness""#));
    // No registration id in the table at all.
    let columns: Vec<String> = if crate::common::on_postgres() {
        sqlx::query_scalar("SELECT column_name::text FROM information_schema.columns WHERE table_name = 'feedback'")
            .fetch_all(app.sql())
            .await
            .unwrap()
    } else {
        sqlx::query_scalar("SELECT name FROM pragma_table_info('feedback')")
            .fetch_all(app.sql())
            .await
            .unwrap()
    };
    assert!(
        !columns.iter().any(|c| c.contains("registration")),
        "{columns:?}"
    );

    // Staff: one answer is "fewer than 5" everywhere, and no words yet.
    let moderator = app.staff_client(Role::Moderator).await;
    let seen = app
        .page_as(&moderator, &format!("/en/staff/events/{slug}/hearing"))
        .await;
    assert!(
        seen.contains(r#"data-count="feedback">fewer than 5"#),
        "{seen}"
    );
    assert!(!seen.contains("fb-words") && !seen.contains("<td>1</td>"));
    let _ = registration_id(&app, "fb0@example.org").await;
}

#[tokio::test]
async fn what_we_heard_is_shown_on_the_event_page_sanitised_and_retention_takes_the_rest() {
    let app = spawn_app().await;
    let slug = app.briefing_slug().await;
    let admin = app.staff_client(Role::Admin).await;
    let page = format!("/en/staff/events/{slug}/hearing");
    let bulletin: String = sqlx::query_scalar(
        "SELECT slug FROM bulletins WHERE published_at IS NOT NULL ORDER BY number LIMIT 1",
    )
    .fetch_one(app.sql())
    .await
    .unwrap();
    // A bulletin that does not exist: refused, nothing saved.
    let bad = admin
        .post(app.url(&page))
        .form(&[
            ("heard_en", "We heard you."),
            ("heard_bulletin", "no-such-issue"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status().as_u16(), 422);
    assert!(
        !app.get(&format!("/en/events/{slug}"))
            .await
            .1
            .contains("What we heard")
    );
    let saved = admin
        .post(app.url(&page))
        .form(&[
            (
                "heard_en",
                "**Families asked** about records.<script>alert(1)</script>",
            ),
            ("heard_ar", "سألت **العائلات** عن السجلات."),
            ("heard_bulletin", bulletin.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status().as_u16(), 303);
    let english = app.get(&format!("/en/events/{slug}")).await.1;
    assert!(
        english.contains("What we heard") && english.contains("<strong>Families asked</strong>"),
        "{english}"
    );
    assert!(!english.contains("<script>alert(1)"));
    assert!(english.contains(&format!("/en/bulletins/{bulletin}")));
    let arabic = app.get(&format!("/ar/events/{slug}")).await.1;
    assert!(arabic.contains("<strong>العائلات</strong>"));

    // Questions, votes, priorities and feedback go with the schedule.
    let (slug, topics) = event_with_topics(&app).await;
    let extra = [
        ("topics", topics[0].to_string()),
        ("hear", "Retained words".to_owned()),
    ];
    let extra: Vec<(&str, &str)> = extra.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let response = app
        .post_form(
            &format!("/en/events/{slug}/register"),
            &registration("kept@example.org", &extra),
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM priorities").await, 1);
    let ends: i64 = sqlx::query_scalar("SELECT ends_at FROM events WHERE slug = $1")
        .bind(&slug)
        .fetch_one(app.sql())
        .await
        .unwrap();
    let days = i64::from(app.state.config.feedback_retention_days);
    app.advance(ends + days * 86_400 + 3600 - now().as_second());
    let purged = retention::purge(
        &app.db,
        &app.state.key,
        retention::policy(&app.state.config),
        app.state.clock.now(),
    )
    .await
    .unwrap();
    assert!(purged.hearing >= 1, "{purged:?}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM priorities").await, 0);
    // The privacy notice says so, in both languages.
    let privacy = app.get("/en/privacy").await.1;
    assert!(privacy.contains("Your questions (anonymous ones too)"));
    let privacy = app.get("/ar/privacy").await.1;
    assert!(privacy.contains("أسئلتك (بما فيها المجهولة)"));
}
