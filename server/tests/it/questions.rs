//! Questions for a session: asked from the private link (anonymously, with
//! nothing that leads back), moderated by staff, shown on a live board,
//! voted on once per participant; bad input refused with nothing stored.

use app::domain::Role;

use crate::common::{TestApp, on_postgres, spawn_app};
use crate::live::{add_session, read_stream_until, register, registration_id};

/// The name every test registration gets (see `live::person`).
const NAME: &str = "Rania Khoury";
const ORGANISATION: &str = "Documentation Collective (demo)";

/// Posts a question form from private page `link`.
async fn post(app: &TestApp, link: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    app.post_form(&format!("{link}/questions"), fields).await
}

async fn ask(app: &TestApp, link: &str, session: i64, text: &str, anonymous: bool) -> u16 {
    let session = session.to_string();
    let mut fields = vec![
        ("action", "ask"),
        ("session", session.as_str()),
        ("question", text),
    ];
    if anonymous {
        fields.push(("anonymous", "yes"));
    }
    post(app, link, &fields).await.status().as_u16()
}

async fn vote(app: &TestApp, link: &str, question: i64) -> reqwest::Response {
    post(
        app,
        link,
        &[("action", "vote"), ("question", &question.to_string())],
    )
    .await
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(app.sql()).await.unwrap()
}

async fn last_question(app: &TestApp) -> i64 {
    count(app, "SELECT MAX(id) FROM questions").await
}

async fn moderate(
    app: &TestApp,
    staff: &reqwest::Client,
    slug: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    staff
        .post(app.url(&format!("/en/staff/events/{slug}/questions")))
        .form(fields)
        .send()
        .await
        .unwrap()
}

/// An online briefing with one session an hour away, and `n` approved
/// participants: (slug, session, private links).
async fn briefing(app: &TestApp, n: usize) -> (String, i64, Vec<String>) {
    let slug = app.briefing_slug().await;
    let session = add_session(
        app,
        app.event_id(&slug).await,
        3600,
        "https://meet.example.org/q",
    )
    .await;
    let mut links = Vec::new();
    for i in 0..n {
        let (link, _) = register(app, &slug, &format!("asker{i}@example.org"), "online").await;
        links.push(link);
    }
    (slug, session, links)
}

