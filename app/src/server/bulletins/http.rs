//! The bulletin's HTTP handlers: the editor's form posts and the Atom feeds.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::{FEED_LIMIT, atom, pick, store, unpublish};
use crate::domain::Lang;
use crate::domain::bulletin::BulletinForm;
use crate::domain::form::FormError;
use crate::error::AppError;
use crate::server::auth::RequireAdmin;
use crate::server::db::audit::{self, Actor, AuditAction};
use crate::server::db::bulletins::{self as rows};
use crate::server::db::signals::Signal;
use crate::server::forms::{Params, PostedForm, render_again, see_other};
use crate::server::page_cache::{self, Topic};
use crate::server::{AppState, markdown};

/// `POST /{lang}/staff/bulletins/new` and `POST /{lang}/staff/bulletins/{id}`:
/// the editor's buttons (`action` = `save`, `preview`, `publish`, `unpublish`).
pub async fn edit_post(
    State(state): State<AppState>,
    Path(params): Path<std::collections::HashMap<String, String>>,
    RequireAdmin(admin): RequireAdmin,
    form: PostedForm,
) -> Response {
    let Some(lang) = params.get("lang").and_then(|l| Lang::parse(l)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let id = match params.get("id").map(|id| id.parse::<i64>()) {
        None => None,
        Some(Ok(id)) => Some(id),
        Some(Err(_)) => return StatusCode::NOT_FOUND.into_response(),
    };
    let action = form.fields.get("action").map_or("save", String::as_str);
    let now = state.clock.now().as_second();
    let page = |id: i64, done: &str| {
        see_other(&format!(
            "/{}/staff/bulletins/{id}?done={done}",
            lang.code()
        ))
    };

    if action == "unpublish" {
        let Some(id) = id else {
            return StatusCode::NOT_FOUND.into_response();
        };
        return match unpublish(&state, admin.id, id, now).await {
            Ok(true) => page(id, "unpublished"),
            Ok(false) => StatusCode::NOT_FOUND.into_response(),
            Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        };
    }

    let parsed = match BulletinForm::parse(&form.fields) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let shown = form.state().with_fields(errors);
            return render_again(&state, &form, shown, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    if action == "preview" {
        let preview = crate::dto::bulletins::PreviewHtml {
            html_en: markdown::render(&parsed.en.body),
            html_ar: markdown::render(&parsed.ar.body),
        };
        let shown = form.state();
        return crate::server::forms::render_page_with(
            &state,
            &form.parts,
            move || {
                leptos::prelude::provide_context(shown.clone());
                leptos::prelude::provide_context(preview.clone());
            },
            StatusCode::OK,
        )
        .await;
    }
    let publish = action == "publish";
    let result = async {
        let mut tx = state.db.begin_write().await?;
        let sample = match id {
            Some(id) => rows::by_id(&state.db, id)
                .await?
                .is_some_and(|row| row.sample),
            None => false,
        };
        let saved = match store(&mut tx, id, &parsed, sample, now).await? {
            Ok(saved) => saved,
            Err(errors) => return Ok(Err(errors)),
        };
        let action = match (id, publish) {
            (_, true) => AuditAction::BulletinPublished { bulletin: saved },
            (None, false) => AuditAction::BulletinCreated { bulletin: saved },
            (Some(_), false) => AuditAction::BulletinSaved { bulletin: saved },
        };
        if publish {
            rows::publish(&mut tx, saved, now).await?;
        }
        audit::record(&mut tx, &state.key, Actor::Staff(admin.id), action, now).await?;
        state.live.announce(&mut tx, Signal::Bulletins).await?;
        tx.commit().await?;
        state.live.signal(Signal::Bulletins);
        Ok::<_, AppError>(Ok(saved))
    }
    .await;
    match result {
        Ok(Ok(saved)) => {
            if publish {
                state.mail.wake_mailing();
            }
            page(saved, if publish { "published" } else { "saved" })
        }
        Ok(Err(errors)) => {
            let shown = form.state().with_fields(errors);
            render_again(&state, &form, shown, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "cannot save a bulletin");
            let shown = form.state().with_error(FormError::BadRequest);
            render_again(&state, &form, shown, StatusCode::SERVICE_UNAVAILABLE).await
        }
    }
}

/// `GET /feeds/{file}`: `bulletins.atom` (English, or `?lang=ar`),
/// `bulletins.en.atom`, `bulletins.ar.atom`.
pub async fn feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
    query: Params,
) -> Response {
    let lang = match file.as_str() {
        "bulletins.atom" => match query.get("lang") {
            None => Lang::En,
            Some(code) => match Lang::parse(code) {
                Some(lang) => lang,
                None => return StatusCode::NOT_FOUND.into_response(),
            },
        },
        "bulletins.en.atom" => Lang::En,
        "bulletins.ar.atom" => Lang::Ar,
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let rows = match rows::published(&state.db, FEED_LIMIT).await {
        Ok(rows) => rows,
        Err(error) => {
            tracing::error!(%error, "cannot read bulletins for the feed");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let mut issues = Vec::new();
    for row in rows
        .iter()
        .filter(|r| !pick(lang, &r.title_en, &r.title_ar).is_empty())
    {
        match rows::by_id(&state.db, row.id).await {
            Ok(Some(full)) => issues.push(full),
            Ok(None) => {}
            Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
        }
    }
    let xml = atom::atom(&state.config.public_url, lang, &issues);
    let mut response = xml.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/atom+xml; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    page_cache::mark(&mut response, &[Topic::Bulletins], None);
    response
}

/// The feeds and the editor's form posts.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/feeds/{file}", get(feed))
        .route("/{lang}/staff/bulletins/new", post(edit_post))
        .route("/{lang}/staff/bulletins/{id}", post(edit_post))
}
