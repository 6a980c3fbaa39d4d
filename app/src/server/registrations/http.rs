//! The registration forms' HTTP side: plain form posts that work without
//! JavaScript. An accepted form redirects (303); a rejected one renders the
//! same page again with what was typed and what is wrong, with a 4xx status.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::domain::form::FormError;
use crate::domain::{AttendanceMode, FieldError, RegistrationState, Visibility};
use crate::error::AppError;
use crate::server::calendars::{self, ics};
use crate::server::extract::PathLang;
use crate::server::forms::{PostedForm, admit_public, no_store, refused, see_other};
use crate::server::limits::{PublicForm, client_ip};
use crate::server::registrations::{Refusal, device, edit, erase, withdraw};
use crate::server::{AppState, db};

/// `POST /{lang}/events/{slug}/register`.
pub async fn register(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    Path((_, slug)): Path<(String, String)>,
    form: PostedForm,
) -> Response {
    let accepted = crate::paths::registered(lang, &slug);
    if let Err(response) = admit_public(&state, &form, PublicForm::Registration).await {
        return response;
    }
    let client = client_ip(&form.parts, &state.config);
    match crate::server::registrations::register(&state, client, lang, &slug, &form.fields).await {
        Ok(()) => see_other(&accepted),
        Err(refusal) => refused(&state, &form, refusal).await,
    }
}

/// `POST /{lang}/r/{token}`: the private page's forms (`action` = `edit`,
/// `withdraw` or `erase`).
pub async fn private_action(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    Path((_, token)): Path<(String, String)>,
    form: PostedForm,
) -> Response {
    let page = crate::paths::private_page(lang, &token);
    let device = device::from_headers(&form.parts.headers);
    let result = match form.fields.get("action").map(String::as_str) {
        // Only when ticked: anyone using this browser will see the registration.
        Some("remember") if form.fields.get("remember").is_some_and(|v| v == "yes") => {
            match device::remember(&state, &token, device).await {
                Ok(cookie) => {
                    let mut response = see_other(&format!("{page}?done=remembered"));
                    response.headers_mut().append(header::SET_COOKIE, cookie);
                    return response;
                }
                Err(error) => Err(Refusal::from(error)),
            }
        }
        Some("remember") => Err(Refusal::Fields(
            [("remember".to_owned(), FieldError::Consent)].into(),
        )),
        Some("forget_devices") => device::forget_everywhere(&state, &token)
            .await
            .map(|()| format!("{page}?done=forgotten"))
            .map_err(Refusal::from),
        Some("edit") => edit(&state, &token, &form.fields)
            .await
            .map(|()| format!("{page}?done=saved")),
        Some("withdraw") => withdraw(&state, &token)
            .await
            .map(|()| format!("{page}?done=withdrawn"))
            .map_err(Refusal::from),
        Some("erase") if form.fields.get("confirm").is_some_and(|v| v == "yes") => {
            erase(&state, &token)
                .await
                .map(|()| crate::paths::deleted(lang))
                .map_err(Refusal::from)
        }
        Some("erase") => Err(Refusal::Fields(
            [("confirm".to_owned(), FieldError::Consent)].into(),
        )),
        _ => Err(Refusal::Form(FormError::BadRequest)),
    };
    match result {
        Ok(target) => see_other(&target),
        Err(refusal) => refused(&state, &form, refusal).await,
    }
}

/// `GET /r/{token}`: the private page in the language the participant
/// registered in.
pub async fn private_redirect(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Response {
    match crate::server::registrations::open(&state, &token).await {
        Ok(found) => see_other(&format!("/{}/r/{token}", found.registration.lang.code())),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `GET /{lang}/r/{token}/calendar.ics`: the event in the participant's
/// calendar, with the venue when they have a seat in the room.
pub async fn calendar(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    Path((_, token)): Path<(String, String)>,
) -> Response {
    let found = match crate::server::registrations::open(&state, &token).await {
        Ok(found) => found,
        Err(AppError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let (r, event) = (found.registration, found.event);
    let in_room = r.state == RegistrationState::Approved && r.mode == AttendanceMode::InPerson;
    let title = lang.pick(&event.title_en, &event.title_ar);
    let link = crate::server::registrations::private_link(&state, lang, &token);
    let now = state.clock.now().as_second();
    let sessions = if event.visibility == Visibility::Public {
        match db::sessions::public_agenda(&state.db, event.id).await {
            Ok(sessions) => sessions,
            Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
        }
    } else {
        Vec::new()
    };
    let mut calendar = ics::Calendar::new(&state.config.public_url).event(ics::Event {
        uid: format!("registration-{}@lausanne-platform", r.id),
        starts_at: event.starts_at,
        ends_at: event.ends_at,
        summary: title.to_owned(),
        description: link.clone(),
        location: if in_room { event.venue.clone() } else { None },
        url: Some(link.clone()),
        stamp: now,
    });
    // Sessions link to the private page, where the join buttons are; never
    // to the meeting itself.
    for session in &sessions {
        calendar = calendar.event(calendars::session_entry(lang, title, session, &link, now));
    }
    let mut response = calendars::file(calendar, "registration.ics");
    no_store(&mut response);
    response
}

/// `POST /{lang}/device/forget` ("not you?" on an event page): this browser
/// forgets every registration it remembered, and its cookie; back to the
/// event (`event`), now as anyone sees it.
pub async fn forget_device(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    form: PostedForm,
) -> Response {
    // Another site's post is refused before it gets here (`same_origin` in
    // the router), and the `SameSite=Lax` cookie would not come with it.
    let back = form
        .fields
        .get("event")
        .and_then(|slug| crate::domain::EventSlug::parse(slug))
        .map_or_else(
            || crate::paths::events(lang),
            |slug| crate::paths::event(lang, slug.as_str()),
        );
    match device::forget_device(&state, device::from_headers(&form.parts.headers)).await {
        Ok(cookie) => {
            let mut response = see_other(&back);
            response.headers_mut().append(header::SET_COOKIE, cookie);
            no_store(&mut response);
            response
        }
        Err(error) => error.into_response(),
    }
}

/// Registering, the private page and its actions and calendar, and joining a session.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/events/{slug}/register", post(register))
        .route("/{lang}/r/{token}", post(private_action))
        .route("/{lang}/r/{token}/calendar.ics", get(calendar))
        .route("/r/{token}", get(private_redirect))
        .route("/{lang}/device/forget", post(forget_device))
        .route(
            "/join/device/{session}",
            get(crate::server::registrations::join::join_from_device),
        )
        .route(
            "/join/{token}/{session}",
            get(crate::server::registrations::join::join),
        )
}
