//! The staff events and sessions editor's data. Meeting URLs leave the
//! server only here, to an admin's session form.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::{EventFormat, EventStatus, Staff, Visibility};

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
