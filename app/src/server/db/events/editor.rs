//! The events editor's queries (admins only): its list, one event with
//! everything the form shows (the venue and invitation code too), and
//! saving, publishing or cancelling.

use super::search_text_of;
use crate::domain::{EventFormat, EventKind, EventStatus, Visibility};
use crate::server::db::backend::{Exec, run};

/// An event as the editor shows it, venue and invitation code included:
/// admins only.
#[derive(Debug, Clone)]
pub struct EditorEventRow {
    pub id: i64,
    pub slug: String,
    pub kind: EventKind,
    pub format: EventFormat,
    pub visibility: Visibility,
    pub status: EventStatus,
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
    pub venue: Option<String>,
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
}

pub async fn editor_by_slug(
    db: impl Into<Exec<'_>>,
    slug: &str,
) -> sqlx::Result<Option<EditorEventRow>> {
    run!(
        db,
        fetch_optional,
        query_as!(EditorEventRow,
            sqlite: r#"SELECT id AS "id!", slug, kind AS "kind: EventKind", format AS "format: EventFormat",
                  visibility AS "visibility: Visibility", status AS "status: EventStatus", title_en,
                  title_ar,
                  summary_en, summary_ar, description_en, description_ar, city_en, city_ar,
                  country_en, country_ar, venue, time_zone, starts_at, ends_at,
                  registration_opens_at, registration_closes_at, seats_in_person, seats_online,
                  waitlist AS "waitlist: bool", requires_approval AS "requires_approval: bool",
                  interpretation, invitation_code
           FROM events
           WHERE slug = ?"#,
            postgres: r#"SELECT id, slug, kind AS "kind: EventKind", format AS "format: EventFormat",
                  visibility AS "visibility: Visibility", status AS "status: EventStatus", title_en,
                  title_ar,
                  summary_en, summary_ar, description_en, description_ar, city_en, city_ar,
                  country_en, country_ar, venue, time_zone, starts_at, ends_at,
                  registration_opens_at, registration_closes_at, seats_in_person, seats_online,
                  waitlist, requires_approval, interpretation, invitation_code
           FROM events
           WHERE slug = $1"#,
            slug,
        )
    )
}

/// One line of the editor's list of events.
#[derive(Debug, Clone)]
pub struct EditorListRow {
    pub id: i64,
    pub slug: String,
    pub title_en: String,
    pub title_ar: String,
    pub format: EventFormat,
    pub visibility: Visibility,
    pub status: EventStatus,
    pub time_zone: String,
    pub starts_at: i64,
    pub ends_at: i64,
}

/// Every event, whatever its status: upcoming (not yet ended) soonest
/// first, then past ones newest first.
pub async fn list_for_editor(
    db: impl Into<Exec<'_>>,
    now: i64,
) -> sqlx::Result<Vec<EditorListRow>> {
    run!(
        db,
        fetch_all,
        query_as!(EditorListRow,
            sqlite: r#"SELECT id AS "id!", slug, title_en, title_ar, format AS "format: EventFormat",
                  visibility AS "visibility: Visibility", status AS "status: EventStatus",
                  time_zone,
                  starts_at, ends_at
           FROM events
           ORDER BY ends_at < ?1, CASE WHEN ends_at >= ?1 THEN starts_at ELSE -starts_at END, id"#,
            postgres: r#"SELECT id, slug, title_en, title_ar, format AS "format: EventFormat",
                  visibility AS "visibility: Visibility", status AS "status: EventStatus",
                  time_zone,
                  starts_at, ends_at
           FROM events
           ORDER BY ends_at < $1, CASE WHEN ends_at >= $1 THEN starts_at ELSE -starts_at END, id"#,
            now,
        )
    )
}

/// Every column the editor sets (status apart).
#[derive(Debug, Clone)]
pub struct EventValues<'a> {
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
    pub registration_opens_at: Option<i64>,
    pub registration_closes_at: Option<i64>,
    pub seats_in_person: i64,
    pub seats_online: i64,
    pub waitlist: bool,
    pub requires_approval: bool,
    pub interpretation: &'a str,
    pub invitation_code: Option<&'a str>,
}

impl EventValues<'_> {
    fn search_text(&self) -> String {
        search_text_of(
            [self.title_en, self.title_ar],
            [self.summary_en, self.summary_ar],
            self.visibility,
        )
    }
}

