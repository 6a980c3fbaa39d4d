//! Announcements as staff write and list them, and as participants read
//! them on their private page.

use serde::{Deserialize, Serialize};

use crate::domain::AttendanceMode;

/// The longest announcement, in characters (each language).
pub const MAX_CHARS: usize = 5000;

/// What "Preview" shows before sending.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub recipients: usize,
    /// The text English readers get (the Arabic one when the English is empty).
    pub body_en: String,
    pub body_ar: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SentAnnouncement {
    pub when: String,
    pub waitlisted: bool,
    pub mode: Option<AttendanceMode>,
    pub recipients: i64,
    pub body_en: String,
    pub body_ar: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnnouncementsPage {
    pub event_slug: String,
    pub event_title: String,
    pub sent: Vec<SentAnnouncement>,
}

/// An announcement on the recipient's private page, in their language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReceivedAnnouncement {
    pub when: String,
    pub text: String,
}
