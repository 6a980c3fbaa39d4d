//! Registrations: signing up, the participant's private page, and moderators'
//! decisions. Every change that touches seats runs in one `BEGIN IMMEDIATE`
//! transaction, so capacity holds whatever the concurrency (rule 1), and
//! queues its emails and audit entries in that same transaction.

mod decide;
pub mod http;
pub mod join;
pub mod pages;

pub use decide::{Outcome, decide};

use std::collections::BTreeMap;
use std::net::IpAddr;

use sqlx::SqliteConnection;

use crate::domain::form::{FieldError, FormError};
use crate::domain::organisation::name_key;
use crate::domain::registration::Details;
use crate::domain::{
    AttendanceMode, EventFormat, InterpretationLanguage, Lang, RegistrationForm, RegistrationState,
    Visibility,
};
use crate::error::AppError;
use crate::server::AppState;
use crate::server::crypto::DataKey;
use crate::server::db::audit::{self, Actor, AuditAction};
use crate::server::db::events::SeatsRow;
use crate::server::db::registrations::{
    self as rows, DetailsUpdate, NewRegistration, RegistrationRow,
};
use crate::server::db::{self, organisations};
pub use crate::server::forms::Refusal;
use crate::server::forms::same_secret;
use crate::server::notices::{self, Notice, Recipient};
use crate::server::token::Token;

/// What an event's row says about taking registrations.
pub struct Terms {
    pub format: EventFormat,
    pub closed: bool,
    pub languages: Vec<InterpretationLanguage>,
}

impl Terms {
    pub fn of(event: &SeatsRow) -> Self {
        Self {
            format: event.format,
            closed: event.visibility == Visibility::Closed,
            languages: event
                .interpretation
                .split(',')
                .filter_map(InterpretationLanguage::parse)
                .collect(),
        }
    }
}

/// When an event takes registrations: from its opening time (if any) until its
/// closing time, or else until it starts.
pub fn window_error(event: &SeatsRow, now: i64) -> Option<FormError> {
    let closes = event.registration_closes_at.unwrap_or(event.starts_at);
    if event.registration_opens_at.is_some_and(|opens| now < opens) {
        Some(FormError::RegistrationNotOpen)
    } else if now >= closes {
        Some(FormError::RegistrationClosed)
    } else {
        None
    }
}

pub fn seats(event: &SeatsRow, mode: AttendanceMode) -> i64 {
    match mode {
        AttendanceMode::InPerson => event.seats_in_person,
        AttendanceMode::Online => event.seats_online,
    }
}

/// The private link for a token, in the participant's language.
pub fn private_link(state: &AppState, lang: Lang, token: &str) -> String {
    format!(
        "{}{}",
        state.config.public_url,
        crate::paths::private_page(lang, token)
    )
}

