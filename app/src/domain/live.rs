//! The messages of the live stream (server-sent events), shared by the
//! server that sends them and the browser that reads them. Each is small and
//! says one thing that changed; a page applies it in place.

use serde::{Deserialize, Serialize};

use super::{AttendanceMode, RegistrationState};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiveMessage {
    /// Seats left in one attendance mode of the event.
    Seats { mode: AttendanceMode, left: i64 },
    /// Registration opened or closed.
    Registration { open: bool },
    /// A session started or ended, or its join window opened or closed.
    Session {
        session: i64,
        live: bool,
        join_open: bool,
    },
    /// The event itself was edited (or cancelled): the page may be out of date.
    EventChanged,
    /// On a participant's own stream only: where their registration stands,
    /// and whether they may use join links (approved, online).
    Participant {
        state: RegistrationState,
        can_join: bool,
    },
}

/// Which stream a page listens to: an event's public one, or a participant's
/// own (which also carries their event's public messages).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum LiveStream {
    Event(String),
    Participant(String),
}

impl LiveStream {
    /// The stream's address on this site.
    pub fn url(&self) -> String {
        match self {
            Self::Event(slug) => format!("/live?event={slug}"),
            Self::Participant(token) => format!("/live?token={token}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_small_tagged_json() {
        let json = serde_json::to_string(&LiveMessage::Seats {
            mode: AttendanceMode::Online,
            left: 3,
        })
        .unwrap_or_default();
        assert_eq!(json, r#"{"type":"seats","mode":"online","left":3}"#);
        let back: LiveMessage = serde_json::from_str(&json).unwrap_or(LiveMessage::EventChanged);
        assert_eq!(
            back,
            LiveMessage::Seats {
                mode: AttendanceMode::Online,
                left: 3
            }
        );
    }
}