#[tokio::test]
async fn an_anonymous_question_holds_nothing_that_leads_back_to_its_author() {
    let app = spawn_app().await;
    let (slug, session, links) = briefing(&app, 1).await;
    let link = &links[0];
    let email = "asker0@example.org";
    let id = registration_id(&app, email).await;
    let text = "ما الذي سيحدث للأدلة التي نرسلها؟ سؤال-مجهول-٧";
    assert_eq!(ask(&app, link, session, text, true).await, 303);
    let named = "Will the mechanism publish its findings? named-q-7";
    assert_eq!(ask(&app, link, session, named, false).await, 303);

    // The anonymous row: no registration id, an author key that is neither
    // the registration's, the email's lookup nor the link's own hash.
    let (registration, author): (Option<i64>, Vec<u8>) = sqlx::query_as(
        "SELECT registration_id, author_key FROM questions WHERE registration_id IS NULL",
    )
    .fetch_one(app.sql())
    .await
    .unwrap();
    assert_eq!(registration, None);
    let email_lookup = app.lookup(app::server::crypto::REGISTRATION_EMAIL, email);
    let token_hash: Vec<u8> =
        sqlx::query_scalar("SELECT token_hash FROM registrations WHERE id = $1")
            .bind(id)
            .fetch_one(app.sql())
            .await
            .unwrap();
    assert_ne!(author, email_lookup);
    assert_ne!(author, token_hash);
    assert_ne!(
        author,
        app.lookup(app::server::crypto::QUESTION_VOTER, &id.to_string())
    );
    let named_registration: Option<i64> = sqlx::query_scalar(
        "SELECT registration_id FROM questions WHERE registration_id IS NOT NULL",
    )
    .fetch_one(app.sql())
    .await
    .unwrap();
    assert_eq!(
        named_registration,
        Some(id),
        "a named question goes with its registration"
    );

    // Nothing in the database in plain text: not the question, not who
    // asked (the whole SQLite file and its log; on PostgreSQL every
    // column of the table, as text).
    if on_postgres() {
        let rows: Vec<String> = sqlx::query_scalar("SELECT q::text FROM questions q")
            .fetch_all(app.sql())
            .await
            .unwrap();
        let all = rows.join("\n");
        for secret in [NAME, email, "سؤال-مجهول-٧", "named-q-7"] {
            assert!(!all.contains(secret), "{secret} in the questions table");
        }
    } else {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(app.sql())
            .await
            .unwrap();
        let file = app.database_url.trim_start_matches("sqlite://");
        let file = file.split('?').next().unwrap();
        let mut bytes = std::fs::read(file).unwrap();
        bytes.extend(std::fs::read(format!("{file}-wal")).unwrap_or_default());
        let raw = String::from_utf8_lossy(&bytes);
        for secret in [NAME, email, "سؤال-مجهول-٧", "named-q-7"] {
            assert!(!raw.contains(secret), "{secret} in the database file");
        }
    }

    // Staff see who asked the named question, never who asked the other.
    let moderator = app.staff_client(Role::Moderator).await;
    let page = app
        .page_as(&moderator, &format!("/en/staff/events/{slug}/questions"))
        .await;
    assert!(page.contains(text) && page.contains(named), "{page}");
    assert_eq!(
        page.matches(NAME).count(),
        1,
        "only beside the named question"
    );
    assert!(page.contains("Asked anonymously"));
    let anonymous_item = &page[page.find(text).unwrap()..];
    let anonymous_item = &anonymous_item[..anonymous_item.find("</li>").unwrap()];
    assert!(!anonymous_item.contains(NAME) && !anonymous_item.contains(ORGANISATION));
    // Nor the export of participants, nor the audit log.
    let admin = app.staff_client(Role::Admin).await;
    let csv = app
        .page_as(&admin, &format!("/en/staff/events/{slug}/participants.csv"))
        .await;
    assert!(!csv.contains("سؤال-مجهول-٧") && !csv.contains("named-q-7"));

    // The author sees their own anonymous question through their link,
    // marked as such; nobody else's private page does.
    let private = app.get(link).await.1;
    assert!(
        private.contains(text) && private.contains("asked anonymously"),
        "{private}"
    );
    let (other, _) = register(&app, &slug, "other@example.org", "online").await;
    let elsewhere = app.get(&other).await.1;
    assert!(!elsewhere.contains(text));
}

