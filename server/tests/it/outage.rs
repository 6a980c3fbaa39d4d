//! PostgreSQL going away while the app serves (a restart, a failover): the
//! app answers 503 in the reader's language rather than 500, reconnects by
//! itself once the database is back, and loses nothing it acknowledged.
//! SQLite is a file in the app's own process: it has no such outage, and
//! this test has nothing to try there.

use std::time::{Duration, Instant};

use sqlx::{ConnectOptions, Connection};

use crate::common::{on_postgres, spawn_app};
use crate::live::{register, registration_id};

/// Runs `sql` on the cluster's own database (not the test's, which is the
/// one going away).
async fn as_operator(sql: &str) {
    let cluster: sqlx::postgres::PgConnectOptions = std::env::var("LAUSANNE_TEST_POSTGRES")
        .unwrap()
        .parse()
        .unwrap();
    let mut connection = cluster.connect().await.unwrap();
    sqlx::query(sql).execute(&mut connection).await.unwrap();
    connection.close().await.unwrap();
}

#[tokio::test]
async fn a_database_outage_answers_503_and_recovers_by_itself() {
    if !on_postgres() {
        return;
    }
    let app = spawn_app().await;
    let slug = app.briefing_slug().await;
    let mut acknowledged = Vec::new();
    for i in 0..10 {
        let email = format!("before-outage-{i}@example.org");
        let (link, _) = register(&app, &slug, &email, "online").await;
        acknowledged.push((email, link));
    }
    let database = app
        .database_url
        .rsplit('/')
        .next()
        .and_then(|name| name.split('?').next())
        .unwrap()
        .to_owned();

    // The database refuses connections, and those open are cut.
    as_operator(&format!(
        "ALTER DATABASE {database} WITH ALLOW_CONNECTIONS false"
    ))
    .await;
    as_operator(&format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'"
    ))
    .await;
    let private = acknowledged[0].1.replacen("/en/", "/ar/", 1);
    let (status, html) = app.get(&private).await;
    assert_eq!(status, 503, "{html}");
    assert!(
        html.contains("حدث خطأ ما"),
        "in the reader's language: {html}"
    );
    assert!(html.contains(r#"dir="rtl""#));
    let response = app
        .post_form(
            &format!("/ar/events/{slug}/register"),
            &[("name", "During Outage"), ("email", "during@example.org")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 503, "a post, too");

    // Back: the app reconnects without being restarted.
    as_operator(&format!(
        "ALTER DATABASE {database} WITH ALLOW_CONNECTIONS true"
    ))
    .await;
    let back = Instant::now();
    loop {
        let (status, _) = app.get(&private).await;
        if status == 200 {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(15),
            "still {status} after 15 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    println!(
        "serving again {} ms after the database came back",
        back.elapsed().as_millis()
    );
    for (email, link) in &acknowledged {
        registration_id(&app, email).await;
        assert_eq!(app.get(link).await.0, 200, "{email}");
    }
    let after = register(&app, &slug, "after-outage@example.org", "online").await;
    assert_eq!(app.get(&after.0).await.0, 200);
}
