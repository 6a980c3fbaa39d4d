//! The check-in page staff use at the door, and the pass a participant
//! shows there.

use serde::{Deserialize, Serialize};

use crate::domain::checkin::CheckinRefusal;
use crate::domain::{AttendanceMode, RegistrationState};

/// What an approved in-person participant shows at the door.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckinPass {
    /// `ABCD-EFGH`.
    pub code: String,
    /// The code as a QR code: an inline `<svg>` drawn on the server.
    pub qr_svg: String,
}

/// One registration found by a search at the door.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Arrival {
    pub registration: i64,
    pub name: String,
    pub organisation: String,
    pub state: RegistrationState,
    pub mode: AttendanceMode,
    /// Why they cannot be checked in (`None`: they can, or already are).
    pub refusal: Option<CheckinRefusal>,
    /// When they were checked in today, in the event's time zone.
    pub checked_in: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckinPage {
    pub event_slug: String,
    pub event_title: String,
    /// Today, in the event's time zone (check-ins count per day).
    pub today: String,
    /// Checked in today.
    pub arrived: i64,
    /// Approved to attend in person.
    pub expected: i64,
    /// What was searched for, as typed.
    pub query: String,
    pub arrivals: Vec<Arrival>,
    /// The search was a code of no registration of this event.
    pub refusal: Option<CheckinRefusal>,
}

/// Results shown for one search at most.
pub const MAX_RESULTS: usize = 20;
