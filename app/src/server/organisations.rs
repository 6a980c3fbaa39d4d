//! Organisations telling us about themselves, and staff vetting them.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::db::audit::{self, Actor, Entry};
use super::db::organisations::{self as rows, NewOrganisation};
use super::forms::{PostedForm, admit_public, render_again, see_other};
use super::limits::PublicForm;
use super::{AppState, db};
use crate::domain::organisation::name_key;
use crate::domain::{Lang, OrganisationForm, OrganisationState, SubscriberSource};
use crate::error::AppError;

/// `POST /{lang}/organisation`: the "tell us about your organisation" form.
pub async fn submit(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    form: PostedForm,
) -> Response {
    let Some(lang) = Lang::parse(&lang) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let accepted = format!("/{}/organisation/thanks", lang.code());
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

async fn store(state: &AppState, lang: Lang, o: &OrganisationForm) -> Result<i64, AppError> {
    let now = state.clock.now().as_second();
    let areas = o
        .areas
        .iter()
        .map(|a| a.code())
        .collect::<Vec<_>>()
        .join(",");
    let mut tx = db::begin_write(&state.pool).await?;
    let id = rows::insert(
        &mut *tx,
        &state.key,
        &NewOrganisation {
            name: &o.name,
            name_key: &name_key(&o.name),
            country: &o.country,
            areas: &areas,
            description: &o.description,
            contact_email: o.contact_email.as_str(),
            website: o.website.as_deref(),
            mailing_list: o.mailing_list,
            lang: lang.code(),
            now,
        },
    )
    .await?;
    audit::record(
        &mut *tx,
        &state.key,
        &Entry {
            actor: Actor::Participant,
            action: "organisation_sent",
            subject_type: "organisation",
            subject_id: id,
            reason: None,
        },
        now,
    )
    .await?;
    // The mailing-list opt-in: a pending subscriber, asked to confirm.
    let queued = if o.mailing_list {
        super::subscriptions::request(
            &mut tx,
            &state.key,
            &state.config.public_url,
            &o.contact_email,
            lang,
            SubscriberSource::Organisation,
            state.clock.now(),
        )
        .await?
    } else {
        false
    };
    tx.commit().await?;
    if queued {
        state.mail.wake();
    }
    Ok(id)
}

/// A moderator's vetting decision, audited.
pub async fn vet(
    state: &AppState,
    staff_id: i64,
    id: i64,
    decision: OrganisationState,
) -> Result<(), AppError> {
    let now = state.clock.now().as_second();
    let mut tx = db::begin_write(&state.pool).await?;
    if !rows::set_state(&mut *tx, id, decision.code(), staff_id, now).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut *tx,
        &state.key,
        &Entry {
            actor: Actor::Staff(staff_id),
            action: decision.code(),
            subject_type: "organisation",
            subject_id: id,
            reason: None,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
