//! Queries on `users` (staff accounts). The email and display name are
//! sealed with the data key; the email is found through its lookup hash
//! (`server::crypto`).

use super::backend::{Exec, run};
use crate::domain::Role;
use crate::server::crypto::{
    DataKey, RECOVERY_CODE, USER_DISPLAY_NAME as DISPLAY_NAME, USER_EMAIL as EMAIL,
    USER_TOTP_SECRET as TOTP_SECRET,
};

/// A staff account with its password hash, for signing in.
#[derive(Clone)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
    pub disabled: bool,
    /// Signed in with a temporary password: must choose a new one first.
    pub must_change_password: bool,
    /// Enrolled in two-factor sign-in.
    pub totp: bool,
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
    pub last_sign_in_at: Option<i64>,
    pub totp: bool,
}

/// Inserts an account; a duplicate email (any case) is a unique violation.
pub async fn insert(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    email: &str,
    display_name: &str,
    role: Role,
    password_hash: &str,
) -> sqlx::Result<i64> {
    let lookup = key.lookup(EMAIL, email);
    let email = key.seal(EMAIL, email)?;
    let display_name = key.seal(DISPLAY_NAME, display_name)?;
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"INSERT INTO users (email, email_lookup, display_name, role, password_hash)
           VALUES (?, ?, ?, ?, ?)
           RETURNING id AS "id!: i64""#,
            postgres: r#"INSERT INTO users (email, email_lookup, display_name, role, password_hash)
           VALUES ($1, $2, $3, $4, $5)
           RETURNING id AS "id!: i64""#,
            email,
            lookup,
            display_name,
            role as _,
            password_hash,
        )
    )
}

/// A row as stored, before its sealed columns are opened.
struct SealedUser {
    id: i64,
    email: Vec<u8>,
    display_name: Vec<u8>,
    role: Role,
    password_hash: String,
    disabled: bool,
    must_change_password: bool,
    totp: bool,
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
            must_change_password: self.must_change_password,
            totp: self.totp,
        })
    }
}

/// The account for an email address, compared without regard to case.
pub async fn by_email(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    email: &str,
) -> sqlx::Result<Option<UserRow>> {
    let lookup = key.lookup(EMAIL, email);
    let row = run!(
        db,
        fetch_optional,
        query_as!(SealedUser,
            sqlite: r#"SELECT id AS "id!: i64", email, display_name, role AS "role: Role", password_hash,
                  disabled AS "disabled: bool",
                  must_change_password AS "must_change_password: bool",
                  totp_secret IS NOT NULL AS "totp!: bool"
           FROM users WHERE email_lookup = ?"#,
            postgres: r#"SELECT id AS "id!: i64", email, display_name, role AS "role: Role", password_hash,
                  disabled AS "disabled: bool",
                  must_change_password AS "must_change_password: bool",
                  totp_secret IS NOT NULL AS "totp!: bool"
           FROM users WHERE email_lookup = $1"#,
            lookup,
        )
    )?;
    row.map(|r| r.open(key)).transpose()
}

pub async fn by_id(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    id: i64,
) -> sqlx::Result<Option<UserRow>> {
    let row = run!(
        db,
        fetch_optional,
        query_as!(SealedUser,
            sqlite: r#"SELECT id AS "id!: i64", email, display_name, role AS "role: Role", password_hash,
                  disabled AS "disabled: bool",
                  must_change_password AS "must_change_password: bool",
                  totp_secret IS NOT NULL AS "totp!: bool"
           FROM users WHERE id = ?"#,
            postgres: r#"SELECT id AS "id!: i64", email, display_name, role AS "role: Role", password_hash,
                  disabled AS "disabled: bool",
                  must_change_password AS "must_change_password: bool",
                  totp_secret IS NOT NULL AS "totp!: bool"
           FROM users WHERE id = $1"#,
            id,
        )
    )?;
    row.map(|r| r.open(key)).transpose()
}

/// A listed row as stored, before its sealed columns are opened.
struct SealedListUser {
    id: i64,
    email: Vec<u8>,
    display_name: Vec<u8>,
    role: Role,
    created_at: i64,
    disabled: bool,
    last_sign_in_at: Option<i64>,
    totp: bool,
}

