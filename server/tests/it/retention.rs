//! The retention schedule: what the purge deletes and when, what it keeps,
//! the audit log without personal data afterwards, `lausanne purge`, and the
//! privacy notice stating the configured periods.

use app::domain::Role;
use app::server::crypto::AUDIT_REASON;
use app::server::retention::{self, Purged};

use crate::common::{TestApp, now, spawn_app, spawn_app_with};

const DAY: i64 = 86_400;

fn person(email: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", "Retention Test".to_owned()),
        ("organisation", "Schedules".to_owned()),
        ("role", "Tester".to_owned()),
        ("email", email.to_owned()),
        ("mode", "online".to_owned()),
        ("consent", "yes".to_owned()),
    ]
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(app.sql()).await.unwrap()
}

async fn ends_at(app: &TestApp, slug: &str) -> i64 {
    sqlx::query_scalar("SELECT ends_at FROM events WHERE slug = $1")
        .bind(slug)
        .fetch_one(app.sql())
        .await
        .unwrap()
}

/// Moves the app's clock to `at` (Unix seconds), then purges.
async fn purge_at(app: &TestApp, at: i64) -> Purged {
    let current = app.state.clock.now().as_second();
    app.advance(at - current);
    retention::purge(
        &app.db,
        &app.state.key,
        retention::policy(&app.state.config),
        app.state.clock.now(),
    )
    .await
    .unwrap()
}

