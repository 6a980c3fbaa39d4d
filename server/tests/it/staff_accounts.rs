//! Staff accounts one can trust: the lifecycle at /staff/users (disable,
//! re-enable, re-role, reset, end sessions; never without an active admin),
//! one's own account (password, sessions), two-factor sign-in (TOTP and
//! recovery codes, no code twice), and a sign-in limit that a stranger who
//! knows a staff email cannot turn against its owner.

use app::domain::Role;
use app::server::auth::totp;

use crate::common::{TestApp, spawn_app, spawn_app_with};

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    client
        .post(app.url(path))
        .form(fields)
        .send()
        .await
        .unwrap()
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE email_lookup = $1")
        .bind(app.lookup(app::server::crypto::USER_EMAIL, email))
        .fetch_one(app.sql())
        .await
        .unwrap()
}

async fn audited(app: &TestApp, action: &str, user: i64) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit WHERE action = $1 AND subject_type = 'user' AND subject_id = $2",
    )
    .bind(action)
    .bind(user)
    .fetch_one(app.sql())
    .await
    .unwrap()
}

/// Where a GET of `path` as `client` goes: 200, or the redirect's target.
async fn lands(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let response = client.get(app.url(path)).send().await.unwrap();
    if response.status().is_redirection() {
        location(&response)
    } else {
        response.status().as_u16().to_string()
    }
}