/// Every account, oldest first.
pub async fn list(db: impl Into<Exec<'_>>, key: &DataKey) -> sqlx::Result<Vec<UserListRow>> {
    let rows = run!(
        db,
        fetch_all,
        query_as!(SealedListUser,
            sqlite: r#"SELECT id AS "id!: i64", email, display_name, role AS "role: Role", created_at,
                  disabled AS "disabled: bool", last_sign_in_at,
                  totp_secret IS NOT NULL AS "totp!: bool"
           FROM users ORDER BY created_at, id"#,
            postgres: r#"SELECT id AS "id!: i64", email, display_name, role AS "role: Role", created_at,
                  disabled, last_sign_in_at,
                  totp_secret IS NOT NULL AS "totp!: bool"
           FROM users ORDER BY created_at, id"#,
        )
    )?;
    rows.into_iter()
        .map(|r| {
            Ok(UserListRow {
                id: r.id,
                email: key.open(EMAIL, &r.email)?,
                display_name: key.open(DISPLAY_NAME, &r.display_name)?,
                role: r.role,
                created_at: r.created_at,
                disabled: r.disabled,
                last_sign_in_at: r.last_sign_in_at,
                totp: r.totp,
            })
        })
        .collect()
}

/// Disables or re-enables account `id`; `false` when there is none.
pub async fn set_disabled(db: impl Into<Exec<'_>>, id: i64, disabled: bool) -> sqlx::Result<bool> {
    let done = run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE users SET disabled = ? WHERE id = ?",
            postgres: "UPDATE users SET disabled = $1 WHERE id = $2",
            disabled,
            id,
        )
    )?;
    Ok(done == 1)
}

pub async fn set_role(db: impl Into<Exec<'_>>, id: i64, role: Role) -> sqlx::Result<bool> {
    let done = run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE users SET role = ? WHERE id = ?",
            postgres: "UPDATE users SET role = $1 WHERE id = $2",
            role as _,
            id,
        )
    )?;
    Ok(done == 1)
}

/// Replaces the password hash; `temporary` makes its holder choose a new
/// password at the next sign-in.
pub async fn set_password(
    db: impl Into<Exec<'_>>,
    id: i64,
    password_hash: &str,
    temporary: bool,
) -> sqlx::Result<bool> {
    let done = run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?",
            postgres: "UPDATE users SET password_hash = $1, must_change_password = $2 WHERE id = $3",
            password_hash,
            temporary,
            id,
        )
    )?;
    Ok(done == 1)
}

/// Replaces the password hash `old` of account `id` with `new` (still to be
/// changed by its holder); `false` when the hash was no longer `old`.
pub async fn replace_password(
    db: impl Into<Exec<'_>>,
    id: i64,
    old: &str,
    new: &str,
) -> sqlx::Result<bool> {
    let done = run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?",
            postgres: "UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = $3",
            new,
            id,
            old,
        )
    )?;
    Ok(done == 1)
}

/// Admins who can sign in.
pub async fn count_active_admins(db: impl Into<Exec<'_>>) -> sqlx::Result<i64> {
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"SELECT COUNT(*) AS "n!: i64" FROM users WHERE role = 'admin' AND disabled = 0"#,
            postgres: r#"SELECT COUNT(*) AS "n!: i64" FROM users WHERE role = 'admin' AND NOT disabled"#,
        )
    )
}

pub async fn record_sign_in(db: impl Into<Exec<'_>>, id: i64, now: i64) -> sqlx::Result<()> {
    run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE users SET last_sign_in_at = ? WHERE id = ?",
            postgres: "UPDATE users SET last_sign_in_at = $1 WHERE id = $2",
            now,
            id,
        )
    )?;
    Ok(())
}

/// The sealed TOTP secret and the last time step used, as stored.
struct StoredTotp {
    secret: Option<Vec<u8>>,
    totp_last_step: Option<i64>,
}

