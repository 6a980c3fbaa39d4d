//! The event report's queries: counts the other tables do not already give
//! (attendance per session, vetted organisations' countries), and the
//! organisations of earlier events (new vs returning).

use super::backend::{Exec, run};
use crate::server::crypto::{DataKey, REGISTRATION_ORGANISATION};

pub struct SessionCount {
    pub session_id: i64,
    pub n: i64,
}

/// Participants who joined each online session of an event.
pub async fn joined_per_session(
    db: impl Into<Exec<'_>>,
    event_id: i64,
) -> sqlx::Result<Vec<SessionCount>> {
    run!(
        db,
        fetch_all,
        query_as!(SessionCount,
            sqlite: r#"SELECT session_id AS "session_id!: i64", COUNT(*) AS "n!: i64" FROM attendance
           WHERE session_id IN (SELECT id FROM sessions WHERE event_id = ?)
           GROUP BY session_id"#,
            postgres: r#"SELECT session_id AS "session_id!: i64", COUNT(*) AS "n!: i64" FROM attendance
           WHERE session_id IN (SELECT id FROM sessions WHERE event_id = $1)
           GROUP BY session_id"#,
            event_id,
        )
    )
}

pub struct OrganisationCountry {
    pub id: i64,
    pub country: String,
}

/// Vetted organisations and the country or region they work in.
pub async fn verified_countries(db: impl Into<Exec<'_>>) -> sqlx::Result<Vec<OrganisationCountry>> {
    run!(
        db,
        fetch_all,
        query_as!(OrganisationCountry,
            sqlite: r#"SELECT id AS "id!", country FROM organisations WHERE state = 'verified' ORDER BY id"#,
            postgres: r#"SELECT id, country FROM organisations WHERE state = 'verified' ORDER BY id"#,
        )
    )
}

/// The organisations (as typed, opened) of approved participants of events
/// that started before `before`, other than `event_id`.
pub async fn earlier_organisations(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    event_id: i64,
    before: i64,
) -> sqlx::Result<Vec<String>> {
    let sealed: Vec<Vec<u8>> = run!(
        db,
        fetch_all,
        query_scalar!(
            sqlite: "SELECT r.organisation FROM registrations r JOIN events e ON e.id = r.event_id
           WHERE e.starts_at < ? AND r.event_id <> ? AND r.state = 'approved'",
            postgres: "SELECT r.organisation FROM registrations r JOIN events e ON e.id = r.event_id
           WHERE e.starts_at < $1 AND r.event_id <> $2 AND r.state = 'approved'",
            before,
            event_id,
        )
    )?;
    sealed
        .iter()
        .map(|s| {
            key.open(REGISTRATION_ORGANISATION, s)
                .map_err(sqlx::Error::from)
        })
        .collect()
}
