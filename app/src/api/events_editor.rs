//! Data for the staff events and sessions editor (admins only). The forms
//! themselves are plain HTML posts handled by `server::events_editor`.
//! Meeting URLs leave the server only here, to an admin's session form.

use std::collections::BTreeMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::{EventFormat, EventStatus, Lang, Staff, Visibility};
use crate::error::AppError;

/// One line of the editor's list of events.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditorEventItem {
    pub slug: String,
    pub title: String,
    pub status: EventStatus,
    pub format: EventFormat,
    pub visibility: Visibility,
    /// The dates in the event's time zone, for the reader.
    pub dates: String,
    pub ended: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditorEvents {
    pub viewer: Staff,
    pub items: Vec<EditorEventItem>,
}

/// One agenda line on the event's edit page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditorSessionItem {
    pub id: i64,
    pub title: String,
    /// "Mon 1 March 2027, 09:00–10:30" in the event's time zone.
    pub when: String,
    pub room: Option<String>,
    pub online: bool,
    pub cancelled: bool,
}

/// The event form's page: the current values as the form's fields (empty
/// `slug` for a new event) and the agenda.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditorEvent {
    pub viewer: Staff,
    /// `None` for a new event.
    pub slug: Option<String>,
    pub status: Option<EventStatus>,
    pub title: String,
    /// Field name → value, as the form shows them.
    pub values: BTreeMap<String, String>,
    pub sessions: Vec<EditorSessionItem>,
}

/// A session's form page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditorSession {
    pub viewer: Staff,
    pub event_slug: String,
    pub event_title: String,
    pub event_dates: String,
    pub format: EventFormat,
    pub time_zone: String,
    /// `None` for a new session.
    pub id: Option<i64>,
    pub cancelled: bool,
    pub values: BTreeMap<String, String>,
}

#[server(prefix = "/api", endpoint = "staff/editor/events")]
pub async fn events_for_editor(lang: Lang) -> Result<EditorEvents, AppError> {
    use crate::server::events_editor;
    events_editor::events(lang).await
}

#[server(prefix = "/api", endpoint = "staff/editor/event")]
pub async fn event_for_editor(lang: Lang, slug: Option<String>) -> Result<EditorEvent, AppError> {
    use crate::server::events_editor;
    events_editor::event(lang, slug).await
}

#[server(prefix = "/api", endpoint = "staff/editor/session")]
pub async fn session_for_editor(
    lang: Lang,
    slug: String,
    id: Option<i64>,
) -> Result<EditorSession, AppError> {
    use crate::server::events_editor;
    events_editor::session(lang, slug, id).await
}
