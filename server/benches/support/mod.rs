//! What the benches share: the database they run on. SQLite (a file in the
//! bench's folder) unless `DATABASE_URL` names PostgreSQL or the bench is
//! given `--pg`, which takes the throwaway cluster that
//! `scripts/with-postgres.sh` starts (`LAUSANNE_TEST_POSTGRES`). On
//! PostgreSQL each run creates a database of its own in that cluster.

#![allow(dead_code)]

use std::path::Path;

use sqlx::{ConnectOptions, Connection};

/// The data key of a bench on PostgreSQL (there is no folder for a key file).
pub const POSTGRES_KEY: &str = "0909090909090909090909090909090909090909090909090909090909090909";

/// The database for this run: `(url, on PostgreSQL)`.
pub async fn database(dir: &Path) -> (String, bool) {
    let given = std::env::var("DATABASE_URL")
        .ok()
        .filter(|url| url.starts_with("postgres"));
    let cluster = if std::env::args().any(|a| a == "--pg") {
        Some(std::env::var("LAUSANNE_TEST_POSTGRES").unwrap_or_else(|_| {
            panic!(
                "--pg runs on the cluster of scripts/with-postgres.sh: \
                 bash scripts/with-postgres.sh cargo bench -p server --bench NAME -- --pg"
            )
        }))
    } else {
        given
    };
    let Some(cluster) = cluster else {
        let url = format!("sqlite://{}/bench.db?mode=rwc", dir.display());
        return (url, false);
    };
    let options: sqlx::postgres::PgConnectOptions = cluster.parse().unwrap();
    let mut admin = options.connect().await.unwrap();
    let name = format!("bench_{}", std::process::id());
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    admin.close().await.unwrap();
    let url = options.database(&name).to_url_lossy().to_string();
    (url, true)
}

/// The bench's own SQL on either database (`$1` placeholders).
pub async fn sql(url: &str) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::AnyPool::connect(url).await.unwrap()
}

/// How the database makes a commit durable, for the printed lines: the
/// throwaway cluster of the tests runs without `fsync`, and says so.
pub async fn durability(url: &str, postgres: bool) -> String {
    if !postgres {
        return "synchronous=FULL".to_owned();
    }
    let pool = sql(url).await;
    let mut settings = Vec::new();
    for setting in ["fsync", "synchronous_commit"] {
        let value: String = sqlx::query_scalar(&format!("SELECT current_setting('{setting}')"))
            .fetch_one(&pool)
            .await
            .unwrap();
        settings.push(format!("{setting}={value}"));
    }
    format!("PostgreSQL {}", settings.join(" "))
}

/// Approved registrations beyond a mode's capacity, summed over every event
/// and mode (the benches' last line: 0).
pub async fn oversold(pool: &sqlx::AnyPool) -> i64 {
    sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(CASE WHEN n > cap THEN n - cap ELSE 0 END), 0) AS BIGINT) FROM (
             SELECT COUNT(*) AS n,
                    CASE r.mode WHEN 'in_person' THEN e.seats_in_person ELSE e.seats_online END AS cap
             FROM registrations r JOIN events e ON e.id = r.event_id
             WHERE r.state = 'approved'
             GROUP BY r.event_id, r.mode, e.seats_in_person, e.seats_online) AS taken",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

/// The fields of an online registration for `email`, as a person posts it.
pub fn online_registration(email: &str) -> [(&'static str, &str); 6] {
    [
        ("name", "Bench Participant"),
        ("organisation", "Bench Organisation"),
        ("role", "Tester"),
        ("email", email),
        ("mode", "online"),
        ("consent", "yes"),
    ]
}
