//! Materials over HTTP: admins attach (`POST
//! /{lang}/staff/events/{slug}/materials`, multipart: `title_en`,
//! `title_ar`, `session`, `visibility` = `public` | `participants`, `file`)
//! and remove (`POST …/materials/{id}/delete`); everyone downloads public
//! ones (`GET /materials/{id}`), approved participants every one of their
//! event's through their private link (`GET /{lang}/r/{token}/materials/{id}`).

use std::collections::BTreeMap;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::{Upload, add, event_of, remove, session_ids};
use crate::domain::material::MAX_BYTES;
use crate::domain::{EventStatus, FieldError, FormState, RegistrationState, Visibility};
use crate::server::AppState;
use crate::server::auth::RequireAdmin;
use crate::server::db::materials::{self as rows, MaterialRow};
use crate::server::extract::PathLang;
use crate::server::forms::{PostedForm, Refusal, refused, render_page, see_other};

/// Reads the multipart form; a file over the limit is marked, not kept.
async fn read(mut multipart: Multipart) -> Option<Upload> {
    let mut upload = Upload::default();
    while let Ok(Some(mut field)) = multipart.next_field().await {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            upload.file_name = field.file_name().unwrap_or_default().to_owned();
            upload.declared_type = field.content_type().unwrap_or_default().to_owned();
            loop {
                match field.chunk().await {
                    Ok(Some(chunk)) if upload.bytes.len() + chunk.len() <= MAX_BYTES => {
                        upload.bytes.extend_from_slice(&chunk);
                    }
                    Ok(Some(_)) | Err(_) => {
                        upload.too_large = true;
                        upload.bytes = Vec::new();
                        // The rest of the body is not read.
                        return Some(upload);
                    }
                    Ok(None) => break,
                }
            }
            continue;
        }
        let Ok(text) = field.text().await else {
            return None;
        };
        let text: String = text.chars().take(10_000).collect();
        match name.as_str() {
            "title_en" => upload.title_en = text,
            "title_ar" => upload.title_ar = text,
            "session" => upload.session = text,
            "visibility" => upload.visibility = text,
            _ => {}
        }
    }
    Some(upload)
}

pub async fn upload(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    RequireAdmin(admin): RequireAdmin,
    Path((_, slug)): Path<(String, String)>,
    parts: Parts,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let Ok(multipart) = multipart else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let event = match event_of(&state, &slug).await {
        Ok(event) => event,
        Err(_) => return StatusCode::NOT_FOUND.into_response(),
    };
    let Some(upload) = read(multipart).await else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let sessions = match session_ids(&state, event.id).await {
        Ok(sessions) => sessions,
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let again = |errors: BTreeMap<String, FieldError>| {
        let values = BTreeMap::from([
            ("title_en".to_owned(), upload.title_en.clone()),
            ("title_ar".to_owned(), upload.title_ar.clone()),
            ("session".to_owned(), upload.session.clone()),
            ("visibility".to_owned(), upload.visibility.clone()),
        ]);
        FormState::new(values).with_fields(errors)
    };
    let checked = match upload.check(&sessions) {
        Ok(checked) => checked,
        Err(errors) => {
            let shown = again(errors);
            return render_page(&state, &parts, shown, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    match add(&state, admin.id, &event, &checked).await {
        Ok(_) => see_other(&format!(
            "{}?done=added",
            crate::paths::staff_materials(lang, &slug)
        )),
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

pub async fn delete(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    RequireAdmin(admin): RequireAdmin,
    Path((_, slug, id)): Path<(String, String, String)>,
    form: PostedForm,
) -> Response {
    let result = match (event_of(&state, &slug).await, id.parse::<i64>()) {
        (Ok(event), Ok(id)) => remove(&state, admin.id, &event, id).await,
        _ => Err(Refusal::NotFound),
    };
    match result {
        Ok(()) => see_other(&format!(
            "{}?done=removed",
            crate::paths::staff_materials(lang, &slug)
        )),
        Err(refusal) => refused(&state, &form, refusal).await,
    }
}

/// A material as a download: never shown in the browser's window, never
/// sniffed into another type, never able to run anything.
async fn download(state: &AppState, m: &MaterialRow, private: bool) -> Response {
    let bytes = match rows::bytes(&state.db, m.id).await {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "cannot read a material");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let mut response = Body::from(bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(m.kind.mime()),
    );
    if let Ok(disposition) = HeaderValue::from_str(&format!(
        "attachment; filename=\"material-{}.{}\"",
        m.id,
        m.kind.extension()
    )) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if private {
            "private, no-store"
        } else {
            "public, max-age=300"
        }),
    );
    response
}

/// `GET /materials/{id}`: a public material of a public event that is not
/// a draft; any other is as missing as one that never was (a closed
/// event's are for those invited: their private links serve them).
pub async fn public(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let material = match rows::by_id(&state.db, id).await {
        Ok(Some(m)) if m.public => m,
        Ok(_) => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    match crate::server::db::events::seats_by_id(&state.db, material.event_id).await {
        Ok(event)
            if event.status != EventStatus::Draft && event.visibility == Visibility::Public =>
        {
            download(&state, &material, false).await
        }
        Ok(_) | Err(sqlx::Error::RowNotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

/// `GET /{lang}/r/{token}/materials/{id}`: a material of the participant's
/// event, private ones only once they are approved.
pub async fn private(
    State(state): State<AppState>,
    Path((_, token, id)): Path<(String, String, String)>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Ok(found) = crate::server::registrations::open(&state, &token).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let material = match rows::by_id(&state.db, id).await {
        Ok(Some(m)) if m.event_id == found.registration.event_id => m,
        Ok(_) => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    if !material.public && found.registration.state != RegistrationState::Approved {
        return StatusCode::NOT_FOUND.into_response();
    }
    download(&state, &material, true).await
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/materials/{id}", get(public))
        .route("/{lang}/r/{token}/materials/{id}", get(private))
        .route(
            "/{lang}/staff/events/{slug}/materials",
            post(upload).layer(DefaultBodyLimit::max(MAX_BYTES + 256 * 1024)),
        )
        .route(
            "/{lang}/staff/events/{slug}/materials/{id}/delete",
            post(delete),
        )
}
