//! Staff accounts: password hashing, sessions, who is signed in, and the
//! guards that pages, server functions and handlers use.
//!
//! - In a `#[server]` function or a component rendered on the server:
//!   `let staff = require_staff(Role::Moderator).await?;`
//! - In a plain axum handler: take [`RequireStaff`] or [`RequireAdmin`] as an
//!   argument (401/403, or a 303 to the sign-in page for browsers).
//!
//! Sessions live in the same SQLite database (`tower_sessions` table). A
//! session ends after 30 minutes without a request, and 12 hours after
//! signing in whatever happens.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::LazyLock;
use std::time::Duration;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{Method, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_login::{AuthManagerLayer, AuthManagerLayerBuilder, AuthSession, AuthUser, AuthnBackend};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use sqlx::SqlitePool;
use tower_sessions::cookie::SameSite;
use tower_sessions::cookie::time::Duration as CookieDuration;
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::SqliteStore;

use super::crypto::DataKey;
use super::db::users;
use super::limits::{Tidy, limit_key, wait_time};
use super::{AppState, Clock, Config};
use crate::domain::{Email, Lang};
use crate::error::AppError;

pub use crate::domain::{Role, Staff};

/// The shortest password a person may choose (generated ones are longer).
pub const MIN_PASSWORD_LEN: usize = 12;
/// Longer input is refused before hashing, so it cannot be used to burn CPU.
pub const MAX_PASSWORD_LEN: usize = 1024;
/// A session ends after this long without a request.
pub const IDLE_TIMEOUT_MINUTES: i64 = 30;
/// A session ends this long after signing in, however active.
pub const ABSOLUTE_TIMEOUT_SECONDS: i64 = 12 * 60 * 60;
/// Length of [`generate_password`]'s passwords.
pub const GENERATED_PASSWORD_LEN: usize = 24;

/// Session key: when the staff member signed in (Unix seconds, from `AppState.clock`).
const LOGIN_AT_KEY: &str = "staff.login_at";

// ---------------------------------------------------------------------------
// Passwords

/// argon2id with OWASP's parameters: 19 MiB, 2 passes, 1 lane.
fn argon2() -> Result<Argon2<'static>, argon2::Error> {
    let params = Params::new(
        Params::DEFAULT_M_COST,
        Params::DEFAULT_T_COST,
        Params::DEFAULT_P_COST,
        None,
    )?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password to a PHC string (algorithm, parameters, salt, hash).
pub fn hash_password(password: &str) -> Result<String, AuthError> {
    let salt = SaltString::generate(&mut OsRng);
    let hash = argon2()
        .map_err(|e| AuthError::Hash(e.to_string()))?
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| AuthError::Hash(e.to_string()))?;
    Ok(hash.to_string())
}

/// Whether `password` matches the PHC string `phc` (parameters are read from it).
pub fn verify_password(password: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        tracing::error!("a stored password hash cannot be parsed");
        return false;
    };
    argon2().is_ok_and(|a| a.verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash of a password nobody knows, verified when the email is unknown so
/// that a wrong email takes as long as a wrong password.
static DUMMY_HASH: LazyLock<Option<String>> =
    LazyLock::new(|| hash_password(&generate_password()).ok());

/// Verifies on a blocking thread (argon2 is deliberately slow). `None` runs
/// the dummy verification and is always false.
async fn verify_blocking(password: String, phc: Option<String>) -> bool {
    let checked = tokio::task::spawn_blocking(move || match phc {
        Some(phc) => verify_password(&password, &phc),
        None => {
            if let Some(dummy) = DUMMY_HASH.as_deref() {
                let _ = verify_password(&password, dummy);
            }
            false
        }
    })
    .await;
    checked.unwrap_or(false)
}

/// A random password of 24 letters and digits (about 139 bits) from the OS
/// random number generator, without look-alikes (0/O, 1/l/I).
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    // Bytes at or above this would make some characters likelier than others.
    let limit = 256 - 256 % ALPHABET.len();
    let mut password = String::with_capacity(GENERATED_PASSWORD_LEN);
    while password.len() < GENERATED_PASSWORD_LEN {
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        for byte in bytes.map(usize::from).into_iter().filter(|&b| b < limit) {
            if password.len() < GENERATED_PASSWORD_LEN {
                password.push(char::from(ALPHABET[byte % ALPHABET.len()]));
            }
        }
    }
    password
}

// ---------------------------------------------------------------------------
// Accounts

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("password hashing failed: {0}")]
    Hash(String),
}

#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("an account with this email address already exists")]
    DuplicateEmail,
    #[error("the password must be at least {MIN_PASSWORD_LEN} characters long")]
    PasswordTooShort,
    #[error("the password must be at most {MAX_PASSWORD_LEN} characters long")]
    PasswordTooLong,
    #[error("the name must not be empty or longer than 100 characters")]
    BadName,
    #[error(transparent)]
    Internal(#[from] AuthError),
}

