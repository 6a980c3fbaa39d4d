//! What participants told the mechanism, as staff see it (aggregated, no
//! count under 5), the feedback form's state on the private page, and the
//! "what we heard" summary on a past event's page.

use serde::{Deserialize, Serialize};

/// A count as staff see it: `None` for "fewer than 5".
pub type Shown = Option<i64>;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopicCount {
    pub title: String,
    pub count: Shown,
}

/// "What should the mechanism hear", without a name; with the organisation
/// only when the participant allowed it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HeardText {
    pub text: String,
    pub organisation: Option<String>,
}

/// One 1–5 question's answers: how many gave each value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scale {
    pub counts: [Shown; 5],
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HearingPage {
    pub event_slug: String,
    pub event_title: String,
    /// Registrations that answered about priorities.
    pub priorities: Shown,
    pub topics: Vec<TopicCount>,
    /// Empty until at least 5 have answered.
    pub texts: Vec<HeardText>,
    pub feedback: Shown,
    pub usefulness: Scale,
    pub safety: Scale,
    /// What to change; empty until at least 5 have answered.
    pub changes: Vec<String>,
    pub heard_en: String,
    pub heard_ar: String,
    pub heard_bulletin: String,
    /// Admins may write the summary (and edit the topics in the editor).
    pub admin: bool,
}

/// The feedback form on the private page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackState {
    /// The event is over and the participant (approved) has not answered.
    pub open: bool,
}

/// "What we heard / what we answered" on a past event's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HeardSummary {
    /// Sanitised HTML.
    pub html: String,
    /// A bulletin it links to: (address, title).
    pub bulletin: Option<(String, String)>,
}
