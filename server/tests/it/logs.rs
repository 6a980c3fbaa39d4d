//! Logs without personal data: the real `lausanne` binary, logging at
//! `RUST_LOG=trace` (everything every crate says), serves the flows people
//! run, with distinctive seeded values; then none of those values (names,
//! organisations, roles, emails, accessibility needs, private tokens, staff
//! passwords and session cookies, meeting URLs) appears anywhere in what
//! the process printed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Every value below is distinctive (`Qx7`), so that finding it in the log
/// can only mean the log carries it.
const NAME: &str = "Rahaf Qx7 Darwish";
const NAME_EDITED: &str = "Rahaf Qx7 Darwish-Edited";
const ORGANISATION: &str = "Qx7 Network for Missing Persons";
const ROLE: &str = "Qx7 Field Documenter";
const EMAIL: &str = "rahaf.qx7@example.org";
const ACCESSIBILITY: &str = "Qx7 step-free access and captions please";
const PENDING_NAME: &str = "Yusuf Qx7 Haddad";
const PENDING_EMAIL: &str = "yusuf.qx7@example.org";
const REJECTED_NAME: &str = "Lina Qx7 Sabbagh";
const REJECTED_EMAIL: &str = "lina.qx7@example.org";
const REJECTION_REASON: &str = "Qx7 reason: not a civil-society organisation";
const JOINER_NAME: &str = "Mariam Qx7 Kurdi";
const JOINER_EMAIL: &str = "mariam.qx7@example.org";
const BAD_NAME: &str = "Omar Qx7 Refused";
const BAD_EMAIL: &str = "omar.qx7-at-example.org";
const READER_EMAIL: &str = "reader.qx7@example.org";
const ORG_NAME: &str = "Qx7 Association of Families";
const ORG_EMAIL: &str = "contact.qx7@example.org";
const STAFF_EMAIL: &str = "staff.qx7@example.org";
const STAFF_NAME: &str = "Staffer Qx7 Admin";
const STAFF_PASSWORD: &str = "correct-horse-qx7-battery";
const WRONG_PASSWORD: &str = "wrong-horse-qx7-battery";
const NEW_STAFF_EMAIL: &str = "moderator.qx7@example.org";
const NEW_STAFF_NAME: &str = "Moderator Qx7 New";
const MEETING_URL: &str = "https://meet.example.org/qx7-secret-room-9911";
const QUESTION: &str = "Qx7 what happens to the detention records we send?";
const QUESTION_AR: &str = "ماذا يحدث Qx7 لسجلات الاحتجاز التي نرسلها؟";
const TRANSLATION: &str = "Qx7 translated: what happens to the records?";
const HIDE_REASON: &str = "Qx7 hidden: answered in the plenary";
const PRIORITY: &str = "Qx7 priority: the fate of the detained comes first";
const ANNOUNCEMENT: &str = "Qx7 announcement: the room moved to the second floor";
const DOOR_NAME: &str = "Qx7 Door Arrival";
const DOOR_EMAIL: &str = "door.qx7@example.org";

struct Server {
    child: Child,
    base: String,
    log: PathBuf,
    outbox: PathBuf,
    database_url: String,
    client: reqwest::Client,
    _dir: tempfile::TempDir,
}

fn lausanne(dir: &Path, database_url: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lausanne"));
    cmd.env("DATABASE_URL", database_url)
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("LAUSANNE_OUTBOX_DIR", dir.join("outbox"))
        .env("RUST_LOG", "trace")
        .env_remove("LAUSANNE_SMTP_URL");
    cmd
}

