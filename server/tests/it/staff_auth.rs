//! Staff accounts: signing in and out, sessions, roles, rate limits, and
//! `lausanne user add`.

use std::process::Stdio;

use crate::common::{TestApp, on_postgres, spawn_app, spawn_app_with};
use app::domain::Role;

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// The session cookie set by `response` (name=value) and its attributes.
fn session_cookie(response: &reqwest::Response) -> Option<(String, String)> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.contains("lausanne_session="))
        .map(|c| {
            let (pair, attributes) = c.split_once(';').unwrap_or((&c, ""));
            (pair.trim().to_owned(), attributes.to_owned())
        })
}

async fn post_login_raw(
    app: &TestApp,
    cookie: Option<&str>,
    email: &str,
    password: &str,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url("/en/staff/login"))
        .form(&[("email", email), ("password", password)]);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

async fn get_with_cookie(app: &TestApp, path: &str, cookie: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn login_sets_a_strict_cookie_and_rotates_the_session_id() {
    let app = spawn_app().await;
    let (email, password) = app.create_staff(Role::Admin).await;

    // A made-up session id is never adopted.
    let response = post_login_raw(&app, Some("lausanne_session=forged"), &email, &password).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/en/staff");
    let (first, attributes) = session_cookie(&response).expect("a session cookie");
    assert_ne!(first, "lausanne_session=forged");
    let lower = attributes.to_ascii_lowercase();
    assert!(lower.contains("httponly"), "{attributes}");
    assert!(lower.contains("samesite=strict"), "{attributes}");
    assert!(lower.contains("path=/"), "{attributes}");
    assert!(
        lower.contains("max-age=1800"),
        "30 minutes idle: {attributes}"
    );
    assert!(!lower.contains("secure"), "plain http: {attributes}");

    let response = get_with_cookie(&app, "/en/staff", &first).await;
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("Test admin 0"));

    // Signing in again, with a valid session, still gets a new id, and the
    // old one stops working.
    let response = post_login_raw(&app, Some(&first), &email, &password).await;
    assert_eq!(response.status(), 303);
    let (second, _) = session_cookie(&response).expect("a new session cookie");
    assert_ne!(first, second);
    let response = get_with_cookie(&app, "/en/staff", &first).await;
    assert_eq!(response.status(), 303, "the old session id is gone");
    let response = get_with_cookie(&app, "/en/staff", &second).await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn https_public_url_gives_a_host_prefixed_secure_cookie() {
    let app = spawn_app_with(|setup| {
        setup.config.public_url = "https://lausanne.example".to_owned();
    })
    .await;
    let (email, password) = app.create_staff(Role::Moderator).await;
    let response = post_login_raw(&app, None, &email, &password).await;
    assert_eq!(response.status(), 303);
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("__Host-lausanne_session="))
        .expect("a __Host- cookie");
    let lower = cookie.to_ascii_lowercase();
    assert!(lower.contains("; secure"), "{cookie}");
    assert!(lower.contains("httponly") && lower.contains("samesite=strict"));
    assert!(
        lower.contains("path=/") && !lower.contains("domain="),
        "{cookie}"
    );
}

#[tokio::test]
async fn failures_look_the_same_and_keep_the_email_but_not_the_password() {
    let app = spawn_app().await;
    let (email, _) = app.create_staff(Role::Admin).await;
    let unknown = "nobody@staff.example.org";
    let secret = "not-the-right-password-42";

    let wrong = post_login_raw(&app, None, &email, secret).await;
    assert_eq!(wrong.status(), 401);
    assert!(session_cookie(&wrong).is_none(), "no session for a failure");
    let wrong = wrong.text().await.unwrap();
    let missing = post_login_raw(&app, None, unknown, secret).await;
    assert_eq!(missing.status(), 401);
    let missing = missing.text().await.unwrap();

    assert!(wrong.contains(&format!("value=\"{email}\"")), "email kept");
    assert!(!wrong.contains(secret), "password never echoed");
    assert!(wrong.contains("The email address or the password is not correct."));
    assert_eq!(
        wrong.replace(&email, "EMAIL"),
        missing.replace(unknown, "EMAIL"),
        "an unknown email and a wrong password get the same answer"
    );

    let empty = post_login_raw(&app, None, "", "").await;
    assert_eq!(empty.status(), 400);
    assert!(
        empty
            .text()
            .await
            .unwrap()
            .contains("Enter your email address and your password.")
    );
}

#[tokio::test]
async fn next_is_followed_only_to_local_paths() {
    let app = spawn_app().await;
    let (email, password) = app.create_staff(Role::Admin).await;
    for (next, expected) in [
        ("/en/staff/users", "/en/staff/users"),
        ("//evil.example/x", "/en/staff"),
        ("https://evil.example/", "/en/staff"),
    ] {
        let response = app
            .client
            .post(app.url("/en/staff/login"))
            .form(&[("email", &*email), ("password", &*password), ("next", next)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), expected, "next={next}");
    }
}

