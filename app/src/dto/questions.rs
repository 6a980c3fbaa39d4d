//! Question views: what a participant sees of questions (the form, their
//! own, the boards to vote on), a session's live board, and the staff's
//! moderation list.

use serde::{Deserialize, Serialize};

use crate::domain::question::BoardQuestion;
use crate::domain::{Lang, QuestionState};

/// A session one may ask about (or whose board one may see).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionChoice {
    pub id: i64,
    pub title: String,
    /// Its day and times, in the event's time zone.
    pub when: String,
}

/// One of the participant's own questions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyQuestion {
    pub id: i64,
    pub session: String,
    pub text: String,
    pub state: QuestionState,
    /// Why staff hid it.
    pub reason: Option<String>,
    pub anonymous: bool,
    pub votes: i64,
}

/// A session's board as a participant votes on it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionBoard {
    pub session: SessionChoice,
    pub questions: Vec<BoardQuestion>,
}

/// Questions on the private page (or, for a remembered browser, the event
/// page): where the forms post, whether one may ask and on which
/// sessions, one's own questions, and the boards with one's votes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParticipantQuestions {
    pub action: String,
    /// Approved participants of an event that goes ahead.
    pub may_take_part: bool,
    /// The sessions still to come or under way (empty: nothing to ask about).
    pub open_sessions: Vec<SessionChoice>,
    pub mine: Vec<MyQuestion>,
    pub boards: Vec<SessionBoard>,
    pub voted: Vec<i64>,
    pub event_slug: String,
}

/// A session's public board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardPage {
    pub event_slug: String,
    pub event_title: String,
    pub session: SessionChoice,
    pub questions: Vec<BoardQuestion>,
    /// For a browser that remembers an approved participant: where votes
    /// post, and what they voted for.
    pub voter: Option<BoardVoter>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardVoter {
    pub action: String,
    pub voted: Vec<i64>,
}

/// One question as moderators see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffQuestion {
    pub id: i64,
    pub session_id: i64,
    pub session: String,
    pub text: String,
    pub lang: Lang,
    pub translation: Option<String>,
    pub state: QuestionState,
    pub reason: Option<String>,
    pub votes: i64,
    /// Name and organisation for a named question; `None` when asked
    /// anonymously (staff never learn who).
    pub asked_by: Option<String>,
    pub merged_into: Option<i64>,
    pub asked_at: String,
}

/// The moderation page of an event's questions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffQuestions {
    pub event_slug: String,
    pub event_title: String,
    pub questions: Vec<StaffQuestion>,
    /// Every session (for the boards' links).
    pub sessions: Vec<SessionChoice>,
}
