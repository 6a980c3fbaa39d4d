//! Queries on `registrations`. Seat accounting reads and writes happen inside
//! one `BEGIN IMMEDIATE` transaction (see `server::registrations`).
//!
//! Name, organisation, role, email and accessibility needs are sealed with
//! the data key (`server::crypto`); the email is found through its lookup
//! hash. Rows come back opened.

pub mod devices;
pub mod links;
mod staff;

pub use staff::{
    CountRow, DayCount, QueueFilter, QueueRow, approved, approved_and, counts, of_event, queue,
    signups_per_day,
};

use super::backend::{Exec, run};
use crate::domain::{AttendanceMode, InterpretationLanguage, Lang, RegistrationState};
use crate::server::crypto::{
    DataKey, REGISTRATION_ACCESSIBILITY as ACCESSIBILITY, REGISTRATION_EMAIL as EMAIL,
    REGISTRATION_NAME as NAME, REGISTRATION_ORGANISATION as ORGANISATION,
    REGISTRATION_REASON as REASON, REGISTRATION_ROLE as ROLE,
};

#[derive(Debug, Clone)]
pub struct RegistrationRow {
    pub id: i64,
    pub event_id: i64,
    pub name: String,
    pub organisation: String,
    pub organisation_id: Option<i64>,
    pub role: String,
    pub email: String,
    pub mode: AttendanceMode,
    pub interpretation: Option<InterpretationLanguage>,
    pub accessibility: String,
    pub lang: Lang,
    pub state: RegistrationState,
    pub reason: Option<String>,
    pub email_confirmed_at: Option<i64>,
    pub created_at: i64,
}

/// A row as stored, before its sealed columns are opened.
struct SealedRow {
    id: i64,
    event_id: i64,
    name: Vec<u8>,
    organisation: Vec<u8>,
    organisation_id: Option<i64>,
    role: Vec<u8>,
    email: Vec<u8>,
    mode: AttendanceMode,
    interpretation: Option<InterpretationLanguage>,
    accessibility: Vec<u8>,
    lang: Lang,
    state: RegistrationState,
    reason: Option<Vec<u8>>,
    email_confirmed_at: Option<i64>,
    created_at: i64,
}

impl SealedRow {
    fn open(self, key: &DataKey) -> sqlx::Result<RegistrationRow> {
        Ok(RegistrationRow {
            id: self.id,
            event_id: self.event_id,
            name: key.open(NAME, &self.name)?,
            organisation: key.open(ORGANISATION, &self.organisation)?,
            organisation_id: self.organisation_id,
            role: key.open(ROLE, &self.role)?,
            email: key.open(EMAIL, &self.email)?,
            mode: self.mode,
            interpretation: self.interpretation,
            accessibility: key.open(ACCESSIBILITY, &self.accessibility)?,
            lang: self.lang,
            state: self.state,
            reason: key.open_opt(REASON, self.reason.as_deref())?,
            email_confirmed_at: self.email_confirmed_at,
            created_at: self.created_at,
        })
    }
}

fn open_one(key: &DataKey, row: Option<SealedRow>) -> sqlx::Result<Option<RegistrationRow>> {
    row.map(|r| r.open(key)).transpose()
}

pub struct NewRegistration<'a> {
    pub event_id: i64,
    pub token_hash: &'a [u8],
    pub name: &'a str,
    pub organisation: &'a str,
    pub organisation_id: Option<i64>,
    pub role: &'a str,
    pub email: &'a str,
    pub mode: AttendanceMode,
    pub interpretation: Option<InterpretationLanguage>,
    pub accessibility: &'a str,
    pub lang: Lang,
    pub state: RegistrationState,
    pub now: i64,
}

