//! Agenda sessions in time: when one is live, and when its join link works.
//! Times are Unix seconds; the clock is the caller's, so edges are testable.

use serde::{Deserialize, Serialize};

/// Minutes before a session's start that its join link opens, unless the
/// session says otherwise.
pub const DEFAULT_JOIN_MINUTES_BEFORE: i64 = 15;

/// A session's times, as far as joining is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionTimes {
    pub starts_at: i64,
    pub ends_at: i64,
    pub join_opens_minutes_before: i64,
}

/// Where "now" stands in a session's join window: it opens
/// `join_opens_minutes_before` minutes before the start (inclusive) and
/// closes at the end (exclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum JoinWindow {
    NotYet { opens_at: i64 },
    Open,
    Over,
}

impl SessionTimes {
    pub fn join_opens_at(&self) -> i64 {
        self.starts_at
            .saturating_sub(self.join_opens_minutes_before.clamp(0, 1440) * 60)
    }

    pub fn join_window(&self, now: i64) -> JoinWindow {
        let opens_at = self.join_opens_at();
        if now < opens_at {
            JoinWindow::NotYet { opens_at }
        } else if now < self.ends_at {
            JoinWindow::Open
        } else {
            JoinWindow::Over
        }
    }

    /// Running now: started and not yet ended.
    pub fn is_live(&self, now: i64) -> bool {
        self.starts_at <= now && now < self.ends_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TIMES: SessionTimes = SessionTimes {
        starts_at: 10_000,
        ends_at: 13_600,
        join_opens_minutes_before: 15,
    };

    #[test]
    fn join_window_edges() {
        let opens = 10_000 - 15 * 60;
        assert_eq!(
            TIMES.join_window(opens - 1),
            JoinWindow::NotYet { opens_at: opens }
        );
        assert_eq!(TIMES.join_window(opens), JoinWindow::Open);
        assert_eq!(TIMES.join_window(10_000), JoinWindow::Open);
        assert_eq!(TIMES.join_window(13_599), JoinWindow::Open);
        assert_eq!(TIMES.join_window(13_600), JoinWindow::Over);
    }

    #[test]
    fn live_edges() {
        assert!(!TIMES.is_live(9_999));
        assert!(TIMES.is_live(10_000));
        assert!(TIMES.is_live(13_599));
        assert!(!TIMES.is_live(13_600));
    }

    #[test]
    fn absurd_minutes_are_clamped() {
        let times = SessionTimes {
            join_opens_minutes_before: i64::MAX,
            ..TIMES
        };
        assert_eq!(times.join_opens_at(), 10_000 - 1440 * 60);
        let times = SessionTimes {
            join_opens_minutes_before: -5,
            ..TIMES
        };
        assert_eq!(times.join_opens_at(), 10_000);
    }
}