#[tokio::test]
async fn too_many_failures_on_one_account_from_one_address_get_429() {
    let app = spawn_app().await;
    let (email, password) = app.create_staff(Role::Moderator).await;
    for _ in 0..5 {
        let response = post_login_raw(&app, None, &email, "wrong-password-123").await;
        assert_eq!(response.status(), 401);
    }
    let response = post_login_raw(&app, None, &email, &password).await;
    assert_eq!(response.status(), 429, "even the right password waits");
    // Five in fifteen minutes: this address waits out the fifteen.
    let retry: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry), "Retry-After: {retry}");
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Too many attempts.")
    );
    // Another account from the same address is not blocked by this one.
    let (other, other_password) = app.create_staff(Role::Moderator).await;
    let response = post_login_raw(&app, None, &other, &other_password).await;
    assert_eq!(response.status(), 303);
}

/// Behind a load balancer, alternating between instances buys no attempts:
/// on PostgreSQL the counts live in the database both instances share. On
/// SQLite, which runs one instance (its limits are in its memory), "both"
/// are that one.
#[tokio::test]
async fn limits_hold_across_instances() {
    let app = spawn_app().await;
    let other = app.second_instance(|_| {}).await;
    let bases = if on_postgres() {
        [app.url(""), format!("http://{}", other.addr)]
    } else {
        [app.url(""), app.url("")]
    };
    let sign_in = |n: usize, email: &str, password: &str| {
        app.client
            .post(format!("{}/en/staff/login", bases[n % 2]))
            .form(&[("email", email), ("password", password)])
            .send()
    };
    let (email, password) = app.create_staff(Role::Moderator).await;
    for n in 0..5 {
        let response = sign_in(n, &email, "wrong-password-123").await.unwrap();
        assert_eq!(response.status(), 401, "wrong sign-in {}", n + 1);
    }
    let sixth = sign_in(5, &email, "wrong-password-123").await.unwrap();
    assert_eq!(sixth.status(), 429, "the sixth, on the other instance");
    let right = sign_in(6, &email, &password).await.unwrap();
    assert_eq!(
        right.status(),
        429,
        "even the right password waits, on either"
    );

    // Ten sign-ins a minute from one address, wherever they land: seven
    // were counted above, three more pass and the next is refused.
    for n in 7..10 {
        let response = sign_in(n, &format!("guess{n}@example.org"), "guess-123")
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "attempt {}", n + 1);
    }
    let over = sign_in(10, "guess@example.org", "guess-123").await.unwrap();
    assert_eq!(over.status(), 429);
    let retry: u64 = over.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "Retry-After: {retry}");
}

