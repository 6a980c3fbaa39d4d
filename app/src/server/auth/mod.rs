//! Staff accounts: sessions, who is signed in, and the guards that pages, server functions and handlers use.
//!
//! - In a `#[server]` function or a component rendered on the server:
//!   `let staff = require_staff(Role::Moderator).await?;`
//! - In a plain axum handler: take [`RequireStaff`] or [`RequireAdmin`] as an
//!   argument (401/403, or a 303 to the sign-in page for browsers).
//!
//! Sessions live in the same SQLite database (`tower_sessions` table). A
//! session ends after 30 minutes without a request, and 12 hours after
//! signing in whatever happens.

use crate::server::db::Db;
use crate::server::db::session_store::Store;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_login::{AuthManagerLayer, AuthManagerLayerBuilder, AuthSession, AuthUser, AuthnBackend};
use tower_sessions::cookie::SameSite;
use tower_sessions::cookie::time::Duration as CookieDuration;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::domain::{Email, Lang};
use crate::error::AppError;
use crate::server::crypto::DataKey;
use crate::server::db::{staff_sessions, users};
use crate::server::{AppState, Config};
use password::verify_blocking;

pub use crate::domain::{Role, Staff};
pub use password::{
    AuthError, CreateUserError, GENERATED_PASSWORD_LEN, MAX_PASSWORD_LEN, MIN_PASSWORD_LEN,
    WeakPassword, check_new_password, create_user, generate_password, hash_blocking, hash_password,
    hashing_peak, verify_password,
};

mod password;
pub mod totp;

/// A session ends after this long without a request.
pub const IDLE_TIMEOUT_MINUTES: i64 = 30;
/// A session ends this long after signing in, however active.
pub const ABSOLUTE_TIMEOUT_SECONDS: i64 = 12 * 60 * 60;

/// Session key: when the staff member signed in (Unix seconds, from `AppState.clock`).
const LOGIN_AT_KEY: &str = "staff.login_at";
/// Session key: the random id of the session's `staff_sessions` row (hex).
const SESSION_ID_KEY: &str = "staff.session_id";

// ---------------------------------------------------------------------------
// Passwords

// ---------------------------------------------------------------------------
// Accounts

// ---------------------------------------------------------------------------
// Sessions (axum-login over `users`)

/// The signed-in account as the session layer holds it.
#[derive(Clone)]
pub struct StaffUser {
    pub staff: Staff,
    password_hash: String,
    /// Signed in with a temporary password: may only choose a new one.
    pub must_change_password: bool,
    /// Enrolled in two-factor sign-in.
    pub totp: bool,
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
    /// A fingerprint of the account's password hash: it changes whenever the
    /// password does (a reset, a change).
    pub fn password_fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        Sha256::digest(self.password_hash.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    fn from_row(row: users::UserRow) -> Option<Self> {
        if row.disabled {
            return None;
        }
        Some(Self {
            staff: Staff {
                id: row.id,
                email: row.email,
                name: row.display_name,
                role: row.role,
            },
            password_hash: row.password_hash,
            must_change_password: row.must_change_password,
            totp: row.totp,
        })
    }
}

pub struct Credentials {
    pub email: String,
    pub password: String,
}

#[derive(Clone)]
pub struct Backend {
    pool: Db,
    key: DataKey,
}

impl Backend {
    pub fn new(pool: Db, key: DataKey) -> Self {
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

/// Whether `password` is the account's current one (bounded hashing).
pub async fn verify_current(password: &str, phc: &str) -> bool {
    verify_blocking(password.to_owned(), Some(phc.to_owned())).await
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

/// Deletes expired sessions every 10 minutes while this instance leads
/// (`server::leader`), until the task is aborted.
pub fn spawn_session_cleanup(
    pool: &Db,
    mut leader: crate::server::leader::Leader,
) -> tokio::task::JoinHandle<()> {
    use tower_sessions::session_store::ExpiredDeletion;
    let store = crate::server::db::session_store::Store::new(pool);
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(600)).await;
            leader.until_leading().await;
            if let Err(error) = store.delete_expired().await {
                tracing::error!(%error, "deleting expired sessions failed; trying again later");
            }
        }
    })
}

/// Sessions (cookie: `HttpOnly`, `SameSite=Strict`, `Path=/`, 30 minutes
/// idle) and the staff sign-in on top of them.
pub fn auth_layer(state: &AppState) -> AuthManagerLayer<Backend, Store> {
    let cookie = SessionCookie::for_config(&state.config);
    let sessions = SessionManagerLayer::new(Store::new(&state.db))
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
    AuthManagerLayerBuilder::new(Backend::new(state.db.clone(), state.key.clone()), sessions)
        .build()
}

fn session_error(error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, "session error");
    AppError::Internal
}

/// Signs `user` in on a fresh session id, remembers when, and puts the
/// session on record (`staff_sessions`, with the browser's family from
/// `user_agent`) so that it can be listed and ended.
pub async fn sign_in(
    auth: &mut StaffSession,
    user: &StaffUser,
    state: &AppState,
    user_agent: &str,
) -> Result<(), AppError> {
    // Signing in over a live session ends that one first, and nothing of
    // its data carries over.
    if let (Some(previous), Some(id)) = (&auth.user, session_record(auth).await?) {
        staff_sessions::end(&state.db, &id, previous.staff.id).await?;
    }
    auth.session.clear().await;
    // A session id that existed before signing in is never reused.
    auth.session.cycle_id().await.map_err(session_error)?;
    auth.login(user).await.map_err(session_error)?;
    let now = state.clock.now().as_second();
    let id = crate::server::token::Token::generate()?;
    staff_sessions::insert(
        &state.db,
        &id.hash(),
        user.staff.id,
        browser_family(user_agent),
        now,
    )
    .await?;
    users::record_sign_in(&state.db, user.staff.id, now).await?;
    auth.session
        .insert(LOGIN_AT_KEY, now)
        .await
        .map_err(session_error)?;
    auth.session
        .insert(SESSION_ID_KEY, id.as_str())
        .await
        .map_err(session_error)?;
    Ok(())
}

