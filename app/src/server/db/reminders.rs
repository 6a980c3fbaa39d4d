//! Queries on reminders (`events.remind_*_hours`, `reminders_sent`,
//! `registrations.reminders`) and announcements.

use super::backend::{Exec, run};
use crate::domain::AttendanceMode;

/// An event's reminder times, in hours before it starts (`None`: not sent).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReminderHours {
    pub first: Option<i64>,
    pub second: Option<i64>,
}

pub async fn hours(db: impl Into<Exec<'_>>, event_id: i64) -> sqlx::Result<ReminderHours> {
    run!(
        db,
        fetch_one,
        query_as!(ReminderHours,
            sqlite: r#"SELECT remind_first_hours AS "first: i64", remind_second_hours AS "second: i64" FROM events WHERE id = ?"#,
            postgres: r#"SELECT remind_first_hours AS "first: i64", remind_second_hours AS "second: i64" FROM events WHERE id = $1"#,
            event_id,
        )
    )
}

pub async fn set_hours(
    db: impl Into<Exec<'_>>,
    event_id: i64,
    hours: ReminderHours,
) -> sqlx::Result<()> {
    run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE events SET remind_first_hours = ?, remind_second_hours = ? WHERE id = ?",
            postgres: "UPDATE events SET remind_first_hours = $1, remind_second_hours = $2 WHERE id = $3",
            hours.first,
            hours.second,
            event_id,
        )
    )?;
    Ok(())
}

/// A reminder that is due: the event, which one (1 or 2), and whether the
/// other one is due too (then only the later one goes).
pub struct Due {
    pub event_id: i64,
    pub which: i64,
}

/// Reminders due at `now` and not sent: of published events still to
/// come, whose reminder time has passed.
pub async fn due(db: impl Into<Exec<'_>>, now: i64) -> sqlx::Result<Vec<Due>> {
    run!(
        db,
        fetch_all,
        query_as!(Due,
            sqlite: r#"SELECT e.id AS "event_id!: i64", w.which AS "which!: i64"
           FROM events e JOIN (SELECT 1 AS which UNION ALL SELECT 2) w
           WHERE e.status = 'published' AND e.starts_at > ?1
             AND (CASE w.which WHEN 1 THEN e.remind_first_hours ELSE e.remind_second_hours END) IS NOT NULL
             AND e.starts_at - 3600 * (CASE w.which WHEN 1 THEN e.remind_first_hours ELSE e.remind_second_hours END) <= ?1
             AND NOT EXISTS (SELECT 1 FROM reminders_sent s WHERE s.event_id = e.id AND s.which = w.which)
           ORDER BY e.id, w.which"#,
            postgres: r#"SELECT e.id AS "event_id!: i64", w.which AS "which!: i64"
           FROM events e CROSS JOIN (SELECT 1::bigint AS which UNION ALL SELECT 2::bigint) w
           WHERE e.status = 'published' AND e.starts_at > $1
             AND (CASE w.which WHEN 1 THEN e.remind_first_hours ELSE e.remind_second_hours END) IS NOT NULL
             AND e.starts_at - 3600 * (CASE w.which WHEN 1 THEN e.remind_first_hours ELSE e.remind_second_hours END) <= $1
             AND NOT EXISTS (SELECT 1 FROM reminders_sent s WHERE s.event_id = e.id AND s.which = w.which)
           ORDER BY e.id, w.which"#,
            now,
        )
    )
}

/// Records reminder `which` of an event as sent with `emails` emails; false
/// if it already was (another worker got there first).
pub async fn claim(
    db: impl Into<Exec<'_>>,
    event_id: i64,
    which: i64,
    emails: i64,
    now: i64,
) -> sqlx::Result<bool> {
    let claimed = run!(
        db,
        execute,
        query!(
            sqlite: "INSERT INTO reminders_sent (event_id, which, sent_at, emails) VALUES (?, ?, ?, ?)
           ON CONFLICT (event_id, which) DO NOTHING",
            postgres: "INSERT INTO reminders_sent (event_id, which, sent_at, emails) VALUES ($1, $2, $3, $4)
           ON CONFLICT (event_id, which) DO NOTHING",
            event_id,
            which,
            now,
            emails,
        )
    )?;
    Ok(claimed > 0)
}

/// The registrations of an event that turned reminders off.
pub async fn opted_out(db: impl Into<Exec<'_>>, event_id: i64) -> sqlx::Result<Vec<i64>> {
    run!(
        db,
        fetch_all,
        query_scalar!(
            sqlite: r#"SELECT id AS "id!: i64" FROM registrations WHERE event_id = ? AND reminders = 0"#,
            postgres: r#"SELECT id AS "id!: i64" FROM registrations WHERE event_id = $1 AND NOT reminders"#,
            event_id,
        )
    )
}

