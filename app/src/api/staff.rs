//! Data for the staff pages: who is signed in, the dashboard, the moderation
//! queue, organisations, the audit log, and the staff accounts (admins only).
//! Every function checks the session's role on the server before it reads
//! anything.

use leptos::prelude::*;

use crate::domain::{Lang, Staff};
use crate::dto::staff::{
    AccountData, AuditEntries, Dashboard, Organisations, Queue, QueueFilter, UsersData,
};
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

/// One's own account: sessions and two-factor sign-in. Open to a session
/// signed in with a temporary password (its one page).
#[server(prefix = "/api", endpoint = "staff/account")]
pub async fn my_account(lang: Lang) -> Result<AccountData, AppError> {
    use crate::server::{AppState, auth, staff::pages};
    let state = AppState::current()?;
    let mut session = leptos_axum::extract::<auth::StaffSession>()
        .await
        .map_err(|_| AppError::Internal)?;
    let (me, temporary) = match auth::standing(&mut session, &state).await? {
        auth::Standing::SignedIn(me) => (me, false),
        auth::Standing::MustChangePassword(me) => (me, true),
        auth::Standing::SignedOut => return Err(AppError::Unauthorized),
    };
    let current = auth::session_record(&session).await?;
    pages::account(&state, me, temporary, current, lang).await
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
