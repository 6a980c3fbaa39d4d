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
use crate::dto::staff::{AddUserError, AddUserForm, CreatedUser, LoginError, LoginForm};
use crate::error::AppError;
use crate::server::auth::{
    self, CreateUserError, Credentials, RequireAdmin, StaffSession, create_user, generate_password,
};
use crate::server::db::audit;
use crate::server::extract::PathLang;
use crate::server::forms::render_page;
use crate::server::limits::client_ip;
use crate::server::{AppState, limits};

/// The form fields, or all empty when the body cannot be read.
async fn read_form<T>(parts: &Parts, body: Body) -> T
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

/// `POST /{lang}/staff/login`. 303 to `next` (a local path) or the dashboard
/// on success; the page again with 400 (empty fields), 401 (unknown email or
/// wrong password, one message for both) or 429 (too many attempts).
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

    if let Err(wait) = state
        .login_limits
        .check_ip(client_ip(&parts, &state.config))
    {
        tracing::warn!("sign-in attempts over the limit for one address");
        return too_many(wait).await;
    }
    if fields.email.trim().is_empty() || fields.password.is_empty() {
        return fail(LoginError::Missing, StatusCode::BAD_REQUEST).await;
    }
    if let Ok(email) = Email::parse(&fields.email)
        && let Err(wait) = state.login_limits.check_account(&email)
    {
        tracing::warn!("sign-in attempts over the limit for one account");
        return too_many(wait).await;
    }
    if fields.password.len() > auth::MAX_PASSWORD_LEN {
        return fail(LoginError::Invalid, StatusCode::UNAUTHORIZED).await;
    }

    let Some(mut session) = parts.extensions.get::<StaffSession>().cloned() else {
        tracing::error!("the auth layer is missing");
        return AppError::Internal.into_response();
    };
    let credentials = Credentials {
        email: fields.email.clone(),
        password: fields.password.clone(),
    };
    match session.authenticate(credentials).await {
        Ok(Some(user)) => {
            if let Err(error) = auth::sign_in(&mut session, &user, &state.clock).await {
                return error.into_response();
            }
            tracing::info!(user_id = user.staff.id, "staff signed in");
            let target = if next.is_empty() {
                crate::paths::staff(lang)
            } else {
                next
            };
            Redirect::to(&target).into_response()
        }
        Ok(None) => {
            tracing::info!("staff sign-in refused");
            fail(LoginError::Invalid, StatusCode::UNAUTHORIZED).await
        }
        Err(error) => {
            tracing::error!(%error, "sign-in failed");
            AppError::Internal.into_response()
        }
    }
}

/// `POST /{lang}/staff/logout`: ends the session, 303 to the sign-in page.
pub async fn logout_post(Path(lang): Path<String>, mut session: StaffSession) -> Response {
    let lang = Lang::parse(&lang).unwrap_or(Lang::En);
    if let Some(user) = &session.user {
        tracing::info!(user_id = user.staff.id, "staff signed out");
    }
    if let Err(error) = auth::sign_out(&mut session).await {
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
    match create_user(&state.pool, &state.key, &email, name, role, &password).await {
        Ok(id) => {
            tracing::info!(
                by_user_id = admin.id,
                user_id = id,
                role = role.code(),
                "staff account created"
            );
            let action = audit::AuditAction::UserCreated { user: id, role };
            if let Err(error) = audit::record(
                &state.pool,
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

/// Signing in and out, and adding staff accounts.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/staff/login", post(login_post))
        .route("/{lang}/staff/logout", post(logout_post))
        .route("/{lang}/staff/users", post(add_user_post))
}
