//! Queries on `users` (staff accounts).

use sqlx::SqliteExecutor;

/// A staff account with its password hash, for signing in.
#[derive(Clone)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub password_hash: String,
    pub disabled: bool,
}

/// A staff account as the users page lists it.
#[derive(Debug, Clone)]
pub struct UserListRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub created_at: i64,
    pub disabled: bool,
}

/// Inserts an account; a duplicate email (any case) is a unique violation.
pub async fn insert(
    db: impl SqliteExecutor<'_>,
    email: &str,
    display_name: &str,
    role: &str,
    password_hash: &str,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"INSERT INTO users (email, display_name, role, password_hash)
           VALUES (?, ?, ?, ?)
           RETURNING id AS "id!: i64""#,
        email,
        display_name,
        role,
        password_hash,
    )
    .fetch_one(db)
    .await
}

/// The account for an email address, compared without regard to case.
pub async fn by_email(db: impl SqliteExecutor<'_>, email: &str) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as!(
        UserRow,
        r#"SELECT id AS "id!: i64", email, display_name, role, password_hash,
                  disabled AS "disabled: bool"
           FROM users WHERE email = ?"#,
        email
    )
    .fetch_optional(db)
    .await
}

pub async fn by_id(db: impl SqliteExecutor<'_>, id: i64) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as!(
        UserRow,
        r#"SELECT id AS "id!: i64", email, display_name, role, password_hash,
                  disabled AS "disabled: bool"
           FROM users WHERE id = ?"#,
        id
    )
    .fetch_optional(db)
    .await
}

/// Every account, oldest first.
pub async fn list(db: impl SqliteExecutor<'_>) -> sqlx::Result<Vec<UserListRow>> {
    sqlx::query_as!(
        UserListRow,
        r#"SELECT id AS "id!: i64", email, display_name, role, created_at,
                  disabled AS "disabled: bool"
           FROM users ORDER BY created_at, id"#
    )
    .fetch_all(db)
    .await
}
