//! A fresh PostgreSQL database per test, in the throwaway cluster that
//! `scripts/with-postgres.sh` starts for the test run (its superuser URL is
//! in `LAUSANNE_TEST_POSTGRES`).

use std::sync::atomic::{AtomicUsize, Ordering};

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{ConnectOptions, Connection};

/// An empty database of its own, and its URL.
pub async fn fresh_database() -> (PgPool, String) {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let Ok(cluster) = std::env::var("LAUSANNE_TEST_POSTGRES") else {
        panic!(
            "LAUSANNE_TEST_POSTGRES is not set: run the tests through scripts/test.sh, or \
             `bash scripts/with-postgres.sh cargo test -p server`"
        );
    };
    let name = format!(
        "test_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let admin: PgConnectOptions = cluster.parse().unwrap();
    let mut connection = admin.connect().await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut connection)
        .await
        .unwrap();
    connection.close().await.unwrap();
    let options = admin.database(&name);
    let url = options.to_url_lossy().to_string();
    let pool = PgPoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .unwrap();
    (pool, url)
}
