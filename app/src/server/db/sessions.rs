//! Queries on `sessions` (agenda items). The meeting URL is never selected
//! by the public queries here.

use sqlx::{SqliteExecutor, SqlitePool};

#[derive(Debug, Clone)]
pub struct PublicSessionRow {
    pub id: i64,
    pub title_en: String,
    pub title_ar: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub in_person: bool,
    pub online: bool,
    pub join_opens_minutes_before: i64,
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
        r#"SELECT id AS "id!", title_en, title_ar, starts_at, ends_at,
                  room IS NOT NULL AS "in_person!: bool",
                  meeting_url IS NOT NULL AS "online!: bool",
                  join_opens_minutes_before
           FROM sessions
           WHERE event_id = ? AND cancelled = 0
           ORDER BY starts_at"#,
        event_id,
    )
    .fetch_all(pool)
    .await
}

// ---------------------------------------------------------------------------
// The staff editor (admins only): every column, the meeting URL included.

#[derive(Clone)]
pub struct EditorSessionRow {
    pub id: i64,
    pub event_id: i64,
    pub title_en: String,
    pub title_ar: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub room: Option<String>,
    /// Secret: for the editor's form only.
    pub meeting_url: Option<String>,
    pub join_opens_minutes_before: i64,
    pub cancelled: bool,
}

impl std::fmt::Debug for EditorSessionRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EditorSessionRow")
            .field("id", &self.id)
            .field("event_id", &self.event_id)
            .field("meeting_url", &self.meeting_url.as_ref().map(|_| "…"))
            .finish_non_exhaustive()
    }
}

/// The sessions of an event, cancelled ones included, in time order.
pub async fn for_editor(
    db: impl SqliteExecutor<'_>,
    event_id: i64,
) -> sqlx::Result<Vec<EditorSessionRow>> {
    sqlx::query_as!(
        EditorSessionRow,
        r#"SELECT id AS "id!", event_id, title_en, title_ar, starts_at, ends_at, room, meeting_url,
                  join_opens_minutes_before, cancelled AS "cancelled: bool"
           FROM sessions
           WHERE event_id = ?
           ORDER BY starts_at, id"#,
        event_id,
    )
    .fetch_all(db)
    .await
}

/// The event session `id` belongs to.
pub async fn event_of(db: impl SqliteExecutor<'_>, id: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!("SELECT event_id FROM sessions WHERE id = ?", id)
        .fetch_optional(db)
        .await
}

/// One session of one event (`None` when the id belongs to another event),
/// the secret meeting URL included: for the editor, and for
/// `/join/<token>/<session>` once the participant's entitlement is known.
pub async fn editor_by_id(
    db: impl SqliteExecutor<'_>,
    event_id: i64,
    id: i64,
) -> sqlx::Result<Option<EditorSessionRow>> {
    sqlx::query_as!(
        EditorSessionRow,
        r#"SELECT id AS "id!", event_id, title_en, title_ar, starts_at, ends_at, room, meeting_url,
                  join_opens_minutes_before, cancelled AS "cancelled: bool"
           FROM sessions
           WHERE event_id = ? AND id = ?"#,
        event_id,
        id,
    )
    .fetch_optional(db)
    .await
}

/// What the editor sets on a session.
#[derive(Clone)]
pub struct SessionValues<'a> {
    pub title_en: &'a str,
    pub title_ar: &'a str,
    pub starts_at: i64,
    pub ends_at: i64,
    pub room: Option<&'a str>,
    pub meeting_url: Option<&'a str>,
    pub join_opens_minutes_before: i64,
}

pub async fn insert_edited(
    db: impl SqliteExecutor<'_>,
    event_id: i64,
    s: &SessionValues<'_>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"INSERT INTO sessions (event_id, title_en, title_ar, starts_at, ends_at, room,
               meeting_url, join_opens_minutes_before)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           RETURNING id AS "id!: i64""#,
        event_id,
        s.title_en,
        s.title_ar,
        s.starts_at,
        s.ends_at,
        s.room,
        s.meeting_url,
        s.join_opens_minutes_before,
    )
    .fetch_one(db)
    .await
}

pub async fn update(
    db: impl SqliteExecutor<'_>,
    id: i64,
    s: &SessionValues<'_>,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"UPDATE sessions SET title_en = ?, title_ar = ?, starts_at = ?, ends_at = ?, room = ?,
               meeting_url = ?, join_opens_minutes_before = ?
           WHERE id = ?"#,
        s.title_en,
        s.title_ar,
        s.starts_at,
        s.ends_at,
        s.room,
        s.meeting_url,
        s.join_opens_minutes_before,
        id,
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn cancel(db: impl SqliteExecutor<'_>, id: i64) -> sqlx::Result<()> {
    sqlx::query!("UPDATE sessions SET cancelled = 1 WHERE id = ?", id)
        .execute(db)
        .await?;
    Ok(())
}

/// The live sessions of an event that fall outside `[starts, ends]`.
pub async fn count_outside(
    db: impl SqliteExecutor<'_>,
    event_id: i64,
    starts: i64,
    ends: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM sessions
           WHERE event_id = ? AND cancelled = 0 AND (starts_at < ? OR ends_at > ?)"#,
        event_id,
        starts,
        ends,
    )
    .fetch_one(db)
    .await
}

/// Records that a registration used its join link for a session.
pub async fn record_attendance(
    db: impl SqliteExecutor<'_>,
    registration_id: i64,
    session_id: i64,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO attendance (registration_id, session_id, first_joined_at, last_joined_at)
         VALUES (?1, ?2, ?3, ?3)
         ON CONFLICT (registration_id, session_id)
         DO UPDATE SET last_joined_at = excluded.last_joined_at, joins = joins + 1",
        registration_id,
        session_id,
        now,
    )
    .execute(db)
    .await?;
    Ok(())
}
