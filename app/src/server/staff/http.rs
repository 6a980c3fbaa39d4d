//! Staff sign-in and sign-out, and adding a staff account (admins only):
//! plain HTML forms.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use serde::Deserialize;

use crate::domain::staff::local_next;
use crate::domain::{Email, Lang, Role};
use crate::dto::staff::{
    AddUserError, AddUserForm, CodeError, CreatedUser, LoginCodeForm, LoginError, LoginForm,
    UserAction, UserActionError,
};
use crate::error::AppError;
use crate::server::auth::{
    self, CreateUserError, Credentials, RequireAdmin, StaffSession, create_user, generate_password,
};
use crate::server::db::audit;
use crate::server::extract::PathLang;
use crate::server::forms::render_page;
use crate::server::limits::client_ip;
use crate::server::{AppState, limits};
use axum_login::AuthnBackend;

/// The form fields, or all empty when the body cannot be read.
pub(super) async fn read_form<T>(parts: &Parts, body: Body) -> T
where
    T: serde::de::DeserializeOwned + Default,
{
    let request = Request::from_parts(parts.clone(), body);
    match Form::<T>::from_request(request, &()).await {
        Ok(Form(fields)) => fields,
        Err(_) => T::default(),
    }
}

#[derive(Default, Deserialize)]
struct LoginFields {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// Session keys of the second step of signing in: who passed the password
/// check (account id and email), when, where to go next, and wrong codes.
const PENDING_KEY: &str = "staff.pending";

#[derive(Clone, serde::Serialize, Deserialize)]
struct Pending {
    user: i64,
    /// The password's fingerprint: a reset meanwhile starts over.
    password: String,
    at: i64,
    next: String,
    wrong: u32,
}

/// How long the second step may take after the password.
const PENDING_SECONDS: i64 = 5 * 60;
/// Wrong codes in one second step before signing in starts over.
const PENDING_TRIES: u32 = 5;

fn user_agent(parts: &Parts) -> &str {
    parts
        .headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// Signs `user` in and sends them on: to `next`, the dashboard, or (with a
/// temporary password) the account page to choose a new one. A temporary
/// password works this once: it is replaced at once by one nobody knows.
async fn complete_sign_in(
    state: &AppState,
    session: &mut StaffSession,
    parts: &Parts,
    mut user: auth::StaffUser,
    lang: Lang,
    next: String,
) -> Response {
    if user.must_change_password {
        match auth::spend_temporary_password(state, &user).await {
            Ok(Some(spent)) => user = spent,
            // Spent by another sign-in a moment ago.
            Ok(None) => return Redirect::to(&crate::paths::staff_login(lang)).into_response(),
            Err(error) => return error.into_response(),
        }
    }
    if let Err(error) = auth::sign_in(session, &user, state, user_agent(parts)).await {
        return error.into_response();
    }
    tracing::info!(user_id = user.staff.id, "staff signed in");
    let target = if user.must_change_password {
        crate::paths::staff_account(lang)
    } else if next.is_empty() {
        crate::paths::staff(lang)
    } else {
        next
    };
    Redirect::to(&target).into_response()
}

/// `POST /{lang}/staff/login`. 303 to `next` (a local path) or the dashboard
/// on success, or to the second step for an account with two-factor
/// sign-in; the page again with 400 (empty fields), 401 (unknown email or
/// wrong password, one message for both) or 429 (too many attempts from
/// this address, or too many failures on this account from this address).
pub async fn login_post(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let fields: LoginFields = read_form(&parts, body).await;
    let next = local_next(&fields.next).unwrap_or_default().to_owned();
    let fail = |error: LoginError, status: StatusCode| {
        let form = LoginForm {
            email: fields.email.trim().chars().take(254).collect(),
            next: next.clone(),
            error: Some(error),
        };
        let state = state.clone();
        let parts = parts.clone();
        async move { render_page(&state, &parts, form, status).await }
    };
    let too_many = |wait: Duration| {
        let page = fail(LoginError::TooMany, StatusCode::TOO_MANY_REQUESTS);
        async move { limits::with_retry_after(page.await, wait) }
    };

    let client = client_ip(&parts, &state.config);
    if let Err(wait) = state.login_limits.check_ip(client).await {
        tracing::warn!("sign-in attempts over the limit for one address");
        return too_many(wait).await;
    }
    if fields.email.trim().is_empty() || fields.password.is_empty() {
        return fail(LoginError::Missing, StatusCode::BAD_REQUEST).await;
    }
    let email = Email::parse(&fields.email).ok();
    if let Some(email) = &email
        && let Err(wait) = state.login_limits.admit(email, client).await
    {
        tracing::warn!("sign-in failures over the limit for one account from one address");
        return too_many(wait).await;
    }
    if fields.password.len() > auth::MAX_PASSWORD_LEN {
        return fail(LoginError::Invalid, StatusCode::UNAUTHORIZED).await;
    }

    let mut session = match auth::session_of(&parts) {
        Ok(session) => session,
        Err(error) => return error.into_response(),
    };
    let credentials = Credentials {
        email: fields.email.clone(),
        password: fields.password.clone(),
    };
    match session.authenticate(credentials).await {
        Ok(Some(user)) if user.totp => {
            // The password was right; the code from the app comes next.
            let pending = Pending {
                user: user.staff.id,
                password: user.password_fingerprint(),
                at: state.clock.now().as_second(),
                next,
                wrong: 0,
            };
            let stored = async {
                session.session.cycle_id().await?;
                session.session.insert(PENDING_KEY, pending).await
            };
            if let Err(error) = stored.await {
                tracing::error!(%error, "cannot start the second step");
                return AppError::Internal.into_response();
            }
            Redirect::to(&crate::paths::staff_login_code(lang)).into_response()
        }
        Ok(Some(user)) => complete_sign_in(&state, &mut session, &parts, user, lang, next).await,
        Ok(None) => {
            if let Some(email) = &email {
                state.login_limits.failed(email, client).await;
            }
            tracing::info!("staff sign-in refused");
            fail(LoginError::Invalid, StatusCode::UNAUTHORIZED).await
        }
        Err(error) => {
            tracing::error!(%error, "sign-in failed");
            AppError::Internal.into_response()
        }
    }
}

#[derive(Default, Deserialize)]
struct CodeFields {
    #[serde(default)]
    code: String,
}

/// `POST /{lang}/staff/login/code`: the code from the authenticator app (or
/// a recovery code) after the password. Wrong, reused and expired codes get
/// one message (401); five of them, or five minutes, and signing in starts
/// over; each wrong code counts as a failure on the account from this
/// address.
pub async fn login_code_post(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let fields: CodeFields = read_form(&parts, body).await;
    let login = crate::paths::staff_login(lang);
    let mut session = match auth::session_of(&parts) {
        Ok(session) => session,
        Err(error) => return error.into_response(),
    };
    let pending: Option<Pending> = session.session.get(PENDING_KEY).await.ok().flatten();
    let now = state.clock.now().as_second();
    let Some(mut pending) = pending.filter(|p| now - p.at <= PENDING_SECONDS) else {
        let _ = session.session.remove::<Pending>(PENDING_KEY).await;
        return Redirect::to(&login).into_response();
    };
    let client = client_ip(&parts, &state.config);
    let account = match session.backend.get_user(&pending.user).await {
        Ok(Some(user)) if user.password_fingerprint() == pending.password => user,
        // Disabled, or its password reset or changed meanwhile: start over.
        Ok(_) => {
            let _ = session.session.remove::<Pending>(PENDING_KEY).await;
            return Redirect::to(&login).into_response();
        }
        Err(_) => return AppError::Internal.into_response(),
    };
    let Ok(email) = Email::parse(&account.staff.email) else {
        return AppError::Internal.into_response();
    };
    // The attempt counts before the code is checked (concurrent guesses
    // cannot all slip under the limit), per address and per account.
    let counted = match state.login_limits.check_ip(client).await {
        Ok(()) => {
            state
                .login_limits
                .code_attempt(pending.user, &email, client)
                .await
        }
        refused => refused,
    };
    if let Err(wait) = counted {
        let _ = session.session.remove::<Pending>(PENDING_KEY).await;
        let form = LoginForm {
            email: String::new(),
            next: String::new(),
            error: Some(LoginError::TooMany),
        };
        let mut login_parts = parts.clone();
        if let Ok(uri) = login.parse() {
            login_parts.uri = uri;
        }
        let page = render_page(&state, &login_parts, form, StatusCode::TOO_MANY_REQUESTS).await;
        return limits::with_retry_after(page, wait);
    }
    let right =
        match crate::server::staff::check_second_factor(&state, pending.user, &fields.code).await {
            Ok(right) => right,
            Err(error) => return error.into_response(),
        };
    if right {
        state
            .login_limits
            .code_accepted(pending.user, &email, client)
            .await;
        let _ = session.session.remove::<Pending>(PENDING_KEY).await;
        let next = pending.next.clone();
        return complete_sign_in(&state, &mut session, &parts, account, lang, next).await;
    }
    tracing::info!(user_id = pending.user, "second factor refused");
    pending.wrong += 1;
    if pending.wrong >= PENDING_TRIES {
        let _ = session.session.remove::<Pending>(PENDING_KEY).await;
        return Redirect::to(&login).into_response();
    }
    if session.session.insert(PENDING_KEY, pending).await.is_err() {
        return AppError::Internal.into_response();
    }
    let form = LoginCodeForm {
        error: Some(CodeError::Wrong),
    };
    render_page(&state, &parts, form, StatusCode::UNAUTHORIZED).await
}

/// `POST /{lang}/staff/logout`: ends the session, 303 to the sign-in page.
pub async fn logout_post(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    mut session: StaffSession,
) -> Response {
    let lang = Lang::parse(&lang).unwrap_or(Lang::En);
    if let Some(user) = &session.user {
        tracing::info!(user_id = user.staff.id, "staff signed out");
    }
    if let Err(error) = auth::sign_out(&mut session, &state).await {
        return error.into_response();
    }
    Redirect::to(&crate::paths::staff_login(lang)).into_response()
}

#[derive(Default, Deserialize)]
struct AddUserFields {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
}

/// `POST /{lang}/staff/users` (admins): creates an account with a generated
/// password and shows the page again with that password, once.
pub async fn add_user_post(
    State(state): State<AppState>,
    RequireAdmin(admin): RequireAdmin,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let fields: AddUserFields = read_form(&parts, body).await;
    let email = Email::parse(&fields.email);
    let name = fields.name.trim();
    let role = Role::parse(&fields.role);
    let mut form = AddUserForm {
        email: fields.email.trim().chars().take(254).collect(),
        name: name.chars().take(100).collect(),
        role: fields.role.trim().chars().take(20).collect(),
        email_error: email.is_err().then_some(AddUserError::Invalid),
        name_error: name.is_empty()
            || name.chars().count() > 100
            || name.chars().any(char::is_control),
        role_error: role.is_none(),
        created: None,
    };
    let (Ok(email), Some(role), false) = (email, role, form.name_error) else {
        return render_page(&state, &parts, form, StatusCode::BAD_REQUEST).await;
    };
    let password = generate_password();
    match create_user(&state.db, &state.key, &email, name, role, &password).await {
        Ok(id) => {
            tracing::info!(
                by_user_id = admin.id,
                user_id = id,
                role = role.code(),
                "staff account created"
            );
            let action = audit::AuditAction::UserCreated { user: id, role };
            if let Err(error) = audit::record(
                &state.db,
                &state.key,
                audit::Actor::Staff(admin.id),
                action,
                state.clock.now().as_second(),
            )
            .await
            {
                tracing::error!(%error, "cannot audit a new staff account");
            }
            form.created = Some(CreatedUser {
                email: email.into_inner(),
                password,
            });
            render_page(&state, &parts, form, StatusCode::OK).await
        }
        Err(CreateUserError::DuplicateEmail) => {
            form.email_error = Some(AddUserError::Duplicate);
            render_page(&state, &parts, form, StatusCode::BAD_REQUEST).await
        }
        Err(CreateUserError::BadName) => {
            form.name_error = true;
            render_page(&state, &parts, form, StatusCode::BAD_REQUEST).await
        }
        Err(error) => {
            tracing::error!(%error, "cannot create a staff account");
            AppError::Internal.into_response()
        }
    }
}

#[derive(Default, Deserialize)]
struct UserFields {
    #[serde(default)]
    action: String,
    #[serde(default)]
    role: String,
}

/// `POST /{lang}/staff/users/{id}` (admins): `action` = `disable`, `enable`,
/// `role` (with `role`), `reset` or `end_sessions`. Back to the users page
/// (303), or the page again with the temporary password of a reset (200, this
/// once) or what was refused (422: the last active admin; 404: no such
/// account).
pub async fn user_post(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    Path((_, id)): Path<(String, i64)>,
    RequireAdmin(admin): RequireAdmin,
    request: Request,
) -> Response {
    use crate::server::staff::{Refused, UserChange, change_user};
    let (mut parts, body) = request.into_parts();
    let fields: UserFields = read_form(&parts, body).await;
    let change = match (fields.action.as_str(), Role::parse(&fields.role)) {
        ("disable", _) => Some(UserChange::Disable),
        ("enable", _) => Some(UserChange::Enable),
        ("role", Some(role)) => Some(UserChange::Role(role)),
        ("reset", _) => Some(UserChange::ResetPassword),
        ("end_sessions", _) => Some(UserChange::EndSessions),
        _ => None,
    };
    let page = crate::paths::staff_users(lang);
    if let Ok(uri) = page.parse() {
        parts.uri = uri;
    }
    let shown = |action: UserAction, status| {
        let (state, parts) = (state.clone(), parts.clone());
        async move { render_page(&state, &parts, action, status).await }
    };
    let refused = |error| {
        shown(
            UserAction {
                reset: None,
                error: Some(error),
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let Some(change) = change else {
        return refused(UserActionError::Invalid).await;
    };
    match change_user(&state, admin.id, id, change).await {
        Ok(Some(password)) => {
            let email = crate::server::db::users::by_id(&state.db, &state.key, id)
                .await
                .ok()
                .flatten()
                .map(|u| u.email)
                .unwrap_or_default();
            let action = UserAction {
                reset: Some(CreatedUser { email, password }),
                error: None,
            };
            shown(action, StatusCode::OK).await
        }
        Ok(None) => Redirect::to(&format!("{page}?done=1")).into_response(),
        Err(Refused::Action(UserActionError::Invalid)) => {
            let action = UserAction {
                reset: None,
                error: Some(UserActionError::Invalid),
            };
            shown(action, StatusCode::NOT_FOUND).await
        }
        Err(Refused::Action(error)) => refused(error).await,
        Err(Refused::Failed(error)) => error.into_response(),
    }
}

/// Signing in and out, and staff accounts.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/staff/login", post(login_post))
        .route("/{lang}/staff/login/code", post(login_code_post))
        .route("/{lang}/staff/logout", post(logout_post))
        .route("/{lang}/staff/users", post(add_user_post))
        .route("/{lang}/staff/users/{id}", post(user_post))
        .merge(super::account::routes())
}
