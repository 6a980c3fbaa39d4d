//! The editor's plain HTML forms (admins only; a moderator gets 403): each
//! parses its form, then makes one change through [`super::apply`].

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;

use super::{Change, apply};
use crate::domain::form::FormError;
use crate::domain::time_zone::{FieldErrors, ResolvedEvent, resolve_event};
use crate::domain::{EventForm, EventFormat, FieldError, Lang, SessionForm};
use crate::server::AppState;
use crate::server::auth::RequireAdmin;
use crate::server::db::events as event_rows;
use crate::server::extract::PathLang;
use crate::server::forms::{PostedForm, Refusal, refused, render_again, see_other};
use crate::server::token::invitation_code;

fn action(form: &PostedForm) -> &str {
    form.fields.get("action").map_or("", String::as_str)
}

fn parse_event(form: &PostedForm) -> Result<Box<ResolvedEvent>, Refusal> {
    let parsed = EventForm::parse(&form.fields).map_err(Refusal::Fields)?;
    let resolved = resolve_event(parsed).map_err(Refusal::Fields)?;
    Ok(Box::new(resolved))
}

/// The form as posted, shown again with a freshly generated invitation code
/// (the editor's "Generate a code" button; nothing is saved).
async fn with_new_code(state: &AppState, form: &PostedForm) -> Response {
    let Ok(code) = invitation_code() else {
        return refused(state, form, Refusal::Internal).await;
    };
    let mut shown = form.state();
    shown.values.insert("invitation_code".to_owned(), code);
    render_again(state, form, shown, StatusCode::OK).await
}

fn edit_page(lang: Lang, slug: &str) -> String {
    crate::paths::staff_event(lang, Some(slug))
}

/// `POST /{lang}/staff/events/new`: `action` = `draft` or `publish`.
pub async fn create_post(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    RequireAdmin(admin): RequireAdmin,
    form: PostedForm,
) -> Response {
    let publish = match action(&form) {
        "publish" => true,
        "draft" => false,
        "generate_code" => return with_new_code(&state, &form).await,
        _ => return refused(&state, &form, Refusal::Form(FormError::BadRequest)).await,
    };
    let result = match parse_event(&form) {
        Ok(event) => apply(&state, admin.id, Change::CreateEvent { event, publish }).await,
        Err(refusal) => Err(refusal),
    };
    match result {
        Ok(slug) => see_other(&format!("{}?done=saved", edit_page(lang, &slug))),
        Err(refusal) => refused(&state, &form, refusal).await,
    }
}

/// `POST /{lang}/staff/events/{slug}/edit`: `action` = `save`, `publish`,
/// or `cancel` (with `confirm=yes`).
pub async fn edit_post(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    Path((_, slug)): Path<(String, String)>,
    RequireAdmin(admin): RequireAdmin,
    form: PostedForm,
) -> Response {
    let change = match action(&form) {
        "generate_code" => return with_new_code(&state, &form).await,
        "cancel" if form.fields.get("confirm").is_some_and(|v| v == "yes") => {
            Ok(Change::CancelEvent { slug: slug.clone() })
        }
        "cancel" => Err(Refusal::Fields(FieldErrors::from([(
            "confirm".to_owned(),
            FieldError::Consent,
        )]))),
        action @ ("save" | "publish") => parse_event(&form).map(|event| Change::UpdateEvent {
            slug: slug.clone(),
            event,
            publish: action == "publish",
        }),
        _ => Err(Refusal::Form(FormError::BadRequest)),
    };
    let done = if action(&form) == "cancel" {
        "cancelled"
    } else {
        "saved"
    };
    let result = match change {
        Ok(change) => apply(&state, admin.id, change).await,
        Err(refusal) => Err(refusal),
    };
    match result {
        Ok(slug) => see_other(&format!("{}?done={done}", edit_page(lang, &slug))),
        Err(refusal) => refused(&state, &form, refusal).await,
    }
}

async fn event_format(state: &AppState, slug: &str) -> Result<EventFormat, Refusal> {
    let row = event_rows::editor_by_slug(&state.db, slug)
        .await?
        .ok_or(Refusal::NotFound)?;
    Ok(row.format)
}

/// `POST /{lang}/staff/events/{slug}/sessions/new`.
pub async fn session_new_post(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    Path((_, slug)): Path<(String, String)>,
    RequireAdmin(admin): RequireAdmin,
    form: PostedForm,
) -> Response {
    let result = match event_format(&state, &slug).await {
        Ok(format) => match SessionForm::parse(&form.fields, format) {
            Ok(session) => {
                let change = Change::AddSession {
                    slug: slug.clone(),
                    form: session,
                };
                apply(&state, admin.id, change).await
            }
            Err(errors) => Err(Refusal::Fields(errors)),
        },
        Err(refusal) => Err(refusal),
    };
    match result {
        Ok(slug) => see_other(&format!(
            "{}?done=session_saved#agenda",
            edit_page(lang, &slug)
        )),
        Err(refusal) => refused(&state, &form, refusal).await,
    }
}

/// `POST /{lang}/staff/events/{slug}/sessions/{id}`: `action` = `save`, or
/// `cancel` (with `confirm=yes`).
pub async fn session_post(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    Path((_, slug, id)): Path<(String, String, String)>,
    RequireAdmin(admin): RequireAdmin,
    form: PostedForm,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let change = match action(&form) {
        "cancel" if form.fields.get("confirm").is_some_and(|v| v == "yes") => {
            Ok(Change::CancelSession {
                slug: slug.clone(),
                id,
            })
        }
        "cancel" => Err(Refusal::Fields(FieldErrors::from([(
            "confirm".to_owned(),
            FieldError::Consent,
        )]))),
        "save" => match event_format(&state, &slug).await {
            Ok(format) => SessionForm::parse(&form.fields, format)
                .map(|session| Change::UpdateSession {
                    slug: slug.clone(),
                    id,
                    form: session,
                })
                .map_err(Refusal::Fields),
            Err(refusal) => Err(refusal),
        },
        _ => Err(Refusal::Form(FormError::BadRequest)),
    };
    let result = match change {
        Ok(change) => apply(&state, admin.id, change).await,
        Err(refusal) => Err(refusal),
    };
    match result {
        Ok(slug) => see_other(&format!(
            "{}?done=session_saved#agenda",
            edit_page(lang, &slug)
        )),
        Err(refusal) => refused(&state, &form, refusal).await,
    }
}

/// The editor's form posts (admins only).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/staff/events/new", post(create_post))
        .route("/{lang}/staff/events/{slug}/edit", post(edit_post))
        .route(
            "/{lang}/staff/events/{slug}/sessions/new",
            post(session_new_post),
        )
        .route(
            "/{lang}/staff/events/{slug}/sessions/{id}",
            post(session_post),
        )
}