pub async fn wants_reminders(db: impl Into<Exec<'_>>, registration: i64) -> sqlx::Result<bool> {
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"SELECT reminders AS "on!: bool" FROM registrations WHERE id = ?"#,
            postgres: r#"SELECT reminders AS "on!: bool" FROM registrations WHERE id = $1"#,
            registration,
        )
    )
}

pub async fn set_reminders(
    db: impl Into<Exec<'_>>,
    registration: i64,
    on: bool,
) -> sqlx::Result<()> {
    run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE registrations SET reminders = ? WHERE id = ?",
            postgres: "UPDATE registrations SET reminders = $1 WHERE id = $2",
            on,
            registration,
        )
    )?;
    Ok(())
}

pub struct NewAnnouncement<'a> {
    pub event_id: i64,
    pub waitlisted: bool,
    pub mode: Option<AttendanceMode>,
    pub body_en: &'a str,
    pub body_ar: &'a str,
    pub recipients: i64,
    pub created_by: i64,
    pub now: i64,
}

pub async fn insert_announcement(
    db: impl Into<Exec<'_>>,
    a: &NewAnnouncement<'_>,
) -> sqlx::Result<i64> {
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"INSERT INTO announcements (event_id, waitlisted, mode, body_en, body_ar, recipients, created_by, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id AS "id!: i64""#,
            postgres: r#"INSERT INTO announcements (event_id, waitlisted, mode, body_en, body_ar, recipients, created_by, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id AS "id!: i64""#,
            a.event_id,
            a.waitlisted,
            a.mode as _,
            a.body_en,
            a.body_ar,
            a.recipients,
            a.created_by,
            a.now,
        )
    )
}

pub async fn add_recipient(
    db: impl Into<Exec<'_>>,
    announcement: i64,
    registration: i64,
) -> sqlx::Result<()> {
    run!(
        db,
        execute,
        query!(
            sqlite: "INSERT INTO announcement_recipients (announcement_id, registration_id) VALUES (?, ?)",
            postgres: "INSERT INTO announcement_recipients (announcement_id, registration_id) VALUES ($1, $2)",
            announcement,
            registration,
        )
    )?;
    Ok(())
}

#[derive(Clone, Debug)]
pub struct AnnouncementRow {
    pub id: i64,
    pub waitlisted: bool,
    pub mode: Option<AttendanceMode>,
    pub body_en: String,
    pub body_ar: String,
    pub recipients: i64,
    pub created_at: i64,
}

/// An event's announcements, newest first.
pub async fn announcements(
    db: impl Into<Exec<'_>>,
    event_id: i64,
) -> sqlx::Result<Vec<AnnouncementRow>> {
    run!(
        db,
        fetch_all,
        query_as!(AnnouncementRow,
            sqlite: r#"SELECT id AS "id!", waitlisted AS "waitlisted: bool", mode AS "mode: AttendanceMode",
                  body_en, body_ar, recipients, created_at
           FROM announcements WHERE event_id = ? ORDER BY id DESC"#,
            postgres: r#"SELECT id, waitlisted, mode AS "mode: AttendanceMode",
                  body_en, body_ar, recipients, created_at
           FROM announcements WHERE event_id = $1 ORDER BY id DESC"#,
            event_id,
        )
    )
}

/// The announcements one registration received, newest first.
pub async fn received(
    db: impl Into<Exec<'_>>,
    registration: i64,
) -> sqlx::Result<Vec<AnnouncementRow>> {
    run!(
        db,
        fetch_all,
        query_as!(AnnouncementRow,
            sqlite: r#"SELECT a.id AS "id!", a.waitlisted AS "waitlisted: bool", a.mode AS "mode: AttendanceMode",
                  a.body_en, a.body_ar, a.recipients, a.created_at
           FROM announcements a JOIN announcement_recipients r ON r.announcement_id = a.id
           WHERE r.registration_id = ? ORDER BY a.id DESC"#,
            postgres: r#"SELECT a.id, a.waitlisted, a.mode AS "mode: AttendanceMode",
                  a.body_en, a.body_ar, a.recipients, a.created_at
           FROM announcements a JOIN announcement_recipients r ON r.announcement_id = a.id
           WHERE r.registration_id = $1 ORDER BY a.id DESC"#,
            registration,
        )
    )
}
