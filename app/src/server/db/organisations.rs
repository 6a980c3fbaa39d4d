//! Queries on `organisations`. The contact email and website are sealed
//! with the data key (`server::crypto`); the name stays plaintext (staff vet
//! it, and registrations are matched to it by `name_key`).

use super::backend::{Exec, run};
use crate::domain::{Lang, OrganisationState};
use crate::server::crypto::{
    DataKey, ORGANISATION_CONTACT_EMAIL as CONTACT_EMAIL, ORGANISATION_WEBSITE as WEBSITE,
};

pub struct NewOrganisation<'a> {
    pub name: &'a str,
    pub name_key: &'a str,
    pub country: &'a str,
    pub areas: &'a str,
    pub description: &'a str,
    pub contact_email: &'a str,
    pub website: Option<&'a str>,
    pub mailing_list: bool,
    pub lang: Lang,
    pub now: i64,
}

pub async fn insert(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    o: &NewOrganisation<'_>,
) -> sqlx::Result<i64> {
    let contact_email = key.seal(CONTACT_EMAIL, o.contact_email)?;
    let website = key.seal_opt(WEBSITE, o.website)?;
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"INSERT INTO organisations (name, name_key, country, areas, description, contact_email,
               website, mailing_list, lang, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           RETURNING id AS "id!: i64""#,
            postgres: r#"INSERT INTO organisations (name, name_key, country, areas, description, contact_email,
               website, mailing_list, lang, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           RETURNING id AS "id!: i64""#,
            o.name,
            o.name_key,
            o.country,
            o.areas,
            o.description,
            contact_email,
            website,
            o.mailing_list,
            // `as _`: PostgreSQL checks argument types, and sees a domain type
            // as text only through its `Encode`.
            o.lang as _,
            o.now,
        )
    )
}

/// The verified organisation a free-text name stands for, if any.
pub async fn verified_by_key(db: impl Into<Exec<'_>>, key: &str) -> sqlx::Result<Option<i64>> {
    run!(
        db,
        fetch_optional,
        query_scalar!(
            sqlite: r#"SELECT id AS "id!: i64" FROM organisations
           WHERE name_key = ? AND state = 'verified'
           ORDER BY id LIMIT 1"#,
            postgres: r#"SELECT id AS "id!: i64" FROM organisations
           WHERE name_key = $1 AND state = 'verified'
           ORDER BY id LIMIT 1"#,
            key,
        )
    )
}

#[derive(Debug, Clone)]
pub struct OrganisationRow {
    pub id: i64,
    pub name: String,
    pub country: String,
    pub areas: String,
    pub description: String,
    pub contact_email: String,
    pub website: Option<String>,
    pub mailing_list: bool,
    pub state: OrganisationState,
    pub created_at: i64,
    pub email_domains: String,
}

/// An organisation as stored: the contact email and website sealed.
struct StoredOrganisation {
    id: i64,
    name: String,
    country: String,
    areas: String,
    description: String,
    contact_email: Vec<u8>,
    website: Option<Vec<u8>>,
    mailing_list: bool,
    state: OrganisationState,
    created_at: i64,
    email_domains: String,
}

pub async fn list(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    state: Option<&str>,
    limit: i64,
) -> sqlx::Result<Vec<OrganisationRow>> {
    let rows = run!(
        db,
        fetch_all,
        query_as!(StoredOrganisation,
            sqlite: r#"SELECT id AS "id!", name, country, areas, description, contact_email, website,
                  mailing_list AS "mailing_list: bool", state AS "state: OrganisationState",
                  created_at, email_domains
           FROM organisations
           WHERE (?1 IS NULL OR state = ?1)
           ORDER BY CASE state WHEN 'pending' THEN 0 ELSE 1 END, created_at DESC
           LIMIT ?2"#,
            postgres: r#"SELECT id, name, country, areas, description, contact_email, website,
                  mailing_list, state AS "state: OrganisationState", created_at, email_domains
           FROM organisations
           WHERE ($1::text IS NULL OR state = $1)
           ORDER BY CASE state WHEN 'pending' THEN 0 ELSE 1 END, created_at DESC
           LIMIT $2"#,
            state,
            limit,
        )
    )?;
    rows.into_iter()
        .map(|r| {
            Ok(OrganisationRow {
                id: r.id,
                name: r.name,
                country: r.country,
                areas: r.areas,
                description: r.description,
                contact_email: key.open(CONTACT_EMAIL, &r.contact_email)?,
                website: key.open_opt(WEBSITE, r.website.as_deref())?,
                mailing_list: r.mailing_list,
                state: r.state,
                created_at: r.created_at,
                email_domains: r.email_domains,
            })
        })
        .collect()
}

/// Records a vetting decision; `false` when there is no such organisation.
pub async fn set_state(
    db: impl Into<Exec<'_>>,
    id: i64,
    state: OrganisationState,
    decided_by: Option<i64>,
    now: i64,
) -> sqlx::Result<bool> {
    let done = run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE organisations SET state = ?, decided_by = ?, decided_at = ? WHERE id = ?",
            postgres: "UPDATE organisations SET state = $1, decided_by = $2, decided_at = $3 WHERE id = $4",
            state as _,
            decided_by,
            now,
            id,
        )
    )?;
    Ok(done == 1)
}

/// Sets the email domains organisation `id` vouches for; `false` when there
/// is no such organisation.
pub async fn set_email_domains(
    db: impl Into<Exec<'_>>,
    id: i64,
    domains: &[String],
) -> sqlx::Result<bool> {
    let domains = domains.join(",");
    let done = run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE organisations SET email_domains = ? WHERE id = ?",
            postgres: "UPDATE organisations SET email_domains = $1 WHERE id = $2",
            domains,
            id,
        )
    )?;
    Ok(done == 1)
}

pub async fn count_pending(db: impl Into<Exec<'_>>) -> sqlx::Result<i64> {
    // The texts differ (`count`) only so that each has its own compile-time data.
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"SELECT COUNT(*) AS "n!: i64" FROM organisations WHERE state = 'pending'"#,
            postgres: r#"SELECT count(*) AS "n!: i64" FROM organisations WHERE state = 'pending'"#,
        )
    )
}
