//! Staff data: who is signed in, and the staff accounts (admins only).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::{Lang, Role, Staff};
use crate::error::AppError;

/// A staff account as the users page lists it (never the password hash).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserItem {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// The creation date, formatted for the reader.
    pub created: String,
    pub created_iso: String,
    pub disabled: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UsersData {
    pub me: Staff,
    pub users: Vec<UserItem>,
}

/// The signed-in staff member (moderator or admin).
#[server(prefix = "/api", endpoint = "staff/me")]
pub async fn current_staff() -> Result<Staff, AppError> {
    use crate::server::auth::require_staff;
    require_staff(Role::Moderator).await
}

/// Every staff account; admins only.
#[server(prefix = "/api", endpoint = "staff/users")]
pub async fn list_users(lang: Lang) -> Result<UsersData, AppError> {
    use crate::server::staff;
    staff::users_data(lang).await
}
