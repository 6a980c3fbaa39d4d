//! Personal data at rest: a copy of the database file (with its WAL) reveals
//! no name, address or need; the key file is private; a wrong key is refused
//! with a clear message; rows stored before encryption are sealed at start.

use std::time::Duration;

use app::domain::{Email, Role};
use app::server::auth::create_user;
use app::server::crypto::{self, DataKey, KeySource};
use app::server::db;

use crate::common::{TestApp, spawn_app};
use crate::mail::eventually;

const NAME: &str = "Zenobia Qarawitest";
const NAME_AR: &str = "زنوبيا القرواني";
const ORGANISATION: &str = "Qarawitest Witness Collective";
const ROLE: &str = "Archivist of Qarawitest";
const EMAIL: &str = "zenobia.qarawitest@example.org";
const EMAIL_AR: &str = "qarawitest.ar@example.net";
const ACCESSIBILITY: &str = "Step-free access, QARAWITEST hearing loop";
const ORG_CONTACT: &str = "contact.qarawitest@example.net";
const ORG_WEBSITE: &str = "https://qarawitest-collective.example.net";
const SUBSCRIBER: &str = "reader.qarawitest@example.com";
const STAFF_EMAIL: &str = "staff.qarawitest@example.org";
const STAFF_NAME: &str = "Qarawitest Staffname";

fn registration(name: &str, email: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", name.to_owned()),
        ("organisation", ORGANISATION.to_owned()),
        ("role", ROLE.to_owned()),
        ("email", email.to_owned()),
        ("mode", "online".to_owned()),
        ("interpretation", "ar".to_owned()),
        ("accessibility", ACCESSIBILITY.to_owned()),
        ("consent", "yes".to_owned()),
    ]
}

