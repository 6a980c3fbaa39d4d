//! Registration views: whether and how one can register for an event, and
//! the participant's own registration behind their private link.

use serde::{Deserialize, Serialize};

use crate::domain::{AttendanceMode, InterpretationLanguage, RegistrationState};

/// An attendance mode an event offers, with its places left (`None` for a
/// closed event: its numbers are for those invited only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModeSeats {
    pub mode: AttendanceMode,
    pub left: Option<i64>,
}

/// Whether registration is open, with the dates formatted for the reader.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Availability {
    Open { until: String },
    NotYet { opens: String },
    Closed,
}

/// How an event takes registrations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegistrationInfo {
    pub availability: Availability,
    pub seats: Vec<ModeSeats>,
    pub waitlist: bool,
    pub requires_approval: bool,
    pub invitation_only: bool,
}

/// What the registration form of an event needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegisterPage {
    pub slug: String,
    pub title: String,
    pub dates: String,
    pub info: RegistrationInfo,
    pub languages: Vec<InterpretationLanguage>,
    /// Days after the event that the registration is deleted.
    pub retention_days: u32,
    /// The topics the event asks about (id, title in the reader's language).
    pub topics: Vec<(i64, String)>,
}

/// A participant's registration as their private page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrivateView {
    /// The check-in code, for an approved in-person participant of an
    /// event that goes ahead and has not ended.
    pub checkin: Option<crate::dto::checkin::CheckinPass>,
    /// Whether reminders go to this participant before the event.
    pub reminders: bool,
    pub event_slug: String,
    pub event_title: String,
    pub dates: String,
    pub state: RegistrationState,
    pub reason: Option<String>,
    pub mode: AttendanceMode,
    /// Only for an approved in-person participant.
    pub venue: Option<String>,
    pub name: String,
    pub organisation: String,
    pub role: String,
    pub interpretation: Option<InterpretationLanguage>,
    pub accessibility: String,
    pub languages: Vec<InterpretationLanguage>,
    /// Opening the link this time confirmed the email address.
    pub just_confirmed: bool,
    /// The event is cancelled: nothing is released (no venue, no sessions).
    pub event_cancelled: bool,
    /// Approved to attend online, of an event that is not cancelled: may use
    /// join links.
    pub can_join: bool,
    /// The event's online sessions, for a participant who attends (or asked
    /// to attend) online; empty otherwise.
    pub sessions: Vec<JoinSession>,
    /// This browser remembers the registration (see `remember`).
    pub remembered_here: bool,
    /// How many browsers remember it.
    pub remembered_on: i64,
}

/// What the event page shows the one reader whose browser remembers their
/// registration for the event: where it stands, and their join buttons.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReaderView {
    pub state: RegistrationState,
    pub mode: AttendanceMode,
    /// Approved to attend online, of an event that is not cancelled.
    pub can_join: bool,
    /// The event's online sessions, when they attend (or asked to) online.
    pub sessions: Vec<JoinSession>,
}

/// An online session on the participant's private page. It carries when its
/// join window opens and closes, never the meeting URL.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JoinSession {
    pub id: i64,
    pub title: String,
    /// Day and times in the event's zone.
    pub when: String,
    pub live: bool,
    pub join_open: bool,
    /// Unix milliseconds.
    pub opens_ms: i64,
    pub ends_ms: i64,
    /// The opening moment in the event's zone, with the zone.
    pub opens: String,
    /// Minutes east of UTC of the event's clock at the opening.
    pub opens_offset: i32,
    /// Which language on which interpretation channel.
    pub interpretation: Vec<crate::domain::material::Channel>,
}