/// Migrates, loads the demo, adds a staff account through the CLI, and
/// starts `lausanne serve` with its stdout and stderr in one file.
fn start() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let database_url = format!("sqlite://{}/logs.db?mode=rwc", dir.path().display());
    let out = lausanne(dir.path(), &database_url)
        .arg("demo")
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut add = lausanne(dir.path(), &database_url)
        .args(["user", "add", "--email", STAFF_EMAIL, "--role", "admin"])
        .args(["--name", STAFF_NAME])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    writeln!(add.stdin.take().unwrap(), "{STAFF_PASSWORD}").unwrap();
    assert!(add.wait().unwrap().success());

    let log = dir.path().join("serve.log");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log)
        .unwrap();
    let child = lausanne(dir.path(), &database_url)
        .arg("serve")
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .spawn()
        .unwrap();
    let started = Instant::now();
    let addr = loop {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        if let Some(at) = text.find("Lausanne Platform is running at http://") {
            let rest = &text[at + "Lausanne Platform is running at http://".len()..];
            break rest.split('/').next().unwrap().to_owned();
        }
        assert!(started.elapsed() < Duration::from_secs(30), "{text}");
        std::thread::sleep(Duration::from_millis(50));
    };
    Server {
        child,
        base: format!("http://{addr}"),
        log,
        outbox: dir.path().join("outbox"),
        database_url,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        _dir: dir,
    }
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn get(&self, client: &reqwest::Client, path: &str) -> (u16, String, String) {
        let response = client.get(self.url(path)).send().await.unwrap();
        answer(response).await
    }

    async fn post<V: serde::Serialize + ?Sized>(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &V,
    ) -> (u16, String, String) {
        let response = client.post(self.url(path)).form(form).send().await.unwrap();
        answer(response).await
    }

    /// The link paths (`/xx/…`) containing `marker` in the emails to `to`
    /// written so far, waiting up to 10 s for at least `at_least` of them.
    async fn links(&self, to: &str, marker: &str, at_least: usize) -> Vec<String> {
        let started = Instant::now();
        loop {
            let links = links_in_outbox(&self.outbox, to, marker);
            if links.len() >= at_least {
                return links;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{at_least} emails to {to} with {marker}: {links:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// A value from the database that is not personal data (ids, slugs).
    async fn scalar(&self, sql: &str) -> i64 {
        let db = app::server::db::Db::open(&self.database_url).await.unwrap();
        let pool = db.as_sqlite().unwrap().clone();
        let value = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
        pool.close().await;
        value
    }

    /// Stops the server with SIGTERM; returns everything it printed.
    fn stop(mut self) -> String {
        let killed = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        assert!(self.child.wait().unwrap().success());
        std::fs::read_to_string(&self.log).unwrap()
    }
}

async fn answer(response: reqwest::Response) -> (u16, String, String) {
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, location, response.text().await.unwrap())
}

/// The paths of the links with `marker` in the `.eml` files addressed to `to`.
fn links_in_outbox(outbox: &Path, to: &str, marker: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(outbox) else {
        return Vec::new();
    };
    let files = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"));
    let mut links = Vec::new();
    for file in files {
        let raw = std::fs::read(&file).unwrap();
        let Some(message) = mail_parser::MessageParser::default().parse(&raw) else {
            continue;
        };
        let addressed = message
            .to()
            .and_then(|t| t.first())
            .and_then(|t| t.address())
            .is_some_and(|a| a.eq_ignore_ascii_case(to));
        let Some(body) = message.body_text(0).filter(|_| addressed) else {
            continue;
        };
        for (at, _) in body.match_indices(marker) {
            // Back to the language segment: `/en` or `/ar` before the marker
            // (or the marker starts the path).
            let start = if body[..at].ends_with("/en") || body[..at].ends_with("/ar") {
                at - 3
            } else {
                at
            };
            let path: String = body[start..]
                .chars()
                .take_while(|c| !c.is_whitespace())
                .collect();
            // A file being written may end early: only whole tokens count.
            let token = token_of(&path);
            if token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit()) {
                links.push(path);
            }
        }
    }
    links
}

/// `text` without ANSI colour sequences (`ESC [ … m`), which the log has
/// when written to a file too.
fn without_colours(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The token: the last segment of a link path.
fn token_of(path: &str) -> String {
    path.rsplit('/').next().unwrap().to_owned()
}

fn cookie_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap()
}

/// A date-time input value (`YYYY-MM-DDTHH:MM`, UTC) `minutes` from now.
fn utc_in(minutes: i64) -> String {
    let at = jiff::Timestamp::now() + jiff::SignedDuration::from_mins(minutes);
    at.to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%Y-%m-%dT%H:%M")
        .to_string()
}

#[tokio::test]
async fn the_flows_people_run_leave_no_personal_data_in_the_logs() {
    let server = start();
    let client = server.client.clone();
    // Secrets that only exist once the flows ran (tokens, cookies).
    let mut secrets: Vec<String> = Vec::new();
    let briefing: String = {
        let db = app::server::db::Db::open(&server.database_url)
            .await
            .unwrap();
        let pool = db.as_sqlite().unwrap().clone();
        let slug = sqlx::query_scalar(
            "SELECT slug FROM events WHERE kind = 'briefing' AND format = 'online'
             AND ends_at > unixepoch()",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        pool.close().await;
        slug
    };

    // Registering (first come, first served: approved), then again with the
    // same address (a fresh link), then a form refused for its bad address.
    let person = |name: &'static str, email: &'static str| {
        vec![
            ("name", name),
            ("organisation", ORGANISATION),
            ("role", ROLE),
            ("email", email),
            ("mode", "online"),
            ("accessibility", ACCESSIBILITY),
            // What the mechanism should hear, attributed: sealed, never logged.
            ("hear", PRIORITY),
            ("attribute", "yes"),
            ("consent", "yes"),
        ]
    };
    let register = format!("/en/events/{briefing}/register");
    for _ in 0..2 {
        let (status, location, body) = server.post(&client, &register, &person(NAME, EMAIL)).await;
        assert_eq!(status, 303, "{body}");
        assert_eq!(location, format!("/en/events/{briefing}/registered"));
    }
    let (status, _, page) = server
        .post(&client, &register, &person(BAD_NAME, BAD_EMAIL))
        .await;
    assert_eq!(status, 422);
    assert!(
        page.contains(BAD_NAME),
        "the refused form keeps what was typed"
    );

    // The private page: open, calendar, edit, withdraw.
    let links = server.links(EMAIL, "/r/", 2).await;
    secrets.extend(links.iter().map(|l| token_of(l)));
    // Both links work (the files' order on disk says nothing).
    assert_eq!(server.get(&client, &links[0]).await.0, 200);
    assert_eq!(server.get(&client, &links[1]).await.0, 200);
    let private = links[0].clone();
    assert!(private.starts_with("/en/r/"), "{private}");
    let token = token_of(&private);
    assert_eq!(server.get(&client, &format!("/r/{token}")).await.0, 303);
    let (status, _, ics) = server
        .get(&client, &format!("{private}/calendar.ics"))
        .await;
    assert_eq!(status, 200);
    assert!(ics.contains("BEGIN:VCALENDAR"));
    let (status, location, body) = server
        .post(
            &client,
            &private,
            &[
                ("action", "edit"),
                ("name", NAME_EDITED),
                ("organisation", ORGANISATION),
                ("role", ROLE),
                ("accessibility", ACCESSIBILITY),
            ],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, format!("{private}?done=saved").as_str()),
        "{body}"
    );
    let (status, location, _) = server
        .post(&client, &private, &[("action", "withdraw")])
        .await;
    assert_eq!(
        (status, location),
        (303, format!("{private}?done=withdrawn"))
    );

    // Staff: a refused sign-in, then one that works; its session cookie is a
    // secret too.
    let staff = cookie_client();
    let (status, _, _) = server
        .post(
            &staff,
            "/en/staff/login",
            &[("email", STAFF_EMAIL), ("password", WRONG_PASSWORD)],
        )
        .await;
    assert_ne!(status, 303);
    let response = staff
        .post(server.url("/en/staff/login"))
        .form(&[("email", STAFF_EMAIL), ("password", STAFF_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303, "signed in");
    for cookie in response.headers().get_all("set-cookie") {
        let cookie = cookie.to_str().unwrap();
        let value = cookie.split(';').next().unwrap().split_once('=').unwrap().1;
        secrets.push(value.to_owned());
    }
    assert_eq!(server.get(&staff, "/en/staff").await.0, 200);

    // Moderation: a registration for an event that needs approval, approved.
    let platform: String = {
        let db = app::server::db::Db::open(&server.database_url)
            .await
            .unwrap();
        let pool = db.as_sqlite().unwrap().clone();
        let slug = sqlx::query_scalar(
            "SELECT slug FROM events WHERE kind = 'platform_meeting' AND format = 'hybrid'",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        pool.close().await;
        slug
    };
    let (status, _, body) = server
        .post(
            &client,
            &format!("/en/events/{platform}/register"),
            &person(PENDING_NAME, PENDING_EMAIL),
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let pending = server
        .scalar("SELECT MAX(id) FROM registrations WHERE state = 'pending'")
        .await;
    let (status, _, queue) = server.get(&staff, "/en/staff/registrations").await;
    assert_eq!(status, 200);
    assert!(queue.contains(PENDING_NAME), "the queue shows the name");
    let (status, _, body) = server
        .post(
            &staff,
            "/en/staff/registrations",
            &[
                ("decision", "approve".to_owned()),
                ("ids", pending.to_string()),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (status, _, body) = server
        .post(
            &client,
            &format!("/en/events/{platform}/register"),
            &person(REJECTED_NAME, REJECTED_EMAIL),
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let rejected = server
        .scalar("SELECT MAX(id) FROM registrations WHERE state = 'pending'")
        .await;
    let (status, _, body) = server
        .post(
            &staff,
            "/en/staff/registrations",
            &[
                ("decision", "reject".to_owned()),
                ("ids", rejected.to_string()),
                ("reason", REJECTION_REASON.to_owned()),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (status, _, csv) = server
        .get(
            &staff,
            &format!("/en/staff/events/{platform}/participants.csv"),
        )
        .await;
    assert_eq!(status, 200);
    assert!(csv.contains(PENDING_EMAIL), "the export lists the approved");
    // The approved participant deletes their data.
    let links = server.links(PENDING_EMAIL, "/r/", 1).await;
    secrets.extend(links.iter().map(|l| token_of(l)));
    let private = links.last().unwrap();
    let (status, location, _) = server
        .post(&client, private, &[("action", "erase"), ("confirm", "yes")])
        .await;
    assert_eq!((status, location.as_str()), (303, "/en/deleted"));
    assert_eq!(server.get(&client, private).await.0, 404);

    // The editor: an event starting within the hour, with a session whose
    // join window is open now and whose meeting URL is the secret.
    let slug = "log-check-briefing";
    let starts = utc_in(60);
    let ends = utc_in(180);
    let event = [
        ("action", "publish"),
        ("slug", slug),
        ("kind", "briefing"),
        ("format", "hybrid"),
        ("visibility", "public"),
        ("title_en", "Log check"),
        ("title_ar", "فحص السجل"),
        ("summary_en", "A briefing."),
        ("summary_ar", "إحاطة."),
        ("description_en", "A briefing."),
        ("description_ar", "إحاطة."),
        ("city_en", "Geneva"),
        ("city_ar", "جنيف"),
        ("country_en", "Switzerland"),
        ("country_ar", "سويسرا"),
        ("venue", "Palais Wilson"),
        ("time_zone", "UTC"),
        ("starts_at", starts.as_str()),
        ("ends_at", ends.as_str()),
        ("registration_opens_at", ""),
        ("registration_closes_at", ""),
        ("seats_in_person", "10"),
        ("seats_online", "10"),
        ("waitlist", "on"),
        ("interpretation", "en"),
        ("invitation_code", ""),
    ];
    let (status, _, body) = server.post(&staff, "/en/staff/events/new", &event).await;
    assert_eq!(status, 303, "{body}");
    let session = [
        ("action", "save"),
        ("title_en", "Plenary"),
        ("title_ar", "جلسة"),
        ("starts_at", starts.as_str()),
        ("ends_at", ends.as_str()),
        ("room", "Room 1"),
        ("meeting_url", MEETING_URL),
        ("join_minutes_before", "120"),
    ];
    let (status, _, body) = server
        .post(
            &staff,
            &format!("/en/staff/events/{slug}/sessions/new"),
            &session,
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (status, _, form) = server
        .get(
            &staff,
            &format!(
                "/en/staff/events/{slug}/sessions/{}",
                server.scalar("SELECT MAX(id) FROM sessions").await
            ),
        )
        .await;
    assert_eq!(status, 200);
    assert!(form.contains(MEETING_URL), "the editor shows it");

    // An approved online participant joins through their private link.
    let (status, _, body) = server
        .post(
            &client,
            &format!("/en/events/{slug}/register"),
            &person(JOINER_NAME, JOINER_EMAIL),
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let links = server.links(JOINER_EMAIL, "/r/", 1).await;
    secrets.extend(links.iter().map(|l| token_of(l)));
    let private = links.last().unwrap();
    let (status, _, page) = server.get(&client, private).await;
    assert_eq!(status, 200);
    let joiner = token_of(private);
    let join = format!(
        "/join/{joiner}/{}",
        server.scalar("SELECT MAX(id) FROM sessions").await
    );
    assert!(page.contains(&join), "the page offers the join link");
    let (status, location, _) = server.get(&client, &join).await;
    assert_eq!((status, location.as_str()), (303, MEETING_URL));
    // Their page's live stream, which follows them by token.
    let stream = client
        .get(server.url(&format!("/live?token={joiner}")))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status().as_u16(), 200);
    drop(stream);

    // They ask questions (one anonymously); staff approve, translate and
    // hide them; they vote and watch the board.
    let session_id = server
        .scalar("SELECT MAX(id) FROM sessions")
        .await
        .to_string();
    for (text, anonymous) in [(QUESTION, "yes"), (QUESTION_AR, "")] {
        let fields = [
            ("action", "ask"),
            ("session", session_id.as_str()),
            ("question", text),
            ("anonymous", anonymous),
        ];
        let (status, _, body) = server
            .post(&client, &format!("{private}/questions"), &fields)
            .await;
        assert_eq!(status, 303, "{body}");
    }
    let question = server
        .scalar("SELECT MAX(id) FROM questions")
        .await
        .to_string();
    let moderation = format!("/en/staff/events/{slug}/questions");
    for fields in [
        vec![("action", "approve"), ("question", question.as_str())],
        vec![
            ("action", "translate"),
            ("question", question.as_str()),
            ("translation", TRANSLATION),
        ],
    ] {
        assert_eq!(server.post(&staff, &moderation, &fields).await.0, 303);
    }
    let (status, _, _) = server
        .post(
            &client,
            &format!("{private}/questions"),
            &[("action", "vote"), ("question", question.as_str())],
        )
        .await;
    assert_eq!(status, 303);
    let board = format!("/en/events/{slug}/sessions/{session_id}/questions");
    assert!(server.get(&client, &board).await.2.contains("Qx7"));
    assert!(server.get(&staff, &moderation).await.2.contains(QUESTION));
    let hide = [
        ("action", "hide"),
        ("question", question.as_str()),
        ("reason", HIDE_REASON),
    ];
    assert_eq!(server.post(&staff, &moderation, &hide).await.0, 303);
    // Staff announce to the participants; the participant turns reminders off.
    let announce = [
        ("action", "send"),
        ("mode", "all"),
        ("body_en", ANNOUNCEMENT),
    ];
    let (status, _, body) = server
        .post(
            &staff,
            &format!("/en/staff/events/{slug}/announcements"),
            &announce,
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (status, _, _) = server
        .post(
            &client,
            &format!("{private}/reminders"),
            &[("reminders", "off")],
        )
        .await;
    assert_eq!(status, 303);

    // At the door: an in-person participant's code, a search by name and
    // by code, a check-in and its undoing, the staff's live count.
    let mut arriving = person(DOOR_NAME, DOOR_EMAIL);
    for field in &mut arriving {
        if field.0 == "mode" {
            field.1 = "in_person";
        }
    }
    let (status, _, body) = server
        .post(&client, &format!("/en/events/{slug}/register"), &arriving)
        .await;
    assert_eq!(status, 303, "{body}");
    let door_link = server.links(DOOR_EMAIL, "/r/", 1).await.remove(0);
    secrets.push(token_of(&door_link));
    let code = crate::checkin::code_in(&server.get(&client, &door_link).await.2).expect("a code");
    secrets.push(code.clone());
    secrets.push(code.replace('-', ""));
    let door = format!("/en/staff/events/{slug}/check-in");
    let by_name = format!("{door}?q={}", DOOR_NAME.replace(' ', "+"));
    assert!(server.get(&staff, &by_name).await.2.contains(DOOR_NAME));
    assert!(
        server
            .get(&staff, &format!("{door}?q={code}"))
            .await
            .2
            .contains(DOOR_NAME)
    );
    let live = staff
        .get(server.url(&format!("/live?checkin={slug}")))
        .send()
        .await
        .unwrap();
    assert_eq!(live.status().as_u16(), 200);
    for action in ["in", "undo"] {
        let fields = [
            ("code", code.as_str()),
            ("action", action),
            ("q", DOOR_NAME),
        ];
        let (status, location, _) = server.post(&staff, &door, &fields).await;
        assert_eq!(status, 303);
        assert!(location.contains("done="), "{location}");
    }
    drop(live);

    // Staff add a colleague, then sign out.
    let (status, _, page) = server
        .post(
            &staff,
            "/en/staff/users",
            &[
                ("email", NEW_STAFF_EMAIL),
                ("name", NEW_STAFF_NAME),
                ("role", "moderator"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(
        server
            .post(&staff, "/en/staff/logout", &[("x", "1")])
            .await
            .0,
        303
    );

    // An organisation with the mailing list, and a reader who subscribes,
    // confirms and unsubscribes.
    let (status, _, body) = server
        .post(
            &client,
            "/en/organisation",
            &[
                ("name", ORG_NAME),
                ("country", "Syria"),
                ("areas", "gender"),
                ("description", "We document, Qx7."),
                ("contact_email", ORG_EMAIL),
                ("mailing_list", "yes"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (status, location, _) = server
        .post(
            &client,
            "/en/subscribe",
            &[("email", READER_EMAIL), ("lang", "en")],
        )
        .await;
    assert_eq!((status, location.as_str()), (303, "/en/subscribe/sent"));
    let confirm = server
        .links(READER_EMAIL, "/subscribe/confirm/", 1)
        .await
        .remove(0);
    secrets.push(token_of(&confirm));
    assert_eq!(server.get(&client, &confirm).await.0, 200);
    let (status, location, _) = server.post(&client, &confirm, &[("go", "1")]).await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/en/subscribe/confirmed")
    );
    let unsubscribe = server
        .links(READER_EMAIL, "/unsubscribe/", 1)
        .await
        .remove(0);
    secrets.push(token_of(&unsubscribe));
    let response = client
        .post(server.url(&unsubscribe))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let org_links = server.links(ORG_EMAIL, "/subscribe/confirm/", 1).await;
    secrets.extend(org_links.iter().map(|l| token_of(l)));

    let log = without_colours(&server.stop());

    // The log is there and says what happened, by route template and id.
    assert!(log.len() > 10_000, "a trace log: {} bytes", log.len());
    for expected in [
        "/{lang}/events/{slug}/register",
        "/join/{token}/{session}",
        "staff signed in",
        "staff sign-in refused",
        "staff account created",
        "outbox: message sent",
        "editor change",
    ] {
        assert!(log.contains(expected), "the log mentions {expected:?}");
    }

    secrets.extend(
        [
            NAME,
            NAME_EDITED,
            ORGANISATION,
            ROLE,
            EMAIL,
            ACCESSIBILITY,
            PENDING_NAME,
            PENDING_EMAIL,
            REJECTED_NAME,
            REJECTED_EMAIL,
            REJECTION_REASON,
            JOINER_NAME,
            JOINER_EMAIL,
            BAD_NAME,
            BAD_EMAIL,
            READER_EMAIL,
            ORG_NAME,
            ORG_EMAIL,
            STAFF_EMAIL,
            STAFF_NAME,
            STAFF_PASSWORD,
            WRONG_PASSWORD,
            NEW_STAFF_EMAIL,
            NEW_STAFF_NAME,
            MEETING_URL,
            QUESTION,
            QUESTION_AR,
            TRANSLATION,
            HIDE_REASON,
            PRIORITY,
            ANNOUNCEMENT,
            DOOR_NAME,
            DOOR_EMAIL,
            // The meeting URL's secret part alone.
            "qx7-secret-room-9911",
        ]
        .map(str::to_owned),
    );
    assert!(secrets.iter().all(|s| s.len() >= 8), "{secrets:?}");
    let lower = log.to_lowercase();
    let line_at = |at: usize| {
        let start = lower[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = lower[at..].find('\n').map_or(lower.len(), |i| at + i);
        lower[start..end].to_owned()
    };
    let mut found = Vec::new();
    for secret in &secrets {
        // As typed, and as a form or a URL would encode it.
        let secret = secret.to_lowercase();
        for variant in [
            secret.clone(),
            secret.replace('@', "%40").replace(' ', "+"),
            secret.replace(' ', "%20"),
        ] {
            if let Some(at) = lower.find(&variant) {
                found.push(format!("{secret:?} in: {}", line_at(at)));
            }
        }
    }
    // The distinctive word alone, should a value be logged in pieces.
    if let Some(at) = lower.find("qx7") {
        found.push(format!("\"qx7\" in: {}", line_at(at)));
    }
    assert!(
        found.is_empty(),
        "personal data in the log:\n{}",
        found.join("\n")
    );
}

#[tokio::test]
async fn an_untrusted_forwarded_header_is_ignored_with_one_warning() {
    let server = start();
    let client = reqwest::Client::new();
    for claimed in ["203.0.113.1", "203.0.113.2", "203.0.113.3"] {
        let response = client
            .get(server.url("/en"))
            .header("x-forwarded-for", claimed)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
    }
    // The form limit reads the client address: that is where it is noticed.
    client
        .post(server.url("/en/subscribe"))
        .header("x-forwarded-for", "203.0.113.4")
        .form(&[("email", "someone@example.org"), ("lang", "en")])
        .send()
        .await
        .unwrap();
    client
        .post(server.url("/en/subscribe"))
        .header("x-forwarded-for", "203.0.113.5")
        .form(&[("email", "someone.else@example.org"), ("lang", "en")])
        .send()
        .await
        .unwrap();
    let log = server.stop();
    assert_eq!(log.matches("not a trusted proxy").count(), 1, "{log}");
    assert!(!log.contains("203.0.113."), "no claimed address in the log");
    assert!(log.contains("connection cap"), "the cap is stated at start");
}
