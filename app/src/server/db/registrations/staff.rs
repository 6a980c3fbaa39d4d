//! The staff desk's queries on registrations: the moderation queue, the
//! dashboard's counts and sign-ups per day, and the approved participants
//! for the export. Sealed columns come back opened.

use super::{RegistrationRow, SealedRow};
use crate::domain::{AttendanceMode, InterpretationLanguage, Lang, RegistrationState};
use crate::server::crypto::{
    DataKey, REGISTRATION_ACCESSIBILITY as ACCESSIBILITY, REGISTRATION_EMAIL as EMAIL,
    REGISTRATION_NAME as NAME, REGISTRATION_ORGANISATION as ORGANISATION,
    REGISTRATION_REASON as REASON, REGISTRATION_ROLE as ROLE,
};
use crate::server::db::backend::{Exec, run};

/// One line of the moderation queue.
#[derive(Debug, Clone)]
pub struct QueueRow {
    pub id: i64,
    pub event_slug: String,
    pub event_title_en: String,
    pub event_title_ar: String,
    pub name: String,
    pub organisation: String,
    /// The verified organisation the typed name matches, and the email
    /// domains it vouches for.
    pub claimed: Option<(String, String)>,
    pub role: String,
    pub email: String,
    pub mode: AttendanceMode,
    pub interpretation: Option<InterpretationLanguage>,
    pub accessibility: String,
    pub state: RegistrationState,
    pub reason: Option<String>,
    pub email_confirmed: bool,
    pub created_at: i64,
}

pub struct QueueFilter<'a> {
    pub event_slug: Option<&'a str>,
    pub mode: Option<AttendanceMode>,
    pub state: Option<RegistrationState>,
    pub confirmed: Option<bool>,
}

/// A line of the queue as stored, before its sealed columns are opened.
struct SealedQueueRow {
    id: i64,
    event_slug: String,
    event_title_en: String,
    event_title_ar: String,
    name: Vec<u8>,
    organisation: Vec<u8>,
    claimed_name: Option<String>,
    claimed_domains: Option<String>,
    role: Vec<u8>,
    email: Vec<u8>,
    mode: AttendanceMode,
    interpretation: Option<InterpretationLanguage>,
    accessibility: Vec<u8>,
    state: RegistrationState,
    reason: Option<Vec<u8>>,
    email_confirmed: bool,
    created_at: i64,
}

pub async fn queue(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    f: &QueueFilter<'_>,
    limit: i64,
) -> sqlx::Result<Vec<QueueRow>> {
    // PostgreSQL: the casts give each `$n IS NULL` its type, which nothing
    // else in that test tells it.
    let rows = run!(
        db,
        fetch_all,
        query_as!(SealedQueueRow,
            sqlite: r#"SELECT r.id AS "id!", e.slug AS event_slug, e.title_en AS event_title_en,
                  e.title_ar AS event_title_ar, r.name, r.organisation,
                  o.name AS "claimed_name?", o.email_domains AS "claimed_domains?",
                  r.role, r.email, r.mode AS "mode: AttendanceMode",
                  r.interpretation AS "interpretation: InterpretationLanguage", r.accessibility,
                  r.state AS "state: RegistrationState", r.reason,
                  (r.email_confirmed_at IS NOT NULL) AS "email_confirmed!: bool", r.created_at
           FROM registrations r
           JOIN events e ON e.id = r.event_id
           LEFT JOIN organisations o ON o.id = r.organisation_id AND o.state = 'verified'
           WHERE (?1 IS NULL OR e.slug = ?1)
             AND (?2 IS NULL OR r.mode = ?2)
             AND (?3 IS NULL OR r.state = ?3)
             AND (?4 IS NULL OR (r.email_confirmed_at IS NOT NULL) = ?4)
           ORDER BY r.created_at, r.id
           LIMIT ?5"#,
            postgres: r#"SELECT r.id, e.slug AS event_slug, e.title_en AS event_title_en,
                  e.title_ar AS event_title_ar, r.name, r.organisation,
                  o.name AS "claimed_name?", o.email_domains AS "claimed_domains?",
                  r.role, r.email, r.mode AS "mode: AttendanceMode",
                  r.interpretation AS "interpretation: InterpretationLanguage", r.accessibility,
                  r.state AS "state: RegistrationState", r.reason,
                  (r.email_confirmed_at IS NOT NULL) AS "email_confirmed!: bool", r.created_at
           FROM registrations r
           JOIN events e ON e.id = r.event_id
           LEFT JOIN organisations o ON o.id = r.organisation_id AND o.state = 'verified'
           WHERE ($1::text IS NULL OR e.slug = $1)
             AND ($2::text IS NULL OR r.mode = $2)
             AND ($3::text IS NULL OR r.state = $3)
             AND ($4::boolean IS NULL OR (r.email_confirmed_at IS NOT NULL) = $4)
           ORDER BY r.created_at, r.id
           LIMIT $5"#,
            f.event_slug,
            // `as _`: see `super::insert`.
            f.mode as _,
            f.state as _,
            f.confirmed,
            limit,
        )
    )?;
    rows.into_iter()
        .map(|r| {
            Ok(QueueRow {
                id: r.id,
                event_slug: r.event_slug,
                event_title_en: r.event_title_en,
                event_title_ar: r.event_title_ar,
                name: key.open(NAME, &r.name)?,
                organisation: key.open(ORGANISATION, &r.organisation)?,
                claimed: r.claimed_name.zip(r.claimed_domains),
                role: key.open(ROLE, &r.role)?,
                email: key.open(EMAIL, &r.email)?,
                mode: r.mode,
                interpretation: r.interpretation,
                accessibility: key.open(ACCESSIBILITY, &r.accessibility)?,
                state: r.state,
                reason: key.open_opt(REASON, r.reason.as_deref())?,
                email_confirmed: r.email_confirmed,
                created_at: r.created_at,
            })
        })
        .collect()
}

