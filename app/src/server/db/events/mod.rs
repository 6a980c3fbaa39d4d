//! Queries on `events`.

mod editor;

pub use editor::{
    EditorEventRow, EditorListRow, EventValues, editor_by_slug, insert_edited, list_for_editor,
    set_status, slug_taken, update,
};

use super::backend::{Exec, postgres, run, sqlite};
use crate::domain::search::normalize;
use crate::domain::{EventFilter, EventFormat, EventKind, EventStatus, Visibility, When};

/// The public columns of an event (never the venue or invitation details).
#[derive(Debug, Clone)]
pub struct EventRow {
    pub id: i64,
    pub slug: String,
    pub kind: EventKind,
    pub format: EventFormat,
    pub visibility: Visibility,
    pub title_en: String,
    pub title_ar: String,
    pub summary_en: String,
    pub summary_ar: String,
    pub description_en: String,
    pub description_ar: String,
    pub city_en: Option<String>,
    pub city_ar: Option<String>,
    pub country_en: Option<String>,
    pub country_ar: Option<String>,
    pub time_zone: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub interpretation: String,
}

/// A new event, as `lausanne demo` (and later the editor) creates it.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub slug: &'a str,
    pub kind: EventKind,
    pub format: EventFormat,
    pub visibility: Visibility,
    pub title_en: &'a str,
    pub title_ar: &'a str,
    pub summary_en: &'a str,
    pub summary_ar: &'a str,
    pub description_en: &'a str,
    pub description_ar: &'a str,
    pub city_en: Option<&'a str>,
    pub city_ar: Option<&'a str>,
    pub country_en: Option<&'a str>,
    pub country_ar: Option<&'a str>,
    pub venue: Option<&'a str>,
    pub time_zone: &'a str,
    pub starts_at: i64,
    pub ends_at: i64,
    pub seats_in_person: i64,
    pub seats_online: i64,
    pub interpretation: &'a str,
}

pub async fn count(db: impl Into<Exec<'_>>) -> sqlx::Result<i64> {
    // The texts differ (`count`) only so that each has its own compile-time data.
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"SELECT COUNT(*) AS "n!: i64" FROM events"#,
            postgres: r#"SELECT count(*) AS "n!: i64" FROM events"#,
        )
    )
}

pub async fn insert(db: impl Into<Exec<'_>>, e: &NewEvent<'_>) -> sqlx::Result<i64> {
    let search_text = search_text(e);
    let id = run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"INSERT INTO events (slug, kind, format, visibility, title_en, title_ar, summary_en,
               summary_ar, description_en, description_ar, city_en, city_ar, country_en, country_ar,
               venue, time_zone, starts_at, ends_at, seats_in_person, seats_online, interpretation,
               search_text)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           RETURNING id AS "id!: i64""#,
            postgres: r#"INSERT INTO events (slug, kind, format, visibility, title_en, title_ar, summary_en,
               summary_ar, description_en, description_ar, city_en, city_ar, country_en, country_ar,
               venue, time_zone, starts_at, ends_at, seats_in_person, seats_online, interpretation,
               search_text)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
                   $19, $20, $21, $22)
           RETURNING id AS "id!: i64""#,
            e.slug,
            // `as _`: PostgreSQL checks argument types, and sees a domain type
            // as text only through its `Encode`.
            e.kind as _,
            e.format as _,
            e.visibility as _,
            e.title_en,
            e.title_ar,
            e.summary_en,
            e.summary_ar,
            e.description_en,
            e.description_ar,
            e.city_en,
            e.city_ar,
            e.country_en,
            e.country_ar,
            e.venue,
            e.time_zone,
            e.starts_at,
            e.ends_at,
            e.seats_in_person,
            e.seats_online,
            e.interpretation,
            search_text,
        )
    )?;
    Ok(id)
}

