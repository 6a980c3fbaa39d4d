//! The app's clock: the system's, or one that tests set and move.

use std::sync::Arc;

use jiff::Timestamp;

/// Where "now" comes from; tests inject a fixed or stepping clock.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> Timestamp + Send + Sync>);

impl Clock {
    pub fn system() -> Self {
        Self(Arc::new(Timestamp::now))
    }

    pub fn fixed(at: Timestamp) -> Self {
        Self(Arc::new(move || at))
    }

    /// Any source of time, e.g. a clock that tests move forward.
    pub fn from_fn(now: impl Fn() -> Timestamp + Send + Sync + 'static) -> Self {
        Self(Arc::new(now))
    }

    /// Starts at `at` and runs at the speed of real time.
    pub fn running_from(at: Timestamp) -> Self {
        let start = std::time::Instant::now();
        Self(Arc::new(move || {
            let elapsed = jiff::SignedDuration::try_from(start.elapsed()).unwrap_or_default();
            at.checked_add(elapsed).unwrap_or(at)
        }))
    }

    pub fn now(&self) -> Timestamp {
        (self.0)()
    }
}