/// The database file and its `-wal` and `-shm` companions, as raw bytes.
fn raw_database(app: &TestApp) -> Vec<u8> {
    let path = app
        .database_url
        .trim_start_matches("sqlite://")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let mut bytes = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        if let Ok(mut file) = std::fs::read(format!("{path}{suffix}")) {
            bytes.append(&mut file);
        }
    }
    assert!(bytes.len() > 100_000, "the database was read");
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn a_copy_of_the_database_reveals_no_personal_data() {
    let app = spawn_app().await;
    let slug = app.briefing_slug().await;
    let path = format!("/en/events/{slug}/register");
    for (name, email) in [(NAME, EMAIL), (NAME_AR, EMAIL_AR)] {
        let response = app.post_form(&path, &registration(name, email)).await;
        assert_eq!(response.status().as_u16(), 303, "registering {email}");
    }
    let response = app
        .post_form(
            "/en/organisation",
            &[
                ("name", "Delta Public Organisation"),
                ("country", "Syria"),
                ("areas", "gender"),
                ("description", "We document."),
                ("contact_email", ORG_CONTACT),
                ("website", ORG_WEBSITE),
                ("mailing_list", "yes"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let response = app
        .post_form("/en/subscribe", &[("email", SUBSCRIBER), ("lang", "en")])
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let password = app::server::auth::generate_password();
    create_user(
        &app.pool,
        &app.state.key,
        &Email::parse(STAFF_EMAIL).unwrap(),
        STAFF_NAME,
        Role::Admin,
        &password,
    )
    .await
    .unwrap();

    // Everything still works through the key: the private page, signing in,
    // the moderation queue, the organisations page, the users page.
    let link = app.private_link(EMAIL).await;
    let token = link.rsplit('/').next().unwrap().to_owned();
    let (status, page) = app.get(&link).await;
    assert_eq!(status, 200);
    assert!(page.contains(NAME) && page.contains("QARAWITEST hearing loop"));
    let admin = app.login(&STAFF_EMAIL.to_uppercase(), &password).await;
    for (page, expected) in [
        (
            "/en/staff/registrations",
            vec![NAME, NAME_AR, EMAIL, ORGANISATION],
        ),
        ("/en/staff/organisations", vec![ORG_CONTACT, ORG_WEBSITE]),
        ("/en/staff/users", vec![STAFF_EMAIL, STAFF_NAME]),
    ] {
        let body = admin
            .get(app.url(page))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        for value in expected {
            assert!(body.contains(value), "{page} shows {value}");
        }
    }

    // The outbox worker delivers every message (it reads them opened).
    let delivered = eventually(Duration::from_secs(20), || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")
            .fetch_one(&app.pool)
            .await
            .unwrap()
            == 0
    })
    .await;
    assert!(delivered, "the outbox drained");
    let mails = app.mails().await;
    for address in [EMAIL, EMAIL_AR, ORG_CONTACT, SUBSCRIBER] {
        assert!(mails.iter().any(|m| m.to == address), "mail to {address}");
    }

    let raw = raw_database(&app);
    let local = |email: &'static str| email.split('@').next().unwrap();
    for secret in [
        NAME,
        "Qarawitest",
        NAME_AR,
        "القرواني",
        ORGANISATION,
        ROLE,
        EMAIL,
        local(EMAIL),
        EMAIL_AR,
        local(EMAIL_AR),
        ACCESSIBILITY,
        "QARAWITEST",
        "qarawitest",
        ORG_CONTACT,
        local(ORG_CONTACT),
        ORG_WEBSITE,
        SUBSCRIBER,
        local(SUBSCRIBER),
        STAFF_EMAIL,
        local(STAFF_EMAIL),
        STAFF_NAME,
        token.as_str(),
    ] {
        assert!(
            !contains(&raw, secret),
            "{secret:?} is in the database file"
        );
    }
    // The organisation's public name is not personal data and stays readable.
    assert!(contains(&raw, "Delta Public Organisation"));
    // Checkpointed into the main file, the same holds.
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&app.pool)
        .await
        .unwrap();
    let raw = raw_database(&app);
    for secret in [
        NAME,
        EMAIL,
        local(EMAIL),
        ACCESSIBILITY,
        ORG_CONTACT,
        SUBSCRIBER,
    ] {
        assert!(!contains(&raw, secret), "{secret:?} after a checkpoint");
    }
}

#[tokio::test]
async fn the_key_file_is_private_and_a_wrong_key_is_refused_clearly() {
    let app = spawn_app().await;
    let KeySource::File(key_file) = &app.state.config.data_key else {
        panic!("the tests run without LAUSANNE_DATA_KEY");
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the key file is private");
    }
    let written = std::fs::read_to_string(key_file).unwrap();
    assert_eq!(written.trim().len(), 64, "64 hex digits");

    // A value sealed with the key opens only with it, and says which column
    // failed rather than panicking.
    let sealed: Vec<u8> = sqlx::query_scalar("SELECT name FROM registrations LIMIT 1")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let wrong = DataKey::from_bytes(&[9; 32]);
    let error = wrong
        .open(crypto::REGISTRATION_NAME, &sealed)
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("cannot decrypt registrations.name: the data key is not the one"),
        "{error}"
    );
    assert!(
        app.state
            .key
            .open(crypto::REGISTRATION_NAME, &sealed)
            .is_ok()
    );

    // Starting on this database with another key stops at once.
    let error = db::migrate(&app.pool, &wrong)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("does not open this database's data"),
        "{error}"
    );
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_lausanne"))
        .arg("migrate")
        .env("DATABASE_URL", &app.database_url)
        .env("LAUSANNE_DATA_KEY", "ab".repeat(32))
        .env("RUST_LOG", "warn")
        .output()
        .await
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("does not open this database's data"),
        "{stderr}"
    );
    // A malformed key is a configuration error, and is not echoed.
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_lausanne"))
        .arg("migrate")
        .env("DATABASE_URL", &app.database_url)
        .env("LAUSANNE_DATA_KEY", "my-secret-passphrase")
        .output()
        .await
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("LAUSANNE_DATA_KEY is not valid: it must be 64 hexadecimal digits"),
        "{stderr}"
    );
    assert!(!stderr.contains("my-secret-passphrase"));
    // The right key, given in the environment, opens it.
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_lausanne"))
        .arg("migrate")
        .env("DATABASE_URL", &app.database_url)
        .env("LAUSANNE_DATA_KEY", written.trim())
        .output()
        .await
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn rows_stored_before_encryption_are_sealed_at_start() {
    let app = spawn_app().await;
    // A staff account as an older version stored it: plaintext, no lookup.
    let password = app::server::auth::generate_password();
    let hash = app::server::auth::hash_password(&password).unwrap();
    sqlx::query(
        "INSERT INTO users (email, display_name, role, password_hash)
         VALUES ('Legacy.Qarawitest@example.org', 'Legacy Qarawitest', 'admin', ?)",
    )
    .bind(hash)
    .execute(&app.pool)
    .await
    .unwrap();
    crypto::prepare(&app.pool, &app.state.key).await.unwrap();
    let (email_type, name_type, lookup): (String, String, Option<Vec<u8>>) = sqlx::query_as(
        "SELECT typeof(email), typeof(display_name), email_lookup FROM users
         WHERE email_lookup = ?",
    )
    .bind(app.lookup(crypto::USER_EMAIL, "legacy.qarawitest@example.org"))
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((email_type.as_str(), name_type.as_str()), ("blob", "blob"));
    assert!(lookup.is_some());
    // Signing in finds the account by its lookup, whatever the case typed.
    let admin = app.login("legacy.qarawitest@example.org", &password).await;
    let users = admin
        .get(app.url("/en/staff/users"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(users.contains("Legacy Qarawitest"));
    // Sealing again changes nothing.
    crypto::prepare(&app.pool, &app.state.key).await.unwrap();
}
