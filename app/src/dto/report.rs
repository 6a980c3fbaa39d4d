//! The event report staff print or export: every count under 5 is `None`
//! ("fewer than 5").

use serde::{Deserialize, Serialize};

use crate::domain::report::{AccessNeed, Phrased};
use crate::domain::{InterpretationLanguage, RegistrationState};
use crate::dto::staff::DayPoint;

pub type Shown = Option<i64>;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StateRow {
    pub state: RegistrationState,
    pub in_person: Shown,
    pub online: Shown,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub label: String,
    pub count: Shown,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportPage {
    pub event_slug: String,
    pub event_title: String,
    pub dates: String,
    /// Organisations of approved participants, as the programme says it.
    pub organisations_phrase: Option<Phrased>,
    pub signups: Vec<DayPoint>,
    pub states: Vec<StateRow>,
    pub organisations: Shown,
    pub new_organisations: Shown,
    pub returning_organisations: Shown,
    /// Vetted organisations by country or region; the rest are not vetted.
    pub countries: Vec<Line>,
    /// Participants checked in at the door (on any day).
    pub checked_in: Shown,
    /// Participants who attended each session: checked in that day, or
    /// joined online.
    pub joined: Vec<Line>,
    pub interpretation: Vec<(InterpretationLanguage, Shown)>,
    pub accessibility: Vec<(AccessNeed, Shown)>,
    pub questions_asked: Shown,
    pub questions_answered: Shown,
    pub priorities: Shown,
    pub feedback: Shown,
}
