//! What an outside security review found, each tried the way an attacker
//! would: a textarea that typed text could end, cancelled and closed events
//! that still released addresses and counts, a registration form that told
//! who was registered, and the rest of the review's list.

use crate::closed_and_bad_input::seed_closed_event;
use crate::common::{TestApp, spawn_app};
use crate::events_editor::{event_fields, with};
use crate::live::{add_session, location, read_stream_until, register};
use app::domain::Role;

/// Text that, echoed raw into a `<textarea>`, ends it and injects live markup.
const BREAKOUT: &str =
    "</textarea><b>x</b><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">";

/// The page echoes [`BREAKOUT`] as text inside its textarea, never as markup.
#[track_caller]
fn assert_escaped(page: &str, what: &str) {
    assert!(
        !page.contains("</textarea><b>") && !page.contains("<meta http-equiv"),
        "{what}: typed text ended the textarea"
    );
    assert!(
        page.contains("&lt;/textarea>&lt;b>x&lt;/b>"),
        "{what}: the typed text is not shown back"
    );
}

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    fields: &[(String, String)],
) -> (u16, String) {
    let response = client
        .post(app.url(path))
        .form(fields)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

fn owned(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn registration(email: &str, accessibility: &str) -> Vec<(String, String)> {
    owned(&[
        ("name", "Amal Haddad"),
        ("organisation", "Independent"),
        ("role", "Lawyer"),
        ("email", email),
        ("mode", "online"),
        ("interpretation", "none"),
        ("accessibility", accessibility),
        ("consent", "yes"),
    ])
}

#[tokio::test]
async fn typed_text_never_ends_a_textarea() {
    let app = spawn_app().await;
    let anonymous = app.cookie_client();

    // Public forms, refused and shown again.
    let organisation = owned(&[
        ("name", "Families for Truth"),
        ("country", "Syria"),
        ("areas", "detention"),
        ("description", BREAKOUT),
        ("contact_email", "info@example.org"),
        ("website", ""),
    ]);
    let (status, page) = post(&app, &anonymous, "/en/organisation", &organisation).await;
    assert_eq!(status, 422, "no consent");
    assert_escaped(&page, "organisation description, refused");

    let briefing = app.briefing_slug().await;
    let register = format!("/ar/events/{briefing}/register");
    let mut refused = registration("amal@example.org", BREAKOUT);
    refused.retain(|(k, _)| k != "consent");
    let (status, page) = post(&app, &anonymous, &register, &refused).await;
    assert_eq!(status, 422);
    assert_escaped(&page, "accessibility, refused");

    // Stored, then shown on the private page, and refused again there.
    let (status, _) = post(
        &app,
        &anonymous,
        &register,
        &registration("amal@example.org", BREAKOUT),
    )
    .await;
    assert_eq!(status, 303);
    let private = app.private_link("amal@example.org").await;
    let (_, page) = app.get(&private).await;
    assert_escaped(&page, "accessibility, stored");
    let edit = with(registration("amal@example.org", BREAKOUT), &[("name", "")]);
    let (status, page) = post(&app, &anonymous, &private, &edit).await;
    assert_eq!(status, 422);
    assert_escaped(&page, "accessibility, edit refused");

    // Staff editors: the event editor and the bulletin editor, refused and
    // stored; the moderation queue's reason, refused.
    let admin = app.staff_client(Role::Admin).await;
    let event = with(
        event_fields("breakout"),
        &[
            ("action", "draft"),
            ("summary_en", BREAKOUT),
            ("summary_ar", BREAKOUT),
            ("description_en", BREAKOUT),
            ("description_ar", BREAKOUT),
            ("venue", BREAKOUT),
        ],
    );
    let (status, page) = post(
        &app,
        &admin,
        "/en/staff/events/new",
        &with(event.clone(), &[("slug", "Not a slug!")]),
    )
    .await;
    assert_eq!(status, 422);
    assert_escaped(&page, "event editor, refused");
    let (status, page) = post(&app, &admin, "/en/staff/events/new", &event).await;
    assert_eq!(status, 303, "{page}");
    let page = app.page_as(&admin, "/en/staff/events/breakout/edit").await;
    assert_escaped(&page, "event editor, stored");

    let bulletin = owned(&[
        ("action", "save"),
        ("number", "9"),
        ("slug", "breakout"),
        ("title_en", "Breakout"),
        ("summary_en", BREAKOUT),
        ("body_en", BREAKOUT),
        ("title_ar", "اختبار"),
        ("summary_ar", BREAKOUT),
        ("body_ar", BREAKOUT),
    ]);
    let (status, page) = post(
        &app,
        &admin,
        "/en/staff/bulletins/new",
        &with(bulletin.clone(), &[("number", "x")]),
    )
    .await;
    assert_eq!(status, 422);
    assert_escaped(&page, "bulletin editor, refused");
    let response = admin
        .post(app.url("/en/staff/bulletins/new"))
        .form(&bulletin)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    let edit = response.headers()["location"]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let page = app.page_as(&admin, &edit).await;
    assert_escaped(&page, "bulletin editor, stored");

    let decision = owned(&[("decision", "reject"), ("reason", BREAKOUT)]);
    let (status, page) = post(&app, &admin, "/en/staff/registrations", &decision).await;
    assert_eq!(status, 422, "no registration chosen");
    assert_escaped(&page, "moderation reason, refused");
}

#[tokio::test]
async fn a_cancelled_event_releases_no_meeting_and_no_venue() {
    let app = spawn_app().await;
    let briefing = app.briefing_slug().await;
    let (private, token) = register(&app, &briefing, "rania@example.org", "online").await;
    let secret = "https://meet.example.org/cancelled-event-5d1e";
    let session = add_session(&app, app.event_id(&briefing).await, 60, secret).await;
    let join = format!("/join/{token}/{session}");
    assert_eq!(
        location(&app, &join).await,
        (303, secret.to_owned()),
        "open before"
    );

    let admin = app.staff_client(Role::Admin).await;
    let cancel = owned(&[("action", "cancel"), ("confirm", "yes")]);
    let (status, _) = post(
        &app,
        &admin,
        &format!("/en/staff/events/{briefing}/edit"),
        &cancel,
    )
    .await;
    assert_eq!(status, 303, "cancelled");

    let (status, to) = location(&app, &join).await;
    assert_eq!(status, 303);
    assert_eq!(to, format!("/en/r/{token}?join=event_cancelled#agenda"));
    let (_, page) = app.get(&format!("{private}?join=event_cancelled")).await;
    assert!(!page.contains(&format!("/join/{token}")), "no join button");
    assert!(page.contains("This event has been cancelled. There is no session to join"));
    let (_, page) = app.get(&private.replacen("/en/", "/ar/", 1)).await;
    assert!(page.contains("أُلغيت هذه الفعالية"));

    // The participant's live stream says they can no longer join.
    let text = read_stream_until(
        &app,
        &format!("/live?token={token}"),
        None,
        r#""can_join":false"#,
        async || {},
    )
    .await;
    assert!(text.contains(r#""can_join":false"#), "{text}");
    assert!(!text.contains(r#""join_open":true"#), "{text}");
}

#[tokio::test]
async fn a_closed_event_tells_strangers_no_numbers() {
    let app = spawn_app().await;
    seed_closed_event(&app).await;
    let api = app
        .client
        .post(app.url("/api/events/show"))
        .form(&[("lang", "en"), ("slug", "closed-with-details")])
        .send()
        .await
        .unwrap();
    let api = api.text().await.unwrap();
    assert!(api.contains("Closed meeting for testing"), "{api}");
    assert!(
        !api.contains("capacity") && !api.contains(r#""left":10"#),
        "{api}"
    );

    let (status, body) = app.get("/live?event=closed-with-details").await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(body, app.get("/live?event=no-such-event").await.1);
}

#[tokio::test]
async fn addresses_the_mail_transport_cannot_send_to_are_refused_on_the_form() {
    let app = spawn_app().await;
    let register = format!("/en/events/{}/register", app.briefing_slug().await);
    for address in ["a,b@x.org", "a;b@x.org", "a(b)@x.org", "a[b]@x.org"] {
        assert!(address.parse::<lettre::Address>().is_err(), "{address}");
        let (status, page) = post(&app, &app.client, &register, &registration(address, "")).await;
        assert_eq!(status, 422, "{address}");
        assert!(
            page.contains("email address"),
            "{address}: the field says why"
        );
        assert!(
            page.contains(&format!("value=\"{}\"", address.replace('&', "&amp;"))),
            "kept"
        );
    }
    assert!(app.mails().await.is_empty(), "nothing queued");
}

async fn registrations_of(app: &TestApp, slug: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM registrations r JOIN events e ON e.id = r.event_id WHERE e.slug = $1",
    )
    .bind(slug)
    .fetch_one(app.sql())
    .await
    .unwrap()
}

async fn purge(app: &TestApp) -> app::server::retention::Purged {
    app::server::retention::purge(
        &app.db,
        &app.state.key,
        app::server::retention::policy(&app.state.config),
        app.state.clock.now(),
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn moving_an_event_into_the_past_deletes_nothing_by_mistake() {
    let app = spawn_app().await;
    let admin = app.staff_client(Role::Admin).await;
    let fields = with(event_fields("year-typo"), &[("action", "publish")]);
    let (status, _) = post(&app, &admin, "/en/staff/events/new", &fields).await;
    assert_eq!(status, 303);
    let (status, _) = post(
        &app,
        &app.client,
        "/en/events/year-typo/register",
        &registration("amal@example.org", ""),
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(registrations_of(&app, "year-typo").await, 1);

    // 2025 typed for 2027: refused, the form kept, a box to confirm offered.
    let typo = with(
        fields.clone(),
        &[
            ("action", "save"),
            ("starts_at", "2025-03-01T09:00"),
            ("ends_at", "2025-03-02T17:00:00"),
            ("registration_closes_at", ""),
        ],
    );
    let edit = "/en/staff/events/year-typo/edit";
    let (status, page) = post(&app, &admin, edit, &typo).await;
    assert_eq!(status, 422);
    assert!(page.contains("the retention schedule would delete them"));
    assert!(page.contains(r#"name="confirm_past""#));
    assert!(
        page.contains(r#"value="2025-03-02T17:00:00""#),
        "what was typed is kept"
    );
    let (status, page) = post(&app, &admin, "/ar/staff/events/year-typo/edit", &typo).await;
    assert_eq!(status, 422);
    assert!(page.contains("سيحذفها جدول الاحتفاظ"));

    // Confirmed: saved, and still the schedule waits out the grace period,
    // saying why in the log.
    let confirmed = with(typo, &[("confirm_past", "yes")]);
    let (status, _) = post(&app, &admin, edit, &confirmed).await;
    assert_eq!(status, 303);
    assert_eq!(purge(&app).await.registrations, 0);
    app.advance(6 * 86_400);
    assert_eq!(purge(&app).await.registrations, 0);
    assert_eq!(
        registrations_of(&app, "year-typo").await,
        1,
        "kept in the grace"
    );
    app.advance(2 * 86_400);
    assert_eq!(
        purge(&app).await.registrations,
        1,
        "then the schedule holds"
    );
}

#[tokio::test]
async fn invitation_codes_are_strong_and_cannot_be_guessed() {
    let app = spawn_app().await;
    let admin = app.staff_client(Role::Admin).await;
    let closed = with(
        event_fields("closed-door"),
        &[
            ("action", "publish"),
            ("visibility", "closed"),
            ("requires_approval", "on"),
        ],
    );
    let (status, page) = post(
        &app,
        &admin,
        "/en/staff/events/new",
        &with(closed.clone(), &[("invitation_code", "short123")]),
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("at least 10 characters"));

    // The button fills in a strong code and saves nothing.
    let (status, page) = post(
        &app,
        &admin,
        "/en/staff/events/new",
        &with(closed.clone(), &[("action", "generate_code")]),
    )
    .await;
    assert_eq!(status, 200);
    let start = page.find(r#"name="invitation_code""#).unwrap();
    let tag = &page[page[..start].rfind('<').unwrap()..start + page[start..].find('>').unwrap()];
    let code = tag
        .split("value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(code.len(), 14, "{tag}");
    assert!(
        page.contains("Consultation on detention"),
        "the rest of the form is kept"
    );
    assert_eq!(
        app.get("/en/events/closed-door").await.0,
        404,
        "nothing saved"
    );
    let (status, _) = post(
        &app,
        &admin,
        "/en/staff/events/new",
        &with(closed, &[("invitation_code", &code)]),
    )
    .await;
    assert_eq!(status, 303);

    // Five wrong codes from one address, then even the right one is refused
    // (429) until the window ends: a guess learns nothing more.
    let register = "/en/events/closed-door/register";
    let attempt = |code: &str| {
        with(
            registration("guess@example.org", ""),
            &[("invitation_code", code)],
        )
    };
    for n in 0..5 {
        let (status, _) = post(
            &app,
            &app.client,
            register,
            &attempt(&format!("WRONG-{n:04}-CODE")),
        )
        .await;
        assert_eq!(status, 422);
    }
    let (status, page) = post(&app, &app.client, register, &attempt(&code)).await;
    assert_eq!(status, 429);
    assert!(page.contains("guess@example.org"), "what was typed is kept");
    assert_eq!(registrations_of(&app, "closed-door").await, 0);
}

/// What a stranger sees of an event: its page's data, seat counts included.
async fn public_view(app: &TestApp, slug: &str) -> String {
    let response = app
        .client
        .post(app.url("/api/events/show"))
        .form(&[("lang", "en"), ("slug", slug)])
        .send()
        .await
        .unwrap();
    response.text().await.unwrap()
}

/// Registers both addresses; both get the same answer, "check your email".
async fn probe_alike(app: &TestApp, path: &str, emails: [&str; 2]) {
    let mut answers = Vec::new();
    for email in emails {
        let response = app.post_form(path, &registration(email, "")).await;
        answers.push((
            response.status().as_u16(),
            response.headers()["location"].to_str().unwrap().to_owned(),
        ));
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0].0, 303);
}

#[tokio::test]
async fn the_registration_form_tells_a_stranger_nothing_and_voids_no_link() {
    let app = spawn_app().await;
    let briefing = app.briefing_slug().await;
    let register_path = format!("/en/events/{briefing}/register");
    let secret = "https://meet.example.org/oracle-7c1b";
    let session = add_session(&app, app.event_id(&briefing).await, 60, secret).await;
    let (private, token) = register(&app, &briefing, "known@example.org", "online").await;
    let join = format!("/join/{token}/{session}");
    assert_eq!(location(&app, &join).await.1, secret);

    // First come, first served: probing a registered and a new address moves
    // no public number and gets the same answer.
    let before = public_view(&app, &briefing).await;
    probe_alike(
        &app,
        &register_path,
        ["known@example.org", "stranger@example.org"],
    )
    .await;
    assert_eq!(public_view(&app, &briefing).await, before, "no seat moved");
    // The participant's link and join button still work after the probe.
    assert_eq!(app.get(&private).await.0, 200);
    assert_eq!(location(&app, &join).await.1, secret);

    // Full, without a waitlist: still the same answer for both, the outcome
    // by email, nothing stored for the new address.
    sqlx::query("UPDATE events SET seats_online = 1, waitlist = false WHERE slug = $1")
        .bind(&briefing)
        .execute(app.sql())
        .await
        .unwrap();
    let stored = registrations_of(&app, &briefing).await;
    let before = public_view(&app, &briefing).await;
    probe_alike(
        &app,
        &register_path,
        ["known@example.org", "late@example.org"],
    )
    .await;
    assert_eq!(public_view(&app, &briefing).await, before);
    assert_eq!(registrations_of(&app, &briefing).await, stored);
    let late = app.mails_to("late@example.org").await;
    assert_eq!(late.len(), 1);
    assert!(
        late[0].body.contains("all places are taken"),
        "{}",
        late[0].body
    );
    let known = app.mails_to("known@example.org").await;
    assert!(known.last().unwrap().body.contains("already registered"));
    assert_eq!(location(&app, &join).await.1, secret, "still joins");
}

#[tokio::test]
async fn our_emails_carry_no_stranger_text_and_no_flood() {
    let app = spawn_app().await;
    let register_path = format!("/en/events/{}/register", app.briefing_slug().await);
    let bait = "Urgent visit evil.example now";
    let mut fields = registration("target@example.org", "");
    fields.retain(|(k, _)| k != "name");
    fields.push(("name".to_owned(), bait.to_owned()));
    for _ in 0..8 {
        let response = app.post_form(&register_path, &fields).await;
        assert_eq!(
            response.status().as_u16(),
            303,
            "the same answer every time"
        );
    }
    let mails = app.mails_to("target@example.org").await;
    assert_eq!(mails.len(), 5, "at most five confirmation emails a day");
    for mail in &mails {
        assert!(!mail.body.contains("evil.example"), "{}", mail.body);
        assert!(mail.body.starts_with("Hello,"), "{}", mail.body);
    }
    // A new day, a new allowance.
    app.advance(86_400);
    app.post_form(&register_path, &fields).await;
    assert_eq!(app.mails_to("target@example.org").await.len(), 6);
}

#[tokio::test]
async fn a_verified_name_is_a_claim_until_the_address_backs_it() {
    let app = spawn_app().await;
    let org = "Syrian Families Network (demo)";
    let org_id: i64 =
        sqlx::query_scalar("SELECT id FROM organisations WHERE name = $1 AND state = 'verified'")
            .bind(org)
            .fetch_one(app.sql())
            .await
            .unwrap();
    let platform = app.platform_slug().await;
    let register_path = format!("/en/events/{platform}/register");
    for email in [
        "borrower@gmail.com",
        "member@families.example",
        "unconfirmed@families.example",
    ] {
        let fields = with(registration(email, ""), &[("organisation", org)]);
        assert_eq!(
            app.post_form(&register_path, &fields)
                .await
                .status()
                .as_u16(),
            303
        );
    }
    for email in ["borrower@gmail.com", "member@families.example"] {
        let link = app.private_link(email).await;
        let (_, page) = app.get(&link).await;
        assert!(
            !page.contains("Verified organisation"),
            "never shown to participants"
        );
    }
    let moderator = app.staff_client(Role::Moderator).await;
    let row = |page: &str, email: &str| {
        let at = page.find(email).unwrap();
        page[page[..at].rfind("<tr").unwrap()..at].to_owned()
    };
    let queue = app
        .page_as(&moderator, "/en/staff/registrations?state=pending")
        .await;
    for email in ["borrower@gmail.com", "member@families.example"] {
        let row = row(&queue, email);
        assert!(row.contains(&format!("Claims to be from {org}")), "{row}");
        assert!(!row.contains("Verified organisation"), "{row}");
    }

    // Free email services cannot vouch; the organisation's own domain can.
    let vet = "/en/staff/organisations";
    let field = format!("domains:{org_id}");
    let button = ("one".to_owned(), format!("domains:{org_id}"));
    let (status, page) = post(
        &app,
        &moderator,
        vet,
        &[(field.clone(), "gmail.com".to_owned()), button.clone()],
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("Free email services"));
    assert!(page.contains(r#"value="gmail.com""#), "kept");
    let (status, _) = post(
        &app,
        &moderator,
        vet,
        &[(field, "Families.example".to_owned()), button],
    )
    .await;
    assert_eq!(status, 303);
    let (status, page) = post(
        &app,
        &moderator,
        "/ar/staff/organisations",
        &owned(&[("one", "domains:x")]),
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("نطاقات"), "{status}");

    let queue = app
        .page_as(&moderator, "/en/staff/registrations?state=pending")
        .await;
    assert!(row(&queue, "member@families.example").contains("Verified organisation"));
    assert!(row(&queue, "borrower@gmail.com").contains("Claims to be from"));
    // An address nobody confirmed proves nothing.
    assert!(row(&queue, "unconfirmed@families.example").contains("Claims to be from"));
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit WHERE action = 'organisation_domains' AND subject_id = $1",
    )
    .bind(org_id)
    .fetch_one(app.sql())
    .await
    .unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn a_forwarded_address_is_believed_only_from_a_configured_proxy() {
    // The default configuration trusts no proxy, loopback included.
    let app = crate::common::spawn_app_with(|setup| {
        setup.config.form_limit = std::num::NonZeroU32::MIN;
    })
    .await;
    let subscribe = async |email: &str, claimed: &str| {
        app.client
            .post(app.url("/en/subscribe"))
            .header("x-forwarded-for", claimed)
            .form(&[("email", email), ("lang", "en")])
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(subscribe("a@example.org", "203.0.113.1").await, 303);
    assert_eq!(
        subscribe("b@example.org", "203.0.113.2").await,
        429,
        "a new claim is no new address"
    );
}

/// Reads until the server closes the connection (or 10 s pass); returns how
/// many bytes came.
async fn drain(stream: &mut tokio::net::TcpStream) -> usize {
    use tokio::io::AsyncReadExt;
    let mut total = 0;
    let mut buffer = vec![0u8; 64 * 1024];
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while let Ok(Ok(n)) = tokio::time::timeout_at(deadline, stream.read(&mut buffer)).await {
        if n == 0 {
            break;
        }
        total += n;
    }
    total
}

#[tokio::test]
async fn connections_are_capped_and_slow_readers_and_trickled_bodies_cut_off() {
    use std::time::{Duration, Instant};
    use tokio::io::AsyncWriteExt;
    use tokio::net::TcpStream;

    let app = crate::common::spawn_app_with(|setup| {
        setup.config.max_connections = 16;
        setup.config.read_timeout = Duration::from_secs(2);
    })
    .await;
    // Sixteen connections that send nothing fill the cap: the next request
    // waits until one of them ends (the read timeout closes them).
    let mut idle = Vec::new();
    for _ in 0..16 {
        idle.push(TcpStream::connect(app.addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let waiting = app
        .client
        .get(app.url("/healthz"))
        .timeout(Duration::from_millis(800))
        .send()
        .await;
    assert!(waiting.is_err(), "served beyond the cap: {waiting:?}");
    drop(idle);
    let served = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(served.status().as_u16(), 200);

    // A client that stops reading a large response is disconnected once a
    // write has blocked for the read timeout.
    let admin = app.staff_client(Role::Admin).await;
    let mut png =
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    png.resize(1900 * 1024, 0);
    let part = reqwest::multipart::Part::bytes(png.clone()).file_name("big.png");
    let response = admin
        .post(app.url("/en/staff/bulletins/media"))
        .multipart(reqwest::multipart::Form::new().part("image", part))
        .send()
        .await
        .unwrap();
    let to = response.headers()["location"].to_str().unwrap().to_owned();
    let name = to.split("uploaded=").nth(1).expect("uploaded").to_owned();
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut stalled = socket.connect(app.addr).await.unwrap();
    // Ten requests at once (pipelined): more than any socket buffer holds.
    let request = format!("GET /media/{name} HTTP/1.1\r\nHost: x\r\n\r\n");
    stalled
        .write_all(request.repeat(10).as_bytes())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(6)).await;
    let got = drain(&mut stalled).await;
    assert!(
        got < 10 * png.len(),
        "everything went to a client that did not read ({got} bytes)"
    );

    // A form body trickled in, never stalling, still has a deadline (three
    // read timeouts), and the answer is in the page's language.
    let started = Instant::now();
    let mut trickle = TcpStream::connect(app.addr).await.unwrap();
    trickle
        .write_all(
            b"POST /ar/subscribe HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nemail=",
        )
        .await
        .unwrap();
    let mut answer = Vec::new();
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(500)).await;
        if trickle.write_all(b"a").await.is_err() {
            break;
        }
        let mut chunk = [0u8; 4096];
        if let Ok(Ok(n)) = tokio::time::timeout(
            Duration::from_millis(10),
            tokio::io::AsyncReadExt::read(&mut trickle, &mut chunk),
        )
        .await
        {
            answer.extend_from_slice(&chunk[..n]);
            if n == 0 || !answer.is_empty() {
                break;
            }
        }
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("dir=\"rtl\""), "{answer}");
    let took = started.elapsed();
    assert!(
        took >= Duration::from_secs(5) && took < Duration::from_secs(10),
        "{took:?}"
    );
}