/// Registers someone for the event `slug`. The answer is the same whether or
/// not the address was registered already (then a fresh private link is sent
/// to it instead), so the form never tells who is registered.
pub async fn register(
    state: &AppState,
    client: IpAddr,
    lang: Lang,
    slug: &str,
    fields: &BTreeMap<String, String>,
) -> Result<(), Refusal> {
    let event = db::events::seats_by_slug(&state.pool, slug)
        .await?
        .ok_or(Refusal::NotFound)?;
    let terms = Terms::of(&event);
    let form = RegistrationForm::parse(fields, terms.format, &terms.languages, terms.closed)
        .map_err(Refusal::Fields)?;
    if terms.closed {
        // Guessing is limited per event and address, right answers included
        // once the allowance is spent.
        let codes = &state.form_limits.invitation_codes;
        codes.admit(event.id, client).map_err(Refusal::TooMany)?;
        let expected = event.invitation_code.as_deref().unwrap_or("");
        let given = form.invitation_code.as_deref().unwrap_or("");
        if expected.is_empty() || !same_secret(given, expected) {
            codes.strike(event.id, client);
            return Err(Refusal::Fields(BTreeMap::from([(
                "invitation_code".to_owned(),
                FieldError::InvitationCode,
            )])));
        }
    }
    let now = state.clock.now();
    if let Some(error) = window_error(&event, now.as_second()) {
        return Err(Refusal::Form(error));
    }

    let mut tx = db::begin_write(&state.pool).await?;
    let token = Token::generate()?;
    let link = private_link(state, lang, token.as_str());
    if let Some(existing) =
        rows::live_by_email(&mut *tx, &state.key, event.id, form.email.as_str()).await?
    {
        rows::set_token_hash(&mut *tx, existing.id, &token.hash()).await?;
        let recipient = recipient(&existing, &event);
        notices::queue(
            &mut tx,
            &state.key,
            &recipient,
            &Notice::LinkAgain { link: &link },
            now,
        )
        .await?;
        tx.commit().await?;
        state.mail.wake();
        return Ok(());
    }

    let taken = rows::count_approved(&mut *tx, event.id, form.mode).await?;
    let free = taken < seats(&event, form.mode);
    let initial = match (event.requires_approval, free, event.waitlist) {
        (_, false, false) => return Err(Refusal::Form(FormError::Full)),
        (true, _, _) => RegistrationState::Pending,
        (false, true, _) => RegistrationState::Approved,
        (false, false, true) => RegistrationState::Waitlisted,
    };
    let organisation_id =
        organisations::verified_by_key(&mut *tx, &name_key(&form.details.organisation)).await?;
    let details = &form.details;
    let id = rows::insert(
        &mut *tx,
        &state.key,
        &NewRegistration {
            event_id: event.id,
            token_hash: &token.hash(),
            name: &details.name,
            organisation: &details.organisation,
            organisation_id,
            role: &details.role,
            email: form.email.as_str(),
            mode: form.mode,
            interpretation: details.interpretation,
            accessibility: &details.accessibility,
            lang,
            state: initial,
            now: now.as_second(),
        },
    )
    .await?;
    audit::record(
        &mut *tx,
        &state.key,
        Actor::Participant,
        AuditAction::Registered {
            registration: id,
            state: initial,
        },
        now.as_second(),
    )
    .await?;
    let recipient = Recipient {
        registration_id: id,
        email: form.email.as_str(),
        name: &details.name,
        lang,
        event_title: lang.pick(&event.title_en, &event.title_ar),
    };
    let notice = Notice::Received {
        state: initial,
        link: &link,
    };
    notices::queue(&mut tx, &state.key, &recipient, &notice, now).await?;
    tx.commit().await?;
    state.mail.wake();
    state.live.event_touched(event.id);
    Ok(())
}

fn recipient<'a>(row: &'a RegistrationRow, event: &'a SeatsRow) -> Recipient<'a> {
    let lang = row.lang;
    Recipient {
        registration_id: row.id,
        email: &row.email,
        name: &row.name,
        lang,
        event_title: lang.pick(&event.title_en, &event.title_ar),
    }
}

/// A registration found through its private link, with its event.
pub struct Found {
    pub registration: RegistrationRow,
    pub event: SeatsRow,
}

/// Looks up a private link. Opening it confirms the email address.
pub async fn open(state: &AppState, token: &str) -> Result<Found, AppError> {
    let token = Token::parse(token).ok_or(AppError::NotFound)?;
    let registration = rows::by_token_hash(&state.pool, &state.key, &token.hash())
        .await?
        .ok_or(AppError::NotFound)?;
    if registration.email_confirmed_at.is_none() {
        rows::confirm_email(&state.pool, registration.id, state.clock.now().as_second()).await?;
    }
    let event = db::events::seats_by_id(&state.pool, registration.event_id).await?;
    Ok(Found {
        registration,
        event,
    })
}

/// Within a write transaction: the registration behind a token.
async fn locked(
    tx: &mut SqliteConnection,
    key: &DataKey,
    token: &str,
) -> Result<(RegistrationRow, SeatsRow), AppError> {
    let token = Token::parse(token).ok_or(AppError::NotFound)?;
    let registration = rows::by_token_hash(&mut *tx, key, &token.hash())
        .await?
        .ok_or(AppError::NotFound)?;
    let event = db::events::seats_by_id(&mut *tx, registration.event_id).await?;
    Ok((registration, event))
}

