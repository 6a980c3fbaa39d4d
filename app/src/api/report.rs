//! The event report (moderators and admins).

use leptos::prelude::*;

use crate::domain::Lang;
use crate::dto::report::ReportPage;
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "staff/report")]
pub async fn event_report(lang: Lang, slug: String) -> Result<ReportPage, AppError> {
    use crate::server::{AppState, auth::require_staff, report};
    require_staff(crate::domain::Role::Moderator).await?;
    report::page(&AppState::current()?, lang, &slug).await
}
