//! What participants told the mechanism: the staff's aggregated view, the
//! feedback form's state, and the past event's summary.

use leptos::prelude::*;

use crate::domain::Lang;
use crate::dto::hearing::{FeedbackState, HeardSummary, HearingPage};
use crate::error::AppError;

/// Priorities and feedback of an event, aggregated (moderators and admins).
#[server(prefix = "/api", endpoint = "staff/hearing")]
pub async fn staff_hearing_view(lang: Lang, slug: String) -> Result<HearingPage, AppError> {
    use crate::server::{AppState, auth::require_staff, hearing::pages};
    let staff = require_staff(crate::domain::Role::Moderator).await?;
    pages::staff(&AppState::current()?, lang, &slug, staff.role.is_admin()).await
}

/// Whether the private page offers the feedback form.
#[server(prefix = "/api", endpoint = "hearing/feedback")]
pub async fn private_feedback(token: String) -> Result<FeedbackState, AppError> {
    use crate::server::{AppState, hearing::pages};
    pages::feedback(&AppState::current()?, &token).await
}

/// "What we heard / what we answered" of a past public event, if written.
#[server(prefix = "/api", endpoint = "hearing/summary")]
pub async fn event_heard(lang: Lang, slug: String) -> Result<Option<HeardSummary>, AppError> {
    use crate::server::{AppState, hearing::pages};
    pages::summary(&AppState::current()?, lang, &slug).await
}
