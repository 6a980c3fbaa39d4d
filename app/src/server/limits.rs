//! Abuse resistance: who the client is (its address, behind trusted proxies),
//! a per-address rate limit on each public form (registration, organisation,
//! subscription) and a honeypot field, and the limits on signing in.
//!
//! The limits are `governor`'s keyed GCRA limiters, the crate `tower_governor`
//! wraps. They are checked inside the handlers rather than as a tower layer:
//! a refused post then gets its form back with everything typed, in the
//! reader's language, with 429 and `Retry-After`, where the layer could only
//! answer with a fixed text and lose the input.
//!
//! On PostgreSQL, where several instances serve behind one load balancer,
//! the same counts live in the database instead (`db::limits`), so that
//! alternating between instances buys no extra attempts. Should the
//! database not answer, an instance falls back to its own memory rather
//! than letting everything through.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use governor::clock::{Clock, DefaultClock, QuantaInstant};
use governor::{DefaultKeyedRateLimiter, NotUntil, Quota, RateLimiter};
use sqlx::PgPool;

use crate::domain::Email;
pub use crate::domain::form::HONEYPOT;
use crate::server::Config;
use crate::server::crypto::{DataKey, LIMIT};
use crate::server::db::{self, Db};

/// Tidy a limiter once it holds this many keys.
const MAX_KEYS: usize = 10_000;
/// At most this often: tidying looks at every key.
const TIDY_EVERY: Duration = Duration::from_secs(60);

