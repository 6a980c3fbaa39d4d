//! Queries on `sessions` (agenda items). The meeting URL is never selected
//! by the public queries here.

use super::backend::{Exec, run};

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
    /// `language | channel` per line.
    pub interpretation: String,
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

pub async fn insert(db: impl Into<Exec<'_>>, s: &NewSession<'_>) -> sqlx::Result<i64> {
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"INSERT INTO sessions (event_id, title_en, title_ar, starts_at, ends_at, room, meeting_url)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           RETURNING id AS "id!: i64""#,
            postgres: r#"INSERT INTO sessions (event_id, title_en, title_ar, starts_at, ends_at, room, meeting_url)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           RETURNING id AS "id!: i64""#,
            s.event_id,
            s.title_en,
            s.title_ar,
            s.starts_at,
            s.ends_at,
            s.room,
            s.meeting_url,
        )
    )
}

/// The agenda of an event as the public may see it: titles, times, and
/// whether each session has an in-person and an online part.
pub async fn public_agenda(
    db: impl Into<Exec<'_>>,
    event_id: i64,
) -> sqlx::Result<Vec<PublicSessionRow>> {
    run!(
        db,
        fetch_all,
        query_as!(PublicSessionRow,
            sqlite: r#"SELECT id AS "id!", title_en, title_ar, starts_at, ends_at,
                  room IS NOT NULL AS "in_person!: bool",
                  meeting_url IS NOT NULL AS "online!: bool",
                  join_opens_minutes_before, interpretation
           FROM sessions
           WHERE event_id = ? AND cancelled = 0
           ORDER BY starts_at"#,
            postgres: r#"SELECT id, title_en, title_ar, starts_at, ends_at,
                  room IS NOT NULL AS "in_person!: bool",
                  meeting_url IS NOT NULL AS "online!: bool",
                  join_opens_minutes_before, interpretation
           FROM sessions
           WHERE event_id = $1 AND NOT cancelled
           ORDER BY starts_at"#,
            event_id,
        )
    )
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
    /// `language | channel` per line.
    pub interpretation: String,
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
    db: impl Into<Exec<'_>>,
    event_id: i64,
) -> sqlx::Result<Vec<EditorSessionRow>> {
    run!(
        db,
        fetch_all,
        query_as!(EditorSessionRow,
            sqlite: r#"SELECT id AS "id!", event_id, title_en, title_ar, starts_at, ends_at, room, meeting_url,
                  join_opens_minutes_before, cancelled AS "cancelled: bool", interpretation
           FROM sessions
           WHERE event_id = ?
           ORDER BY starts_at, id"#,
            postgres: r#"SELECT id, event_id, title_en, title_ar, starts_at, ends_at, room, meeting_url,
                  join_opens_minutes_before, cancelled, interpretation
           FROM sessions
           WHERE event_id = $1
           ORDER BY starts_at, id"#,
            event_id,
        )
    )
}

/// The event session `id` belongs to.
pub async fn event_of(db: impl Into<Exec<'_>>, id: i64) -> sqlx::Result<Option<i64>> {
    run!(
        db,
        fetch_optional,
        query_scalar!(
            sqlite: "SELECT event_id FROM sessions WHERE id = ?",
            postgres: "SELECT event_id FROM sessions WHERE id = $1",
            id,
        )
    )
}

/// One session of one event (`None` when the id belongs to another event),
/// the secret meeting URL included: for the editor, and for
/// `/join/<token>/<session>` once the participant's entitlement is known.
pub async fn editor_by_id(
    db: impl Into<Exec<'_>>,
    event_id: i64,
    id: i64,
) -> sqlx::Result<Option<EditorSessionRow>> {
    run!(
        db,
        fetch_optional,
        query_as!(EditorSessionRow,
            sqlite: r#"SELECT id AS "id!", event_id, title_en, title_ar, starts_at, ends_at, room, meeting_url,
                  join_opens_minutes_before, cancelled AS "cancelled: bool", interpretation
           FROM sessions
           WHERE event_id = ? AND id = ?"#,
            postgres: r#"SELECT id, event_id, title_en, title_ar, starts_at, ends_at, room, meeting_url,
                  join_opens_minutes_before, cancelled, interpretation
           FROM sessions
           WHERE event_id = $1 AND id = $2"#,
            event_id,
            id,
        )
    )
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
    pub interpretation: String,
}