#[tokio::test]
async fn a_stranger_cannot_lock_staff_out_and_hashing_is_bounded() {
    let app = spawn_app_with(|setup| {
        setup.config.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    let (email, password) = app.create_staff(Role::Admin).await;
    let attempt = |from: &'static str, password: String| {
        let (app, email) = (&app, email.clone());
        async move {
            app.client
                .post(app.url("/en/staff/login"))
                .header("x-forwarded-for", from)
                .form(&[("email", email.as_str()), ("password", password.as_str())])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    for _ in 0..5 {
        assert_eq!(
            attempt("203.0.113.66", "wrong-guess-000".to_owned()).await,
            401
        );
    }
    assert_eq!(
        attempt("203.0.113.66", password.clone()).await,
        429,
        "the guesser waits"
    );
    // The owner, from their own address, is never refused for it.
    assert_eq!(attempt("198.51.100.7", password.clone()).await, 303);

    // A burst of sign-ins hashes at most one password per core at once.
    let burst: Vec<_> = (0..24)
        .map(|i| {
            attempt(
                ["192.0.2.1", "192.0.2.2", "192.0.2.3"][i % 3],
                format!("burst-{i}-wrong"),
            )
        })
        .collect();
    futures::future::join_all(burst).await;
    let (peak, cores) = app::server::auth::hashing_peak();
    println!("password hashes at once: at most {peak} (bound: {cores} cores)");
    assert!(
        peak >= 1 && peak <= cores,
        "{peak} hashes ran at once on {cores} cores"
    );
}

#[tokio::test]
async fn admins_disable_re_role_and_reset_accounts_and_keep_an_admin() {
    let app = spawn_app().await;
    let (admin_email, admin_password) = app.create_staff(Role::Admin).await;
    let admin = app.login(&admin_email, &admin_password).await;
    let (mod_email, mod_password) = app.create_staff(Role::Moderator).await;
    let moderator = app.login(&mod_email, &mod_password).await;
    let mod_id = user_id(&app, &mod_email).await;
    let admin_id = user_id(&app, &admin_email).await;
    let users = app.page_as(&admin, "/en/staff/users").await;
    assert!(users.contains("Last sign-in") && users.contains("Reset password"));

    // A moderator may change nothing (403), and nothing changes.
    let response = post(
        &app,
        &moderator,
        &format!("/en/staff/users/{admin_id}"),
        &[("action", "role"), ("role", "moderator")],
    )
    .await;
    assert_eq!(response.status().as_u16(), 403);
    assert_eq!(audited(&app, "role_changed", admin_id).await, 0);

    // The last active admin can be neither disabled nor demoted (the demo's
    // admins are disabled first).
    sqlx::query("UPDATE users SET disabled = true WHERE role = 'admin' AND id != $1")
        .bind(admin_id)
        .execute(app.sql())
        .await
        .unwrap();
    for fields in [
        &[("action", "disable")][..],
        &[("action", "role"), ("role", "moderator")][..],
    ] {
        let response = post(&app, &admin, &format!("/ar/staff/users/{admin_id}"), fields).await;
        assert_eq!(response.status().as_u16(), 422);
        assert!(response.text().await.unwrap().contains("آخر مشرف عام"));
    }

    // Disabling ends every session at once; re-enabling lets them sign in.
    let response = post(
        &app,
        &admin,
        &format!("/en/staff/users/{mod_id}"),
        &[("action", "disable")],
    )
    .await;
    assert_eq!(response.status().as_u16(), 303);
    assert!(
        lands(&app, &moderator, "/en/staff")
            .await
            .starts_with("/en/staff/login")
    );
    assert_eq!(
        app.post_login(&app.cookie_client(), &mod_email, &mod_password)
            .await
            .status()
            .as_u16(),
        401
    );
    post(
        &app,
        &admin,
        &format!("/en/staff/users/{mod_id}"),
        &[("action", "enable")],
    )
    .await;
    let moderator = app.login(&mod_email, &mod_password).await;

    // A new role takes effect at once.
    post(
        &app,
        &admin,
        &format!("/en/staff/users/{mod_id}"),
        &[("action", "role"), ("role", "admin")],
    )
    .await;
    assert_eq!(lands(&app, &moderator, "/en/staff/users").await, "200");
    // Now there are two admins: the first may be demoted.
    let response = post(
        &app,
        &admin,
        &format!("/en/staff/users/{admin_id}"),
        &[("action", "role"), ("role", "moderator")],
    )
    .await;
    assert_eq!(response.status().as_u16(), 303);
    post(
        &app,
        &moderator,
        &format!("/en/staff/users/{admin_id}"),
        &[("action", "role"), ("role", "admin")],
    )
    .await;

    // A reset: the old password stops, the temporary one works once and
    // leads only to choosing a new password.
    let response = post(
        &app,
        &admin,
        &format!("/en/staff/users/{mod_id}"),
        &[("action", "reset")],
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);
    let page = response.text().await.unwrap();
    let marker = r#"<code dir="ltr" class="secret">"#;
    let start = page.find(marker).unwrap() + marker.len();
    let temporary = page[start..start + 24].to_owned();
    assert!(
        lands(&app, &moderator, "/en/staff")
            .await
            .starts_with("/en/staff/login"),
        "sessions ended"
    );
    assert_eq!(
        app.post_login(&app.cookie_client(), &mod_email, &mod_password)
            .await
            .status()
            .as_u16(),
        401
    );
    let fresh = app.cookie_client();
    let response = app.post_login(&fresh, &mod_email, &temporary).await;
    assert_eq!(location(&response), "/en/staff/account");
    assert_eq!(
        lands(&app, &fresh, "/en/staff/registrations").await,
        "/en/staff/account"
    );
    assert_eq!(
        app.post_login(&app.cookie_client(), &mod_email, &temporary)
            .await
            .status()
            .as_u16(),
        401,
        "a temporary password works once"
    );
    let refused = post(
        &app,
        &fresh,
        "/en/staff/account",
        &[
            ("action", "password"),
            ("new", "Password1234"),
            ("again", "Password1234"),
        ],
    )
    .await;
    assert_eq!(refused.status().as_u16(), 422);
    assert!(refused.text().await.unwrap().contains("too common"));
    let mine = "olive groves at dawn 7";
    let response = post(
        &app,
        &fresh,
        "/en/staff/account",
        &[("action", "password"), ("new", mine), ("again", mine)],
    )
    .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(
        lands(&app, &fresh, "/en/staff/registrations").await,
        "200",
        "still signed in"
    );
    app.login(&mod_email, mine).await;
    for action in [
        "user_disabled",
        "user_enabled",
        "role_changed",
        "password_reset",
        "password_changed",
        "sessions_ended",
    ] {
        assert!(audited(&app, action, mod_id).await >= 1, "{action} audited");
    }
}

#[tokio::test]
async fn staff_see_and_end_their_sessions_and_change_their_password() {
    let app = spawn_app().await;
    let (email, password) = app.create_staff(Role::Moderator).await;
    let phone = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .user_agent("Mozilla/5.0 (Android 14) Gecko/20100101 Firefox/133.0")
        .build()
        .unwrap();
    assert_eq!(
        app.post_login(&phone, &email, &password)
            .await
            .status()
            .as_u16(),
        303
    );
    let laptop = app.login(&email, &password).await;
    let page = app.page_as(&laptop, "/en/staff/account").await;
    assert!(
        page.contains("Firefox") && page.contains("This one"),
        "two sessions listed"
    );
    assert!(!page.contains("127.0.0.1"), "no address kept");
    let id = page
        .split(r#"<tr data-session=""#)
        .find(|row| row.contains("Firefox"))
        .unwrap()[..64]
        .to_owned();
    let response = post(
        &app,
        &laptop,
        "/en/staff/account",
        &[("action", "end_session"), ("id", &id)],
    )
    .await;
    assert_eq!(response.status().as_u16(), 303);
    assert!(
        lands(&app, &phone, "/en/staff")
            .await
            .starts_with("/en/staff/login"),
        "ended from the laptop"
    );

    // The current password is needed, and a good new one.
    let wrong = post(
        &app,
        &laptop,
        "/ar/staff/account",
        &[
            ("action", "password"),
            ("current", "not-it-at-all"),
            ("new", "a fine new passphrase"),
            ("again", "a fine new passphrase"),
        ],
    )
    .await;
    assert_eq!(wrong.status().as_u16(), 401);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("ليست كلمة مرورك الحالية")
    );
    let short = post(
        &app,
        &laptop,
        "/en/staff/account",
        &[
            ("action", "password"),
            ("current", &password),
            ("new", "short"),
            ("again", "short"),
        ],
    )
    .await;
    assert_eq!(short.status().as_u16(), 422);
    let response = post(
        &app,
        &laptop,
        "/en/staff/account",
        &[
            ("action", "password"),
            ("current", &password),
            ("new", "a fine new passphrase"),
            ("again", "a fine new passphrase"),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(lands(&app, &laptop, "/en/staff").await, "200");
    assert_eq!(
        app.post_login(&app.cookie_client(), &email, &password)
            .await
            .status()
            .as_u16(),
        401
    );
}

#[tokio::test]
async fn two_factor_sign_in_takes_each_code_once() {
    let app = spawn_app_with(|setup| {
        setup.config.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    let (email, password) = app.create_staff(Role::Admin).await;
    let client = app.login(&email, &password).await;
    let response = post(
        &app,
        &client,
        "/en/staff/account",
        &[("action", "totp_start")],
    )
    .await;
    let page = response.text().await.unwrap();
    assert!(
        page.contains("<svg") && page.contains("<title>QR code for your authenticator app</title>"),
        "a QR code drawn on the server"
    );
    let marker = r#"id="totp-secret" class="secret">"#;
    let at = page.find(marker).unwrap() + marker.len();
    let secret = page[at..at + 32].to_owned();
    let now = || app.state.clock.now().as_second();

    let wrong = post(
        &app,
        &client,
        "/en/staff/account",
        &[("action", "totp_confirm"), ("code", "000000")],
    )
    .await;
    assert_eq!(wrong.status().as_u16(), 422);
    let code = totp::code_at(&secret, now()).unwrap();
    let enrolled = post(
        &app,
        &client,
        "/en/staff/account",
        &[("action", "totp_confirm"), ("code", &code)],
    )
    .await;
    let page = enrolled.text().await.unwrap();
    let codes: Vec<String> = page
        .split("<li><code>")
        .skip(1)
        .map(|c| c[..11].to_owned())
        .collect();
    assert_eq!(codes.len(), 10, "ten recovery codes, shown once");
    let stored: Vec<u8> =
        sqlx::query_scalar("SELECT totp_secret FROM users WHERE email_lookup = $1")
            .bind(app.lookup(app::server::crypto::USER_EMAIL, &email))
            .fetch_one(app.sql())
            .await
            .unwrap();
    assert!(
        !String::from_utf8_lossy(&stored).contains(&secret),
        "sealed at rest"
    );

    // The password alone no longer signs in: the code comes next.
    // Each attempt from its own address (behind the trusted proxy), so that
    // the per-address limits stay out of the way of what is tested here.
    let next_address = std::sync::atomic::AtomicU8::new(1);
    let sign_in = async |code: &str| {
        let client = app.cookie_client();
        let from = format!(
            "192.0.2.{}",
            next_address.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        );
        let response = client
            .post(app.url("/en/staff/login"))
            .header("x-forwarded-for", &from)
            .form(&[("email", email.as_str()), ("password", password.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&response), "/en/staff/login/code");
        assert_eq!(
            lands(&app, &client, "/en/staff")
                .await
                .split('?')
                .next()
                .unwrap(),
            "/en/staff/login"
        );
        let response = client
            .post(app.url("/en/staff/login/code"))
            .header("x-forwarded-for", &from)
            .form(&[("code", code)])
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), client)
    };
    let (status, _) = sign_in("123456").await;
    assert_eq!(status, 401, "a wrong code");
    // The code used to enrol is spent; so is every earlier one.
    assert_eq!(sign_in(&code).await.0, 401, "a code twice");
    app.advance(30);
    let fresh = totp::code_at(&secret, now()).unwrap();
    let (status, signed_in) = sign_in(&fresh).await;
    assert_eq!(status, 303);
    assert_eq!(lands(&app, &signed_in, "/en/staff").await, "200");
    assert_eq!(sign_in(&fresh).await.0, 401, "replayed in its window");
    app.advance(120);
    assert_eq!(sign_in(&fresh).await.0, 401, "expired");
    assert_eq!(
        sign_in(&codes[0].to_lowercase()).await.0,
        303,
        "a recovery code"
    );
    assert_eq!(sign_in(&codes[0]).await.0, 401, "a recovery code twice");

    // A second factor in place is not replaced from a session alone.
    let response = post(
        &app,
        &signed_in,
        "/en/staff/account",
        &[("action", "totp_start")],
    )
    .await;
    assert_eq!(response.status().as_u16(), 409);
    // An admin cannot remove their own second factor; the operator can.
    let response = post(
        &app,
        &signed_in,
        "/en/staff/account",
        &[("action", "totp_remove")],
    )
    .await;
    assert_eq!(response.status().as_u16(), 403);
    let id = user_id(&app, &email).await;
    app::server::staff::remove_totp(
        &app.db,
        &app.state.key,
        id,
        app::server::db::audit::Actor::System,
        now(),
    )
    .await
    .unwrap();
    assert!(
        lands(&app, &signed_in, "/en/staff")
            .await
            .starts_with("/en/staff/login"),
        "sessions ended"
    );
    let elsewhere = app
        .client
        .post(app.url("/en/staff/login"))
        .header("x-forwarded-for", "198.51.100.9")
        .form(&[("email", email.as_str()), ("password", password.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&elsewhere), "/en/staff");
    assert_eq!(audited(&app, "two_factor_enrolled", id).await, 1);
    assert_eq!(audited(&app, "two_factor_removed", id).await, 1);

    // Enrolled again, a sign-in half done (password given, code not yet)
    // does not survive a password reset meanwhile.
    let client = app.login(&email, &password).await;
    post(
        &app,
        &client,
        "/en/staff/account",
        &[("action", "totp_start")],
    )
    .await;
    let page = app.page_as(&client, "/en/staff/account").await;
    assert!(
        !page.contains("totp-secret"),
        "the enrolment step is not kept on a plain visit"
    );
    let response = post(
        &app,
        &client,
        "/en/staff/account",
        &[("action", "totp_start")],
    )
    .await;
    let page = response.text().await.unwrap();
    let at = page.find(marker).unwrap() + marker.len();
    let secret = page[at..at + 32].to_owned();
    app.advance(60);
    let code = totp::code_at(&secret, now()).unwrap();
    post(
        &app,
        &client,
        "/en/staff/account",
        &[("action", "totp_confirm"), ("code", &code)],
    )
    .await;
    let half = app.cookie_client();
    let response = app.post_login(&half, &email, &password).await;
    assert_eq!(location(&response), "/en/staff/login/code");
    let (other, _) = app.create_staff(Role::Admin).await;
    let other = user_id(&app, &other).await;
    app::server::staff::change_user(
        &app.state,
        other,
        id,
        app::server::staff::UserChange::ResetPassword,
    )
    .await
    .unwrap();
    app.advance(60);
    let code = totp::code_at(&secret, now()).unwrap();
    let response = post(&app, &half, "/en/staff/login/code", &[("code", &code)]).await;
    assert_eq!(location(&response), "/en/staff/login", "starts over");
    assert!(
        lands(&app, &half, "/en/staff")
            .await
            .starts_with("/en/staff/login")
    );
}