/// Creates a staff account and returns its id. The password is hashed here.
pub async fn create_user(
    db: &SqlitePool,
    key: &DataKey,
    email: &Email,
    name: &str,
    role: Role,
    password: &str,
) -> Result<i64, CreateUserError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(CreateUserError::BadName);
    }
    let length = password.chars().count();
    if length < MIN_PASSWORD_LEN {
        return Err(CreateUserError::PasswordTooShort);
    }
    if length > MAX_PASSWORD_LEN {
        return Err(CreateUserError::PasswordTooLong);
    }
    let password = password.to_owned();
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AuthError::Hash(e.to_string()))??;
    match users::insert(db, key, email.as_str(), name, role.code(), &hash).await {
        Ok(id) => Ok(id),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            Err(CreateUserError::DuplicateEmail)
        }
        Err(e) => Err(AuthError::Database(e).into()),
    }
}

// ---------------------------------------------------------------------------
// Sessions (axum-login over `users`)

/// The signed-in account as the session layer holds it.
#[derive(Clone)]
pub struct StaffUser {
    pub staff: Staff,
    password_hash: String,
}

/// No email or hash in logs.
impl std::fmt::Debug for StaffUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaffUser")
            .field("id", &self.staff.id)
            .field("role", &self.staff.role)
            .finish_non_exhaustive()
    }
}

impl AuthUser for StaffUser {
    type Id = i64;

    fn id(&self) -> i64 {
        self.staff.id
    }

    /// Changing the password ends every session of the account.
    fn session_auth_hash(&self) -> &[u8] {
        self.password_hash.as_bytes()
    }
}

impl StaffUser {
    fn from_row(row: users::UserRow) -> Option<Self> {
        if row.disabled {
            return None;
        }
        let Some(role) = Role::parse(&row.role) else {
            tracing::error!(user_id = row.id, "unknown role in users table");
            return None;
        };
        Some(Self {
            staff: Staff {
                id: row.id,
                email: row.email,
                name: row.display_name,
                role,
            },
            password_hash: row.password_hash,
        })
    }
}

pub struct Credentials {
    pub email: String,
    pub password: String,
}

#[derive(Clone)]
pub struct Backend {
    pool: SqlitePool,
    key: DataKey,
}

impl Backend {
    pub fn new(pool: SqlitePool, key: DataKey) -> Self {
        Self { pool, key }
    }
}

impl AuthnBackend for Backend {
    type User = StaffUser;
    type Credentials = Credentials;
    type Error = AuthError;

    /// One path for every outcome: an unknown or disabled account still
    /// costs one argon2 verification.
    async fn authenticate(&self, creds: Credentials) -> Result<Option<StaffUser>, AuthError> {
        let row = match Email::parse(&creds.email) {
            Ok(email) => users::by_email(&self.pool, &self.key, email.as_str()).await?,
            Err(_) => None,
        };
        let phc = row.as_ref().map(|r| r.password_hash.clone());
        let password = creds.password;
        let matches = verify_blocking(password, phc).await;
        Ok(row.and_then(StaffUser::from_row).filter(|_| matches))
    }

    async fn get_user(&self, id: &i64) -> Result<Option<StaffUser>, AuthError> {
        Ok(users::by_id(&self.pool, &self.key, *id)
            .await?
            .and_then(StaffUser::from_row))
    }
}

/// The session of the current request, as axum-login hands it out.
pub type StaffSession = AuthSession<Backend>;

/// Name and `Secure` flag of the session cookie. Over HTTPS the `__Host-`
/// prefix makes browsers refuse it unless it is `Secure`, has `Path=/` and no
/// `Domain`, so no subdomain can plant or read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionCookie {
    pub name: &'static str,
    pub secure: bool,
}

impl SessionCookie {
    pub fn for_config(config: &Config) -> Self {
        if config.is_https() {
            Self {
                name: "__Host-lausanne_session",
                secure: true,
            }
        } else {
            Self {
                name: "lausanne_session",
                secure: false,
            }
        }
    }
}

pub fn session_store(pool: &SqlitePool) -> SqliteStore {
    SqliteStore::new(pool.clone())
}

/// Deletes expired sessions every 10 minutes, until the task is aborted.
pub fn spawn_session_cleanup(pool: &SqlitePool) -> tokio::task::JoinHandle<()> {
    use tower_sessions::session_store::ExpiredDeletion;
    let store = session_store(pool);
    tokio::spawn(async move {
        if let Err(error) = store
            .continuously_delete_expired(std::time::Duration::from_secs(600))
            .await
        {
            tracing::error!(%error, "deleting expired sessions stopped");
        }
    })
}