pub async fn insert_edited(
    db: impl Into<Exec<'_>>,
    event_id: i64,
    s: &SessionValues<'_>,
) -> sqlx::Result<i64> {
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"INSERT INTO sessions (event_id, title_en, title_ar, starts_at, ends_at, room,
               meeting_url, join_opens_minutes_before, interpretation)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           RETURNING id AS "id!: i64""#,
            postgres: r#"INSERT INTO sessions (event_id, title_en, title_ar, starts_at, ends_at, room,
               meeting_url, join_opens_minutes_before, interpretation)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           RETURNING id AS "id!: i64""#,
            event_id,
            s.title_en,
            s.title_ar,
            s.starts_at,
            s.ends_at,
            s.room,
            s.meeting_url,
            s.join_opens_minutes_before,
            s.interpretation,
        )
    )
}

pub async fn update(db: impl Into<Exec<'_>>, id: i64, s: &SessionValues<'_>) -> sqlx::Result<()> {
    run!(
        db,
        execute,
        query!(
            sqlite: r#"UPDATE sessions SET title_en = ?, title_ar = ?, starts_at = ?, ends_at = ?, room = ?,
               meeting_url = ?, join_opens_minutes_before = ?, interpretation = ?
           WHERE id = ?"#,
            postgres: r#"UPDATE sessions SET title_en = $1, title_ar = $2, starts_at = $3, ends_at = $4, room = $5,
               meeting_url = $6, join_opens_minutes_before = $7, interpretation = $8
           WHERE id = $9"#,
            s.title_en,
            s.title_ar,
            s.starts_at,
            s.ends_at,
            s.room,
            s.meeting_url,
            s.join_opens_minutes_before,
            s.interpretation,
            id,
        )
    )?;
    Ok(())
}

pub async fn cancel(db: impl Into<Exec<'_>>, id: i64) -> sqlx::Result<()> {
    run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE sessions SET cancelled = 1 WHERE id = ?",
            postgres: "UPDATE sessions SET cancelled = true WHERE id = $1",
            id,
        )
    )?;
    Ok(())
}

/// The live sessions of an event that fall outside `[starts, ends]`.
pub async fn count_outside(
    db: impl Into<Exec<'_>>,
    event_id: i64,
    starts: i64,
    ends: i64,
) -> sqlx::Result<i64> {
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"SELECT COUNT(*) AS "n!: i64" FROM sessions
           WHERE event_id = ? AND cancelled = 0 AND (starts_at < ? OR ends_at > ?)"#,
            postgres: r#"SELECT COUNT(*) AS "n!: i64" FROM sessions
           WHERE event_id = $1 AND NOT cancelled AND (starts_at < $2 OR ends_at > $3)"#,
            event_id,
            starts,
            ends,
        )
    )
}

/// Records that a registration used its join link for a session.
pub async fn record_attendance(
    db: impl Into<Exec<'_>>,
    registration_id: i64,
    session_id: i64,
    now: i64,
) -> sqlx::Result<()> {
    run!(
        db,
        execute,
        query!(
            sqlite: "INSERT INTO attendance (registration_id, session_id, first_joined_at, last_joined_at)
         VALUES (?1, ?2, ?3, ?3)
         ON CONFLICT (registration_id, session_id)
         DO UPDATE SET last_joined_at = excluded.last_joined_at, joins = joins + 1",
            // PostgreSQL: the existing row's `joins` named with its table (a
            // bare `joins` is ambiguous there beside `excluded.joins`).
            postgres: "INSERT INTO attendance (registration_id, session_id, first_joined_at, last_joined_at)
         VALUES ($1, $2, $3, $3)
         ON CONFLICT (registration_id, session_id)
         DO UPDATE SET last_joined_at = excluded.last_joined_at, joins = attendance.joins + 1",
            registration_id,
            session_id,
            now,
        )
    )?;
    Ok(())
}