pub async fn insert(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    r: &NewRegistration<'_>,
) -> sqlx::Result<i64> {
    let name = key.seal(NAME, r.name)?;
    let organisation = key.seal(ORGANISATION, r.organisation)?;
    let role = key.seal(ROLE, r.role)?;
    let email = key.seal(EMAIL, r.email)?;
    let email_lookup = key.lookup(EMAIL, r.email);
    let accessibility = key.seal(ACCESSIBILITY, r.accessibility)?;
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"INSERT INTO registrations (event_id, token_hash, name, organisation, organisation_id,
               role, email, email_lookup, mode, interpretation, accessibility, lang, state,
               consented_at, created_at, updated_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?14)
           RETURNING id AS "id!: i64""#,
            postgres: r#"INSERT INTO registrations (event_id, token_hash, name, organisation, organisation_id,
               role, email, email_lookup, mode, interpretation, accessibility, lang, state,
               consented_at, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $14)
           RETURNING id AS "id!: i64""#,
            r.event_id,
            r.token_hash,
            name,
            organisation,
            r.organisation_id,
            role,
            email,
            email_lookup,
            // `as _` (here and below): PostgreSQL's check of the argument's
            // type expects a `String` for a text column; the domain's
            // enums encode as their codes.
            r.mode as _,
            r.interpretation as _,
            accessibility,
            r.lang as _,
            r.state as _,
            r.now,
        )
    )
}

/// The live registration (pending, approved, waitlisted) of `email` for an event.
pub async fn live_by_email(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    event_id: i64,
    email: &str,
) -> sqlx::Result<Option<RegistrationRow>> {
    let lookup = key.lookup(EMAIL, email);
    let row = run!(
        db,
        fetch_optional,
        query_as!(SealedRow,
            sqlite: r#"SELECT id AS "id!", event_id, name, organisation, organisation_id, role, email,
                  mode AS "mode: AttendanceMode",
                  interpretation AS "interpretation: InterpretationLanguage", accessibility,
                  lang AS "lang: Lang", state AS "state: RegistrationState", reason,
                  email_confirmed_at, created_at
           FROM registrations
           WHERE event_id = ? AND email_lookup = ?
             AND state NOT IN ('withdrawn', 'rejected')"#,
            postgres: r#"SELECT id, event_id, name, organisation, organisation_id, role, email,
                  mode AS "mode: AttendanceMode",
                  interpretation AS "interpretation: InterpretationLanguage", accessibility,
                  lang AS "lang: Lang", state AS "state: RegistrationState", reason,
                  email_confirmed_at, created_at
           FROM registrations
           WHERE event_id = $1 AND email_lookup = $2
             AND state NOT IN ('withdrawn', 'rejected')"#,
            event_id,
            lookup,
        )
    )?;
    open_one(key, row)
}

/// The event of the registration whose link (or older link) hashes to
/// `hash`: what a write about it locks first (see
/// [`crate::server::db::Db::begin_event_write`]).
pub async fn event_of_token_hash(
    db: impl Into<Exec<'_>>,
    hash: &[u8],
) -> sqlx::Result<Option<i64>> {
    run!(
        db,
        fetch_optional,
        query_scalar!(
            sqlite: r#"SELECT event_id AS "event_id!: i64" FROM registrations
           WHERE token_hash = ?1
              OR id = (SELECT registration_id FROM registration_links WHERE token_hash = ?1)"#,
            postgres: r#"SELECT event_id AS "event_id!: i64" FROM registrations
           WHERE token_hash = $1
              OR id = (SELECT registration_id FROM registration_links WHERE token_hash = $1)"#,
            hash,
        )
    )
}

/// The events of registrations `ids`, each once, in one query: the ids go
/// as one JSON array, which both databases read.
pub async fn events_of(db: impl Into<Exec<'_>>, ids: &[i64]) -> sqlx::Result<Vec<i64>> {
    let ids = serde_json::to_string(ids).map_err(|e| sqlx::Error::Encode(e.into()))?;
    run!(
        db,
        fetch_all,
        query_scalar!(
            sqlite: r#"SELECT DISTINCT event_id AS "event_id!: i64" FROM registrations
           WHERE id IN (SELECT value FROM json_each(?))"#,
            postgres: r#"SELECT DISTINCT event_id AS "event_id!: i64" FROM registrations
           WHERE id IN (SELECT jsonb_array_elements_text($1::text::jsonb)::bigint)"#,
            ids,
        )
    )
}