/// Sessions (cookie: `HttpOnly`, `SameSite=Strict`, `Path=/`, 30 minutes
/// idle) and the staff sign-in on top of them.
pub fn auth_layer(state: &AppState) -> AuthManagerLayer<Backend, SqliteStore> {
    let cookie = SessionCookie::for_config(&state.config);
    let sessions = SessionManagerLayer::new(session_store(&state.pool))
        .with_name(cookie.name)
        .with_secure(cookie.secure)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(CookieDuration::minutes(
            IDLE_TIMEOUT_MINUTES,
        )))
        // Saving on every request is what makes the expiry slide with activity.
        .with_always_save(true);
    AuthManagerLayerBuilder::new(
        Backend::new(state.pool.clone(), state.key.clone()),
        sessions,
    )
    .build()
}

fn session_error(error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, "session error");
    AppError::Internal
}

/// Signs `user` in on a fresh session id and remembers when.
pub async fn sign_in(
    auth: &mut StaffSession,
    user: &StaffUser,
    clock: &Clock,
) -> Result<(), AppError> {
    // A session id that existed before signing in is never reused.
    auth.session.cycle_id().await.map_err(session_error)?;
    auth.login(user).await.map_err(session_error)?;
    auth.session
        .insert(LOGIN_AT_KEY, clock.now().as_second())
        .await
        .map_err(session_error)?;
    Ok(())
}

pub async fn sign_out(auth: &mut StaffSession) -> Result<(), AppError> {
    auth.logout().await.map_err(session_error)?;
    Ok(())
}

/// The signed-in staff member, if any. A session older than the absolute
/// timeout (or without a sign-in time) is ended here.
pub async fn current_staff(
    auth: &mut StaffSession,
    clock: &Clock,
) -> Result<Option<Staff>, AppError> {
    let Some(user) = auth.user.clone() else {
        return Ok(None);
    };
    let login_at: Option<i64> = auth
        .session
        .get(LOGIN_AT_KEY)
        .await
        .map_err(session_error)?;
    let now = clock.now().as_second();
    let expired = login_at.is_none_or(|at| now.saturating_sub(at) >= ABSOLUTE_TIMEOUT_SECONDS);
    if expired {
        tracing::info!(
            user_id = user.staff.id,
            "session reached its absolute timeout"
        );
        sign_out(auth).await?;
        return Ok(None);
    }
    Ok(Some(user.staff))
}

fn authorize(staff: Option<Staff>, min: Role) -> Result<Staff, AppError> {
    let staff = staff.ok_or(AppError::Unauthorized)?;
    if staff.role.can(min) {
        Ok(staff)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The signed-in staff member with at least the role `min`, for server
/// functions and components rendered on the server.
/// `Unauthorized` without a session, `Forbidden` when the role is too low.
pub async fn require_staff(min: Role) -> Result<Staff, AppError> {
    let state = AppState::current()?;
    let mut auth = leptos_axum::extract::<StaffSession>()
        .await
        .map_err(session_error)?;
    authorize(current_staff(&mut auth, &state.clock).await?, min)
}

// ---------------------------------------------------------------------------
// Extractors for plain axum handlers

/// A signed-in moderator or admin. Rejects with a 303 to the sign-in page for
/// page requests (GET of a staff page, or a browser form), else 401.
pub struct RequireStaff(pub Staff);

/// A signed-in admin; a moderator gets 403.
pub struct RequireAdmin(pub Staff);

impl FromRequestParts<AppState> for RequireStaff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        staff_from_parts(parts, state, Role::Moderator)
            .await
            .map(Self)
    }
}

impl FromRequestParts<AppState> for RequireAdmin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        staff_from_parts(parts, state, Role::Admin).await.map(Self)
    }
}

/// The signed-in staff member of a request (for middleware and handlers).
pub async fn staff_of(parts: &Parts, state: &AppState) -> Result<Option<Staff>, AppError> {
    let mut auth = parts
        .extensions
        .get::<StaffSession>()
        .cloned()
        .ok_or_else(|| session_error("the auth layer is missing"))?;
    current_staff(&mut auth, &state.clock).await
}

async fn staff_from_parts(parts: &Parts, state: &AppState, min: Role) -> Result<Staff, Response> {
    let staff = staff_of(parts, state)
        .await
        .map_err(IntoResponse::into_response)?;
    match authorize(staff, min) {
        Ok(staff) => Ok(staff),
        Err(AppError::Unauthorized) if wants_page(parts) => Err(to_sign_in(parts)),
        Err(error) => Err(error.into_response()),
    }
}

/// Whether a person's browser is asking for a page: any GET/HEAD of a staff
/// page, or a request that accepts HTML (a form sent by the browser).
fn wants_page(parts: &Parts) -> bool {
    let get = parts.method == Method::GET || parts.method == Method::HEAD;
    let html = parts
        .headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    (get && staff_page(parts.uri.path()).is_some()) || html
}