/// Who a limit counts: an IPv4 address, or an IPv6 address's /64 (one
/// subscriber's network; anyone holding one has 2^64 addresses to rotate).
pub fn limit_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let [a, b, c, d, ..] = v6.segments();
            IpAddr::V6(Ipv6Addr::new(a, b, c, d, 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

/// Forgets, now and then, the keys a limiter no longer needs (those whose
/// allowance has refilled), so that memory stays bounded without looking at
/// every key on every request.
#[derive(Default)]
pub struct Tidy(AtomicU64);

static STARTED: LazyLock<Instant> = LazyLock::new(Instant::now);

impl Tidy {
    pub fn maybe<K: Hash + Eq + Clone>(&self, limiter: &DefaultKeyedRateLimiter<K>) {
        if limiter.len() <= MAX_KEYS {
            return;
        }
        // Counted from one interval before the process started, so that the
        // first tidy (`last` still 0) may run at once.
        let now = STARTED.elapsed().as_secs() + TIDY_EVERY.as_secs();
        let last = self.0.load(Ordering::Relaxed);
        if now < last + TIDY_EVERY.as_secs() {
            return;
        }
        if self
            .0
            .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok()
        {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

/// The database every instance counts in (PostgreSQL), and the key that
/// hashes what is counted.
#[derive(Clone)]
pub struct SharedCounts {
    pool: PgPool,
    key: DataKey,
}

impl SharedCounts {
    /// `None` on SQLite: one instance, whose memory is enough.
    pub fn of(db: &Db, key: &DataKey) -> Option<Self> {
        match db {
            Db::Sqlite(_) => None,
            Db::Postgres(pool) => Some(Self {
                pool: pool.clone(),
                key: key.clone(),
            }),
        }
    }

    fn key(&self, limit: &str, who: &str) -> Vec<u8> {
        self.key.lookup(LIMIT, &format!("{limit}\0{who}"))
    }
}

/// Logs that the database could not count (no key: it may name a person).
fn fall_back(limit: &str, error: &sqlx::Error) {
    tracing::warn!(
        limit,
        %error,
        "the shared rate limit could not be counted in the database; \
         this instance counts in its own memory meanwhile"
    );
}

/// Milliseconds as a wait, at least one.
fn millis(ms: i64) -> Duration {
    Duration::from_millis(u64::try_from(ms).unwrap_or(0).max(1))
}

/// A keyed GCRA limiter: `burst` at once, then one every `interval`.
struct Limiter {
    name: &'static str,
    interval: Duration,
    burst: NonZeroU32,
    memory: DefaultKeyedRateLimiter<IpAddr>,
    tidy: Tidy,
    shared: Option<SharedCounts>,
}

impl Limiter {
    fn new(name: &'static str, quota: Quota, shared: Option<SharedCounts>) -> Self {
        Self {
            name,
            interval: quota.replenish_interval(),
            burst: quota.burst_size(),
            memory: RateLimiter::keyed(quota),
            tidy: Tidy::default(),
            shared,
        }
    }

    /// Counts one request from `ip`'s network: `Err` with how long to wait
    /// when over the limit.
    async fn check(&self, ip: IpAddr) -> Result<(), Duration> {
        let ip = limit_key(ip);
        if let Some(shared) = &self.shared {
            let interval = i64::try_from(self.interval.as_millis()).unwrap_or(i64::MAX);
            let key = shared.key(self.name, &ip.to_string());
            match db::limits::take(&shared.pool, &key, interval, self.burst.get().into()).await {
                Ok(None) => return Ok(()),
                Ok(Some(wait)) => return Err(millis(wait)),
                Err(error) => fall_back(self.name, &error),
            }
        }
        self.tidy.maybe(&self.memory);
        self.memory.check_key(&ip).map_err(wait_time)
    }
}

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

/// One limiter per form, keyed by client address, and the wrong
/// invitation codes per closed event and address.
pub struct FormLimits {
    registration: Limiter,
    organisation: Limiter,
    subscription: Limiter,
    pub invitation_codes: WrongCodes,
}

impl FormLimits {
    /// `per_hour` posts of each form per address: all at once, then one
    /// every `60 / per_hour` minutes. Counted in `shared` when given.
    pub fn new(per_hour: NonZeroU32, shared: Option<SharedCounts>) -> Self {
        let limiter =
            |form: PublicForm| Limiter::new(form.name(), Quota::per_hour(per_hour), shared.clone());
        Self {
            registration: limiter(PublicForm::Registration),
            organisation: limiter(PublicForm::Organisation),
            subscription: limiter(PublicForm::Subscription),
            invitation_codes: WrongCodes(Strikes::new(
                "invitation-codes",
                WRONG_CODES,
                WRONG_CODE_WINDOW,
                shared,
            )),
        }
    }

    /// Counts one post of `form` from `ip`: `Err` with how long to wait when
    /// over the limit.
    pub async fn check(&self, form: PublicForm, ip: IpAddr) -> Result<(), Duration> {
        match form {
            PublicForm::Registration => &self.registration,
            PublicForm::Organisation => &self.organisation,
            PublicForm::Subscription => &self.subscription,
        }
        .check(ip)
        .await
    }
}

/// Wrong invitation codes allowed per closed event and client address in
/// [`WRONG_CODE_WINDOW`]; then every attempt (right or wrong) is refused
/// until the window ends, so the answer to a guess says nothing more.
pub const WRONG_CODES: u32 = 5;
pub const WRONG_CODE_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Counts failures per key in fixed windows: after `allowed` failures, the
/// key is refused until its window ends. Hand-written rather than a
/// `governor` limiter because a right answer must be refused too once the
/// allowance is spent, without spending any of it: governor can only take
/// from an allowance, not look at it.
pub struct Strikes {
    name: &'static str,
    allowed: u32,
    window: Duration,
    memory: std::sync::Mutex<HashMap<String, (u32, Instant)>>,
    shared: Option<SharedCounts>,
}

impl Strikes {
    pub fn new(
        name: &'static str,
        allowed: u32,
        window: Duration,
        shared: Option<SharedCounts>,
    ) -> Self {
        Self {
            name,
            allowed,
            window,
            memory: std::sync::Mutex::default(),
            shared,
        }
    }

    /// `Err` with how long to wait when `key` has no attempt left.
    pub async fn admit(&self, key: &str) -> Result<(), Duration> {
        if let Some(shared) = &self.shared {
            match db::limits::strikes(&shared.pool, &shared.key(self.name, key)).await {
                Ok(Some((count, left))) if self.over(count, 0) => return Err(millis(left)),
                Ok(_) => return Ok(()),
                Err(error) => fall_back(self.name, &error),
            }
        }
        match self.lock().get(key) {
            Some(&(count, since)) if count >= self.allowed => {
                let over = since + self.window;
                let now = Instant::now();
                if over > now { Err(over - now) } else { Ok(()) }
            }
            _ => Ok(()),
        }
    }

    /// Counts one attempt for `key` before it is checked, atomically: `Err`
    /// when it is over the allowance (so concurrent attempts cannot all slip
    /// in). A right answer is then [`Strikes::forgive`]n.
    pub async fn hit(&self, key: &str) -> Result<(), Duration> {
        match self.count(key).await {
            (count, left) if self.over(count, 1) => Err(left),
            _ => Ok(()),
        }
    }

    /// Takes back one attempt [`Strikes::hit`] counted, once it proved right.
    pub async fn forgive(&self, key: &str) {
        if let Some(shared) = &self.shared {
            match db::limits::forgive(&shared.pool, &shared.key(self.name, key)).await {
                Ok(()) => return,
                Err(error) => fall_back(self.name, &error),
            }
        }
        if let Some(entry) = self.lock().get_mut(key) {
            entry.0 = entry.0.saturating_sub(1);
        }
    }

    /// Counts one failure for `key`.
    pub async fn strike(&self, key: &str) {
        self.count(key).await;
    }

    /// Whether `count` failures, `more` of them just counted, leave no
    /// attempt: `allowed` may be spent, not exceeded.
    fn over(&self, count: i32, more: i32) -> bool {
        i64::from(count) - i64::from(more) >= i64::from(self.allowed)
    }

    /// Counts one failure: how many the window holds now, and its time left.
    async fn count(&self, key: &str) -> (i32, Duration) {
        if let Some(shared) = &self.shared {
            let window = i64::try_from(self.window.as_millis()).unwrap_or(i64::MAX);
            match db::limits::strike(&shared.pool, &shared.key(self.name, key), window).await {
                Ok((count, left)) => return (count, millis(left)),
                Err(error) => fall_back(self.name, &error),
            }
        }
        let mut strikes = self.lock();
        let now = Instant::now();
        if strikes.len() > MAX_KEYS {
            strikes.retain(|_, (_, since)| now.duration_since(*since) < self.window);
        }
        let entry = strikes.entry(key.to_owned()).or_insert((0, now));
        if now.duration_since(entry.1) >= self.window {
            *entry = (0, now);
        }
        entry.0 += 1;
        (
            i32::try_from(entry.0).unwrap_or(i32::MAX),
            (entry.1 + self.window).saturating_duration_since(now),
        )
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (u32, Instant)>> {
        self.memory
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Wrong invitation codes, per closed event and client address.
pub struct WrongCodes(Strikes);

impl WrongCodes {
    /// `Err` with how long to wait when `ip` may not try a code for `event`.
    pub async fn admit(&self, event: i64, ip: IpAddr) -> Result<(), Duration> {
        self.0.admit(&format!("{event} {}", limit_key(ip))).await
    }

    /// Counts one wrong code for `event` from `ip`.
    pub async fn strike(&self, event: i64, ip: IpAddr) {
        self.0.strike(&format!("{event} {}", limit_key(ip))).await;
    }
}

/// How long until a refused key's next allowance.
pub fn wait_time(not_until: NotUntil<QuantaInstant>) -> Duration {
    not_until.wait_time_from(DefaultClock::default().now())
}

/// Tells the client to come back after `wait` (`Retry-After`).
pub fn with_retry_after(mut response: Response, wait: Duration) -> Response {
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after(wait)));
    response
}

/// `Retry-After` in whole seconds, rounded up.
pub fn retry_after(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

/// Whether the operator has been told that `X-Forwarded-For` from an
/// untrusted peer is ignored (once per process: the log stays readable).
static WARNED_UNTRUSTED_FORWARDING: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// The client's address: the socket's peer, or, when the peer is one of the
/// trusted proxies (`LAUSANNE_TRUSTED_PROXIES`, none by default), the
/// nearest address in `X-Forwarded-For` that is not a trusted proxy. Anyone
/// else's `X-Forwarded-For` is ignored, so a client cannot pick its own
/// address. IPv4 addresses mapped into IPv6 (`::ffff:192.0.2.1`, as a
/// dual-stack socket reports them) count as the IPv4 address.
pub fn client_ip(parts: &Parts, config: &Config) -> IpAddr {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| {
            c.0.ip().to_canonical()
        });
    if !config.trusted_proxies.contains(&peer) {
        if parts.headers.contains_key("x-forwarded-for")
            && !WARNED_UNTRUSTED_FORWARDING.swap(true, Ordering::Relaxed)
        {
            // No address in the line: it could be a person's.
            tracing::warn!(
                "a request carried X-Forwarded-For from a peer that is not a trusted proxy; \
                 the header is ignored. Behind a reverse proxy, set LAUSANNE_TRUSTED_PROXIES \
                 to its address (see the README)"
            );
        }
        return peer;
    }
    let forwarded: Vec<&str> = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    for hop in forwarded.iter().rev() {
        match forwarded_address(hop) {
            Some(ip) if config.trusted_proxies.contains(&ip) => continue,
            Some(ip) => return ip,
            // What is left of the list was written by whoever the proxy
            // heard from; the proxy is the last address we can vouch for.
            None => break,
        }
    }
    peer
}

/// One `X-Forwarded-For` hop: an address, possibly with a port
/// (`192.0.2.1:5678`, `[2001:db8::1]:443`), as some proxies write them.
fn forwarded_address(hop: &str) -> Option<IpAddr> {
    let ip = hop
        .parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|a| a.ip()))?;
    Some(ip.to_canonical())
}

/// Sign-in attempts allowed: 10 a minute from one address; and 5 failures
/// in 15 minutes on one account *from one address*, after which that
/// address may not try that account until the 15 minutes are over. An
/// address with no recent failures is never refused for what others did:
/// knowing a staff email is not enough to lock its owner out. Counted in
/// memory, or in the database every instance shares.
pub struct LoginLimits {
    per_ip: Limiter,
    failures: Strikes,
    /// Second-factor codes per account from any address: only someone with
    /// the password gets that far, so this cannot lock out the owner from
    /// a stranger's side.
    codes: Strikes,
}

/// Codes tried on one account (after its password) in [`FAILURE_WINDOW`].
pub const CODES_PER_ACCOUNT: u32 = 10;

const PER_IP_PER_MINUTE: NonZeroU32 = NonZeroU32::MIN.saturating_add(9);

/// Failures on one account from one address before that address must wait.
pub const FAILURES_PER_ACCOUNT_AND_ADDRESS: u32 = 5;
pub const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);

impl LoginLimits {
    /// Counted in `shared` when given.
    pub fn new(shared: Option<SharedCounts>) -> Self {
        Self {
            per_ip: Limiter::new(
                "sign-in",
                Quota::per_minute(PER_IP_PER_MINUTE),
                shared.clone(),
            ),
            failures: Strikes::new(
                "sign-in-failures",
                FAILURES_PER_ACCOUNT_AND_ADDRESS,
                FAILURE_WINDOW,
                shared.clone(),
            ),
            codes: Strikes::new("second-factor", CODES_PER_ACCOUNT, FAILURE_WINDOW, shared),
        }
    }

    /// Counts one attempt from `ip`: `Err` with how long to wait when over
    /// the limit.
    pub async fn check_ip(&self, ip: IpAddr) -> Result<(), Duration> {
        self.per_ip.check(ip).await
    }

    /// `Err` with how long to wait when `ip` failed too often on `email`.
    pub async fn admit(&self, email: &Email, ip: IpAddr) -> Result<(), Duration> {
        self.failures.admit(&account_key(email, ip)).await
    }

    /// Counts a failed sign-in (password or second factor) on `email` from `ip`.
    pub async fn failed(&self, email: &Email, ip: IpAddr) {
        self.failures.strike(&account_key(email, ip)).await;
    }

    /// Counts a second-factor attempt on account `user` from `ip` before it
    /// is checked (both the per-address and the per-account allowance):
    /// `Err` with how long to wait when over either.
    pub async fn code_attempt(&self, user: i64, email: &Email, ip: IpAddr) -> Result<(), Duration> {
        self.failures.hit(&account_key(email, ip)).await?;
        self.codes.hit(&user.to_string()).await
    }

    /// The code was right: the attempt does not count.
    pub async fn code_accepted(&self, user: i64, email: &Email, ip: IpAddr) {
        self.failures.forgive(&account_key(email, ip)).await;
        self.codes.forgive(&user.to_string()).await;
    }
}

/// One account from one network: the email in lower case, so that its case
/// does not make another key.
fn account_key(email: &Email, ip: IpAddr) -> String {
    format!("{} {}", email.as_str().to_lowercase(), limit_key(ip))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn each_form_and_address_has_its_own_allowance() {
        let limits = FormLimits::new(NonZeroU32::MIN.saturating_add(2), None);
        let (a, b): (IpAddr, IpAddr) = ("192.0.2.1".parse().unwrap(), "::1".parse().unwrap());
        for _ in 0..3 {
            assert!(limits.check(PublicForm::Registration, a).await.is_ok());
        }
        let wait = limits.check(PublicForm::Registration, a).await.unwrap_err();
        // Three an hour: the next one in twenty minutes.
        assert!(wait > Duration::from_secs(19 * 60) && wait <= Duration::from_secs(20 * 60));
        assert_eq!(retry_after(Duration::from_millis(1500)), 2);
        assert!(limits.check(PublicForm::Registration, b).await.is_ok());
        assert!(limits.check(PublicForm::Subscription, a).await.is_ok());
    }

    #[tokio::test]
    async fn wrong_codes_close_the_door_for_right_ones_too() {
        let codes = FormLimits::new(NonZeroU32::MIN, None).invitation_codes;
        let (a, b): (IpAddr, IpAddr) = ("192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap());
        for _ in 0..WRONG_CODES {
            assert!(codes.admit(1, a).await.is_ok());
            codes.strike(1, a).await;
        }
        let wait = codes.admit(1, a).await.unwrap_err();
        assert!(wait > WRONG_CODE_WINDOW - Duration::from_secs(5) && wait <= WRONG_CODE_WINDOW);
        assert!(codes.admit(2, a).await.is_ok(), "another event");
        assert!(codes.admit(1, b).await.is_ok(), "another address");
    }

    #[test]
    fn an_ipv6_network_counts_as_one_client() {
        let key = |ip: &str| limit_key(ip.parse().unwrap());
        assert_eq!(key("2001:db8:1:2:aaaa::1"), key("2001:db8:1:2:bbbb::9"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("::ffff:192.0.2.7"), key("192.0.2.7"));
        assert_ne!(key("192.0.2.7"), key("192.0.2.8"));
    }

    #[test]
    fn forwarded_hops_with_ports_and_mapped_addresses() {
        let v4: IpAddr = "192.0.2.1".parse().unwrap();
        assert_eq!(forwarded_address("192.0.2.1"), Some(v4));
        assert_eq!(forwarded_address("192.0.2.1:5678"), Some(v4));
        assert_eq!(forwarded_address("::ffff:192.0.2.1"), Some(v4));
        assert_eq!(
            forwarded_address("[2001:db8::1]:443"),
            "2001:db8::1".parse().ok()
        );
        assert_eq!(forwarded_address("unknown"), None);
    }

    #[tokio::test]
    async fn account_failures_count_per_address() {
        let limits = LoginLimits::new(None);
        let email = Email::parse("a@example.org").unwrap();
        let other = Email::parse("A@example.org").unwrap();
        let (a, b): (IpAddr, IpAddr) = ("192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap());
        for _ in 0..5 {
            assert!(limits.admit(&email, a).await.is_ok());
            limits.failed(&email, a).await;
        }
        assert!(
            limits.admit(&other, a).await.is_err(),
            "case does not matter"
        );
        assert!(
            limits.admit(&email, b).await.is_ok(),
            "another address is not locked out"
        );
        let ip = IpAddr::V4(Ipv4Addr::LOCALHOST);
        for _ in 0..10 {
            assert!(limits.check_ip(ip).await.is_ok());
        }
        assert!(limits.check_ip(ip).await.is_err());
    }

    #[tokio::test]
    async fn a_second_factor_attempt_counts_until_it_proves_right() {
        let limits = LoginLimits::new(None);
        let email = Email::parse("a@example.org").unwrap();
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..20 {
            assert!(limits.code_attempt(7, &email, ip).await.is_ok());
            limits.code_accepted(7, &email, ip).await;
        }
        for _ in 0..FAILURES_PER_ACCOUNT_AND_ADDRESS {
            assert!(limits.code_attempt(7, &email, ip).await.is_ok());
        }
        assert!(limits.code_attempt(7, &email, ip).await.is_err());
    }
}