/// A moderator's `decision` on registration `id`, with `reason`.
async fn decide(app: &TestApp, decision: &str, id: i64, reason: &str) {
    let moderator = app.staff_client(Role::Moderator).await;
    let decided = moderator
        .post(app.url("/en/staff/registrations"))
        .form(&[
            ("decision", decision),
            ("ids", &id.to_string()),
            ("reason", reason),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(decided.status().as_u16(), 303);
}

async fn mail_delivered(app: &TestApp) {
    for _ in 0..200 {
        if scalar(app, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").await == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("mail still pending");
}

#[tokio::test]
async fn the_schedule_deletes_what_has_been_kept_long_enough_and_nothing_sooner() {
    let app = spawn_app().await;
    let t0 = now().as_second();
    let briefing = app.briefing_slug().await;
    let platform = app.platform_slug().await;

    // A participant of the briefing (approved once the address is confirmed)
    // who joins a session.
    let register = |slug: &str, email: &str| {
        let path = format!("/en/events/{slug}/register");
        let fields = person(email);
        let app = &app;
        async move {
            let response = app.post_form(&path, &fields).await;
            assert_eq!(response.status().as_u16(), 303);
        }
    };
    register(&briefing, "joiner@example.org").await;
    let private = app.private_link("joiner@example.org").await;
    assert_eq!(app.get(&private).await.0, 200);
    let token = private.rsplit('/').next().unwrap().to_owned();
    let briefing_id = app.event_id(&briefing).await;
    let session: i64 = sqlx::query_scalar(
        "INSERT INTO sessions (event_id, title_en, title_ar, starts_at, ends_at, meeting_url)
         VALUES ($1, 'Retention session', 'جلسة', $2, $3, 'https://meet.example.org/r') RETURNING id",
    )
    .bind(briefing_id)
    .bind(t0 + 3600)
    .bind(t0 + 7200)
    .fetch_one(app.sql())
    .await
    .unwrap();
    app.advance(3600);
    let joined = app
        .client
        .get(app.url(&format!("/join/{token}/{session}")))
        .send()
        .await
        .unwrap();
    assert_eq!(joined.headers()["location"], "https://meet.example.org/r");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM attendance").await, 1);

    // A participant of the platform meeting, declined by a moderator whose
    // reason names them.
    register(&platform, "declined@example.org").await;
    let platform_id = app.event_id(&platform).await;
    let declined: i64 = sqlx::query_scalar(
        "SELECT id FROM registrations WHERE event_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(platform_id)
    .fetch_one(app.sql())
    .await
    .unwrap();
    decide(&app, "reject", declined, "Rima Khalil is not known to us").await;
    let reasons = format!(
        "SELECT COUNT(*) FROM audit WHERE subject_type = 'registration' AND subject_id = {declined} AND reason IS NOT NULL"
    );
    assert!(scalar(&app, &reasons).await >= 1);

    // Someone who asks for the bulletin and never confirms.
    let subscribed = app
        .post_form(
            "/en/subscribe",
            &[("email", "never@example.org"), ("lang", "en")],
        )
        .await;
    assert_eq!(subscribed.status().as_u16(), 303);
    mail_delivered(&app).await;
    let emails = scalar(&app, "SELECT COUNT(*) FROM outbox").await;
    assert!(emails >= 3, "{emails} emails");

    // Six days on: nothing is due.
    assert_eq!(purge_at(&app, t0 + 6 * DAY).await, Purged::default());
    // Eight: the unconfirmed subscriber (and the mail to them) goes.
    let purged = purge_at(&app, t0 + 8 * DAY).await;
    assert_eq!(purged.subscribers, 1);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM subscribers").await, 0);
    // Thirty-one: delivered emails go; the registrations stay.
    let purged = purge_at(&app, t0 + 31 * DAY).await;
    assert!(purged.emails >= 2, "{purged:?}");
    assert_eq!(purged.registrations, 0);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox").await, 0);

    // A day before the 90 days after each event's end: still kept.
    let last_end = ends_at(&app, &briefing)
        .await
        .max(ends_at(&app, &platform).await);
    let first_end = ends_at(&app, &briefing)
        .await
        .min(ends_at(&app, &platform).await);
    let purged = purge_at(&app, first_end + 89 * DAY).await;
    assert_eq!(purged.registrations, 0);
    assert_eq!(app.get(&private).await.0, 200);

    // After: the registrations, their attendance and the reasons in their
    // audit entries are gone; the entries themselves stay.
    let cutoff = last_end + 91 * DAY;
    let due = scalar(
        &app,
        &format!(
            "SELECT COUNT(*) FROM registrations WHERE event_id IN
               (SELECT id FROM events WHERE ends_at < {cutoff} - 90 * {DAY})"
        ),
    )
    .await;
    assert!(due >= 2, "ours and the demo's");
    let purged = purge_at(&app, cutoff).await;
    assert_eq!(purged.registrations, due.unsigned_abs(), "{purged:?}");
    assert_eq!(purged.attendance, 1);
    let ours = format!(
        "SELECT COUNT(*) FROM registrations WHERE event_id IN ({briefing_id}, {platform_id})"
    );
    assert_eq!(scalar(&app, &ours).await, 0);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM attendance").await, 0);
    assert_eq!(scalar(&app, &reasons).await, 0);
    let entries = format!(
        "SELECT COUNT(*) FROM audit WHERE subject_type = 'registration' AND subject_id = {declined}"
    );
    assert!(scalar(&app, &entries).await >= 2);
    assert_eq!(app.get(&private).await.0, 404);
    // The purge is in the audit log, as counts.
    let sealed: Vec<Vec<u8>> =
        sqlx::query_scalar("SELECT reason FROM audit WHERE action = 'purged' ORDER BY id")
            .fetch_all(app.sql())
            .await
            .unwrap();
    let codes: Vec<String> = sealed
        .iter()
        .map(|s| app.state.key.open(AUDIT_REASON, s).unwrap())
        .collect();
    assert_eq!(codes.len(), 3);
    assert_eq!(
        Purged::parse(codes.last().unwrap()).unwrap().registrations,
        purged.registrations
    );
    // Whatever else the audit log holds, no entry can be edited but to clear
    // a reason.
    let tamper = sqlx::query("UPDATE audit SET action = 'approved' WHERE action = 'purged'")
        .execute(app.sql())
        .await;
    assert!(tamper.is_err());
    let admin = app.staff_client(Role::Admin).await;
    let audit = app.page_as(&admin, "/en/staff/audit").await;
    let shown = format!(
        "{} registrations, 1 attendance records",
        purged.registrations
    );
    assert!(audit.contains(&shown), "the audit page");
}

#[tokio::test]
async fn erasing_on_request_clears_the_reasons_too() {
    let app = spawn_app().await;
    let platform = app.platform_slug().await;
    let response = app
        .post_form(
            &format!("/en/events/{platform}/register"),
            &person("erase@example.org"),
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let private = app.private_link("erase@example.org").await;
    let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM registrations")
        .fetch_one(app.sql())
        .await
        .unwrap();
    decide(&app, "waitlist", id, "Asked by Rima Khalil").await;
    let erased = app
        .post_form(&private, &[("action", "erase"), ("confirm", "yes")])
        .await;
    assert_eq!(erased.status().as_u16(), 303);
    let reasons = format!(
        "SELECT COUNT(*) FROM audit WHERE subject_type = 'registration' AND subject_id = {id} AND reason IS NOT NULL"
    );
    assert_eq!(scalar(&app, &reasons).await, 0);
}

#[tokio::test]
async fn the_privacy_notice_states_the_configured_periods() {
    let app = spawn_app_with(|setup| {
        setup.config.retention_days = 30;
        setup.config.unconfirmed_days = 3;
        setup.config.mail_retention_days = 14;
    })
    .await;
    let (status, page) = app.get("/en/privacy").await;
    assert_eq!(status, 200);
    for period in [
        "30 days after the event ends",
        "after 3 days",
        "14 days after",
    ] {
        assert!(page.contains(period), "{period}");
    }
    let (_, page) = app.get("/ar/privacy").await;
    assert!(page.contains("dir=\"rtl\""));
    for period in ["٣٠ يومًا", "٣ أيام", "١٤ يومًا"] {
        assert!(page.contains(period), "{period}");
    }
    // The registration form's notice says the same, and links to it.
    let slug = app.briefing_slug().await;
    let (_, form) = app.get(&format!("/en/events/{slug}/register")).await;
    assert!(form.contains("deleted 30 days after it ends"));
    assert!(form.contains("deleted 30 days after the event"));
    let (_, form) = app.get(&format!("/ar/events/{slug}/register")).await;
    assert!(form.contains("بعد ٣٠ يومًا من انتهائها"));
    assert!(form.contains("href=\"/ar/privacy\""));
    // So does every page's footer.
    let (_, home) = app.get("/ar").await;
    assert!(home.contains("href=\"/ar/privacy\""));
}
