//! The mailing list's forms: subscribe, confirm, unsubscribe (one click
//! from the email, RFC 8058, or the page's button).

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;

use super::request;
use crate::domain::{SubscribeForm, SubscriberSource};
use crate::error::AppError;
use crate::server::AppState;
use crate::server::db::audit::{self, Actor, AuditAction};
use crate::server::db::subscribers::{self as rows};
use crate::server::extract::PathLang;
use crate::server::forms::{PostedForm, admit_public, render_again, render_page, see_other};
use crate::server::limits::PublicForm;
use crate::server::token::Token;

/// `POST /{lang}/subscribe`.
pub async fn subscribe(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    form: PostedForm,
) -> Response {
    let accepted = crate::paths::subscribe_sent(lang);
    if let Err(response) = admit_public(&state, &form, PublicForm::Subscription).await {
        return response;
    }
    let parsed = match SubscribeForm::parse(&form.fields) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let shown = form.state().with_fields(errors);
            return render_again(&state, &form, shown, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let result = async {
        let mut tx = state.db.begin_write().await?;
        let queued = request(
            &mut tx,
            &state.key,
            &state.config.public_url,
            &parsed.email,
            parsed.lang,
            SubscriberSource::Form,
            state.clock.now(),
        )
        .await?;
        tx.commit().await?;
        Ok::<_, AppError>(queued)
    }
    .await;
    match result {
        Ok(queued) => {
            if queued {
                state.mail.wake();
            }
            see_other(&accepted)
        }
        Err(error) => {
            tracing::error!(%error, "cannot record a subscription");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

async fn invalid(state: &AppState, parts: &axum::http::request::Parts) -> Response {
    let mut response = render_page(
        state,
        parts,
        crate::dto::bulletins::InvalidLink,
        StatusCode::NOT_FOUND,
    )
    .await;
    *response.status_mut() = StatusCode::NOT_FOUND;
    response
}

/// `POST /{lang}/subscribe/confirm/{token}`: confirms (again is fine).
pub async fn confirm(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    Path((_, token)): Path<(String, String)>,
    form: PostedForm,
) -> Response {
    let Some(token) = Token::parse(&token) else {
        return invalid(&state, &form.parts).await;
    };
    let now = state.clock.now().as_second();
    let result = async {
        let mut tx = state.db.begin_write().await?;
        let Some(row) = rows::by_confirm_hash(&state.db, &token.hash()).await? else {
            return Ok::<_, AppError>(false);
        };
        if rows::confirm(&mut tx, &token.hash(), now).await? {
            audit::record(
                &mut tx,
                &state.key,
                Actor::Participant,
                AuditAction::SubscriptionConfirmed { subscriber: row.id },
                now,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }
    .await;
    match result {
        Ok(true) => see_other(&crate::paths::subscribe_confirmed(lang)),
        Ok(false) => invalid(&state, &form.parts).await,
        Err(error) => {
            tracing::error!(%error, "cannot confirm a subscription");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// `POST /{lang}/unsubscribe/{token}`: from the page's button, or from a
/// mail client (RFC 8058: body `List-Unsubscribe=One-Click`, no cookies, no
/// `Origin`; the cross-site check lets exactly this address through). Erases
/// the address and its mail.
pub async fn unsubscribe(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    Path((_, token)): Path<(String, String)>,
    request: axum::extract::Request,
) -> Response {
    let (parts, body) = request.into_parts();
    // RFC 8058 allows the body as a URL-encoded form or as multipart
    // (`name="List-Unsubscribe"` … `One-Click`); either way it says One-Click.
    let one_click = axum::body::to_bytes(body, 8192)
        .await
        .unwrap_or_else(|_| Bytes::new())
        .windows(b"One-Click".len())
        .any(|w| w == b"One-Click");
    let Some(token) = Token::parse(&token) else {
        return invalid(&state, &parts).await;
    };
    let now = state.clock.now().as_second();
    let result = async {
        let mut tx = state.db.begin_write().await?;
        let Some(id) = rows::by_unsubscribe_hash(&mut tx, &token.hash()).await? else {
            return Ok::<_, AppError>(false);
        };
        rows::delete(&mut tx, id).await?;
        audit::record(
            &mut tx,
            &state.key,
            Actor::Participant,
            AuditAction::Unsubscribed {
                subscriber: id,
                one_click,
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
    .await;
    match result {
        Ok(true) if one_click => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "unsubscribed\n",
        )
            .into_response(),
        Ok(true) => see_other(&crate::paths::unsubscribed(lang)),
        Ok(false) if one_click => StatusCode::NOT_FOUND.into_response(),
        Ok(false) => invalid(&state, &parts).await,
        Err(error) => {
            tracing::error!(%error, "cannot unsubscribe");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// The mailing list's forms.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/subscribe", post(subscribe))
        .route("/{lang}/subscribe/confirm/{token}", post(confirm))
        .route("/{lang}/unsubscribe/{token}", post(unsubscribe))
}
