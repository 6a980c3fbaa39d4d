//! The moderation forms: decisions on registrations (one or many), vetting
//! organisations, and the participants export (admins only).

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::{csv_cell, requested};
use crate::domain::form::{FormError, optional_text};
use crate::domain::organisation::parse_email_domains;
use crate::domain::registration::limits;
use crate::domain::{FieldError, OrganisationState};
use crate::error::AppError;
use crate::i18n::*;
use crate::labels::{language_label, mode_label};
use crate::server::AppState;
use crate::server::db::{self, registrations as rows};
use crate::server::extract::PathLang;
use crate::server::forms::{PostedForm, render_again, see_other};
use crate::server::registrations::{self, Outcome};

/// `POST /{lang}/staff/registrations`: approve, waitlist or reject, one or
/// many. Back to the queue (same filters) with a summary of what happened; a
/// request that cannot be carried out shows the queue again with the reason
/// typed kept and the problem explained (422).
pub async fn decide(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    staff: crate::server::auth::RequireStaff,
    mut form: PostedForm,
) -> Response {
    // The queue's filter, carried through: only plain `key=value` pairs.
    let back = form
        .fields
        .get("back")
        .map(|q| q.trim_start_matches(['?', '&']).to_owned())
        .filter(|q| {
            q.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_=&".contains(&b))
        })
        .unwrap_or_default();
    let queue = crate::paths::staff_registrations(lang);
    let mut errors = BTreeMap::new();
    let request = requested(&form.fields).map_err(|(field, error)| {
        errors.insert(field.to_owned(), error);
    });
    let reason = optional_text(
        form.fields.get("reason").map_or("", String::as_str),
        limits::REASON,
        true,
    )
    .unwrap_or_else(|error| {
        errors.insert("reason".to_owned(), error);
        String::new()
    });
    if let Ok((decision, _)) = &request
        && decision.needs_reason()
        && reason.is_empty()
    {
        errors
            .entry("reason".to_owned())
            .or_insert(FieldError::Required);
    }
    let Ok((decision, ids)) = request else {
        return show_queue_again(&state, &mut form, &queue, &back, errors).await;
    };
    if !errors.is_empty() {
        return show_queue_again(&state, &mut form, &queue, &back, errors).await;
    }
    let reason = (!reason.is_empty()).then_some(reason);
    match registrations::decide(&state, staff.0.id, &ids, decision, reason.as_deref()).await {
        Ok(outcomes) => {
            let done = outcomes.iter().filter(|(_, o)| *o == Outcome::Done).count();
            let full = outcomes.iter().filter(|(_, o)| *o == Outcome::Full).count();
            let back = if back.is_empty() {
                String::new()
            } else {
                format!("&{back}")
            };
            see_other(&format!("{queue}?done={done}&full={full}{back}"))
        }
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

async fn show_queue_again(
    state: &AppState,
    form: &mut PostedForm,
    queue: &str,
    back: &str,
    errors: BTreeMap<String, FieldError>,
) -> Response {
    if let Ok(uri) = format!("{queue}?{back}").parse() {
        form.parts.uri = uri;
    }
    let shown = form.state().with_fields(errors);
    render_again(state, form, shown, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// `POST /{lang}/staff/organisations`: verify or decline (`one` = `verified:7`).
pub async fn vet(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    staff: crate::server::auth::RequireStaff,
    form: PostedForm,
) -> Response {
    let page = crate::paths::staff_organisations(lang);
    if let Some(id) = form
        .fields
        .get("one")
        .and_then(|v| v.strip_prefix("domains:"))
    {
        return set_domains(&state, staff.0.id, &page, &form, id).await;
    }
    let request = form
        .fields
        .get("one")
        .and_then(|v| v.split_once(':'))
        .and_then(|(decision, id)| {
            let decision =
                OrganisationState::parse(decision).filter(|d| *d != OrganisationState::Pending)?;
            Some((decision, id.parse::<i64>().ok()?))
        });
    let refused = |status| {
        let shown = form.state().with_error(FormError::BadRequest);
        render_again(&state, &form, shown, status)
    };
    let Some((decision, id)) = request else {
        return refused(StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    match crate::server::organisations::vet(&state, staff.0.id, id, decision).await {
        Ok(()) => see_other(&format!("{page}?done=1")),
        Err(AppError::NotFound) => refused(StatusCode::NOT_FOUND).await,
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

/// The "Save domains" button of organisation `id` (its field is
/// `domains:{id}`): a list that does not parse comes back with the reason.
async fn set_domains(
    state: &AppState,
    staff_id: i64,
    page: &str,
    form: &PostedForm,
    id: &str,
) -> Response {
    let field = format!("domains:{id}");
    let typed = form.fields.get(&field).map_or("", String::as_str);
    let parsed = id.parse::<i64>().ok().zip(parse_email_domains(typed).ok());
    let Some((id, domains)) = parsed else {
        let shown = form
            .state()
            .with_fields(BTreeMap::from([(field, FieldError::EmailDomains)]));
        return render_again(state, form, shown, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    match crate::server::organisations::set_email_domains(state, staff_id, id, &domains).await {
        Ok(()) => see_other(&format!("{page}?done=1")),
        Err(AppError::NotFound) => {
            let shown = form.state().with_error(FormError::BadRequest);
            render_again(state, form, shown, StatusCode::NOT_FOUND).await
        }
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

/// `GET /{lang}/staff/events/{slug}/participants.csv` (admins only): the
/// approved participants, safe to open in a spreadsheet.
pub async fn export(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    Path((_, slug)): Path<(String, String)>,
    _admin: crate::server::auth::RequireAdmin,
) -> Response {
    let Ok(Some(event)) = db::events::seats_by_slug(&state.db, &slug).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Ok(participants) = rows::approved(&state.db, &state.key, event.id).await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let locale = lang.locale();
    let head = [
        td_string!(locale, register.name),
        td_string!(locale, register.organisation),
        td_string!(locale, register.role),
        td_string!(locale, register.email),
        td_string!(locale, moderation.attendance),
        td_string!(locale, register.interpretation),
        td_string!(locale, register.accessibility),
        td_string!(locale, moderation.confirmed),
    ];
    let mut lines = vec![head.map(csv_cell).join(",")];
    for p in &participants {
        let mode = mode_label(lang, p.mode);
        let interpretation = p.interpretation.map_or("", |l| language_label(lang, l));
        let confirmed = if p.email_confirmed_at.is_some() {
            td_string!(locale, dashboard.yes)
        } else {
            td_string!(locale, dashboard.no)
        };
        let row = [
            p.name.as_str(),
            &p.organisation,
            &p.role,
            &p.email,
            mode,
            interpretation,
            &p.accessibility,
            confirmed,
        ];
        lines.push(row.map(csv_cell).join(","));
    }
    super::csv_file(&format!("{slug}-participants.csv"), &lines)
}

/// Decisions, vetting, and the participants export.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/staff/registrations", post(decide))
        .route("/{lang}/staff/organisations", post(vet))
        .route("/{lang}/staff/events/{slug}/participants.csv", get(export))
}