#[tokio::test]
async fn moderated_questions_reach_the_board_and_votes_count_once() {
    let app = spawn_app().await;
    let (slug, session, links) = briefing(&app, 3).await;
    let board = format!("/en/events/{slug}/sessions/{session}/questions");
    let text = "How can families of the missing send information safely? board-q-1";
    assert_eq!(ask(&app, &links[0], session, text, true).await, 303);
    let question = last_question(&app).await;

    // Waiting for a moderator: not on the board, not votable.
    assert!(!app.get(&board).await.1.contains("board-q-1"));
    let early = vote(&app, &links[1], question).await;
    assert_eq!(early.status().as_u16(), 422);
    assert!(early.text().await.unwrap().contains("no longer there"));

    let moderator = app.staff_client(Role::Moderator).await;
    let approved = moderate(
        &app,
        &moderator,
        &slug,
        &[("action", "approve"), ("question", &question.to_string())],
    )
    .await;
    assert_eq!(approved.status().as_u16(), 303);
    let (status, page) = app.get(&board).await;
    assert_eq!(status, 200);
    assert!(page.contains("board-q-1"), "{page}");

    // One vote per participant, however often they press.
    for _ in 0..3 {
        assert_eq!(vote(&app, &links[1], question).await.status().as_u16(), 303);
    }
    assert_eq!(vote(&app, &links[2], question).await.status().as_u16(), 303);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM question_votes").await, 2);
    assert!(app.get(&board).await.1.contains(r#"data-votes="2""#));

    // A translation shows the question in the other language.
    let translated = "كيف يمكن لعائلات المفقودين إرسال المعلومات بأمان؟ ترجمة-١";
    let response = moderate(
        &app,
        &moderator,
        &slug,
        &[
            ("action", "translate"),
            ("question", &question.to_string()),
            ("translation", translated),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 303);
    let arabic = app
        .get(&format!("/ar/events/{slug}/sessions/{session}/questions"))
        .await
        .1;
    assert!(arabic.contains("ترجمة-١"), "{arabic}");
    assert!(app.get(&board).await.1.contains("board-q-1"));

    // A duplicate merged into it: its votes add up.
    assert_eq!(
        ask(
            &app,
            &links[1],
            session,
            "Is it safe for families to send information? dup-q",
            false
        )
        .await,
        303
    );
    let duplicate = last_question(&app).await;
    moderate(
        &app,
        &moderator,
        &slug,
        &[("action", "approve"), ("question", &duplicate.to_string())],
    )
    .await;
    assert_eq!(
        vote(&app, &links[0], duplicate).await.status().as_u16(),
        303
    );
    let merged = moderate(
        &app,
        &moderator,
        &slug,
        &[
            ("action", "merge"),
            ("question", &duplicate.to_string()),
            ("into", &question.to_string()),
        ],
    )
    .await;
    assert_eq!(merged.status().as_u16(), 303);
    let page = app.get(&board).await.1;
    assert!(
        !page.contains("dup-q") && page.contains(r#"data-votes="3""#),
        "{page}"
    );

    // Answering now: highlighted. Hidden, with a reason its author reads.
    moderate(
        &app,
        &moderator,
        &slug,
        &[("action", "answering"), ("question", &question.to_string())],
    )
    .await;
    assert!(app.get(&board).await.1.contains("question-answering"));
    assert_eq!(
        ask(&app, &links[2], session, "Off-topic question hide-q", false).await,
        303
    );
    let hidden = last_question(&app).await;
    let no_reason = moderate(
        &app,
        &moderator,
        &slug,
        &[("action", "hide"), ("question", &hidden.to_string())],
    )
    .await;
    assert_eq!(no_reason.status().as_u16(), 422, "hiding needs a reason");
    moderate(
        &app,
        &moderator,
        &slug,
        &[
            ("action", "hide"),
            ("question", &hidden.to_string()),
            ("reason", "Outside this session's topic"),
        ],
    )
    .await;
    let private = app.get(&links[2]).await.1;
    assert!(private.contains("Outside this session") && private.contains("hide-q"));
    // A hidden question cannot be voted on.
    assert_eq!(vote(&app, &links[0], hidden).await.status().as_u16(), 422);

    // Withdrawn by its author: gone from the board, and a vote on it is
    // refused with nothing changed.
    let withdrawn = post(
        &app,
        &links[0],
        &[("action", "withdraw"), ("question", &question.to_string())],
    )
    .await;
    assert_eq!(withdrawn.status().as_u16(), 303);
    assert!(!app.get(&board).await.1.contains("board-q-1"));
    let votes_before = count(&app, "SELECT COUNT(*) FROM question_votes").await;
    assert_eq!(vote(&app, &links[1], question).await.status().as_u16(), 422);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM question_votes").await,
        votes_before
    );
    // Someone else cannot withdraw a question that is not theirs.
    assert_eq!(
        ask(&app, &links[0], session, "Mine to keep keep-q", true).await,
        303
    );
    let kept = last_question(&app).await;
    let not_theirs = post(
        &app,
        &links[1],
        &[("action", "withdraw"), ("question", &kept.to_string())],
    )
    .await;
    assert_eq!(not_theirs.status().as_u16(), 422);
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM questions WHERE id = {kept}")
        )
        .await,
        1
    );

    // Every staff action is in the audit log, without the question's words.
    let audited = count(
        &app,
        "SELECT COUNT(*) FROM audit WHERE subject_type = 'question'",
    )
    .await;
    assert!(audited >= 6, "{audited}");
}

#[tokio::test]
async fn the_live_board_hears_approvals_votes_and_withdrawals() {
    let app = spawn_app().await;
    let (slug, session, links) = briefing(&app, 2).await;
    assert_eq!(
        ask(&app, &links[0], session, "Live question live-q-9", true).await,
        303
    );
    let question = last_question(&app).await;
    let moderator = app.staff_client(Role::Moderator).await;
    let stream = format!("/live?board={session}");
    let id = question.to_string();
    let heard = read_stream_until(&app, &stream, None, "live-q-9", async || {
        moderate(
            &app,
            &moderator,
            &slug,
            &[("action", "approve"), ("question", &id)],
        )
        .await;
    })
    .await;
    assert!(heard.contains("live-q-9"), "{heard}");
    let heard = read_stream_until(&app, &stream, None, r#""votes":1"#, async || {
        vote(&app, &links[1], question).await;
    })
    .await;
    assert!(
        heard.contains(&format!(
            r#"{{"votes":{{"question":{question},"votes":1}}}}"#
        )),
        "{heard}"
    );
    let heard = read_stream_until(&app, &stream, None, "question_gone", async || {
        post(
            &app,
            &links[0],
            &[("action", "withdraw"), ("question", &id)],
        )
        .await;
    })
    .await;
    assert!(
        heard.contains(&format!(r#"{{"question_gone":{{"question":{question}}}}}"#)),
        "{heard}"
    );
    // A pending question never reaches the stream.
    let pending = read_stream_until(&app, &stream, None, "never-arrives", async || {
        ask(&app, &links[1], session, "Unmoderated pending-q", false).await;
    })
    .await;
    assert!(!pending.contains("pending-q"));
    // A board of a session that does not exist (or a closed event's) is no stream.
    assert_eq!(app.get("/live?board=999999").await.0, 404);
}

#[tokio::test]
async fn question_forms_refuse_bad_input_and_store_nothing() {
    let app = spawn_app().await;
    let (slug, session, links) = briefing(&app, 1).await;
    let link = &links[0];
    for (text, message) in [
        ("   ", "Please fill this in."),
        (&"س".repeat(1001), "at most 1000 characters"),
        ("<img src=x onerror=alert(1)>", "Please remove the &lt; and"),
        ("Who\u{202E}txt.exe", "hidden formatting characters"),
        ("zero\u{200B}width", "hidden formatting characters"),
    ] {
        let response = post(
            &app,
            link,
            &[
                ("action", "ask"),
                ("session", &session.to_string()),
                ("question", text),
            ],
        )
        .await;
        assert_eq!(response.status().as_u16(), 422, "{text:?}");
        let page = response.text().await.unwrap();
        assert!(
            page.to_lowercase().contains(&message.to_lowercase()),
            "{message}: {page}"
        );
    }
    // What was typed comes back in the field (escaped), nothing stored.
    let typed = "A good question </textarea><script>alert(1)</script>";
    let page = post(
        &app,
        link,
        &[
            ("action", "ask"),
            ("session", &session.to_string()),
            ("question", typed),
        ],
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(page.contains("&lt;/textarea>&lt;script>"), "{page}");
    assert!(!page.contains("<script>alert(1)"));
    // A session of another event, or none.
    for bad in ["999999", "", "abc"] {
        let response = post(
            &app,
            link,
            &[
                ("action", "ask"),
                ("session", bad),
                ("question", "Fine text"),
            ],
        )
        .await;
        assert_eq!(response.status().as_u16(), 422, "session {bad:?}");
    }
    let platform = app.platform_slug().await;
    let other_session = add_session(
        &app,
        app.event_id(&platform).await,
        7200,
        "https://meet.example.org/o",
    )
    .await;
    let response = post(
        &app,
        link,
        &[
            ("action", "ask"),
            ("session", &other_session.to_string()),
            ("question", "Fine text"),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 422);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM questions").await, 0);

    // Votes on another event's question, and nonsense ids.
    let (other_link, _) = register(
        &app,
        &app.briefing_slug().await,
        "second@example.org",
        "online",
    )
    .await;
    assert_eq!(
        ask(&app, &other_link, session, "Fine question other-q", false).await,
        303
    );
    let moderator = app.staff_client(Role::Moderator).await;
    let q = last_question(&app).await;
    moderate(
        &app,
        &moderator,
        &slug,
        &[("action", "approve"), ("question", &q.to_string())],
    )
    .await;
    for bad in ["-1", "0", "99999999999999999999", "1 OR 1=1"] {
        let response = post(&app, link, &[("action", "vote"), ("question", bad)]).await;
        assert_eq!(response.status().as_u16(), 422, "{bad}");
    }
    // Staff acting on a question through another event's address.
    let wrong = moderate(
        &app,
        &moderator,
        &platform,
        &[
            ("action", "hide"),
            ("question", &q.to_string()),
            ("reason", "x"),
        ],
    )
    .await;
    assert_eq!(wrong.status().as_u16(), 422);
    let unknown = moderate(
        &app,
        &moderator,
        &slug,
        &[("action", "explode"), ("question", &q.to_string())],
    )
    .await;
    assert_eq!(unknown.status().as_u16(), 422);
    let state: String = sqlx::query_scalar("SELECT state FROM questions WHERE id = $1")
        .bind(q)
        .fetch_one(app.sql())
        .await
        .unwrap();
    assert_eq!(state, "approved");

    // A private link of a participant who is not approved: a clear message.
    let (rejected, _) = register(&app, &platform, "rejected@example.org", "in_person").await;
    let id = registration_id(&app, "rejected@example.org").await;
    let admin = app.staff_client(Role::Admin).await;
    let response = admin
        .post(app.url("/en/staff/registrations"))
        .form(&[
            ("decision", "reject"),
            ("ids", &id.to_string()),
            ("reason", "Not this time"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    let session_there = other_session.to_string();
    let response = post(
        &app,
        &rejected,
        &[
            ("action", "ask"),
            ("session", &session_there),
            ("question", "Can I ask?"),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Only approved participants")
    );
    let response = post(
        &app,
        &rejected,
        &[("action", "vote"), ("question", &q.to_string())],
    )
    .await;
    assert_eq!(response.status().as_u16(), 422);
    // An approved participant of another event: that event's questions
    // and sessions only.
    let (elsewhere, _) = register(&app, &platform, "elsewhere@example.org", "in_person").await;
    let id = registration_id(&app, "elsewhere@example.org").await;
    let response = admin
        .post(app.url("/en/staff/registrations"))
        .form(&[("decision", "approve"), ("ids", &id.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    let response = post(
        &app,
        &elsewhere,
        &[("action", "vote"), ("question", &q.to_string())],
    )
    .await;
    assert_eq!(response.status().as_u16(), 422);
    assert!(response.text().await.unwrap().contains("no longer there"));
    let response = post(
        &app,
        &elsewhere,
        &[
            ("action", "ask"),
            ("session", &session.to_string()),
            ("question", "Another event's session"),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 422);
    // An unknown link: nothing to see.
    let response = post(
        &app,
        "/en/r/0123456789abcdef0123456789abcdef",
        &[
            ("action", "ask"),
            ("session", &session.to_string()),
            ("question", "x"),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 404);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM question_votes").await, 0);
}

#[tokio::test]
async fn staff_question_pages_are_for_staff_and_posts_from_other_sites_are_refused() {
    let app = spawn_app().await;
    let (slug, session, links) = briefing(&app, 1).await;
    assert_eq!(
        ask(&app, &links[0], session, "Staff only staff-q", false).await,
        303
    );
    let q = last_question(&app).await.to_string();
    let page = format!("/en/staff/events/{slug}/questions");
    // The public: sent to sign in, shown nothing, changing nothing.
    let (status, body) = app.get(&page).await;
    assert!(status == 303 || status == 401, "{status}");
    assert!(!body.contains("staff-q"));
    let response = app
        .post_form(&page, &[("action", "approve"), ("question", q.as_str())])
        .await;
    assert!(
        matches!(response.status().as_u16(), 303 | 401),
        "{}",
        response.status()
    );
    let api = app
        .post_form(
            "/api/staff/questions",
            &[("lang", "en"), ("slug", slug.as_str())],
        )
        .await;
    assert!(!api.text().await.unwrap().contains("staff-q"));
    // A moderator may; but not from another site.
    let moderator = app.staff_client(Role::Moderator).await;
    let cross = moderator
        .post(app.url(&page))
        .header("origin", "https://evil.example")
        .form(&[("action", "approve"), ("question", q.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status().as_u16(), 403);
    let forged = app
        .client
        .post(app.url(&format!("{}/questions", links[0])))
        .header("origin", "https://evil.example")
        .form(&[
            ("action", "ask"),
            ("session", &session.to_string()),
            ("question", "forged-q"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status().as_u16(), 403);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM questions WHERE state = 'approved'"
        )
        .await,
        0
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM questions").await, 1);
    assert!(app.page_as(&moderator, &page).await.contains("staff-q"));
}
