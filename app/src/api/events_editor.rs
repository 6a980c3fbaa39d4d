//! Data for the staff events and sessions editor (admins only). The forms
//! themselves are plain HTML posts handled by `server::events_editor`.
//! Meeting URLs leave the server only here, to an admin's session form.

use leptos::prelude::*;

use crate::domain::Lang;
use crate::dto::events_editor::{EditorEvent, EditorEvents, EditorSession};
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "staff/editor/events")]
pub async fn events_for_editor(lang: Lang) -> Result<EditorEvents, AppError> {
    use crate::server::{AppState, auth::require_staff, events_editor::pages};
    let staff = require_staff(crate::domain::Role::Admin).await?;
    pages::events(&AppState::current()?, staff, lang).await
}

#[server(prefix = "/api", endpoint = "staff/editor/event")]
pub async fn event_for_editor(lang: Lang, slug: Option<String>) -> Result<EditorEvent, AppError> {
    use crate::server::{AppState, auth::require_staff, events_editor::pages};
    let staff = require_staff(crate::domain::Role::Admin).await?;
    pages::event(&AppState::current()?, staff, lang, slug).await
}

#[server(prefix = "/api", endpoint = "staff/editor/session")]
pub async fn session_for_editor(
    lang: Lang,
    slug: String,
    id: Option<i64>,
) -> Result<EditorSession, AppError> {
    use crate::server::{AppState, auth::require_staff, events_editor::pages};
    let staff = require_staff(crate::domain::Role::Admin).await?;
    pages::session(&AppState::current()?, staff, lang, slug, id).await
}
