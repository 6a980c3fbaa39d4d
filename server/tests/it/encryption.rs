//! Personal data at rest: a copy of the database file (with its WAL) reveals
//! no name, address or need; the key file is private; a wrong key is refused
//! with a clear message; rows stored before encryption are sealed at start.

use std::time::Duration;

use app::domain::{Email, Role};
use app::server::auth::create_user;
use app::server::crypto::{self, DataKey, KeySource};

use crate::common::{TestApp, spawn_app, spawn_sqlite_app};
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
const REASON: &str = "Qarawitest reason: not eligible this time";

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

/// Stores personal data of every kind through the app (registrations in
/// both scripts, a rejection with its reason, an organisation, a subscriber,
/// a staff account), checks that every page reads it back through the key
/// and that the outbox delivers every message; returns the private token.
async fn store_and_read_back(app: &TestApp) -> String {
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
        &app.db,
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
    // A rejection, with the staff member's words as its reason.
    let id: i64 = sqlx::query_scalar("SELECT id FROM registrations WHERE email_lookup = $1")
        .bind(app.lookup(crypto::REGISTRATION_EMAIL, EMAIL_AR))
        .fetch_one(app.sql())
        .await
        .unwrap();
    let response = admin
        .post(app.url("/en/staff/registrations"))
        .form(&[
            ("decision", "reject".to_owned()),
            ("ids", id.to_string()),
            ("reason", REASON.to_owned()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    for (page, expected) in [
        (
            "/en/staff/registrations",
            vec![NAME, NAME_AR, EMAIL, ORGANISATION, REASON],
        ),
        ("/en/staff/audit", vec![REASON, STAFF_NAME]),
        ("/en/staff/organisations", vec![ORG_CONTACT, ORG_WEBSITE]),
        ("/en/staff/users", vec![STAFF_EMAIL, STAFF_NAME]),
    ] {
        let body = app.page_as(&admin, page).await;
        for value in expected {
            assert!(body.contains(value), "{page} shows {value}");
        }
    }

    // The outbox worker delivers every message (it reads them opened).
    let delivered = eventually(Duration::from_secs(20), || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")
            .fetch_one(app.sql())
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
    token
}

/// Every piece of personal data [`store_and_read_back`] stored, and parts of
/// it, none of which may be found as stored.
fn secrets(token: &str) -> Vec<&str> {
    let local = |email: &'static str| email.split('@').next().unwrap();
    vec![
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
        REASON,
        "not eligible this time",
        token,
    ]
}

/// The sealed columns of every table that holds personal data, as stored,
/// read through the test's own connection (on either database).
async fn sealed_columns(app: &TestApp) -> Vec<u8> {
    let mut bytes = Vec::new();
    for (table, column) in [
        ("users", "email"),
        ("users", "display_name"),
        ("registrations", "name"),
        ("registrations", "organisation"),
        ("registrations", "role"),
        ("registrations", "email"),
        ("registrations", "accessibility"),
        ("registrations", "reason"),
        ("organisations", "contact_email"),
        ("organisations", "website"),
        ("subscribers", "email"),
        ("outbox", "to_address"),
        ("outbox", "body_text"),
        ("outbox", "list_unsubscribe"),
        ("audit", "reason"),
    ] {
        let values: Vec<Vec<u8>> = sqlx::query_scalar(&format!(
            "SELECT {column} FROM {table} WHERE {column} IS NOT NULL"
        ))
        .fetch_all(app.sql())
        .await
        .unwrap();
        assert!(!values.is_empty(), "{table}.{column} holds a value");
        for mut value in values {
            bytes.append(&mut value);
        }
    }
    bytes
}

#[tokio::test]
async fn personal_data_is_stored_sealed_and_read_back_through_the_key() {
    let app = spawn_app().await;
    let token = store_and_read_back(&app).await;
    let raw = sealed_columns(&app).await;
    for secret in secrets(&token) {
        assert!(!contains(&raw, secret), "{secret:?} is stored in the clear");
    }
    // The organisation's public name is not personal data and stays readable.
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM organisations")
        .fetch_all(app.sql())
        .await
        .unwrap();
    assert!(names.iter().any(|n| n == "Delta Public Organisation"));
}

#[tokio::test]
async fn a_copy_of_the_database_reveals_no_personal_data() {
    // SQLite only: reads the database file and its WAL, and checkpoints by PRAGMA.
    let app = spawn_sqlite_app().await;
    let token = store_and_read_back(&app).await;

    let raw = raw_database(&app);
    for secret in secrets(&token) {
        assert!(
            !contains(&raw, secret),
            "{secret:?} is in the database file"
        );
    }
    // The organisation's public name is not personal data and stays readable.
    assert!(contains(&raw, "Delta Public Organisation"));
    // Checkpointed into the main file, the same holds.
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(app.pool())
        .await
        .unwrap();
    let raw = raw_database(&app);
    let local = |email: &'static str| email.split('@').next().unwrap();
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
async fn a_wrong_key_is_refused_clearly() {
    let app = spawn_app().await;
    // The key this app was started with, as `LAUSANNE_DATA_KEY` would give it.
    let right = match &app.state.config.data_key {
        KeySource::File(key_file) => std::fs::read_to_string(key_file).unwrap().trim().to_owned(),
        // What the tests give PostgreSQL (common::spawn_app_on).
        KeySource::Given(_) => crate::common::POSTGRES_KEY.to_owned(),
    };
    assert_eq!(right.len(), 64, "64 hex digits");

    // A value sealed with the key opens only with it, and says which column
    // failed rather than panicking.
    let sealed: Vec<u8> = sqlx::query_scalar("SELECT name FROM registrations LIMIT 1")
        .fetch_one(app.sql())
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
    let right_key = DataKey::parse(&right).unwrap();
    assert!(right_key.open(crypto::REGISTRATION_NAME, &sealed).is_ok());

    // Starting on this database with another key stops at once.
    let error = app.db.migrate(&wrong).await.unwrap_err().to_string();
    assert!(
        error.contains("does not open this database's data"),
        "{error}"
    );
    let wrong = "ab".repeat(32);
    let (ok, stderr) = migrate(&app.database_url, Some(&wrong)).await;
    assert!(!ok);
    assert!(
        stderr.contains("does not open this database's data"),
        "{stderr}"
    );
    // A malformed key is a configuration error, and is not echoed.
    let (ok, stderr) = migrate(&app.database_url, Some("my-secret-passphrase")).await;
    assert!(!ok);
    assert!(
        stderr.contains("LAUSANNE_DATA_KEY is not valid: it must be 64 hexadecimal digits"),
        "{stderr}"
    );
    assert!(!stderr.contains("my-secret-passphrase"));
    // The right key, given in the environment, opens it.
    let (ok, stderr) = migrate(&app.database_url, Some(&right)).await;
    assert!(ok, "{stderr}");
}

/// The key file itself; what a wrong key does is
/// [`a_wrong_key_is_refused_clearly`], on either database.
#[tokio::test]
async fn the_key_file_is_private_and_a_lost_one_is_not_replaced() {
    // SQLite only: the key file beside the database file.
    let app = spawn_sqlite_app().await;
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
    // The file holds the key the app seals with.
    let sealed: Vec<u8> = sqlx::query_scalar("SELECT name FROM registrations LIMIT 1")
        .fetch_one(app.pool())
        .await
        .unwrap();
    let from_file = DataKey::parse(written.trim()).unwrap();
    assert!(from_file.open(crypto::REGISTRATION_NAME, &sealed).is_ok());

    // A lost key file is not replaced by a new key (which could read none
    // of the data): the binary stops, and creates nothing.
    std::fs::rename(key_file, key_file.with_extension("lost")).unwrap();
    let (ok, stderr) = migrate(&app.database_url, None).await;
    assert!(!ok);
    assert!(
        stderr.contains("the database's personal data is encrypted, but the data key file"),
        "{stderr}"
    );
    assert!(!key_file.exists());
    // The right key, given in the environment, opens it.
    let (ok, stderr) = migrate(&app.database_url, Some(written.trim())).await;
    assert!(ok, "{stderr}");
}

/// `lausanne migrate` on `database_url`, with `key` as `LAUSANNE_DATA_KEY`
/// (else the key file); whether it succeeded, and what it said on stderr.
async fn migrate(database_url: &str, key: Option<&str>) -> (bool, String) {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_lausanne"));
    command
        .arg("migrate")
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn");
    if let Some(key) = key {
        command.env("LAUSANNE_DATA_KEY", key);
    }
    let output = command.output().await.unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[tokio::test]
async fn rows_stored_before_encryption_are_sealed_at_start() {
    // SQLite only: its plaintext era (PostgreSQL never had one), `typeof`, `sealing::prepare`.
    let app = spawn_sqlite_app().await;
    // A staff account as an older version stored it: plaintext, no lookup.
    let password = app::server::auth::generate_password();
    let hash = app::server::auth::hash_password(&password).unwrap();
    sqlx::query(
        "INSERT INTO users (email, display_name, role, password_hash)
         VALUES ('Legacy.Qarawitest@example.org', 'Legacy Qarawitest', 'admin', ?)",
    )
    .bind(hash)
    .execute(app.pool())
    .await
    .unwrap();
    app::server::db::sealing::prepare(app.pool(), &app.state.key)
        .await
        .unwrap();
    let (email_type, name_type, lookup): (String, String, Option<Vec<u8>>) = sqlx::query_as(
        "SELECT typeof(email), typeof(display_name), email_lookup FROM users
         WHERE email_lookup = ?",
    )
    .bind(app.lookup(crypto::USER_EMAIL, "legacy.qarawitest@example.org"))
    .fetch_one(app.pool())
    .await
    .unwrap();
    assert_eq!((email_type.as_str(), name_type.as_str()), ("blob", "blob"));
    assert!(lookup.is_some());
    // Signing in finds the account by its lookup, whatever the case typed.
    let admin = app.login("legacy.qarawitest@example.org", &password).await;
    let users = app.page_as(&admin, "/en/staff/users").await;
    assert!(users.contains("Legacy Qarawitest"));
    // Sealing again changes nothing.
    app::server::db::sealing::prepare(app.pool(), &app.state.key)
        .await
        .unwrap();
}

/// A database written by the version before encryption at rest, with
/// personal data in every table concerned, is migrated and sealed in place at
/// its first start: the app reads it all back, and after a checkpoint the
/// file holds none of it.
#[tokio::test]
async fn an_older_database_is_encrypted_in_place_at_its_first_start() {
    use app::server::db::events::{self, NewEvent};
    use app::server::db::{audit, organisations, outbox, registrations, subscribers, users};

    // SQLite only: its own database file, from SQLite's migrations before encryption.
    let dir = tempfile::tempdir().unwrap();
    // The migrations of the previous version only.
    let old = dir.path().join("old-migrations");
    std::fs::create_dir(&old).unwrap();
    let all = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/migrations/sqlite");
    for entry in std::fs::read_dir(all).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name().to_string_lossy().as_ref() < "20261201000007" {
            std::fs::copy(entry.path(), old.join(entry.file_name())).unwrap();
        }
    }
    let url = format!("sqlite://{}/old.db?mode=rwc", dir.path().display());
    let db = app::server::db::Db::open(&url).await.unwrap();
    let pool = db.as_sqlite().unwrap().clone();
    sqlx::migrate::Migrator::new(old.as_path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();

    let event = events::insert(
        &pool,
        &NewEvent {
            slug: "older",
            kind: app::domain::EventKind::Briefing,
            format: app::domain::EventFormat::Online,
            visibility: app::domain::Visibility::Public,
            title_en: "Older briefing",
            title_ar: "إحاطة سابقة",
            summary_en: "s",
            summary_ar: "s",
            description_en: "d",
            description_ar: "d",
            city_en: None,
            city_ar: None,
            country_en: None,
            country_ar: None,
            venue: None,
            time_zone: "Europe/Zurich",
            starts_at: 2_000_000_000,
            ends_at: 2_000_003_600,
            seats_in_person: 0,
            seats_online: 10,
            interpretation: "ar,en",
        },
    )
    .await
    .unwrap();
    for sql in [
        "INSERT INTO users (id, email, display_name, role, password_hash)
         VALUES (1, 'Old.Staff.Qarawitest@example.org', 'Old Staff Qarawitest', 'admin', 'x')",
        "INSERT INTO organisations (name, name_key, country, description, contact_email, website,
             lang, created_at)
         VALUES ('Older Org', 'older org', 'Syria', 'd', 'old.org.qarawitest@example.org',
             'https://old-qarawitest.example.org', 'en', 0)",
        "INSERT INTO registrations (id, event_id, token_hash, name, organisation, role, email, mode,
             accessibility, lang, state, reason, decided_by, consented_at, created_at, updated_at)
         VALUES (1, ?1, x'00', 'Old Name Qarawitest', 'Old Org Qarawitest', 'Old Role Qarawitest',
             'Old.Person.Qarawitest@example.org', 'online', 'Old needs Qarawitest', 'en',
             'rejected', 'Old reason Qarawitest', 1, 0, 0, 0)",
        "INSERT INTO subscribers (email, lang, confirm_hash, unsubscribe_hash, source, created_at,
             confirm_sent_at)
         VALUES ('old.reader.qarawitest@example.org', 'en', x'01', x'02', 'form', 0, 0)",
        "INSERT INTO outbox (registration_id, to_address, lang, subject, body_text, created_at,
             next_attempt_at, list_unsubscribe)
         VALUES (1, 'Old.Person.Qarawitest@example.org', 'en', 'Older briefing',
             'Dear Old Name Qarawitest', 0, 4000000000000, 'https://x.example/unsub/qarawitest')",
        "INSERT INTO audit (at, actor_user_id, actor, action, subject_type, subject_id, reason)
         VALUES (0, 1, 'staff', 'rejected', 'registration', 1, 'Old reason Qarawitest')",
    ] {
        sqlx::query(sql).bind(event).execute(&pool).await.unwrap();
    }

    // The first start of this version.
    let key = DataKey::from_bytes(&[5; 32]);
    db.migrate(&key).await.unwrap();

    let user = users::by_email(&pool, &key, "old.staff.qarawitest@example.org")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.display_name, "Old Staff Qarawitest");
    let registration = registrations::by_id(&pool, &key, 1).await.unwrap().unwrap();
    assert_eq!(
        (
            registration.name.as_str(),
            registration.organisation.as_str(),
            registration.role.as_str(),
            registration.email.as_str(),
            registration.accessibility.as_str(),
            registration.reason.as_deref(),
        ),
        (
            "Old Name Qarawitest",
            "Old Org Qarawitest",
            "Old Role Qarawitest",
            "Old.Person.Qarawitest@example.org",
            "Old needs Qarawitest",
            Some("Old reason Qarawitest"),
        )
    );
    let organisation = organisations::list(&pool, &key, None, 10).await.unwrap();
    assert_eq!(
        organisation[0].contact_email,
        "old.org.qarawitest@example.org"
    );
    assert_eq!(
        organisation[0].website.as_deref(),
        Some("https://old-qarawitest.example.org")
    );
    assert!(
        subscribers::by_email(&pool, &key, "OLD.reader.qarawitest@example.org")
            .await
            .unwrap()
            .is_some()
    );
    let mail: Vec<_> = outbox::due(&pool, &key, 4_000_000_000_000, 10)
        .await
        .unwrap()
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(mail[0].to_address, "Old.Person.Qarawitest@example.org");
    assert_eq!(mail[0].body_text, "Dear Old Name Qarawitest");
    let entries = audit::latest(&pool, &key, 10).await.unwrap();
    assert_eq!(entries[0].reason.as_deref(), Some("Old reason Qarawitest"));
    assert_eq!(
        entries[0].actor_name.as_deref(),
        Some("Old Staff Qarawitest")
    );
    // The log is still append-only once sealed.
    assert!(
        sqlx::query("UPDATE audit SET reason = x'00'")
            .execute(&pool)
            .await
            .is_err()
    );

    // No checkpoint here: sealing at start empties the WAL itself, so the
    // old plaintext pages are gone from it as well as from the database.
    let mut raw = std::fs::read(dir.path().join("old.db")).unwrap();
    raw.extend(std::fs::read(dir.path().join("old.db-wal")).unwrap_or_default());
    for secret in ["Qarawitest", "qarawitest", "QARAWITEST"] {
        assert!(
            !contains(&raw, secret),
            "{secret:?} left in the migrated file"
        );
    }
    assert!(contains(&raw, "Older Org"));
}

/// A message that cannot be decrypted (a damaged row) is given up on, and
/// every other message is still delivered.
#[tokio::test]
async fn a_damaged_message_does_not_hold_up_the_others() {
    let app = spawn_app().await;
    let garbage = vec![0x01_u8, 0xde, 0xad, 0xbe, 0xef];
    let damaged: i64 = sqlx::query_scalar(
        "INSERT INTO outbox (to_address, lang, subject, body_text, created_at, next_attempt_at)
         VALUES ($1, 'en', 'x', $2, 0, 0) RETURNING id",
    )
    .bind(garbage.clone())
    .bind(garbage)
    .fetch_one(app.sql())
    .await
    .unwrap();
    let slug = app.briefing_slug().await;
    let response = app
        .post_form(
            &format!("/en/events/{slug}/register"),
            &[
                ("name", "After Damage"),
                ("organisation", "Outbox"),
                ("role", "Tester"),
                ("email", "after.damage@example.org"),
                ("mode", "online"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let mut pending = i64::MAX;
    for _ in 0..200 {
        pending = sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL",
        )
        .fetch_one(app.sql())
        .await
        .unwrap();
        if pending == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(pending, 0, "every message delivered or given up on");
    let (failed, error): (Option<i64>, Option<String>) =
        sqlx::query_as("SELECT failed_at, last_error FROM outbox WHERE id = $1")
            .bind(damaged)
            .fetch_one(app.sql())
            .await
            .unwrap();
    assert!(failed.is_some());
    assert_eq!(error.as_deref(), Some("cannot be decrypted"));
    let sent: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL")
        .fetch_one(app.sql())
        .await
        .unwrap();
    assert_eq!(sent, 1, "the registration's email went out");
}
