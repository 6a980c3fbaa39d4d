//! PostgreSQL's schema (`app/migrations/postgres`) against SQLite's
//! (`app/migrations/sqlite`): the same tables, columns, nullability and
//! indexes, and the same rules (append-only audit, mail erased with its
//! registration or subscriber, checks). A migration added to one backend
//! and not the other fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use sqlx::migrate::Migrator;
use sqlx::{PgPool, Row, SqlitePool};

use crate::common::postgres::fresh_database;

async fn migrated_postgres() -> PgPool {
    let (pool, _) = fresh_database().await;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/migrations/postgres");
    Migrator::new(dir).await.unwrap().run(&pool).await.unwrap();
    pool
}

async fn migrated_sqlite(dir: &tempfile::TempDir) -> SqlitePool {
    let url = format!("sqlite://{}/schema.db?mode=rwc", dir.path().display());
    let db = app::server::db::Db::open(&url).await.unwrap();
    let pool = db.as_sqlite().unwrap().clone();
    let files = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/migrations/sqlite");
    Migrator::new(files)
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    pool
}

/// What a column holds, in words both databases share.
fn kind(declared: &str) -> &'static str {
    match declared.to_ascii_lowercase().as_str() {
        "integer" | "bigint" => "integer",
        "boolean" => "flag",
        "text" => "text",
        "blob" | "bytea" => "bytes",
        "tsvector" => "words",
        other => panic!("a column type the comparison does not know: {other}"),
    }
}

