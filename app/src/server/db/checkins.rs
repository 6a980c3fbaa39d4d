//! Check-ins at the door (`checkins`: one row per registration and day of
//! the event), and the attendance they record.

use super::backend::{Exec, run};

/// Checks a registration in on `day`; `false` when it already was.
pub async fn insert(
    db: impl Into<Exec<'_>>,
    registration_id: i64,
    day: &str,
    now: i64,
    by: i64,
) -> sqlx::Result<bool> {
    let added = run!(
        db,
        execute,
        query!(
            sqlite: "INSERT INTO checkins (registration_id, day, checked_in_at, checked_in_by)
           VALUES (?, ?, ?, ?) ON CONFLICT (registration_id, day) DO NOTHING",
            postgres: "INSERT INTO checkins (registration_id, day, checked_in_at, checked_in_by)
           VALUES ($1, $2, $3, $4) ON CONFLICT (registration_id, day) DO NOTHING",
            registration_id,
            day,
            now,
            by,
        )
    )?;
    Ok(added == 1)
}

/// Undoes a check-in on `day`; `false` when there was none.
pub async fn delete(
    db: impl Into<Exec<'_>>,
    registration_id: i64,
    day: &str,
) -> sqlx::Result<bool> {
    let removed = run!(
        db,
        execute,
        query!(
            sqlite: "DELETE FROM checkins WHERE registration_id = ? AND day = ?",
            postgres: "DELETE FROM checkins WHERE registration_id = $1 AND day = $2",
            registration_id,
            day,
        )
    )?;
    Ok(removed == 1)
}

pub struct CheckinRow {
    pub registration_id: i64,
    pub checked_in_at: i64,
}

/// An event's check-ins on `day`.
pub async fn of_day(
    db: impl Into<Exec<'_>>,
    event_id: i64,
    day: &str,
) -> sqlx::Result<Vec<CheckinRow>> {
    run!(
        db,
        fetch_all,
        query_as!(CheckinRow,
            sqlite: r#"SELECT c.registration_id AS "registration_id!: i64", c.checked_in_at
           FROM checkins c JOIN registrations r ON r.id = c.registration_id
           WHERE r.event_id = ? AND c.day = ?"#,
            postgres: r#"SELECT c.registration_id, c.checked_in_at
           FROM checkins c JOIN registrations r ON r.id = c.registration_id
           WHERE r.event_id = $1 AND c.day = $2"#,
            event_id,
            day,
        )
    )
}

/// Participants of an event checked in on `day`, and approved to attend in
/// person.
pub struct DayCount {
    pub arrived: i64,
    pub expected: i64,
}

pub async fn count_day(
    db: impl Into<Exec<'_>>,
    event_id: i64,
    day: &str,
) -> sqlx::Result<DayCount> {
    run!(
        db,
        fetch_one,
        query_as!(DayCount,
            sqlite: r#"SELECT
             (SELECT COUNT(*) FROM checkins c JOIN registrations r ON r.id = c.registration_id
              WHERE r.event_id = ?1 AND c.day = ?2) AS "arrived!: i64",
             (SELECT COUNT(*) FROM registrations
              WHERE event_id = ?1 AND state = 'approved' AND mode = 'in_person') AS "expected!: i64""#,
            postgres: r#"SELECT
             (SELECT COUNT(*) FROM checkins c JOIN registrations r ON r.id = c.registration_id
              WHERE r.event_id = $1 AND c.day = $2) AS "arrived!: i64",
             (SELECT COUNT(*) FROM registrations
              WHERE event_id = $1 AND state = 'approved' AND mode = 'in_person') AS "expected!: i64""#,
            event_id,
            day,
        )
    )
}

/// Participants of an event checked in on at least one day.
pub async fn count_checked_in(db: impl Into<Exec<'_>>, event_id: i64) -> sqlx::Result<i64> {
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"SELECT COUNT(DISTINCT c.registration_id) AS "n!: i64"
           FROM checkins c JOIN registrations r ON r.id = c.registration_id WHERE r.event_id = ?"#,
            postgres: r#"SELECT COUNT(DISTINCT c.registration_id) AS "n!: i64"
           FROM checkins c JOIN registrations r ON r.id = c.registration_id WHERE r.event_id = $1"#,
            event_id,
        )
    )
}

pub struct RegistrationEvent {
    pub id: i64,
    pub event_id: i64,
}

/// Every registration and its event: a typed code of no registration of
/// this event is looked for among the others, to say so.
pub async fn all_registrations(db: impl Into<Exec<'_>>) -> sqlx::Result<Vec<RegistrationEvent>> {
    run!(
        db,
        fetch_all,
        query_as!(RegistrationEvent,
            sqlite: r#"SELECT id AS "id!: i64", event_id FROM registrations"#,
            postgres: r#"SELECT id, event_id FROM registrations ORDER BY id"#,
        )
    )
}

/// Records a check-in as attendance of a session in the room (once: a
/// participant who joined already is left as they were).
pub async fn attend(
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
           VALUES (?1, ?2, ?3, ?3) ON CONFLICT (registration_id, session_id) DO NOTHING",
            postgres: "INSERT INTO attendance (registration_id, session_id, first_joined_at, last_joined_at)
           VALUES ($1, $2, $3, $3) ON CONFLICT (registration_id, session_id) DO NOTHING",
            registration_id,
            session_id,
            now,
        )
    )?;
    Ok(())
}

/// Takes back the attendance a check-in recorded.
pub async fn unattend(
    db: impl Into<Exec<'_>>,
    registration_id: i64,
    session_id: i64,
) -> sqlx::Result<()> {
    run!(
        db,
        execute,
        query!(
            sqlite: "DELETE FROM attendance WHERE registration_id = ? AND session_id = ?",
            postgres: "DELETE FROM attendance WHERE registration_id = $1 AND session_id = $2",
            registration_id,
            session_id,
        )
    )?;
    Ok(())
}
