//! The messages of the live stream (server-sent events), shared by the
//! server that sends them and the browser that reads them. Each is small and
//! says one thing that changed; a page applies it in place.

use serde::{Deserialize, Serialize};

use super::question::BoardQuestion;
use super::{AttendanceMode, EventFormat, EventKind, RegistrationState};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
// Externally tagged (`{"seats":{…}}`): an internally tagged enum makes
// serde buffer each message before reading it, and that machinery made the
// browser's WASM 27 KB larger (351.8 KB against 324.4 KB, before brotli).
#[serde(rename_all = "snake_case")]
pub enum LiveMessage {
    /// Seats left in one attendance mode of an event.
    Seats {
        event: String,
        mode: AttendanceMode,
        left: i64,
    },
    /// Registration for an event opened or closed.
    Registration { event: String, open: bool },
    /// A session started or ended, or its join window opened or closed.
    Session {
        session: i64,
        live: bool,
        join_open: bool,
    },
    /// The event itself was edited: the page may be out of date.
    EventChanged { event: String },
    /// The event was cancelled.
    Cancelled { event: String },
    /// On lists: an event was just published (its kind and format, so a
    /// filtered list tells only of events it would show).
    Listed {
        event: String,
        kind: EventKind,
        format: EventFormat,
    },
    /// On a participant's own stream only: where their registration stands,
    /// and whether they may use join links (approved, online).
    Participant {
        state: RegistrationState,
        can_join: bool,
    },
    /// On a question board: every question it shows (when the stream
    /// starts afresh).
    Board {
        session: i64,
        questions: Vec<BoardQuestion>,
    },
    /// On a question board: a question new to it, or changed (its state,
    /// its translation).
    Question {
        session: i64,
        question: BoardQuestion,
    },
    /// On a question board: a question's votes.
    Votes { question: i64, votes: i64 },
    /// On a question board: a question it no longer shows (withdrawn,
    /// hidden, merged).
    QuestionGone { question: i64 },
    /// On the check-in page (staff): checked in today, of those expected.
    Checkins {
        event: String,
        arrived: i64,
        expected: i64,
    },
}

/// Which stream a page listens to: an event's public one, a list's (its
/// events, and events being published), or a participant's own (which also
/// carries their event's public messages).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum LiveStream {
    Event(String),
    /// The slugs of the events a list shows.
    List(Vec<String>),
    Participant(String),
    /// A session's question board (its event's messages too).
    Board(i64),
    /// An event's check-in count (staff only).
    Checkin(String),
}

impl LiveStream {
    /// Events one list stream may follow; a longer list follows its first.
    pub const MAX_LISTED: usize = 50;

    /// The stream's address on this site.
    pub fn url(&self) -> String {
        match self {
            Self::Event(slug) => format!("/live?event={slug}"),
            Self::List(slugs) => format!(
                "/live?events={}",
                slugs
                    .iter()
                    .take(Self::MAX_LISTED)
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            Self::Participant(token) => format!("/live?token={token}"),
            Self::Board(session) => format!("/live?board={session}"),
            Self::Checkin(slug) => format!("/live?checkin={slug}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_small_tagged_json() {
        let seats = LiveMessage::Seats {
            event: "briefing".into(),
            mode: AttendanceMode::Online,
            left: 3,
        };
        let json = serde_json::to_string(&seats).unwrap_or_default();
        assert_eq!(
            json,
            r#"{"seats":{"event":"briefing","mode":"online","left":3}}"#
        );
        let back: Option<LiveMessage> = serde_json::from_str(&json).ok();
        assert_eq!(back, Some(seats));
        assert_eq!(
            LiveStream::List(vec!["a".into(), "b-2".into()]).url(),
            "/live?events=a,b-2"
        );
        // The browser finds a stream's islands by its address as their JSON
        // properties write it: no address needs escaping.
        for stream in [
            LiveStream::Event("lausanne-platform-2026".into()),
            LiveStream::List(vec!["a".into(), "b".into()]),
            LiveStream::Participant("0123456789abcdef0123456789abcdef".into()),
        ] {
            let url = stream.url();
            assert_eq!(serde_json::to_string(&url).ok(), Some(format!("\"{url}\"")));
        }
    }
}