/// Published events matching `filter`: upcoming soonest first, past newest first.
/// `search` is already normalised (see [`crate::domain::search::normalize`]).
pub async fn list_published(
    db: impl Into<Exec<'_>>,
    filter: &EventFilter,
    search: Option<&str>,
    now: i64,
    limit: i64,
) -> sqlx::Result<Vec<EventRow>> {
    let upcoming = filter.when == When::Upcoming;
    let kind = filter.kind.map(|k| k.code());
    let format = filter.format.map(|f| f.code());
    let pattern = search.map(like_pattern);
    // PostgreSQL's LIKE is case-sensitive where SQLite's folds ASCII: both
    // the text and the search are lower-cased (`normalize`) already.
    run!(
        db,
        fetch_all,
        query_as!(EventRow,
            sqlite: r#"SELECT id AS "id!", slug, kind AS "kind: EventKind", format AS "format: EventFormat",
                  visibility AS "visibility: Visibility", title_en, title_ar, summary_en,
                  summary_ar,
                  description_en, description_ar, city_en, city_ar, country_en, country_ar,
                  time_zone, starts_at, ends_at, interpretation
           FROM events
           WHERE status = 'published'
             AND ((?1 AND ends_at >= ?2) OR (NOT ?1 AND ends_at < ?2))
             AND (?3 IS NULL OR kind = ?3)
             AND (?4 IS NULL OR format = ?4)
             AND (?5 IS NULL OR search_text LIKE ?5 ESCAPE '\')
           ORDER BY CASE WHEN ?1 THEN starts_at ELSE -starts_at END
           LIMIT ?6"#,
            postgres: r#"SELECT id, slug, kind AS "kind: EventKind", format AS "format: EventFormat",
                  visibility AS "visibility: Visibility", title_en, title_ar, summary_en,
                  summary_ar,
                  description_en, description_ar, city_en, city_ar, country_en, country_ar,
                  time_zone, starts_at, ends_at, interpretation
           FROM events
           WHERE status = 'published'
             AND (($1 AND ends_at >= $2) OR (NOT $1 AND ends_at < $2))
             AND ($3::text IS NULL OR kind = $3)
             AND ($4::text IS NULL OR format = $4)
             AND ($5::text IS NULL OR search_text LIKE $5 ESCAPE '\')
           ORDER BY CASE WHEN $1 THEN starts_at ELSE -starts_at END
           LIMIT $6"#,
            upcoming,
            now,
            kind,
            format,
            pattern,
            limit,
        )
    )
}

/// The first moment after `now` at which a public page of the event (or,
/// with `None`, of any published event) changes by the clock alone: an event
/// or session starting or ending, registration opening or closing. (Join
/// windows show only on private pages, which are never kept.)
pub async fn next_change(
    db: impl Into<Exec<'_>>,
    event: Option<i64>,
    now: i64,
) -> sqlx::Result<Option<i64>> {
    // PostgreSQL (before 16) wants the subquery named.
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"SELECT MIN(t) AS "next: i64" FROM (
               SELECT e.starts_at AS t FROM events e
                WHERE e.status = 'published' AND (?1 IS NULL OR e.id = ?1)
               UNION ALL SELECT e.ends_at FROM events e
                WHERE e.status = 'published' AND (?1 IS NULL OR e.id = ?1)
               UNION ALL SELECT e.registration_opens_at FROM events e
                WHERE e.status = 'published' AND (?1 IS NULL OR e.id = ?1)
               UNION ALL SELECT e.registration_closes_at FROM events e
                WHERE e.status = 'published' AND (?1 IS NULL OR e.id = ?1)
               UNION ALL SELECT s.starts_at
                 FROM sessions s JOIN events e ON e.id = s.event_id
                WHERE e.status = 'published' AND (?1 IS NULL OR e.id = ?1)
               UNION ALL SELECT s.ends_at
                 FROM sessions s JOIN events e ON e.id = s.event_id
                WHERE e.status = 'published' AND (?1 IS NULL OR e.id = ?1)
           ) WHERE t > ?2"#,
            postgres: r#"SELECT MIN(t) AS "next?: i64" FROM (
               SELECT e.starts_at AS t FROM events e
                WHERE e.status = 'published' AND ($1::bigint IS NULL OR e.id = $1)
               UNION ALL SELECT e.ends_at FROM events e
                WHERE e.status = 'published' AND ($1::bigint IS NULL OR e.id = $1)
               UNION ALL SELECT e.registration_opens_at FROM events e
                WHERE e.status = 'published' AND ($1::bigint IS NULL OR e.id = $1)
               UNION ALL SELECT e.registration_closes_at FROM events e
                WHERE e.status = 'published' AND ($1::bigint IS NULL OR e.id = $1)
               UNION ALL SELECT s.starts_at
                 FROM sessions s JOIN events e ON e.id = s.event_id
                WHERE e.status = 'published' AND ($1::bigint IS NULL OR e.id = $1)
               UNION ALL SELECT s.ends_at
                 FROM sessions s JOIN events e ON e.id = s.event_id
                WHERE e.status = 'published' AND ($1::bigint IS NULL OR e.id = $1)
           ) AS times WHERE t > $2"#,
            event,
            now,
        )
    )
}

