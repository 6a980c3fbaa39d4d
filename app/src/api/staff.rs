//! Data for the staff pages: who is signed in, the dashboard, the moderation
//! queue, organisations, the audit log, and the staff accounts (admins only).
//! Every function checks the session's role on the server before it reads
//! anything.

use leptos::prelude::*;

use crate::domain::{Lang, Staff};
use crate::dto::staff::{AuditEntries, Dashboard, Organisations, Queue, QueueFilter, UsersData};
use crate::error::AppError;

/// The signed-in staff member (moderator or admin).
#[server(prefix = "/api", endpoint = "staff/me")]
pub async fn current_staff() -> Result<Staff, AppError> {
    use crate::server::auth::require_staff;
    require_staff(crate::domain::Role::Moderator).await
}

/// Every staff account; admins only.
#[server(prefix = "/api", endpoint = "staff/users")]
pub async fn list_users(lang: Lang) -> Result<UsersData, AppError> {
    use crate::server::{AppState, auth::require_staff, staff::pages};
    let staff = require_staff(crate::domain::Role::Admin).await?;
    pages::users_data(&AppState::current()?, staff, lang).await
}

#[server(prefix = "/api", endpoint = "staff/dashboard")]
pub async fn staff_dashboard(lang: Lang) -> Result<Dashboard, AppError> {
    use crate::server::{AppState, auth::require_staff, moderation::pages};
    let staff = require_staff(crate::domain::Role::Moderator).await?;
    pages::dashboard(&AppState::current()?, staff, lang).await
}

#[server(prefix = "/api", endpoint = "staff/queue")]
pub async fn moderation_queue(lang: Lang, filter: QueueFilter) -> Result<Queue, AppError> {
    use crate::server::{AppState, auth::require_staff, moderation::pages};
    let staff = require_staff(crate::domain::Role::Moderator).await?;
    pages::queue(&AppState::current()?, staff, lang, filter).await
}

#[server(prefix = "/api", endpoint = "staff/organisations")]
pub async fn staff_organisations(lang: Lang) -> Result<Organisations, AppError> {
    use crate::server::{AppState, auth::require_staff, moderation::pages};
    let staff = require_staff(crate::domain::Role::Moderator).await?;
    pages::organisations(&AppState::current()?, staff, lang).await
}

#[server(prefix = "/api", endpoint = "staff/audit")]
pub async fn audit_log(lang: Lang) -> Result<AuditEntries, AppError> {
    use crate::server::{AppState, auth::require_staff, moderation::pages};
    let staff = require_staff(crate::domain::Role::Moderator).await?;
    pages::audit(&AppState::current()?, staff, lang).await
}