/// Registrations per event, state and mode, for the dashboard.
#[derive(Debug, Clone)]
pub struct CountRow {
    pub event_id: i64,
    pub state: RegistrationState,
    pub mode: AttendanceMode,
    pub n: i64,
}

pub async fn counts(db: impl Into<Exec<'_>>) -> sqlx::Result<Vec<CountRow>> {
    // The texts differ (`count`) only so that each has its own compile-time data.
    run!(
        db,
        fetch_all,
        query_as!(CountRow,
            sqlite: r#"SELECT event_id, state AS "state: RegistrationState", mode AS "mode: AttendanceMode",
                  COUNT(*) AS "n!: i64"
           FROM registrations
           GROUP BY event_id, state, mode"#,
            postgres: r#"SELECT event_id, state AS "state: RegistrationState", mode AS "mode: AttendanceMode",
                  count(*) AS "n!: i64"
           FROM registrations
           GROUP BY event_id, state, mode"#,
        )
    )
}

/// Sign-ups per event and day (UTC day number since the epoch), for the
/// published events that end at `since` or later (the dashboard's events).
#[derive(Debug, Clone)]
pub struct DayCount {
    pub event_id: i64,
    pub day: i64,
    pub n: i64,
}

pub async fn signups_per_day(db: impl Into<Exec<'_>>, since: i64) -> sqlx::Result<Vec<DayCount>> {
    run!(
        db,
        fetch_all,
        query_as!(DayCount,
            sqlite: r#"SELECT event_id, created_at / 86400 AS "day!: i64", COUNT(*) AS "n!: i64"
           FROM registrations
           WHERE event_id IN (SELECT id FROM events WHERE status = 'published' AND ends_at >= ?)
           GROUP BY event_id, created_at / 86400
           ORDER BY event_id, 2"#,
            postgres: r#"SELECT event_id, created_at / 86400 AS "day!: i64", COUNT(*) AS "n!: i64"
           FROM registrations
           WHERE event_id IN (SELECT id FROM events WHERE status = 'published' AND ends_at >= $1)
           GROUP BY event_id, created_at / 86400
           ORDER BY event_id, 2"#,
            since,
        )
    )
}

/// Approved participants of an event, for the admins' export, by mode then
/// name (sorted here: the database holds the names sealed).
pub async fn approved(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    event_id: i64,
) -> sqlx::Result<Vec<RegistrationRow>> {
    approved_and(db, key, event_id, false).await
}

/// Every registration of an event, whatever its state (the report).
pub async fn of_event(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    event_id: i64,
) -> sqlx::Result<Vec<RegistrationRow>> {
    let rows = run!(
        db,
        fetch_all,
        query_as!(SealedRow,
            sqlite: r#"SELECT id AS "id!", event_id, name, organisation, organisation_id, role, email,
                  mode AS "mode: AttendanceMode",
                  interpretation AS "interpretation: InterpretationLanguage", accessibility,
                  lang AS "lang: Lang", state AS "state: RegistrationState", reason,
                  email_confirmed_at, created_at
           FROM registrations WHERE event_id = ? ORDER BY id"#,
            postgres: r#"SELECT id, event_id, name, organisation, organisation_id, role, email,
                  mode AS "mode: AttendanceMode",
                  interpretation AS "interpretation: InterpretationLanguage", accessibility,
                  lang AS "lang: Lang", state AS "state: RegistrationState", reason,
                  email_confirmed_at, created_at
           FROM registrations WHERE event_id = $1 ORDER BY id"#,
            event_id,
        )
    )?;
    rows.into_iter().map(|r| r.open(key)).collect()
}

/// [`approved`], and the waitlisted too when `waitlisted` (announcements).
pub async fn approved_and(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    event_id: i64,
    waitlisted: bool,
) -> sqlx::Result<Vec<RegistrationRow>> {
    let rows = run!(
        db,
        fetch_all,
        query_as!(SealedRow,
            sqlite: r#"SELECT id AS "id!", event_id, name, organisation, organisation_id, role, email,
                  mode AS "mode: AttendanceMode",
                  interpretation AS "interpretation: InterpretationLanguage", accessibility,
                  lang AS "lang: Lang", state AS "state: RegistrationState", reason,
                  email_confirmed_at, created_at
           FROM registrations
           WHERE event_id = ? AND (state = 'approved' OR (? AND state = 'waitlisted'))"#,
            postgres: r#"SELECT id, event_id, name, organisation, organisation_id, role, email,
                  mode AS "mode: AttendanceMode",
                  interpretation AS "interpretation: InterpretationLanguage", accessibility,
                  lang AS "lang: Lang", state AS "state: RegistrationState", reason,
                  email_confirmed_at, created_at
           FROM registrations
           WHERE event_id = $1 AND (state = 'approved' OR ($2 AND state = 'waitlisted'))"#,
            event_id,
            waitlisted,
        )
    )?;
    let mut rows = rows
        .into_iter()
        .map(|r| r.open(key))
        .collect::<sqlx::Result<Vec<_>>>()?;
    rows.sort_by(|a, b| (a.mode.code(), &a.name, a.id).cmp(&(b.mode.code(), &b.name, b.id)));
    Ok(rows)
}