pub async fn published_by_slug(
    db: impl Into<Exec<'_>>,
    slug: &str,
) -> sqlx::Result<Option<EventRow>> {
    run!(
        db,
        fetch_optional,
        query_as!(EventRow,
            sqlite: r#"SELECT id AS "id!", slug, kind AS "kind: EventKind", format AS "format: EventFormat",
                  visibility AS "visibility: Visibility", title_en, title_ar, summary_en,
                  summary_ar,
                  description_en, description_ar, city_en, city_ar, country_en, country_ar,
                  time_zone, starts_at, ends_at, interpretation
           FROM events
           WHERE slug = ? AND status = 'published'"#,
            postgres: r#"SELECT id, slug, kind AS "kind: EventKind", format AS "format: EventFormat",
                  visibility AS "visibility: Visibility", title_en, title_ar, summary_en,
                  summary_ar,
                  description_en, description_ar, city_en, city_ar, country_en, country_ar,
                  time_zone, starts_at, ends_at, interpretation
           FROM events
           WHERE slug = $1 AND status = 'published'"#,
            slug,
        )
    )
}

/// What the public search matches: titles, and for public events the summaries too.
fn search_text(e: &NewEvent<'_>) -> String {
    search_text_of(
        [e.title_en, e.title_ar],
        [e.summary_en, e.summary_ar],
        e.visibility,
    )
}

fn search_text_of(titles: [&str; 2], summaries: [&str; 2], visibility: Visibility) -> String {
    let mut parts = titles.to_vec();
    if visibility == Visibility::Public {
        parts.extend(summaries);
    }
    normalize(&parts.join(" "))
}

/// `%text%` with LIKE's own wildcards escaped.
fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// What registering for an event needs to know, venue and code included:
/// never sent to a page as is.
#[derive(Debug, Clone)]
pub struct SeatsRow {
    pub id: i64,
    pub slug: String,
    pub kind: EventKind,
    pub status: EventStatus,
    pub format: EventFormat,
    pub visibility: Visibility,
    pub title_en: String,
    pub title_ar: String,
    pub time_zone: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub registration_opens_at: Option<i64>,
    pub registration_closes_at: Option<i64>,
    pub seats_in_person: i64,
    pub seats_online: i64,
    pub waitlist: bool,
    pub requires_approval: bool,
    pub interpretation: String,
    pub invitation_code: Option<String>,
    pub venue: Option<String>,
}

pub async fn seats_by_slug(db: impl Into<Exec<'_>>, slug: &str) -> sqlx::Result<Option<SeatsRow>> {
    run!(
        db,
        fetch_optional,
        query_as!(SeatsRow,
            sqlite: r#"SELECT id AS "id!", slug, kind AS "kind: EventKind", status AS "status: EventStatus",
                  format AS "format: EventFormat",
                  visibility AS "visibility: Visibility", title_en, title_ar, time_zone, starts_at,
                  ends_at, registration_opens_at, registration_closes_at, seats_in_person,
                  seats_online, waitlist AS "waitlist: bool",
                  requires_approval AS "requires_approval: bool", interpretation,
                  invitation_code, venue
           FROM events
           WHERE slug = ? AND status = 'published'"#,
            postgres: r#"SELECT id, slug, kind AS "kind: EventKind", status AS "status: EventStatus",
                  format AS "format: EventFormat",
                  visibility AS "visibility: Visibility", title_en, title_ar, time_zone, starts_at,
                  ends_at, registration_opens_at, registration_closes_at, seats_in_person,
                  seats_online, waitlist, requires_approval, interpretation, invitation_code,
                  venue
           FROM events
           WHERE slug = $1 AND status = 'published'"#,
            slug,
        )
    )
}

