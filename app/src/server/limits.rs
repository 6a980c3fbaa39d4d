//! Abuse resistance for the public forms: a per-address rate limit on each
//! (registration, organisation, subscription) and a honeypot field.
//!
//! The limits are `governor`'s keyed GCRA limiters, the crate `tower_governor`
//! wraps. They are checked inside the handlers rather than as a tower layer:
//! a refused post then gets its form back with everything typed, in the
//! reader's language, with 429 and `Retry-After`, where the layer could only
//! answer with a fixed text and lose the input.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

pub use crate::domain::form::HONEYPOT;

/// Forget idle addresses once a limiter holds this many.
const MAX_KEYS: usize = 10_000;

/// The public forms that are limited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PublicForm {
    Registration,
    Organisation,
    Subscription,
}

impl PublicForm {
    pub fn name(self) -> &'static str {
        match self {
            Self::Registration => "registration",
            Self::Organisation => "organisation",
            Self::Subscription => "subscription",
        }
    }
}

/// One limiter per form, keyed by client address.
pub struct FormLimits {
    registration: DefaultKeyedRateLimiter<IpAddr>,
    organisation: DefaultKeyedRateLimiter<IpAddr>,
    subscription: DefaultKeyedRateLimiter<IpAddr>,
}

impl FormLimits {
    /// `per_hour` posts of each form per address: all at once, then one
    /// every `60 / per_hour` minutes.
    pub fn new(per_hour: NonZeroU32) -> Self {
        let limiter = || RateLimiter::keyed(Quota::per_hour(per_hour));
        Self {
            registration: limiter(),
            organisation: limiter(),
            subscription: limiter(),
        }
    }

    /// Counts one post of `form` from `ip`: `Err` with how long to wait when
    /// over the limit.
    pub fn check(&self, form: PublicForm, ip: IpAddr) -> Result<(), Duration> {
        let limiter = match form {
            PublicForm::Registration => &self.registration,
            PublicForm::Organisation => &self.organisation,
            PublicForm::Subscription => &self.subscription,
        };
        if limiter.len() > MAX_KEYS {
            limiter.retain_recent();
        }
        limiter
            .check_key(&ip)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}

/// `Retry-After` in whole seconds, rounded up.
pub fn retry_after(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_form_and_address_has_its_own_allowance() {
        let limits = FormLimits::new(NonZeroU32::MIN.saturating_add(2));
        let (a, b): (IpAddr, IpAddr) = ("192.0.2.1".parse().unwrap(), "::1".parse().unwrap());
        for _ in 0..3 {
            assert!(limits.check(PublicForm::Registration, a).is_ok());
        }
        let wait = limits.check(PublicForm::Registration, a).unwrap_err();
        // Three an hour: the next one in twenty minutes.
        assert!(wait > Duration::from_secs(19 * 60) && wait <= Duration::from_secs(20 * 60));
        assert_eq!(retry_after(Duration::from_millis(1500)), 2);
        assert!(limits.check(PublicForm::Registration, b).is_ok());
        assert!(limits.check(PublicForm::Subscription, a).is_ok());
    }
}
