//! What the public event pages show: cards, the agenda, one event.

use serde::{Deserialize, Serialize};

use super::registrations::RegistrationInfo;
use crate::domain::{AttendanceMode, EventFilter, EventFormat, EventKind, InterpretationLanguage};

/// An event as it appears in a list. Closed events carry no details.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventCard {
    pub slug: String,
    pub kind: EventKind,
    pub format: EventFormat,
    pub closed: bool,
    pub title: String,
    /// `None` for closed events.
    pub summary: Option<String>,
    /// City and country; `None` when online only or closed.
    pub place: Option<String>,
    /// The dates, formatted in the reader's language and the event's time zone.
    pub dates: String,
    /// RFC 3339 start, for `<time datetime>`.
    pub starts_iso: String,
    pub ended: bool,
    /// Running now.
    pub live: bool,
    /// Places and registration, for a public event still to come (a list
    /// keeps them up to date); `None` otherwise.
    pub status: Option<CardStatus>,
}

/// What a list says of an event one could still register for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CardStatus {
    /// Places left per attendance mode offered.
    pub seats: Vec<(AttendanceMode, i64)>,
    pub waitlist: bool,
    pub open: bool,
    /// Registration opens later.
    pub not_yet: bool,
}

/// One agenda item of an event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgendaItem {
    pub id: i64,
    pub title: String,
    /// "09:30–11:00" in the event's time zone.
    pub time: String,
    pub starts_iso: String,
    /// Unix milliseconds, for the reader's local time in the browser.
    pub starts_ms: i64,
    pub ends_ms: i64,
    /// Minutes east of UTC of the event's clock at the start: the reader's
    /// own time shows only where their clock differs.
    pub offset_minutes: i32,
    pub in_person: bool,
    pub online: bool,
    /// Running now (updated live on the page).
    pub live: bool,
}

/// The agenda of one day of an event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgendaDay {
    pub label: String,
    pub items: Vec<AgendaItem>,
}

/// Everything the public event page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventDetail {
    pub card: EventCard,
    /// Paragraphs of the description (empty for closed events).
    pub description: Vec<String>,
    pub interpretation: Vec<InterpretationLanguage>,
    /// The time zone as shown to people ("Europe/Amsterdam, UTC+01:00").
    pub time_zone_label: String,
    pub agenda: Vec<AgendaDay>,
    /// How to register; `None` once the event has ended.
    pub registration: Option<RegistrationInfo>,
    /// Public materials (empty for closed events).
    pub materials: Vec<crate::dto::materials::MaterialLink>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventList {
    pub filter: EventFilter,
    pub events: Vec<EventCard>,
}
