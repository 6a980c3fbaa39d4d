//! Check-in at the door: the staff's page.

use leptos::prelude::*;

use crate::domain::Lang;
use crate::dto::checkin::CheckinPage;
use crate::error::AppError;

/// An event's check-in page (moderators and admins): today's count, and
/// whom `query` finds.
#[server(prefix = "/api", endpoint = "staff/checkin")]
pub async fn staff_checkin_view(
    lang: Lang,
    slug: String,
    query: String,
) -> Result<CheckinPage, AppError> {
    use crate::server::{AppState, auth::require_staff, checkin::pages};
    require_staff(crate::domain::Role::Moderator).await?;
    pages::staff(&AppState::current()?, lang, &slug, &query).await
}
