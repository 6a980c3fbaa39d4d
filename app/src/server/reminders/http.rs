//! `POST /{lang}/r/{token}/reminders`: reminders on or off, from the
//! private page.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::post;

use crate::server::AppState;
use crate::server::extract::PathLang;
use crate::server::forms::{PostedForm, see_other};

pub async fn toggle(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    Path((_, token)): Path<(String, String)>,
    form: PostedForm,
) -> Response {
    let on = form.fields.get("reminders").is_some_and(|v| v == "on");
    match super::set(&state, &token, on).await {
        Ok(()) => {
            let done = if on { "reminders_on" } else { "reminders_off" };
            see_other(&format!(
                "{}?done={done}#reminders",
                crate::paths::private_page(lang, &token)
            ))
        }
        Err(error) => error.into_response(),
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/{lang}/r/{token}/reminders", post(toggle))
}