pub async fn by_token_hash(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    hash: &[u8],
) -> sqlx::Result<Option<RegistrationRow>> {
    let row = run!(
        db,
        fetch_optional,
        query_as!(SealedRow,
            sqlite: r#"SELECT id AS "id!", event_id, name, organisation, organisation_id, role, email,
                  mode AS "mode: AttendanceMode",
                  interpretation AS "interpretation: InterpretationLanguage", accessibility,
                  lang AS "lang: Lang", state AS "state: RegistrationState", reason,
                  email_confirmed_at, created_at
           FROM registrations
           WHERE token_hash = ?1
              OR id = (SELECT registration_id FROM registration_links WHERE token_hash = ?1)"#,
            postgres: r#"SELECT id, event_id, name, organisation, organisation_id, role, email,
                  mode AS "mode: AttendanceMode",
                  interpretation AS "interpretation: InterpretationLanguage", accessibility,
                  lang AS "lang: Lang", state AS "state: RegistrationState", reason,
                  email_confirmed_at, created_at
           FROM registrations
           WHERE token_hash = $1
              OR id = (SELECT registration_id FROM registration_links WHERE token_hash = $1)"#,
            hash,
        )
    )?;
    open_one(key, row)
}

pub async fn by_id(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    id: i64,
) -> sqlx::Result<Option<RegistrationRow>> {
    let row = run!(
        db,
        fetch_optional,
        query_as!(SealedRow,
            sqlite: r#"SELECT id AS "id!", event_id, name, organisation, organisation_id, role, email,
                  mode AS "mode: AttendanceMode",
                  interpretation AS "interpretation: InterpretationLanguage", accessibility,
                  lang AS "lang: Lang", state AS "state: RegistrationState", reason,
                  email_confirmed_at, created_at
           FROM registrations
           WHERE id = ?"#,
            postgres: r#"SELECT id, event_id, name, organisation, organisation_id, role, email,
                  mode AS "mode: AttendanceMode",
                  interpretation AS "interpretation: InterpretationLanguage", accessibility,
                  lang AS "lang: Lang", state AS "state: RegistrationState", reason,
                  email_confirmed_at, created_at
           FROM registrations
           WHERE id = $1"#,
            id,
        )
    )?;
    open_one(key, row)
}

/// Where a registration stands, for the live updates (nothing sealed).
pub struct Standing {
    pub state: RegistrationState,
    pub mode: AttendanceMode,
    pub event_cancelled: bool,
}

impl Standing {
    /// Whether the participant may join sessions: approved online, of an
    /// event that is not cancelled (rule 2).
    pub fn may_join(&self) -> bool {
        !self.event_cancelled && self.state.may_join(self.mode)
    }
}

/// Where registration `id` stands.
pub async fn standing(db: impl Into<Exec<'_>>, id: i64) -> sqlx::Result<Option<Standing>> {
    run!(
        db,
        fetch_optional,
        query_as!(Standing,
            sqlite: r#"SELECT r.state AS "state: RegistrationState", r.mode AS "mode: AttendanceMode",
                  e.status = 'cancelled' AS "event_cancelled!: bool"
           FROM registrations r JOIN events e ON e.id = r.event_id
           WHERE r.id = ?"#,
            postgres: r#"SELECT r.state AS "state: RegistrationState", r.mode AS "mode: AttendanceMode",
                  e.status = 'cancelled' AS "event_cancelled!: bool"
           FROM registrations r JOIN events e ON e.id = r.event_id
           WHERE r.id = $1"#,
            id,
        )
    )
}

/// Replaces the manage token (the old link stops working).
pub async fn set_token_hash(db: impl Into<Exec<'_>>, id: i64, hash: &[u8]) -> sqlx::Result<()> {
    run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE registrations SET token_hash = ? WHERE id = ?",
            postgres: "UPDATE registrations SET token_hash = $1 WHERE id = $2",
            hash,
            id,
        )
    )?;
    Ok(())
}

/// How many registrations event `event_id` has, in any state.
pub async fn count_for_event(db: impl Into<Exec<'_>>, event_id: i64) -> sqlx::Result<i64> {
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"SELECT COUNT(*) AS "n!: i64" FROM registrations WHERE event_id = ?"#,
            postgres: r#"SELECT COUNT(*) AS "n!: i64" FROM registrations WHERE event_id = $1"#,
            event_id,
        )
    )
}