/// Spends a temporary password: replaces it with one nobody knows, only if
/// it is still the one `user` signed in with (so two sign-ins racing with
/// it cannot both get through). Returns the account as it now is.
pub async fn spend_temporary_password(
    state: &AppState,
    user: &StaffUser,
) -> Result<Option<StaffUser>, AppError> {
    let unknown = hash_blocking(generate_password())
        .await
        .map_err(|_| AppError::Internal)?;
    if !users::replace_password(&state.db, user.staff.id, &user.password_hash, &unknown).await? {
        return Ok(None);
    }
    Ok(users::by_id(&state.db, &state.key, user.staff.id)
        .await?
        .and_then(StaffUser::from_row))
}

/// Updates the signed-in account in the session after its password changed
/// (the session would otherwise end, its password fingerprint stale).
pub async fn refresh(auth: &mut StaffSession, user: &StaffUser) -> Result<(), AppError> {
    auth.login(user).await.map_err(session_error)
}

/// The browser's family, all a session list shows of the client.
pub fn browser_family(user_agent: &str) -> &'static str {
    if user_agent.contains("Edg/") {
        "Edge"
    } else if user_agent.contains("OPR/") || user_agent.contains("Opera") {
        "Opera"
    } else if user_agent.contains("Firefox/") {
        "Firefox"
    } else if user_agent.contains("Chrome/") || user_agent.contains("Chromium/") {
        "Chrome"
    } else if user_agent.contains("Safari/") {
        "Safari"
    } else {
        "Other"
    }
}

pub async fn sign_out(auth: &mut StaffSession, state: &AppState) -> Result<(), AppError> {
    if let (Some(user), Some(id)) = (&auth.user, session_record(auth).await?) {
        staff_sessions::end(&state.db, &id, user.staff.id).await?;
    }
    auth.logout().await.map_err(session_error)?;
    Ok(())
}

/// The `staff_sessions` id of this session, if signed in.
pub async fn session_record(auth: &StaffSession) -> Result<Option<Vec<u8>>, AppError> {
    let id: Option<String> = auth
        .session
        .get(SESSION_ID_KEY)
        .await
        .map_err(session_error)?;
    Ok(id
        .as_deref()
        .and_then(crate::server::token::Token::parse)
        .map(|t| t.hash()))
}

/// Where the request's session stands.
pub enum Standing {
    SignedOut,
    /// Signed in with a temporary password: only choosing a new one is open.
    MustChangePassword(Staff),
    SignedIn(Staff),
}

/// Where the session stands. A session older than the absolute timeout (or
/// without a sign-in time), or one that was ended (its `staff_sessions` row
/// deleted: by its owner, an admin, or disabling the account) is signed
/// out here.
pub async fn standing(auth: &mut StaffSession, state: &AppState) -> Result<Standing, AppError> {
    let Some(user) = auth.user.clone() else {
        return Ok(Standing::SignedOut);
    };
    let login_at: Option<i64> = auth
        .session
        .get(LOGIN_AT_KEY)
        .await
        .map_err(session_error)?;
    let now = state.clock.now().as_second();
    let expired = login_at.is_none_or(|at| now.saturating_sub(at) >= ABSOLUTE_TIMEOUT_SECONDS);
    if expired {
        tracing::info!(
            user_id = user.staff.id,
            "session reached its absolute timeout"
        );
        sign_out(auth, state).await?;
        return Ok(Standing::SignedOut);
    }
    let on_record = match session_record(auth).await? {
        Some(id) => staff_sessions::touch(&state.db, &id, user.staff.id, now).await?,
        None => false,
    };
    if !on_record {
        tracing::info!(user_id = user.staff.id, "session was ended");
        auth.logout().await.map_err(session_error)?;
        return Ok(Standing::SignedOut);
    }
    Ok(if user.must_change_password {
        Standing::MustChangePassword(user.staff)
    } else {
        Standing::SignedIn(user.staff)
    })
}

/// The signed-in staff member, if any (not one who must first replace a
/// temporary password).
pub async fn current_staff(
    auth: &mut StaffSession,
    state: &AppState,
) -> Result<Option<Staff>, AppError> {
    Ok(match standing(auth, state).await? {
        Standing::SignedIn(staff) => Some(staff),
        _ => None,
    })
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
    authorize(current_staff(&mut auth, &state).await?, min)
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

/// The session of a request (for middleware and handlers).
pub fn session_of(parts: &Parts) -> Result<StaffSession, AppError> {
    parts
        .extensions
        .get::<StaffSession>()
        .cloned()
        .ok_or_else(|| session_error("the auth layer is missing"))
}

/// The signed-in staff member of a request (for middleware and handlers).
pub async fn staff_of(parts: &Parts, state: &AppState) -> Result<Option<Staff>, AppError> {
    current_staff(&mut session_of(parts)?, state).await
}

/// Where a request's session stands (for middleware and handlers).
pub async fn standing_of(parts: &Parts, state: &AppState) -> Result<Standing, AppError> {
    standing(&mut session_of(parts)?, state).await
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
    let target = format!(
        "{}?next={}",
        crate::paths::staff_login(lang),
        percent_encode(next)
    );
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
