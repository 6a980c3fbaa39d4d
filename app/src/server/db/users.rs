//! Queries on `users` (staff accounts). The email and display name are
//! sealed with the data key; the email is found through its lookup hash
//! (`server::crypto`).

use sqlx::SqliteExecutor;

use crate::domain::Role;
use crate::server::crypto::{DataKey, USER_DISPLAY_NAME as DISPLAY_NAME, USER_EMAIL as EMAIL};

/// A staff account with its password hash, for signing in.
#[derive(Clone)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
    pub disabled: bool,
}

/// A staff account as the users page lists it.
#[derive(Debug, Clone)]
pub struct UserListRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub created_at: i64,
    pub disabled: bool,
}

/// Inserts an account; a duplicate email (any case) is a unique violation.
pub async fn insert(
    db: impl SqliteExecutor<'_>,
    key: &DataKey,
    email: &str,
    display_name: &str,
    role: Role,
    password_hash: &str,
) -> sqlx::Result<i64> {
    let lookup = key.lookup(EMAIL, email);
    let email = key.seal(EMAIL, email)?;
    let display_name = key.seal(DISPLAY_NAME, display_name)?;
    sqlx::query_scalar!(
        r#"INSERT INTO users (email, email_lookup, display_name, role, password_hash)
           VALUES (?, ?, ?, ?, ?)
           RETURNING id AS "id!: i64""#,
        email,
        lookup,
        display_name,
        role,
        password_hash,
    )
    .fetch_one(db)
    .await
}

/// A row as stored, before its sealed columns are opened.
struct SealedUser {
    id: i64,
    email: Vec<u8>,
    display_name: Vec<u8>,
    role: Role,
    password_hash: String,
    disabled: bool,
}

impl SealedUser {
    fn open(self, key: &DataKey) -> sqlx::Result<UserRow> {
        Ok(UserRow {
            id: self.id,
            email: key.open(EMAIL, &self.email)?,
            display_name: key.open(DISPLAY_NAME, &self.display_name)?,
            role: self.role,
            password_hash: self.password_hash,
            disabled: self.disabled,
        })
    }
}

/// The account for an email address, compared without regard to case.
pub async fn by_email(
    db: impl SqliteExecutor<'_>,
    key: &DataKey,
    email: &str,
) -> sqlx::Result<Option<UserRow>> {
    let lookup = key.lookup(EMAIL, email);
    let row = sqlx::query_as!(
        SealedUser,
        r#"SELECT id AS "id!: i64", email, display_name, role AS "role: Role", password_hash,
                  disabled AS "disabled: bool"
           FROM users WHERE email_lookup = ?"#,
        lookup
    )
    .fetch_optional(db)
    .await?;
    row.map(|r| r.open(key)).transpose()
}

pub async fn by_id(
    db: impl SqliteExecutor<'_>,
    key: &DataKey,
    id: i64,
) -> sqlx::Result<Option<UserRow>> {
    let row = sqlx::query_as!(
        SealedUser,
        r#"SELECT id AS "id!: i64", email, display_name, role AS "role: Role", password_hash,
                  disabled AS "disabled: bool"
           FROM users WHERE id = ?"#,
        id
    )
    .fetch_optional(db)
    .await?;
    row.map(|r| r.open(key)).transpose()
}

/// Every account, oldest first.
pub async fn list(db: impl SqliteExecutor<'_>, key: &DataKey) -> sqlx::Result<Vec<UserListRow>> {
    let rows = sqlx::query!(
        r#"SELECT id AS "id!: i64", email, display_name, role AS "role: Role", created_at,
                  disabled AS "disabled: bool"
           FROM users ORDER BY created_at, id"#
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(UserListRow {
                id: r.id,
                email: key.open(EMAIL, &r.email)?,
                display_name: key.open(DISPLAY_NAME, &r.display_name)?,
                role: r.role,
                created_at: r.created_at,
                disabled: r.disabled,
            })
        })
        .collect()
}
