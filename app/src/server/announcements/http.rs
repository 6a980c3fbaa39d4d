//! `POST /{lang}/staff/events/{slug}/announcements` (moderators and
//! admins): `action` = `preview` (the page again with the recipients'
//! count and both texts) or `send`.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;

use super::{Draft, event_of, recipients, send};
use crate::dto::announcements::Preview;
use crate::server::AppState;
use crate::server::auth::RequireStaff;
use crate::server::extract::PathLang;
use crate::server::forms::{
    PostedForm, Refusal, refused, render_again, render_page_with, see_other,
};

pub async fn post_form(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    staff: RequireStaff,
    Path((_, slug)): Path<(String, String)>,
    form: PostedForm,
) -> Response {
    let draft = match Draft::parse(&form.fields) {
        Ok(draft) => draft,
        Err(errors) => {
            let shown = form.state().with_fields(errors);
            return render_again(&state, &form, shown, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    match form.fields.get("action").map(String::as_str) {
        Some("preview") => {
            let event = match event_of(&state, &slug).await {
                Ok(event) => event,
                Err(why) => return refused(&state, &form, why).await,
            };
            let count = match recipients(&state.db, &state.key, event.id, &draft).await {
                Ok(people) => people.len(),
                Err(error) => return refused(&state, &form, Refusal::from(error)).await,
            };
            let preview = Preview {
                recipients: count,
                body_en: draft.text_for(crate::domain::Lang::En).to_owned(),
                body_ar: draft.text_for(crate::domain::Lang::Ar).to_owned(),
            };
            let shown = form.state();
            render_page_with(
                &state,
                &form.parts,
                move || {
                    leptos::prelude::provide_context(shown.clone());
                    leptos::prelude::provide_context(preview.clone());
                },
                StatusCode::OK,
            )
            .await
        }
        Some("send") => match send(&state, staff.0.id, &slug, &draft).await {
            Ok(n) => see_other(&format!(
                "{}?done={n}",
                crate::paths::staff_announcements(lang, &slug)
            )),
            Err(why) => refused(&state, &form, why).await,
        },
        _ => {
            refused(
                &state,
                &form,
                Refusal::Form(crate::domain::form::FormError::BadRequest),
            )
            .await
        }
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/{lang}/staff/events/{slug}/announcements", post(post_form))
}