type Columns = BTreeMap<(String, String), (&'static str, bool)>;

async fn sqlite_columns(pool: &SqlitePool) -> Columns {
    let rows = sqlx::query(
        "SELECT m.name AS tbl, c.name AS col, c.type AS ty, c.\"notnull\" AS nn, c.pk AS pk
         FROM sqlite_schema m JOIN pragma_table_info(m.name) c
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '\\_%' ESCAPE '\\'
           AND m.name NOT LIKE 'bulletins_search_%'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    rows.iter()
        .map(|r| {
            let (table, column): (String, String) = (r.get("tbl"), r.get("col"));
            let declared: String = r.get("ty");
            // FTS5 columns have no declared type: all text.
            let declared = if declared.is_empty() {
                "text".to_owned()
            } else {
                declared
            };
            let not_null = r.get::<i64, _>("nn") == 1 || r.get::<i64, _>("pk") == 1;
            ((table, column), (kind(&declared), not_null))
        })
        .collect()
}

async fn postgres_columns(pool: &PgPool) -> Columns {
    let rows = sqlx::query(
        "SELECT table_name::text AS tbl, column_name::text AS col, data_type::text AS ty,
                is_nullable = 'NO' AS nn
         FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name NOT LIKE '\\_%'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    rows.iter()
        .map(|r| {
            let declared: String = r.get("ty");
            (
                (r.get("tbl"), r.get("col")),
                (kind(&declared), r.get::<bool, _>("nn")),
            )
        })
        .collect()
}

#[tokio::test]
async fn both_schemas_have_the_same_tables_columns_and_indexes() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = migrated_sqlite(&dir).await;
    let postgres = migrated_postgres().await;
    let (lite, pg) = (
        sqlite_columns(&sqlite).await,
        postgres_columns(&postgres).await,
    );

    let flags: BTreeSet<(&str, &str)> = [
        ("bulletins", "sample"),
        ("events", "waitlist"),
        ("events", "requires_approval"),
        ("organisations", "mailing_list"),
        ("sessions", "cancelled"),
        ("registrations", "reminders"),
        ("announcements", "waitlisted"),
        ("materials", "public"),
        ("users", "disabled"),
        ("users", "must_change_password"),
    ]
    .into();
    // Rows from before encryption could lack the lookup hash in SQLite;
    // PostgreSQL never had such rows.
    let sealed_since_the_start: BTreeSet<(&str, &str)> = [
        ("registrations", "email_lookup"),
        ("subscribers", "email_lookup"),
        ("users", "email_lookup"),
    ]
    .into();
    let mut expected = lite.clone();
    for ((table, column), (kind, not_null)) in expected.iter_mut() {
        let at = (table.as_str(), column.as_str());
        if flags.contains(&at) {
            *kind = "flag";
        }
        if sealed_since_the_start.contains(&at) {
            *not_null = true;
        }
    }
    // The search index's words, generated from its text.
    expected.insert(
        ("bulletins_search".to_owned(), "words".to_owned()),
        ("words", false),
    );
    // SQLite's FTS5 table declares no constraints; PostgreSQL's keys it.
    for column in ["bulletin_id", "lang", "text"] {
        expected.insert(
            ("bulletins_search".to_owned(), column.to_owned()),
            (
                if column == "bulletin_id" {
                    "integer"
                } else {
                    "text"
                },
                true,
            ),
        );
    }
    // What every instance shares that SQLite's one instance keeps to
    // itself: the rate limits (in memory) and the uploaded images (files).
    for (table, column, kind) in [
        ("rate_limits", "key", "bytes"),
        ("rate_limits", "tat", "integer"),
        ("strikes", "key", "bytes"),
        ("strikes", "count", "integer"),
        ("strikes", "until", "integer"),
        // Uploaded images, which every instance serves; files on SQLite.
        ("media", "name", "text"),
        ("media", "bytes", "bytes"),
        ("media", "created_at", "integer"),
    ] {
        expected.insert((table.to_owned(), column.to_owned()), (kind, true));
    }
    let missing: Vec<_> = expected
        .iter()
        .filter(|(k, v)| pg.get(*k) != Some(*v))
        .collect();
    let extra: Vec<_> = pg.keys().filter(|k| !expected.contains_key(*k)).collect();
    assert!(
        missing.is_empty(),
        "PostgreSQL differs from SQLite at {missing:?}"
    );
    assert!(
        extra.is_empty(),
        "PostgreSQL has columns SQLite has not: {extra:?}"
    );

    let lite_indexes: BTreeSet<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL",
    )
    .fetch_all(&sqlite)
    .await
    .unwrap()
    .into_iter()
    .collect();
    let pg_indexes: BTreeSet<String> =
        sqlx::query_scalar("SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public'")
            .fetch_all(&postgres)
            .await
            .unwrap()
            .into_iter()
            .collect();
    let absent: Vec<_> = lite_indexes.difference(&pg_indexes).collect();
    assert!(
        absent.is_empty(),
        "indexes missing on PostgreSQL: {absent:?}"
    );
}

async fn one(pool: &PgPool, sql: &str) -> sqlx::Result<u64> {
    sqlx::query(sql)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
}

#[tokio::test]
async fn postgres_keeps_the_same_rules() {
    let pool = migrated_postgres().await;
    one(
        &pool,
        "INSERT INTO events (slug, kind, format, title_en, title_ar, time_zone, starts_at, ends_at)
                VALUES ('e', 'briefing', 'online', 'E', 'E', 'UTC', 100, 200)",
    )
    .await
    .unwrap();
    // Checks hold.
    for wrong in [
        "INSERT INTO events (slug, kind, format, title_en, title_ar, time_zone, starts_at, ends_at)
         VALUES ('f', 'briefing', 'online', 'F', 'F', 'UTC', 200, 100)",
        "INSERT INTO events (slug, kind, format, title_en, title_ar, time_zone, starts_at, ends_at)
         VALUES ('g', 'party', 'online', 'G', 'G', 'UTC', 100, 200)",
        "INSERT INTO events (slug, kind, format, title_en, title_ar, time_zone, starts_at, ends_at)
         VALUES ('', 'briefing', 'online', 'H', 'H', 'UTC', 100, 200)",
    ] {
        assert!(one(&pool, wrong).await.is_err(), "{wrong}");
    }
    let registration = "INSERT INTO registrations (event_id, token_hash, name, organisation, role, email,
                            email_lookup, mode, accessibility, lang, state, reason, consented_at,
                            created_at, updated_at)
                        SELECT id, '\\x01', '\\x02', '\\x03', '\\x04', '\\x05', '\\x06', 'online', '\\x07',
                               'en', 'approved', '\\x08', 1, 1, 1 FROM events";
    one(&pool, registration).await.unwrap();
    // One active registration per address and event.
    let again = registration.replace("'\\x01'", "'\\x11'");
    assert!(one(&pool, &again).await.is_err());
    one(&pool, "INSERT INTO outbox (registration_id, to_address, lang, subject, body_text, created_at, next_attempt_at)
                SELECT id, '\\x09', 'en', 'E', '\\x0a', 1, 1 FROM registrations")
        .await
        .unwrap();
    one(
        &pool,
        "INSERT INTO audit (at, actor, action, subject_type, subject_id, reason)
                SELECT 1, 'staff', 'approved', 'registration', id, '\\x0b' FROM registrations",
    )
    .await
    .unwrap();

    // The audit log is append-only.
    for change in [
        "UPDATE audit SET action = 'rejected'",
        "UPDATE audit SET at = 2, reason = NULL",
        "DELETE FROM audit",
    ] {
        let refused = one(&pool, change).await.expect_err(change);
        assert!(
            refused.to_string().contains("append-only"),
            "{change}: {refused}"
        );
    }
    // Erasing the registration takes its mail and the words written about it.
    assert_eq!(one(&pool, "DELETE FROM registrations").await.unwrap(), 1);
    let mail: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(mail, 0);
    let reason: Option<Vec<u8>> = sqlx::query_scalar("SELECT reason FROM audit")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(reason, None, "the audit row stays, without its reason");

    // The same for a subscriber.
    one(&pool, "INSERT INTO subscribers (email, email_lookup, lang, confirm_hash, unsubscribe_hash, source,
                                         created_at, confirm_sent_at)
                VALUES ('\\x01', '\\x02', 'ar', '\\x03', '\\x04', 'form', 1, 1)")
        .await
        .unwrap();
    one(&pool, "INSERT INTO outbox (subscriber_id, to_address, lang, subject, body_text, created_at, next_attempt_at)
                SELECT id, '\\x09', 'ar', 'B', '\\x0a', 1, 1 FROM subscribers")
        .await
        .unwrap();
    one(&pool, "DELETE FROM subscribers").await.unwrap();
    let mail: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(mail, 0);
}

#[tokio::test]
async fn postgres_search_finds_the_normalised_words() {
    let pool = migrated_postgres().await;
    one(
        &pool,
        "INSERT INTO bulletins (number, slug, title_ar, created_at, updated_at)
                VALUES (1, 'b', 'نشرة', 1, 1)",
    )
    .await
    .unwrap();
    let text = app::domain::search::index_text("المُساءلة والعدالة للأطفال");
    sqlx::query(
        "INSERT INTO bulletins_search (bulletin_id, lang, text) SELECT id, 'ar', $1 FROM bulletins",
    )
    .bind(&text)
    .execute(&pool)
    .await
    .unwrap();
    for (typed, found) in [
        ("مساءلة", true),
        ("المساءله", true),
        ("العدالة", true),
        ("الأطفال والعدالة", true),
        ("الطفل", false),
    ] {
        let query = app::domain::search::query_words(typed).join(" ");
        let hits: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM bulletins_search WHERE words @@ plainto_tsquery('simple', $1)",
        )
        .bind(&query)
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(hits == 1, found, "{typed}");
    }
}
