//! Queries on `sessions` (agenda items). The meeting URL is never selected
//! by the public queries here.

use sqlx::{SqliteExecutor, SqlitePool};

#[derive(Debug, Clone)]
pub struct PublicSessionRow {
    pub title_en: String,
    pub title_ar: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub in_person: bool,
    pub online: bool,
}

#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    pub event_id: i64,
    pub title_en: &'a str,
    pub title_ar: &'a str,
    pub starts_at: i64,
    pub ends_at: i64,
    pub room: Option<&'a str>,
    pub meeting_url: Option<&'a str>,
}

pub async fn insert(db: impl SqliteExecutor<'_>, s: &NewSession<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"INSERT INTO sessions (event_id, title_en, title_ar, starts_at, ends_at, room, meeting_url)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           RETURNING id AS "id!: i64""#,
        s.event_id,
        s.title_en,
        s.title_ar,
        s.starts_at,
        s.ends_at,
        s.room,
        s.meeting_url,
    )
    .fetch_one(db)
    .await
}

/// The agenda of an event as the public may see it: titles, times, and
/// whether each session has an in-person and an online part.
pub async fn public_agenda(
    pool: &SqlitePool,
    event_id: i64,
) -> sqlx::Result<Vec<PublicSessionRow>> {
    sqlx::query_as!(
        PublicSessionRow,
        r#"SELECT title_en, title_ar, starts_at, ends_at,
                  room IS NOT NULL AS "in_person!: bool",
                  meeting_url IS NOT NULL AS "online!: bool"
           FROM sessions
           WHERE event_id = ? AND cancelled = 0
           ORDER BY starts_at"#,
        event_id,
    )
    .fetch_all(pool)
    .await
}
