//! The `lausanne` binary as an operator runs it, on the run's database:
//! SQLite, or PostgreSQL when `LAUSANNE_TEST_BACKEND=postgres`.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::common::{POSTGRES_KEY, on_postgres, postgres::fresh_database};

/// The binary with a folder of its own, on no database yet.
fn lausanne(dir: &tempfile::TempDir) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lausanne"));
    cmd.env(
        "DATABASE_URL",
        format!("sqlite://{}/cli.db?mode=rwc", dir.path().display()),
    )
    .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
    .env("LAUSANNE_OUTBOX_DIR", dir.path().join("outbox"))
    .env("RUST_LOG", "warn");
    cmd
}

/// A database of its own for the binary: a SQLite file in a temporary
/// folder, or a fresh PostgreSQL database (with the data key it needs).
struct Operator {
    dir: tempfile::TempDir,
    url: String,
}

impl Operator {
    async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let url = if on_postgres() {
            fresh_database().await.1
        } else {
            format!("sqlite://{}/cli.db?mode=rwc", dir.path().display())
        };
        Self { dir, url }
    }

    fn lausanne(&self) -> Command {
        let mut cmd = lausanne(&self.dir);
        cmd.env("DATABASE_URL", &self.url);
        if on_postgres() {
            cmd.env("LAUSANNE_DATA_KEY", POSTGRES_KEY);
        }
        cmd
    }

    /// The database, for the test's own SQL (`$1` placeholders).
    async fn sql(&self) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        sqlx::AnyPool::connect(&self.url).await.unwrap()
    }
}

#[tokio::test]
async fn migrate_demo_and_demo_again() {
    let operator = Operator::new().await;
    let out = operator.lausanne().arg("migrate").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("database is up to date"));
    let out = operator.lausanne().arg("demo").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("loaded 12 demo events"));
    let out = operator.lausanne().arg("demo").output().unwrap();
    assert!(
        out.status.success(),
        "a second demo is refused politely, not an error"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("already has events"));
}

#[tokio::test]
async fn serve_stops_gracefully_on_sigterm() {
    let operator = Operator::new().await;
    let mut child = operator
        .lausanne()
        .arg("serve")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(
        line.starts_with("Lausanne Platform is running at http://127.0.0.1:"),
        "{line}"
    );
    let addr = line
        .split("http://")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    assert!(
        std::net::TcpStream::connect(&addr).is_ok(),
        "listening on {addr}"
    );

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "exit status after SIGTERM: {status}");
}

