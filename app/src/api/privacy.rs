//! The privacy notice's numbers.

use leptos::prelude::*;

use crate::domain::retention::RetentionPolicy;
use crate::error::AppError;

/// How long personal data is kept, as configured.
#[server(prefix = "/api", endpoint = "privacy/retention")]
pub async fn retention_periods() -> Result<RetentionPolicy, AppError> {
    use crate::server::{AppState, page_cache, retention};
    // The same until the server restarts with other settings.
    page_cache::shows(&[], None);
    Ok(retention::policy(&AppState::current()?.config))
}