pub async fn count_approved(
    db: impl Into<Exec<'_>>,
    event_id: i64,
    mode: AttendanceMode,
) -> sqlx::Result<i64> {
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"SELECT COUNT(*) AS "n!: i64" FROM registrations
           WHERE event_id = ? AND mode = ? AND state = 'approved'"#,
            postgres: r#"SELECT COUNT(*) AS "n!: i64" FROM registrations
           WHERE event_id = $1 AND mode = $2 AND state = 'approved'"#,
            event_id,
            mode as _, // see `insert`
        )
    )
}

/// Records a decision (by staff, or by the system when `decided_by` is `None`).
pub async fn set_state(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    id: i64,
    state: RegistrationState,
    reason: Option<&str>,
    decided_by: Option<i64>,
    now: i64,
) -> sqlx::Result<()> {
    let reason = key.seal_opt(REASON, reason)?;
    run!(
        db,
        execute,
        query!(
            sqlite: r#"UPDATE registrations
           SET state = ?, reason = ?, decided_by = ?, decided_at = ?4, updated_at = ?4
           WHERE id = ?5"#,
            postgres: r#"UPDATE registrations
           SET state = $1, reason = $2, decided_by = $3, decided_at = $4, updated_at = $4
           WHERE id = $5"#,
            state as _, // see `insert`
            reason,
            decided_by,
            now,
            id,
        )
    )?;
    Ok(())
}

/// The participant withdraws; who decided before stays on record.
pub async fn withdraw(db: impl Into<Exec<'_>>, id: i64, now: i64) -> sqlx::Result<()> {
    run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE registrations SET state = 'withdrawn', updated_at = ? WHERE id = ?",
            postgres: "UPDATE registrations SET state = 'withdrawn', updated_at = $1 WHERE id = $2",
            now,
            id,
        )
    )?;
    Ok(())
}

/// The oldest waitlisted registration for a mode (other than `except`): the
/// next to get a seat.
pub async fn oldest_waitlisted(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    event_id: i64,
    mode: AttendanceMode,
    except: i64,
) -> sqlx::Result<Option<RegistrationRow>> {
    let row = run!(
        db,
        fetch_optional,
        query_as!(SealedRow,
            sqlite: r#"SELECT id AS "id!", event_id, name, organisation, organisation_id, role, email,
                  mode AS "mode: AttendanceMode",
                  interpretation AS "interpretation: InterpretationLanguage", accessibility,
                  lang AS "lang: Lang", state AS "state: RegistrationState", reason,
                  email_confirmed_at, created_at
           FROM registrations
           WHERE event_id = ? AND mode = ? AND state = 'waitlisted' AND id <> ?
           ORDER BY created_at, id
           LIMIT 1"#,
            postgres: r#"SELECT id, event_id, name, organisation, organisation_id, role, email,
                  mode AS "mode: AttendanceMode",
                  interpretation AS "interpretation: InterpretationLanguage", accessibility,
                  lang AS "lang: Lang", state AS "state: RegistrationState", reason,
                  email_confirmed_at, created_at
           FROM registrations
           WHERE event_id = $1 AND mode = $2 AND state = 'waitlisted' AND id <> $3
           ORDER BY created_at, id
           LIMIT 1"#,
            event_id,
            mode as _, // see `insert`
            except,
        )
    )?;
    open_one(key, row)
}

/// Opening the private link proves the address works.
pub async fn confirm_email(db: impl Into<Exec<'_>>, id: i64, now: i64) -> sqlx::Result<()> {
    run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE registrations SET email_confirmed_at = ? WHERE id = ? AND email_confirmed_at IS NULL",
            postgres: "UPDATE registrations SET email_confirmed_at = $1 WHERE id = $2 AND email_confirmed_at IS NULL",
            now,
            id,
        )
    )?;
    Ok(())
}

pub struct DetailsUpdate<'a> {
    pub name: &'a str,
    pub organisation: &'a str,
    pub organisation_id: Option<i64>,
    pub role: &'a str,
    pub interpretation: Option<InterpretationLanguage>,
    pub accessibility: &'a str,
}

