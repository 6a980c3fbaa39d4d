//! The organisation form ("tell us about your organisation"), a plain HTML
//! post with the per-address limit and the honeypot.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;

use super::store;
use crate::domain::OrganisationForm;
use crate::server::AppState;
use crate::server::extract::PathLang;
use crate::server::forms::{PostedForm, admit_public, render_again, see_other};
use crate::server::limits::PublicForm;

/// `POST /{lang}/organisation`: the "tell us about your organisation" form.
pub async fn submit(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    form: PostedForm,
) -> Response {
    let accepted = crate::paths::organisation_thanks(lang);
    if let Err(response) = admit_public(&state, &form, PublicForm::Organisation).await {
        return response;
    }
    let parsed = match OrganisationForm::parse(&form.fields) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let shown = form.state().with_fields(errors);
            return render_again(&state, &form, shown, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    match store(&state, lang, &parsed).await {
        Ok(_) => see_other(&accepted),
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

/// The organisation form.
pub fn routes() -> Router<AppState> {
    Router::new().route("/{lang}/organisation", post(submit))
}