#[tokio::test]
async fn too_many_attempts_from_one_address_get_429() {
    let app = spawn_app().await;
    for n in 0..10 {
        let response = post_login_raw(
            &app,
            None,
            &format!("guess{n}@example.org"),
            "password-guess",
        )
        .await;
        assert_eq!(response.status(), 401);
    }
    let response = app
        .client
        .post(app.url("/ar/staff/login"))
        .form(&[("email", "guess@example.org"), ("password", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
    assert!(response.text().await.unwrap().contains("محاولات كثيرة جدًا"));
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = spawn_app().await;
    let client = app.staff_client(Role::Moderator).await;
    let response = client.get(app.url("/en/staff")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap();
    assert!(body.contains("Signed in as Test moderator 0"), "{body}");
    assert!(body.contains("/en/staff/logout"), "logout button");
    assert!(
        !body.contains("/en/staff/users"),
        "no Users link for moderators"
    );

    let response = client
        .post(app.url("/en/staff/logout"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/en/staff/login");
    let response = client.get(app.url("/en/staff")).send().await.unwrap();
    assert_eq!(response.status(), 303);
}

#[tokio::test]
async fn users_page_is_for_admins_only() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/en/staff/users"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/en/staff/login?next=/en/staff/users");
    // Server functions answer 401 without a session.
    let response = app
        .client
        .post(app.url("/api/staff/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);

    let moderator = app.staff_client(Role::Moderator).await;
    let response = moderator
        .get(app.url("/en/staff/users"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert!(response.text().await.unwrap().contains("Access denied"));
    let response = moderator
        .post(app.url("/en/staff/users"))
        .form(&[("email", "x@example.org"), ("name", "X"), ("role", "admin")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403, "moderators cannot add users");

    let admin = app.staff_client(Role::Admin).await;
    let response = admin.get(app.url("/en/staff/users")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers().get("cache-control").unwrap(), "no-store");
    let body = response.text().await.unwrap();
    assert!(body.contains("moderator0@staff.example.org"));
    assert!(body.contains("admin1@staff.example.org"));
    assert!(!body.contains("$argon2"), "no hashes on the page");
}

#[tokio::test]
async fn admin_adds_a_user_who_can_then_sign_in() {
    let app = spawn_app().await;
    let admin = app.staff_client(Role::Admin).await;
    let response = admin
        .post(app.url("/en/staff/users"))
        .form(&[
            ("email", "Rana@Example.ORG"),
            ("name", "Rana"),
            ("role", "moderator"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap();
    assert!(body.contains("The account for Rana@example.org has been created."));
    let password = body
        .split("class=\"secret\"")
        .nth(1)
        .and_then(|rest| rest.split_once('>'))
        .map(|(_, rest)| rest)
        .and_then(|rest| rest.split("</code>").next())
        .expect("the password is shown")
        .to_owned();
    assert!(password.len() >= 20);

    // The same address again, in another case: refused, typed values kept.
    let response = admin
        .post(app.url("/en/staff/users"))
        .form(&[
            ("email", "rana@example.org"),
            ("name", "Rana 2"),
            ("role", "admin"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body = response.text().await.unwrap();
    assert!(body.contains("There is already an account with this email address."));
    assert!(body.contains("value=\"Rana 2\""));

    let response = admin
        .post(app.url("/en/staff/users"))
        .form(&[("email", "not an email"), ("name", ""), ("role", "root")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);

    let rana = app.login("rana@example.org", &password).await;
    let response = rana.get(app.url("/en/staff")).send().await.unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn sessions_end_twelve_hours_after_sign_in() {
    let app = spawn_app().await;
    let client = app.staff_client(Role::Admin).await;
    let response = client.get(app.url("/en/staff/users")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    app.advance(11 * 3600);
    let response = client.get(app.url("/en/staff/users")).send().await.unwrap();
    assert_eq!(response.status(), 200, "still within 12 hours");
    app.advance(3600 + 1);
    let response = client.get(app.url("/en/staff/users")).send().await.unwrap();
    assert_eq!(response.status(), 303, "over 12 hours: signed out");
    let response = client.post(app.url("/api/staff/me")).send().await.unwrap();
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn arabic_login_page_is_rtl() {
    let app = spawn_app().await;
    let (status, body) = app.get("/ar/staff/login").await;
    assert_eq!(status, 200);
    assert!(body.contains(r#"<html lang="ar" dir="rtl""#), "{body}");
    assert!(body.contains("تسجيل دخول فريق العمل"));
    assert!(body.contains("كلمة المرور"));
    assert!(body.contains(r#"<form method="post""#));
}

// ---------------------------------------------------------------------------
// `lausanne user add`

/// Runs `lausanne user add` without blocking the test's runtime: the app
/// under test runs on it, and a server task stopped mid-transaction would
/// keep SQLite's write lock from the command.
async fn user_add(app: &TestApp, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    let mut command = app.lausanne();
    command
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("RUST_LOG", "warn")
        .args(["user", "add"])
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = tokio::process::Command::from(command).spawn().unwrap();
    if let Some(input) = stdin {
        use tokio::io::AsyncWriteExt;
        let mut pipe = child.stdin.take().unwrap();
        pipe.write_all(input.as_bytes()).await.unwrap();
        drop(pipe);
    }
    child.wait_with_output().await.unwrap()
}

#[tokio::test]
async fn cli_user_add() {
    let app = spawn_app().await;

    let out = user_add(
        &app,
        &[
            "--email",
            "samir@example.org",
            "--role",
            "admin",
            "--name",
            "Samir",
        ],
        Some("a long enough password\n"),
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("a long enough password"));
    app.login("samir@example.org", "a long enough password")
        .await;

    let out = user_add(
        &app,
        &["--email", "nour@example.org", "--role", "moderator"],
        None,
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let password = stdout
        .lines()
        .find_map(|l| l.strip_prefix("password (shown only this once): "))
        .expect("the generated password is printed")
        .to_owned();
    assert!(password.len() >= 20);
    let nour = app.login("nour@example.org", &password).await;
    let body = nour.get(app.url("/en/staff")).send().await.unwrap();
    assert!(
        body.text()
            .await
            .unwrap()
            .contains("Signed in as nour (Moderator).")
    );

    for (args, stdin, message) in [
        (
            &["--email", "SAMIR@example.org", "--role", "moderator"][..],
            Some("another long password\n"),
            "already an account",
        ),
        (
            &["--email", "not-an-email", "--role", "admin"][..],
            Some("another long password\n"),
            "not a valid email address",
        ),
        (
            &["--email", "x@example.org", "--role", "root"][..],
            Some("another long password\n"),
            "not a role",
        ),
        (
            &["--email", "y@example.org", "--role", "admin"][..],
            Some("short\n"),
            "at least 12 characters",
        ),
    ] {
        let out = user_add(&app, args, stdin).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} should fail");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}