/// The account's TOTP secret (base 32) and the last time step used.
pub async fn totp(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    id: i64,
) -> sqlx::Result<Option<(String, Option<i64>)>> {
    let row = run!(
        db,
        fetch_optional,
        query_as!(StoredTotp,
            sqlite: r#"SELECT totp_secret AS "secret?: Vec<u8>", totp_last_step FROM users WHERE id = ?"#,
            postgres: r#"SELECT totp_secret AS "secret?: Vec<u8>", totp_last_step FROM users WHERE id = $1"#,
            id,
        )
    )?;
    let Some(row) = row else { return Ok(None) };
    let Some(secret) = row.secret else {
        return Ok(None);
    };
    Ok(Some((key.open(TOTP_SECRET, &secret)?, row.totp_last_step)))
}

/// Enrols account `id` with `secret` (sealed), first used at `step`.
pub async fn set_totp(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    id: i64,
    secret: &str,
    step: i64,
) -> sqlx::Result<()> {
    let sealed = key.seal(TOTP_SECRET, secret)?;
    run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE users SET totp_secret = ?, totp_last_step = ? WHERE id = ?",
            postgres: "UPDATE users SET totp_secret = $1, totp_last_step = $2 WHERE id = $3",
            sealed,
            step,
            id,
        )
    )?;
    Ok(())
}

/// Removes the second factor of account `id`, and its recovery codes.
pub async fn clear_totp(db: impl Into<Exec<'_>>, id: i64) -> sqlx::Result<bool> {
    let mut db = db.into();
    let done = run!(
        &mut db,
        execute,
        query!(
            sqlite: "UPDATE users SET totp_secret = NULL, totp_last_step = NULL WHERE id = ?",
            postgres: "UPDATE users SET totp_secret = NULL, totp_last_step = NULL WHERE id = $1",
            id,
        )
    )?;
    run!(
        &mut db,
        execute,
        query!(
            sqlite: "DELETE FROM recovery_codes WHERE user_id = ?",
            postgres: "DELETE FROM recovery_codes WHERE user_id = $1",
            id,
        )
    )?;
    Ok(done == 1)
}

/// Records that the TOTP code of time step `step` was used; `false` when
/// that step (or a later one) was used already: a code works once.
pub async fn use_totp_step(db: impl Into<Exec<'_>>, id: i64, step: i64) -> sqlx::Result<bool> {
    let done = run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE users SET totp_last_step = ?1
         WHERE id = ?2 AND totp_secret IS NOT NULL
           AND (totp_last_step IS NULL OR totp_last_step < ?1)",
            postgres: "UPDATE users SET totp_last_step = $1
         WHERE id = $2 AND totp_secret IS NOT NULL
           AND (totp_last_step IS NULL OR totp_last_step < $1)",
            step,
            id,
        )
    )?;
    Ok(done == 1)
}

/// Replaces account `id`'s recovery codes.
pub async fn set_recovery_codes(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    id: i64,
    codes: &[String],
) -> sqlx::Result<()> {
    let mut db = db.into();
    run!(
        &mut db,
        execute,
        query!(
            sqlite: "DELETE FROM recovery_codes WHERE user_id = ?",
            postgres: "DELETE FROM recovery_codes WHERE user_id = $1",
            id,
        )
    )?;
    for code in codes {
        let lookup = key.lookup(RECOVERY_CODE, code);
        run!(
            &mut db,
            execute,
            query!(
                sqlite: "INSERT INTO recovery_codes (user_id, code_lookup) VALUES (?, ?)",
                postgres: "INSERT INTO recovery_codes (user_id, code_lookup) VALUES ($1, $2)",
                id,
                lookup,
            )
        )?;
    }
    Ok(())
}

/// Uses recovery code `code` of account `id`; `false` when it is not one of
/// its codes or was used already.
pub async fn use_recovery_code(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    id: i64,
    code: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let lookup = key.lookup(RECOVERY_CODE, code);
    let done = run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_lookup = ? AND used_at IS NULL",
            postgres: "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_lookup = $3 AND used_at IS NULL",
            now,
            id,
            lookup,
        )
    )?;
    Ok(done == 1)
}

/// Recovery codes of account `id` not used yet.
pub async fn recovery_codes_left(db: impl Into<Exec<'_>>, id: i64) -> sqlx::Result<i64> {
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"SELECT COUNT(*) AS "n!: i64" FROM recovery_codes WHERE user_id = ? AND used_at IS NULL"#,
            postgres: r#"SELECT COUNT(*) AS "n!: i64" FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL"#,
            id,
        )
    )
}