/// `lausanne backup` while registrations are being written: the copy passes
/// its integrity check, holds every registration acknowledged before the
/// backup began, and serves when restored.
#[tokio::test]
async fn backup_under_write_load_restores_every_acknowledged_row() {
    use std::sync::{Arc, Mutex};
    use std::time::Instant;

    // `lausanne backup` copies a SQLite database (VACUUM INTO).
    let app = crate::common::spawn_sqlite_app().await;
    let slug = app.briefing_slug().await;
    let acknowledged = Arc::new(Mutex::new(Vec::<(Instant, String)>::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (client, url) = (
                app.client.clone(),
                app.url(&format!("/en/events/{slug}/register")),
            );
            let (acknowledged, stop) = (acknowledged.clone(), stop.clone());
            tokio::spawn(async move {
                let mut i = 0;
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    let email = format!("load{w}-{i}@example.org");
                    i += 1;
                    let response = client
                        .post(&url)
                        .form(&[
                            ("name", "Load Test"),
                            ("organisation", "Load"),
                            ("role", "Tester"),
                            ("email", email.as_str()),
                            ("mode", "online"),
                            ("consent", "yes"),
                        ])
                        .send()
                        .await
                        .unwrap();
                    if response.status().as_u16() == 303 {
                        acknowledged.lock().unwrap().push((Instant::now(), email));
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.db");
    let started = Instant::now();
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_lausanne"))
        .arg("backup")
        .arg(&file)
        .env("DATABASE_URL", &app.database_url)
        .env("RUST_LOG", "warn")
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("integrity check ok") && stdout.contains("SQLite 3."),
        "{stdout}"
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    for writer in writers {
        writer.await.unwrap();
    }
    let before: Vec<String> = acknowledged
        .lock()
        .unwrap()
        .iter()
        .filter(|(at, _)| *at < started)
        .map(|(_, email)| email.clone())
        .collect();
    assert!(
        before.len() > 10,
        "the load wrote {} rows first",
        before.len()
    );

    // A second backup to the same file is refused; so is a missing folder.
    let again = tokio::process::Command::new(env!("CARGO_BIN_EXE_lausanne"))
        .arg("backup")
        .arg(&file)
        .env("DATABASE_URL", &app.database_url)
        .output()
        .await
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));

    // Restore: the copy becomes a database a server opens and serves.
    let restored = dir.path().join("restored.db");
    std::fs::copy(&file, &restored).unwrap();
    let url = format!("sqlite://{}", restored.display());
    let db = app::server::db::Db::open(&url).await.unwrap();
    let pool = db.as_sqlite().unwrap().clone();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(check, "ok");
    let mut missing = 0;
    for email in &before {
        let found: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM registrations WHERE email_lookup = ?")
                .bind(app.lookup(app::server::crypto::REGISTRATION_EMAIL, email))
                .fetch_one(&pool)
                .await
                .unwrap();
        missing += usize::from(found != 1);
    }
    assert_eq!(missing, 0, "of {} acknowledged rows", before.len());
    println!(
        "backup under load: {} registrations acknowledged before it began, missing: {missing}; {}",
        before.len(),
        stdout.trim()
    );
    // The copy opens only with the data key it was written with.
    db.migrate(&app.state.key).await.unwrap();
}

/// `lausanne purge` on a database with nothing due deletes nothing and says
/// so, with the configured periods.
#[tokio::test]
async fn purge_reports_what_it_deleted() {
    let operator = Operator::new().await;
    let out = operator
        .lausanne()
        .arg("purge")
        .env("LAUSANNE_RETENTION_DAYS", "45")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("deleted 0 registrations (events ended over 45 days ago)"),
        "{stdout}"
    );
    let bad = operator
        .lausanne()
        .arg("purge")
        .env("LAUSANNE_RETENTION_DAYS", "0")
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("LAUSANNE_RETENTION_DAYS"));
}

#[tokio::test]
async fn reset_two_factor_from_the_command_line() {
    let operator = Operator::new().await;
    assert!(
        operator
            .lausanne()
            .arg("migrate")
            .output()
            .unwrap()
            .status
            .success()
    );
    let out = operator
        .lausanne()
        .args([
            "user",
            "add",
            "--email",
            "lost.phone@example.org",
            "--role",
            "admin",
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success());
    let pool = operator.sql().await;
    // Enrolled (the secret's value does not matter to the operator's reset).
    sqlx::query("UPDATE users SET totp_secret = $1")
        .bind(vec![0_u8])
        .execute(&pool)
        .await
        .unwrap();
    let out = operator
        .lausanne()
        .args(["user", "reset-2fa", "lost.phone@example.org"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("two-factor sign-in removed"));
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE totp_secret IS NOT NULL")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit WHERE action = 'two_factor_removed' AND actor = 'system'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);
    let again = operator
        .lausanne()
        .args(["user", "reset-2fa", "lost.phone@example.org"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).contains("nothing changed"));
    let unknown = operator
        .lausanne()
        .args(["user", "reset-2fa", "nobody@example.org"])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}

/// `lausanne backup` copies a SQLite database; on PostgreSQL it says what to
/// use instead, in one line, and writes nothing.
#[tokio::test]
async fn backup_is_sqlites_and_names_pg_dump_on_postgres() {
    let operator = Operator::new().await;
    assert!(
        operator
            .lausanne()
            .arg("migrate")
            .output()
            .unwrap()
            .status
            .success()
    );
    let file = operator.dir.path().join("backup.db");
    let out = operator
        .lausanne()
        .arg("backup")
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if on_postgres() {
        assert!(!out.status.success());
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains("pg_dump"), "{stderr}");
        assert!(!file.exists());
    } else {
        assert!(out.status.success(), "{stderr}");
        assert!(file.exists());
    }
}

/// A database URL the app does not understand stops it with one line that
/// names the problem (never the password), and writes nothing anywhere:
/// `postgres://…` used to be taken as a SQLite file path, creating a folder
/// named `postgres:` with a database and a key in it.
#[test]
fn a_wrong_database_url_is_refused_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let key = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    for (url, key, expected) in [
        (
            "mysql://root:s3cret@db.internal/lausanne",
            Some(key),
            "DATABASE_URL is not valid",
        ),
        ("lausanne.db", Some(key), "DATABASE_URL is not valid"),
        (
            "postgres://app:s3cret@db.internal:5432/lausanne",
            None,
            "LAUSANNE_DATA_KEY",
        ),
    ] {
        let mut cmd = lausanne(&dir);
        cmd.current_dir(dir.path()).env("DATABASE_URL", url);
        match key {
            Some(key) => cmd.env("LAUSANNE_DATA_KEY", key),
            None => cmd.env_remove("LAUSANNE_DATA_KEY"),
        };
        let out = cmd.arg("migrate").output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{url}");
        assert_eq!(stderr.lines().count(), 1, "{url}: {stderr}");
        assert!(
            stderr.starts_with(&format!("lausanne: {expected}")),
            "{url}: {stderr}"
        );
        assert!(!stderr.contains("s3cret"), "{url}: {stderr}");
        assert!(String::from_utf8_lossy(&out.stdout).is_empty(), "{url}");
    }
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

/// A PostgreSQL URL that leads nowhere stops the binary with one line that
/// says where and why, without the password.
#[test]
fn an_unreachable_postgres_is_named_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = lausanne(&dir)
        .current_dir(dir.path())
        .env(
            "DATABASE_URL",
            format!("postgres://app:s3cret@127.0.0.1:{port}/lausanne"),
        )
        .env(
            "LAUSANNE_DATA_KEY",
            "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
        )
        .arg("migrate")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "lausanne: cannot connect to PostgreSQL at 127.0.0.1:{port}/lausanne: "
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("s3cret"), "{stderr}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
