//! Organisations telling us about themselves, and staff vetting them.

pub mod http;

use crate::domain::organisation::name_key;
use crate::domain::{Lang, OrganisationForm, OrganisationState, SubscriberSource};
use crate::error::AppError;
use crate::server::AppState;
use crate::server::db::audit::{self, Actor, AuditAction};
use crate::server::db::organisations::{self as rows, NewOrganisation};

async fn store(state: &AppState, lang: Lang, o: &OrganisationForm) -> Result<i64, AppError> {
    let now = state.clock.now().as_second();
    let areas = o
        .areas
        .iter()
        .map(|a| a.code())
        .collect::<Vec<_>>()
        .join(",");
    let mut tx = state.db.begin_write().await?;
    let id = rows::insert(
        &mut tx,
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
            lang,
            now,
        },
    )
    .await?;
    audit::record(
        &mut tx,
        &state.key,
        Actor::Participant,
        AuditAction::OrganisationSent { organisation: id },
        now,
    )
    .await?;
    // The mailing-list opt-in: a pending subscriber, asked to confirm.
    let queued = if o.mailing_list {
        crate::server::subscriptions::request(
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

/// Staff set the email domains organisation `id` vouches for, audited.
pub async fn set_email_domains(
    state: &AppState,
    staff_id: i64,
    id: i64,
    domains: &[String],
) -> Result<(), AppError> {
    let now = state.clock.now().as_second();
    let mut tx = state.db.begin_write().await?;
    if !rows::set_email_domains(&mut tx, id, domains).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        &state.key,
        Actor::Staff(staff_id),
        AuditAction::OrganisationDomains {
            organisation: id,
            domains: &domains.join(","),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A moderator's vetting decision, audited.
pub async fn vet(
    state: &AppState,
    staff_id: i64,
    id: i64,
    decision: OrganisationState,
) -> Result<(), AppError> {
    let now = state.clock.now().as_second();
    let mut tx = state.db.begin_write().await?;
    if !rows::set_state(&mut tx, id, decision, Some(staff_id), now).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        &state.key,
        Actor::Staff(staff_id),
        AuditAction::Vetted {
            organisation: id,
            state: decision,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