pub async fn update_details(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    id: i64,
    d: &DetailsUpdate<'_>,
    now: i64,
) -> sqlx::Result<()> {
    let name = key.seal(NAME, d.name)?;
    let organisation = key.seal(ORGANISATION, d.organisation)?;
    let role = key.seal(ROLE, d.role)?;
    let accessibility = key.seal(ACCESSIBILITY, d.accessibility)?;
    run!(
        db,
        execute,
        query!(
            sqlite: r#"UPDATE registrations
           SET name = ?, organisation = ?, organisation_id = ?, role = ?, interpretation = ?,
               accessibility = ?, updated_at = ?
           WHERE id = ?"#,
            postgres: r#"UPDATE registrations
           SET name = $1, organisation = $2, organisation_id = $3, role = $4, interpretation = $5,
               accessibility = $6, updated_at = $7
           WHERE id = $8"#,
            name,
            organisation,
            d.organisation_id,
            role,
            d.interpretation as _, // see `insert`
            accessibility,
            now,
            id,
        )
    )?;
    Ok(())
}

/// Erases a registration and, through the foreign keys, its queued emails.
pub async fn delete(db: impl Into<Exec<'_>>, id: i64) -> sqlx::Result<()> {
    run!(
        db,
        execute,
        query!(
            sqlite: "DELETE FROM registrations WHERE id = ?",
            postgres: "DELETE FROM registrations WHERE id = $1",
            id,
        )
    )?;
    Ok(())
}

/// Deletes the registrations of events that ended before `ended_before`
/// (Unix seconds), except events whose end an admin changed after
/// `ends_edited_after`; their attendance, emails and audit reasons go with
/// them. Returns how many registrations and attendance records went.
pub async fn delete_of_events_ended_before(
    db: impl Into<Exec<'_>>,
    ended_before: i64,
    ends_edited_after: i64,
) -> sqlx::Result<(u64, u64)> {
    let mut db = db.into();
    let attendance = run!(
        &mut db,
        fetch_one,
        query_scalar!(
            sqlite: r#"SELECT COUNT(*) AS "n!: i64" FROM attendance WHERE registration_id IN (
               SELECT r.id FROM registrations r JOIN events e ON e.id = r.event_id
               WHERE e.ends_at < ?1
                 AND (e.ends_edited_at IS NULL OR e.ends_edited_at <= ?2))"#,
            postgres: r#"SELECT COUNT(*) AS "n!: i64" FROM attendance WHERE registration_id IN (
               SELECT r.id FROM registrations r JOIN events e ON e.id = r.event_id
               WHERE e.ends_at < $1
                 AND (e.ends_edited_at IS NULL OR e.ends_edited_at <= $2))"#,
            ended_before,
            ends_edited_after,
        )
    )?;
    let deleted = run!(
        &mut db,
        execute,
        query!(
            sqlite: "DELETE FROM registrations WHERE event_id IN (
             SELECT id FROM events
             WHERE ends_at < ?1 AND (ends_edited_at IS NULL OR ends_edited_at <= ?2))",
            postgres: "DELETE FROM registrations WHERE event_id IN (
             SELECT id FROM events
             WHERE ends_at < $1 AND (ends_edited_at IS NULL OR ends_edited_at <= $2))",
            ended_before,
            ends_edited_after,
        )
    )?;
    Ok((deleted, attendance.unsigned_abs()))
}

/// An event held back by [`held_back`], and how many registrations it has.
struct HeldBack {
    event: i64,
    registrations: i64,
}

/// Events past retention whose end an admin changed after
/// `ends_edited_after`: (event id, registrations the schedule holds back).
pub async fn held_back(
    db: impl Into<Exec<'_>>,
    ended_before: i64,
    ends_edited_after: i64,
) -> sqlx::Result<Vec<(i64, i64)>> {
    let rows = run!(
        db,
        fetch_all,
        query_as!(HeldBack,
            sqlite: r#"SELECT e.id AS "event!: i64", COUNT(r.id) AS "registrations!: i64"
           FROM events e JOIN registrations r ON r.event_id = e.id
           WHERE e.ends_at < ?1 AND e.ends_edited_at > ?2
           GROUP BY e.id"#,
            postgres: r#"SELECT e.id AS "event!: i64", COUNT(r.id) AS "registrations!: i64"
           FROM events e JOIN registrations r ON r.event_id = e.id
           WHERE e.ends_at < $1 AND e.ends_edited_at > $2
           GROUP BY e.id"#,
            ended_before,
            ends_edited_after,
        )
    )?;
    Ok(rows
        .into_iter()
        .map(|r| (r.event, r.registrations))
        .collect())
}