/// Whether another event (not `except`) has this slug.
pub async fn slug_taken(
    db: impl Into<Exec<'_>>,
    slug: &str,
    except: Option<i64>,
) -> sqlx::Result<bool> {
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"SELECT EXISTS (SELECT 1 FROM events WHERE slug = ? AND id IS NOT ?) AS "taken!: bool""#,
            postgres: r#"SELECT EXISTS (SELECT 1 FROM events WHERE slug = $1 AND id IS DISTINCT FROM $2) AS "taken!: bool""#,
            slug,
            except,
        )
    )
}

pub async fn insert_edited(
    db: impl Into<Exec<'_>>,
    e: &EventValues<'_>,
    status: EventStatus,
    now: i64,
) -> sqlx::Result<i64> {
    let search_text = e.search_text();
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"INSERT INTO events (slug, kind, format, visibility, status, title_en, title_ar,
               summary_en, summary_ar, description_en, description_ar, city_en, city_ar,
               country_en, country_ar, venue, time_zone, starts_at, ends_at,
               registration_opens_at, registration_closes_at, seats_in_person, seats_online,
               waitlist, requires_approval, interpretation, invitation_code, search_text,
               created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                   ?, ?, ?, ?)
           RETURNING id AS "id!: i64""#,
            postgres: r#"INSERT INTO events (slug, kind, format, visibility, status, title_en, title_ar,
               summary_en, summary_ar, description_en, description_ar, city_en, city_ar,
               country_en, country_ar, venue, time_zone, starts_at, ends_at,
               registration_opens_at, registration_closes_at, seats_in_person, seats_online,
               waitlist, requires_approval, interpretation, invitation_code, search_text,
               created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                   $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30)
           RETURNING id AS "id!: i64""#,
            e.slug,
            // `as _`: PostgreSQL checks argument types, and sees a domain type
            // as text only through its `Encode`.
            e.kind as _,
            e.format as _,
            e.visibility as _,
            status as _,
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
            e.registration_opens_at,
            e.registration_closes_at,
            e.seats_in_person,
            e.seats_online,
            e.waitlist,
            e.requires_approval,
            e.interpretation,
            e.invitation_code,
            search_text,
            now,
            now,
        )
    )
}

/// Saves every editable column and keeps the search text in step.
pub async fn update(
    db: impl Into<Exec<'_>>,
    id: i64,
    e: &EventValues<'_>,
    now: i64,
) -> sqlx::Result<()> {
    let search_text = e.search_text();
    run!(
        db,
        execute,
        query!(
            sqlite: r#"UPDATE events SET slug = ?, kind = ?, format = ?, visibility = ?, title_en = ?,
               title_ar = ?, summary_en = ?, summary_ar = ?, description_en = ?,
               description_ar = ?, city_en = ?, city_ar = ?, country_en = ?, country_ar = ?,
               venue = ?, time_zone = ?, starts_at = ?, ends_at = ?, registration_opens_at = ?,
               registration_closes_at = ?, seats_in_person = ?, seats_online = ?, waitlist = ?,
               requires_approval = ?, interpretation = ?, invitation_code = ?, search_text = ?,
               ends_edited_at = CASE WHEN ends_at = ? THEN ends_edited_at ELSE ? END,
               updated_at = ?
           WHERE id = ?"#,
            postgres: r#"UPDATE events SET slug = $1, kind = $2, format = $3, visibility = $4,
               title_en = $5, title_ar = $6, summary_en = $7, summary_ar = $8,
               description_en = $9, description_ar = $10, city_en = $11, city_ar = $12,
               country_en = $13, country_ar = $14, venue = $15, time_zone = $16, starts_at = $17,
               ends_at = $18, registration_opens_at = $19, registration_closes_at = $20,
               seats_in_person = $21, seats_online = $22, waitlist = $23,
               requires_approval = $24, interpretation = $25, invitation_code = $26,
               search_text = $27,
               ends_edited_at = CASE WHEN ends_at = $28 THEN ends_edited_at ELSE $29 END,
               updated_at = $30
           WHERE id = $31"#,
            e.slug,
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
            e.registration_opens_at,
            e.registration_closes_at,
            e.seats_in_person,
            e.seats_online,
            e.waitlist,
            e.requires_approval,
            e.interpretation,
            e.invitation_code,
            search_text,
            e.ends_at,
            now,
            now,
            id,
        )
    )?;
    Ok(())
}

pub async fn set_status(
    db: impl Into<Exec<'_>>,
    id: i64,
    status: EventStatus,
    now: i64,
) -> sqlx::Result<()> {
    run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE events SET status = ?, updated_at = ? WHERE id = ?",
            postgres: "UPDATE events SET status = $1, updated_at = $2 WHERE id = $3",
            status as _,
            now,
            id,
        )
    )?;
    Ok(())
}