/// The participant changes their details (not how they attend: that would
/// move them between seat pools; they withdraw and register again).
pub async fn edit(
    state: &AppState,
    token: &str,
    fields: &BTreeMap<String, String>,
) -> Result<(), Refusal> {
    let mut tx = db::begin_write(&state.pool).await?;
    let (registration, event) = locked(&mut tx, &state.key, token).await?;
    if !registration.state.is_live() {
        return Err(Refusal::Form(FormError::BadRequest));
    }
    let terms = Terms::of(&event);
    let details = Details::parse_edit(fields, &terms.languages).map_err(Refusal::Fields)?;
    let organisation_id =
        organisations::verified_by_key(&mut *tx, &name_key(&details.organisation)).await?;
    let now = state.clock.now().as_second();
    rows::update_details(
        &mut *tx,
        &state.key,
        registration.id,
        &DetailsUpdate {
            name: &details.name,
            organisation: &details.organisation,
            organisation_id,
            role: &details.role,
            interpretation: details.interpretation,
            accessibility: &details.accessibility,
        },
        now,
    )
    .await?;
    audit::record(
        &mut *tx,
        &state.key,
        Actor::Participant,
        AuditAction::Edited {
            registration: registration.id,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The participant withdraws; a seat they held goes to the waitlist.
pub async fn withdraw(state: &AppState, token: &str) -> Result<(), AppError> {
    let mut tx = db::begin_write(&state.pool).await?;
    let (registration, event) = locked(&mut tx, &state.key, token).await?;
    let was = registration.state;
    if !was.is_live() {
        return Ok(());
    }
    let now = state.clock.now();
    rows::withdraw(&mut *tx, registration.id, now.as_second()).await?;
    audit::record(
        &mut *tx,
        &state.key,
        Actor::Participant,
        AuditAction::Withdrew {
            registration: registration.id,
        },
        now.as_second(),
    )
    .await?;
    if was == RegistrationState::Approved {
        promote(
            &mut tx,
            &state.key,
            &event,
            registration.mode,
            registration.id,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    state.mail.wake();
    state.live.event_touched(event.id);
    Ok(())
}

/// "Delete my data": the registration and its queued emails are erased at
/// once; the audit log keeps only that record number N was erased.
pub async fn erase(state: &AppState, token: &str) -> Result<(), AppError> {
    let mut tx = db::begin_write(&state.pool).await?;
    let (registration, event) = locked(&mut tx, &state.key, token).await?;
    let now = state.clock.now();
    rows::delete(&mut *tx, registration.id).await?;
    audit::record(
        &mut *tx,
        &state.key,
        Actor::Participant,
        AuditAction::Erased {
            registration: registration.id,
        },
        now.as_second(),
    )
    .await?;
    if registration.state == RegistrationState::Approved {
        promote(
            &mut tx,
            &state.key,
            &event,
            registration.mode,
            registration.id,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    state.mail.wake();
    state.live.event_touched(event.id);
    Ok(())
}

/// Gives free seats of `mode` to the oldest waitlisted registrations, and
/// tells them. `except` (the registration that just left) is never promoted.
async fn promote(
    tx: &mut SqliteConnection,
    key: &DataKey,
    event: &SeatsRow,
    mode: AttendanceMode,
    except: i64,
    now: jiff::Timestamp,
) -> sqlx::Result<()> {
    loop {
        let taken = rows::count_approved(&mut *tx, event.id, mode).await?;
        if taken >= seats(event, mode) {
            return Ok(());
        }
        let Some(next) = rows::oldest_waitlisted(&mut *tx, key, event.id, mode, except).await?
        else {
            return Ok(());
        };
        rows::set_state(
            &mut *tx,
            key,
            next.id,
            RegistrationState::Approved,
            None,
            None,
            now.as_second(),
        )
        .await?;
        audit::record(
            &mut *tx,
            key,
            Actor::System,
            AuditAction::Promoted {
                registration: next.id,
            },
            now.as_second(),
        )
        .await?;
        notices::queue(tx, key, &recipient(&next, event), &Notice::Promoted, now).await?;
    }
}
