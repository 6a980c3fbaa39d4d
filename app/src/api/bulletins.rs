//! The bulletin: the archive (with search), one issue, and the editor's data
//! (admins only). Bodies arrive as HTML already rendered and sanitised on the
//! server; the browser never gets Markdown code.

use leptos::prelude::*;

use crate::domain::Lang;
use crate::dto::bulletins::{
    Archive, BulletinCard, BulletinIssue, LinkKind, StaffBulletinEdit, StaffBulletinList,
};
use crate::error::AppError;

/// The archive, newest first; with `query`, the issues that match it in
/// either language.
#[server(prefix = "/api", endpoint = "bulletins/archive")]
pub async fn bulletin_archive(lang: Lang, query: Option<String>) -> Result<Archive, AppError> {
    use crate::server::{AppState, bulletins::pages};
    pages::archive(&AppState::current()?, lang, query).await
}

/// One published issue.
#[server(prefix = "/api", endpoint = "bulletins/show")]
pub async fn get_bulletin(lang: Lang, slug: String) -> Result<BulletinIssue, AppError> {
    use crate::server::{AppState, bulletins::pages};
    pages::issue(&AppState::current()?, lang, &slug).await
}

/// The latest published issue, if any (the home page).
#[server(prefix = "/api", endpoint = "bulletins/latest")]
pub async fn latest_bulletin(lang: Lang) -> Result<Option<BulletinCard>, AppError> {
    use crate::server::{AppState, bulletins::pages};
    pages::latest(&AppState::current()?, lang).await
}

/// The editor's list (admins only).
#[server(prefix = "/api", endpoint = "staff/bulletins")]
pub async fn staff_bulletins(lang: Lang) -> Result<StaffBulletinList, AppError> {
    use crate::server::{AppState, auth::require_staff, bulletins::pages};
    let staff = require_staff(crate::domain::Role::Admin).await?;
    pages::staff_list(&AppState::current()?, staff, lang).await
}

/// One issue to edit, or a blank one (`id` = `None`); admins only.
#[server(prefix = "/api", endpoint = "staff/bulletin")]
pub async fn staff_bulletin(id: Option<i64>) -> Result<StaffBulletinEdit, AppError> {
    use crate::server::{AppState, auth::require_staff, bulletins::pages};
    let staff = require_staff(crate::domain::Role::Admin).await?;
    pages::staff_one(&AppState::current()?, staff, id).await
}

/// Whether a link from a subscription email is (still) good.
#[server(prefix = "/api", endpoint = "subscriptions/link")]
pub async fn subscription_link(kind: LinkKind, token: String) -> Result<bool, AppError> {
    use crate::server::{AppState, subscriptions::pages};
    pages::link_is_valid(&AppState::current()?, kind, &token).await
}