/// The language of a staff page path `/{lang}/staff[/…]`.
pub fn staff_page(path: &str) -> Option<Lang> {
    let lang = Lang::of_path(path)?;
    let rest = &path[1 + lang.code().len()..];
    (rest == "/staff" || rest.starts_with("/staff/")).then_some(lang)
}

/// 303 to the sign-in page, coming back to this page afterwards.
pub fn to_sign_in(parts: &Parts) -> Response {
    let lang = staff_page(parts.uri.path()).unwrap_or(Lang::En);
    let next = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let target = format!("/{}/staff/login?next={}", lang.code(), percent_encode(next));
    Redirect::to(&target).into_response()
}

/// Percent-encodes everything but unreserved characters and `/`.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The client's address: the socket's peer, or, when the peer is one of the
/// trusted proxies (`LAUSANNE_TRUSTED_PROXIES`, loopback by default), the
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

// ---------------------------------------------------------------------------
// Rate limits on signing in

/// Sign-in attempts allowed: 10 a minute from one address, and 5 in 15
/// minutes (one more every 3 minutes) on one account. Kept in memory.
pub struct LoginLimits {
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
    per_account: DefaultKeyedRateLimiter<String>,
    tidy_ip: Tidy,
    tidy_account: Tidy,
}

const PER_IP_PER_MINUTE: NonZeroU32 = NonZeroU32::MIN.saturating_add(9);
const PER_ACCOUNT_BURST: NonZeroU32 = NonZeroU32::MIN.saturating_add(4);
/// Five every fifteen minutes: one every three.
const PER_ACCOUNT_PER_HOUR: NonZeroU32 = NonZeroU32::MIN.saturating_add(19);

impl Default for LoginLimits {
    fn default() -> Self {
        Self {
            per_ip: RateLimiter::keyed(Quota::per_minute(PER_IP_PER_MINUTE)),
            per_account: RateLimiter::keyed(
                Quota::per_hour(PER_ACCOUNT_PER_HOUR).allow_burst(PER_ACCOUNT_BURST),
            ),
            tidy_ip: Tidy::default(),
            tidy_account: Tidy::default(),
        }
    }
}

impl LoginLimits {
    /// Counts one attempt from `ip`: `Err` with how long to wait when over
    /// the limit.
    pub fn check_ip(&self, ip: IpAddr) -> Result<(), Duration> {
        self.tidy_ip.maybe(&self.per_ip);
        self.per_ip.check_key(&limit_key(ip)).map_err(wait_time)
    }

    /// Counts one attempt on the account `email`: `Err` with how long to
    /// wait when over the limit.
    pub fn check_account(&self, email: &Email) -> Result<(), Duration> {
        self.tidy_account.maybe(&self.per_account);
        self.per_account
            .check_key(&email.as_str().to_lowercase())
            .map_err(wait_time)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passwords() {
        let a = generate_password();
        let b = generate_password();
        assert_eq!(a.chars().count(), GENERATED_PASSWORD_LEN);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
    }

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse battery!", &hash));
        assert!(!verify_password("x", "not a phc string"));
    }

    #[test]
    fn cookie_follows_the_public_url() {
        let config = |url: &'static str| {
            Config::from_lookup(move |n| (n == "LAUSANNE_PUBLIC_URL").then(|| url.to_owned()))
                .unwrap()
        };
        assert_eq!(
            SessionCookie::for_config(&config("https://lausanne.example")),
            SessionCookie {
                name: "__Host-lausanne_session",
                secure: true
            }
        );
        assert_eq!(
            SessionCookie::for_config(&config("http://127.0.0.1:3000")),
            SessionCookie {
                name: "lausanne_session",
                secure: false
            }
        );
    }

    #[test]
    fn staff_paths() {
        assert_eq!(staff_page("/en/staff"), Some(Lang::En));
        assert_eq!(staff_page("/ar/staff/users"), Some(Lang::Ar));
        assert_eq!(staff_page("/en/staffing"), None);
        assert_eq!(staff_page("/fr/staff"), None);
        assert_eq!(staff_page("/en/events"), None);
        assert_eq!(percent_encode("/en/staff?a=1&b"), "/en/staff%3Fa%3D1%26b");
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

    #[test]
    fn account_limit() {
        let limits = LoginLimits::default();
        let email = Email::parse("a@example.org").unwrap();
        let other = Email::parse("A@example.org").unwrap();
        for _ in 0..5 {
            assert!(limits.check_account(&email).is_ok());
        }
        assert!(
            limits.check_account(&other).is_err(),
            "case does not matter"
        );
        let ip = IpAddr::V4(Ipv4Addr::LOCALHOST);
        for _ in 0..10 {
            assert!(limits.check_ip(ip).is_ok());
        }
        assert!(limits.check_ip(ip).is_err());
    }
}
