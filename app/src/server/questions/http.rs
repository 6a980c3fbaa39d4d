//! The question forms' HTTP side, plain form posts that work without
//! JavaScript: a participant's (from the private page, or the event page
//! and board of a browser that remembers them) and the moderators'.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Response;
use axum::routing::post;

use crate::domain::Lang;
use crate::server::AppState;
use crate::server::auth::RequireStaff;
use crate::server::extract::PathLang;
use crate::server::forms::{PostedForm, Refusal, refused, see_other};
use crate::server::registrations::device;

/// A refused form is shown again on the page it came from: `page`.
async fn refused_on(state: &AppState, mut form: PostedForm, page: &str, why: Refusal) -> Response {
    if let Ok(uri) = page.parse::<Uri>() {
        form.parts.uri = uri;
    }
    refused(state, &form, why).await
}

/// `POST /{lang}/r/{token}/questions`: ask, withdraw or vote from the
/// private page; back to its questions.
pub async fn private(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    Path((_, token)): Path<(String, String)>,
    form: PostedForm,
) -> Response {
    let page = crate::paths::private_page(lang, &token);
    let result = match super::asker(&state, &token).await {
        Ok(asker) => super::act(&state, lang, &asker, &form.fields).await,
        Err(error) => Err(Refusal::from(error)),
    };
    match result {
        Ok(done) => see_other(&format!("{page}?done={done}#questions")),
        Err(why) => refused_on(&state, form, &page, why).await,
    }
}

/// Where a remembered browser's form came from: the board of `back`'s
/// session, or the event page.
fn back_page(lang: Lang, slug: &str, form: &PostedForm) -> String {
    match form.fields.get("back").and_then(|b| b.parse::<i64>().ok()) {
        Some(session) => crate::paths::board(lang, slug, session),
        None => crate::paths::event(lang, slug),
    }
}

/// `POST /{lang}/events/{slug}/questions`: the same from the event page or
/// a board, for a browser that remembers an approved participant.
pub async fn reader(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    Path((_, slug)): Path<(String, String)>,
    form: PostedForm,
) -> Response {
    let page = back_page(lang, &slug, &form);
    let asker = match (
        crate::server::db::events::seats_by_slug(&state.db, &slug).await,
        device::from_headers(&form.parts.headers),
    ) {
        (Ok(Some(event)), Some(device)) => super::pages::device_asker(&state, event, &device).await,
        (Ok(_), _) => Ok(None),
        (Err(error), _) => Err(error.into()),
    };
    let result = match asker {
        Ok(Some(asker)) => super::act(&state, lang, &asker, &form.fields).await,
        Ok(None) => Err(Refusal::Form(crate::domain::form::FormError::NotApproved)),
        Err(error) => Err(Refusal::from(error)),
    };
    match result {
        Ok(done) => see_other(&format!("{page}?done={done}#questions")),
        Err(why) => refused_on(&state, form, &page, why).await,
    }
}

/// `POST /{lang}/staff/events/{slug}/questions` (moderators and admins).
pub async fn moderate(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    staff: RequireStaff,
    Path((_, slug)): Path<(String, String)>,
    form: PostedForm,
) -> Response {
    let page = crate::paths::staff_questions(lang, &slug);
    match super::moderate(&state, staff.0.id, &slug, &form.fields).await {
        Ok(done) => see_other(&format!("{page}?done={done}")),
        Err(why) => refused(&state, &form, why).await,
    }
}

/// Asking, voting and moderating questions.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/r/{token}/questions", post(private))
        .route("/{lang}/events/{slug}/questions", post(reader))
        .route("/{lang}/staff/events/{slug}/questions", post(moderate))
}
