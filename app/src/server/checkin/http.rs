//! `POST /{lang}/staff/events/{slug}/check-in` (moderators and admins):
//! `registration` (picked from the results) or `code` (typed or scanned),
//! `action` = `in` or `undo`, and `q`, the search to go back to. Answers
//! with the page again (303), saying what happened.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;

use super::{Refused, Target, check_in};
use crate::domain::checkin::{CheckinCode, CheckinRefusal};
use crate::error::AppError;
use crate::server::AppState;
use crate::server::auth::RequireStaff;
use crate::server::extract::PathLang;
use crate::server::forms::{PostedForm, Refusal, see_other};

pub async fn post_form(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    RequireStaff(staff): RequireStaff,
    Path((_, slug)): Path<(String, String)>,
    form: PostedForm,
) -> Response {
    let field = |name: &str| form.fields.get(name).map_or("", |v| v.trim());
    let query: String = form_urlencoded::byte_serialize(field("q").as_bytes()).collect();
    let page = format!("{}?q={query}", crate::paths::staff_checkin(lang, &slug));
    let target = match field("registration").parse::<i64>() {
        Ok(id) => Ok(Target::Registration(id)),
        Err(_) => CheckinCode::parse(field("code"))
            .map(Target::Code)
            .ok_or(CheckinRefusal::UnknownCode),
    };
    let undo = match field("action") {
        "in" | "" => false,
        "undo" => true,
        _ => return AppError::Request("unknown action".into()).into_response(),
    };
    let outcome = match target {
        Ok(target) => check_in(&state, staff.id, &slug, target, undo).await,
        Err(why) => Err(Refused::Checkin(why)),
    };
    match outcome {
        Ok(registration) => {
            let done = if undo { "undone" } else { "in" };
            see_other(&format!("{page}&done={done}&r={registration}"))
        }
        Err(Refused::Checkin(why)) => see_other(&format!("{page}&refused={}", why.code())),
        Err(Refused::Other(Refusal::NotFound)) => AppError::NotFound.into_response(),
        Err(Refused::Other(_)) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/{lang}/staff/events/{slug}/check-in", post(post_form))
}
