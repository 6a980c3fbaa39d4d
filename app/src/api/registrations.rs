//! Registration data for the public pages: whether and how one can register
//! for an event, and the participant's own registration behind their link.

use leptos::prelude::*;

use crate::domain::Lang;
use crate::dto::registrations::{PrivateView, ReaderView, RegisterPage};
use crate::error::AppError;

/// The registration form of an event (also for closed events: the code is asked).
#[server(prefix = "/api", endpoint = "registrations/form")]
pub async fn registration_form(lang: Lang, slug: String) -> Result<RegisterPage, AppError> {
    use crate::server::{AppState, registrations::pages};
    pages::register_page(&AppState::current()?, lang, &slug).await
}

/// The registration behind a private link. Opening it confirms the address.
#[server(prefix = "/api", endpoint = "registrations/private")]
pub async fn private_registration(lang: Lang, token: String) -> Result<PrivateView, AppError> {
    use crate::server::{AppState, registrations::pages};
    pages::private(&AppState::current()?, lang, &token).await
}

/// The reader's own registration for an event, when their browser
/// remembers it (a cookie they asked for on their private page).
#[server(prefix = "/api", endpoint = "registrations/reader")]
pub async fn event_reader(lang: Lang, slug: String) -> Result<Option<ReaderView>, AppError> {
    use crate::server::{AppState, registrations::device, registrations::pages};
    pages::reader(&AppState::current()?, lang, &slug, device::of_request()).await
}