pub async fn seats_by_id(db: impl Into<Exec<'_>>, id: i64) -> sqlx::Result<SeatsRow> {
    run!(
        db,
        fetch_one,
        query_as!(SeatsRow,
            sqlite: r#"SELECT id AS "id!", slug, kind AS "kind: EventKind", status AS "status: EventStatus",
                  format AS "format: EventFormat",
                  visibility AS "visibility: Visibility", title_en, title_ar, time_zone, starts_at,
                  ends_at, registration_opens_at, registration_closes_at, seats_in_person,
                  seats_online, waitlist AS "waitlist: bool",
                  requires_approval AS "requires_approval: bool", interpretation,
                  invitation_code, venue
           FROM events
           WHERE id = ?"#,
            postgres: r#"SELECT id, slug, kind AS "kind: EventKind", status AS "status: EventStatus",
                  format AS "format: EventFormat",
                  visibility AS "visibility: Visibility", title_en, title_ar, time_zone, starts_at,
                  ends_at, registration_opens_at, registration_closes_at, seats_in_person,
                  seats_online, waitlist, requires_approval, interpretation, invitation_code,
                  venue
           FROM events
           WHERE id = $1"#,
            id,
        )
    )
}

/// The ids of the published public events among `slugs` (a list page's
/// live stream follows these).
pub async fn public_ids(db: impl Into<Exec<'_>>, slugs: &[&str]) -> sqlx::Result<Vec<i64>> {
    // SQLite takes the slugs as a JSON array, PostgreSQL as an array: the
    // arguments differ, so no `run!`.
    match db.into() {
        Exec::Sqlite(on) => sqlite!(on, {
            let slugs = serde_json::to_string(slugs).unwrap_or_default();
            sqlx::query_scalar!(
                r#"SELECT id AS "id!" FROM events
           WHERE slug IN (SELECT value FROM json_each(?1))
             AND status = 'published' AND visibility = 'public'
           ORDER BY id"#,
                slugs,
            )
            .fetch_all(on)
            .await
        }),
        Exec::Postgres(on) => postgres!(on, {
            sqlx::query_scalar!(
                r#"SELECT id FROM events
           WHERE slug = ANY($1)
             AND status = 'published' AND visibility = 'public'
           ORDER BY id"#,
                slugs as _,
            )
            .fetch_all(on)
            .await
        }),
    }
}

/// Sets how an event takes registrations (the demo and the editor use it).
pub async fn set_registration(
    db: impl Into<Exec<'_>>,
    id: i64,
    requires_approval: bool,
    waitlist: bool,
    invitation_code: Option<&str>,
) -> sqlx::Result<()> {
    run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE events SET requires_approval = ?, waitlist = ?, invitation_code = ? WHERE id = ?",
            postgres: "UPDATE events SET requires_approval = $1, waitlist = $2, invitation_code = $3 WHERE id = $4",
            requires_approval,
            waitlist,
            invitation_code,
            id,
        )
    )?;
    Ok(())
}

/// Events for the staff: upcoming and recent, soonest first.
#[derive(Debug, Clone)]
pub struct StaffEventRow {
    pub id: i64,
    pub slug: String,
    pub title_en: String,
    pub title_ar: String,
    pub format: EventFormat,
    pub starts_at: i64,
    pub ends_at: i64,
    pub seats_in_person: i64,
    pub seats_online: i64,
}

pub async fn for_staff(db: impl Into<Exec<'_>>, since: i64) -> sqlx::Result<Vec<StaffEventRow>> {
    run!(
        db,
        fetch_all,
        query_as!(StaffEventRow,
            sqlite: r#"SELECT id AS "id!", slug, title_en, title_ar, format AS "format: EventFormat", starts_at,
                  ends_at,
                  seats_in_person, seats_online
           FROM events
           WHERE status = 'published' AND ends_at >= ?
           ORDER BY starts_at"#,
            postgres: r#"SELECT id, slug, title_en, title_ar, format AS "format: EventFormat", starts_at,
                  ends_at,
                  seats_in_person, seats_online
           FROM events
           WHERE status = 'published' AND ends_at >= $1
           ORDER BY starts_at"#,
            since,
        )
    )
}

// ---------------------------------------------------------------------------
// The staff editor: every column, every status.

/// Locks the rows of `events` (in the order given: callers sort them) for
/// the rest of the transaction, on PostgreSQL: see
/// [`crate::server::db::Db::begin_event_write`].
#[cfg_attr(feature = "prepare-sqlite", allow(unused_variables))]
pub async fn lock(tx: &mut sqlx::PgConnection, events: &[i64]) -> sqlx::Result<()> {
    postgres!(tx, {
        sqlx::query_scalar!(
            "SELECT id FROM events WHERE id = ANY($1) ORDER BY id FOR UPDATE",
            events,
        )
        .fetch_all(&mut *tx)
        .await?;
        Ok(())
    })
}
