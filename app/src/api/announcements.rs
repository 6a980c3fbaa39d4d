//! Announcements: the staff's page, and what a participant received.

use leptos::prelude::*;

use crate::domain::Lang;
use crate::dto::announcements::{AnnouncementsPage, ReceivedAnnouncement};
use crate::error::AppError;

/// An event's announcements, for moderators and admins.
#[server(prefix = "/api", endpoint = "staff/announcements")]
pub async fn staff_announcements_view(
    lang: Lang,
    slug: String,
) -> Result<AnnouncementsPage, AppError> {
    use crate::server::{AppState, announcements::pages, auth::require_staff};
    require_staff(crate::domain::Role::Moderator).await?;
    pages::staff(&AppState::current()?, lang, &slug).await
}

/// The announcements the participant behind `token` received.
#[server(prefix = "/api", endpoint = "announcements/received")]
pub async fn received_announcements(
    lang: Lang,
    token: String,
) -> Result<Vec<ReceivedAnnouncement>, AppError> {
    use crate::server::{AppState, announcements::pages};
    pages::received(&AppState::current()?, lang, &token).await
}
