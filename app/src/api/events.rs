//! Public event data: the home page, the events list and the event page.

use leptos::prelude::*;

use crate::domain::{EventFilter, Lang};
use crate::dto::events::{EventCard, EventDetail, EventList};
use crate::error::AppError;

/// Upcoming public events, soonest first (the first one is "next").
#[server(prefix = "/api", endpoint = "events/upcoming")]
pub async fn upcoming_events(lang: Lang, limit: u8) -> Result<Vec<EventCard>, AppError> {
    use crate::server::{AppState, events::pages};
    pages::upcoming(&AppState::current()?, lang, limit).await
}

/// The public events list for a filter.
#[server(prefix = "/api", endpoint = "events/list")]
pub async fn list_events(lang: Lang, filter: EventFilter) -> Result<EventList, AppError> {
    use crate::server::{AppState, events::pages};
    pages::list(&AppState::current()?, lang, filter).await
}

/// One event's public page. Unknown slugs and drafts are `NotFound`.
#[server(prefix = "/api", endpoint = "events/show")]
pub async fn get_event(lang: Lang, slug: String) -> Result<EventDetail, AppError> {
    use crate::server::{AppState, events::pages};
    pages::detail(&AppState::current()?, lang, &slug).await
}
