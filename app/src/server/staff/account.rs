//! `POST /{lang}/staff/account`: one's own account. `action` = `password`
//! (current, new and again; a temporary password needs no current one),
//! `end_session` (`id`), `end_others`, `totp_start`, `totp_confirm`
//! (`code`) or `totp_remove` (moderators; an admin's second factor stays
//! once set up). Plain forms; a refused one comes back with the reason.

use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use serde::Deserialize;

use axum_login::AuthnBackend;

use crate::domain::{Email, Lang, Role, Staff};
use crate::dto::staff::{AccountForm, PasswordError, TotpEnrol};
use crate::error::AppError;
use crate::i18n::*;
use crate::server::AppState;
use crate::server::auth::{self, Standing, totp};
use crate::server::db::audit::{self, Actor, AuditAction};
use crate::server::db::staff_sessions;
use crate::server::extract::PathLang;
use crate::server::forms::render_page;
use crate::server::limits::client_ip;

use super::http::read_form;

/// Session key: the secret being enrolled, until its first code confirms it.
const ENROLLING_KEY: &str = "staff.totp_enrolling";

#[derive(Default, Deserialize)]
struct AccountFields {
    #[serde(default)]
    action: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    again: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    code: String,
}

pub async fn account_post(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let fields: AccountFields = read_form(&parts, body).await;
    let mut session = match auth::session_of(&parts) {
        Ok(session) => session,
        Err(error) => return error.into_response(),
    };
    let (me, temporary) = match auth::standing(&mut session, &state).await {
        Ok(Standing::SignedIn(me)) => (me, false),
        Ok(Standing::MustChangePassword(me)) => (me, true),
        Ok(Standing::SignedOut) => return auth::to_sign_in(&parts),
        Err(error) => return error.into_response(),
    };
    let page = crate::paths::staff_account(lang);
    let current = match auth::session_record(&session).await {
        Ok(current) => current,
        Err(error) => return error.into_response(),
    };
    let again = |form: AccountForm, status: StatusCode| render_page(&state, &parts, form, status);
    match (fields.action.as_str(), temporary) {
        ("password", _) => {
            // Guessing the current password from a stolen session is limited
            // like signing in.
            let client = client_ip(&parts, &state.config);
            let Ok(email) = Email::parse(&me.email) else {
                return AppError::Internal.into_response();
            };
            if !temporary && let Err(wait) = state.login_limits.admit(&email, client).await {
                let form = AccountForm {
                    password_error: Some(PasswordError::Current),
                    ..AccountForm::default()
                };
                let page = again(form, StatusCode::TOO_MANY_REQUESTS).await;
                return crate::server::limits::with_retry_after(page, wait);
            }
            let current_password = (!temporary).then_some(fields.current.as_str());
            let changed = super::change_password(
                &state,
                me.id,
                current_password,
                &fields.new,
                &fields.again,
                current.as_deref(),
            )
            .await;
            match changed {
                Ok(()) => {
                    // The session goes on with the new password's fingerprint.
                    match session.backend.get_user(&me.id).await.ok().flatten() {
                        Some(user) => {
                            if let Err(error) = auth::refresh(&mut session, &user).await {
                                return error.into_response();
                            }
                        }
                        None => return AppError::Internal.into_response(),
                    }
                    Redirect::to(&format!("{page}?done=password")).into_response()
                }
                Err(Ok(error)) => {
                    if error == PasswordError::Current {
                        state.login_limits.failed(&email, client).await;
                    }
                    let form = AccountForm {
                        password_error: Some(error),
                        ..AccountForm::default()
                    };
                    let status = if error == PasswordError::Current {
                        StatusCode::UNAUTHORIZED
                    } else {
                        StatusCode::UNPROCESSABLE_ENTITY
                    };
                    again(form, status).await
                }
                Err(Err(error)) => error.into_response(),
            }
        }
        // Until a new password is chosen, nothing else.
        (_, true) => Redirect::to(&page).into_response(),
        ("end_session", false) => {
            let id = decode_hex(&fields.id);
            let ended = match id {
                Some(id) => end_sessions(&state, &me, Some(&id), None).await,
                None => Ok(0),
            };
            match ended {
                Ok(_) => Redirect::to(&format!("{page}?done=sessions")).into_response(),
                Err(error) => error.into_response(),
            }
        }
        ("end_others", false) => match end_sessions(&state, &me, None, current.as_deref()).await {
            Ok(_) => Redirect::to(&format!("{page}?done=sessions")).into_response(),
            Err(error) => error.into_response(),
        },
        // A second factor in place is not replaced from a session alone
        // (it would bypass it): a moderator removes theirs first.
        ("totp_start" | "totp_confirm", false) if session.user.as_ref().is_some_and(|u| u.totp) => {
            StatusCode::CONFLICT.into_response()
        }
        ("totp_start", false) => {
            let secret = match totp::new_secret() {
                Ok(secret) => secret,
                Err(error) => return error.into_response(),
            };
            if session
                .session
                .insert(ENROLLING_KEY, &secret)
                .await
                .is_err()
            {
                return AppError::Internal.into_response();
            }
            again(enrolment(lang, &me, &secret, false), StatusCode::OK).await
        }
        ("totp_confirm", false) => {
            let enrolling: Option<String> = session.session.get(ENROLLING_KEY).await.ok().flatten();
            let Some(secret) = enrolling else {
                return Redirect::to(&page).into_response();
            };
            match super::enrol_totp(&state, me.id, &secret, &fields.code).await {
                Ok(Some(codes)) => {
                    let _ = session.session.remove::<String>(ENROLLING_KEY).await;
                    tracing::info!(user_id = me.id, "two-factor sign-in set up");
                    let form = AccountForm {
                        recovery_codes: codes,
                        ..AccountForm::default()
                    };
                    again(form, StatusCode::OK).await
                }
                Ok(None) => {
                    again(
                        enrolment(lang, &me, &secret, true),
                        StatusCode::UNPROCESSABLE_ENTITY,
                    )
                    .await
                }
                Err(error) => error.into_response(),
            }
        }
        // An admin's second factor stays: only the operator removes it.
        ("totp_remove", false) if me.role == Role::Moderator => {
            let now = state.clock.now().as_second();
            match super::remove_totp(&state.db, &state.key, me.id, Actor::Staff(me.id), now).await {
                Ok(_) => Redirect::to(&format!("{page}?done=totp_removed")).into_response(),
                Err(error) => error.into_response(),
            }
        }
        ("totp_remove", false) => StatusCode::FORBIDDEN.into_response(),
        _ => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// The enrolment step of the account page: the secret, as text and QR code.
fn enrolment(lang: Lang, me: &Staff, secret: &str, code_error: bool) -> AccountForm {
    let url = totp::otpauth_url(secret, "Lausanne Platform", &me.email);
    let label = td_string!(lang.locale(), account.qr_label);
    AccountForm {
        enrol: Some(TotpEnrol {
            secret: secret.to_owned(),
            qr_svg: crate::server::qr::qr_svg(&url, label).unwrap_or_default(),
        }),
        code_error,
        ..AccountForm::default()
    }
}

/// Ends one of `me`'s sessions (`one`), or all but `keep`; audited.
async fn end_sessions(
    state: &AppState,
    me: &Staff,
    one: Option<&[u8]>,
    keep: Option<&[u8]>,
) -> Result<u64, AppError> {
    let ended = match one {
        Some(id) => u64::from(staff_sessions::end(&state.db, id, me.id).await?),
        None => staff_sessions::end_all(&state.db, me.id, keep).await?,
    };
    if ended > 0 {
        audit::record(
            &state.db,
            &state.key,
            Actor::Staff(me.id),
            AuditAction::SessionsEnded {
                user: me.id,
                count: &ended.to_string(),
            },
            state.clock.now().as_second(),
        )
        .await?;
    }
    Ok(ended)
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/{lang}/staff/account", post(account_post))
}
