//! Registrations: signing up, the participant's private page, and moderators'
//! decisions. Every change that touches seats runs in one `BEGIN IMMEDIATE`
//! transaction, so capacity holds whatever the concurrency (rule 1), and
//! queues its emails and audit entries in that same transaction.

mod decide;
pub mod device;
pub mod http;
pub mod join;
pub mod pages;

pub use decide::{Outcome, decide};

use std::collections::BTreeMap;
use std::net::IpAddr;

use crate::domain::form::{FieldError, FormError};
use crate::domain::hearing::PriorityAnswer;
use crate::domain::organisation::name_key;
use crate::domain::registration::Details;
use crate::domain::{
    AttendanceMode, EventFormat, EventStatus, InterpretationLanguage, Lang, RegistrationForm,
    RegistrationState, Visibility,
};
use crate::error::AppError;
use crate::server::AppState;
use crate::server::crypto::{DataKey, MAIL_QUOTA};
use crate::server::db::Tx;
use crate::server::db::audit::{self, Actor, AuditAction};
use crate::server::db::events::SeatsRow;
use crate::server::db::registrations::{
    self as rows, DetailsUpdate, NewRegistration, RegistrationRow,
};
use crate::server::db::signals::Signal;
use crate::server::db::{self, organisations, outbox};
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

/// Confirmation emails (received, link again, full) one address gets a day
/// at most; more requests are answered the same and send nothing.
pub const CONFIRMATIONS_PER_DAY: i64 = 5;

/// Registers someone for the event `slug`. Every accepted form gets the same
/// answer, and nothing a stranger can see moves: the outcome goes to the
/// address by email. A new registration starts pending and takes a place
/// only when its address is confirmed (see [`open`]); an address already
/// registered gets a further link that leaves the current one working; a
/// full event without waitlist stores nothing and says so by email.
pub async fn register(
    state: &AppState,
    client: IpAddr,
    lang: Lang,
    slug: &str,
    fields: &BTreeMap<String, String>,
) -> Result<(), Refusal> {
    let event = db::events::seats_by_slug(&state.db, slug)
        .await?
        .ok_or(Refusal::NotFound)?;
    let terms = Terms::of(&event);
    let parsed = RegistrationForm::parse(fields, terms.format, &terms.languages, terms.closed);
    let offered: Vec<i64> = db::hearing::topics(&state.db, event.id)
        .await?
        .iter()
        .map(|t| t.id)
        .collect();
    let priorities = PriorityAnswer::parse(fields, &offered).map_err(Refusal::Fields);
    let (form, priorities) = match (parsed, priorities) {
        (Ok(form), Ok(priorities)) => (form, priorities),
        (parsed, priorities) => {
            let mut errors = parsed.err().unwrap_or_default();
            match priorities {
                Err(Refusal::Fields(more)) => errors.extend(more),
                Err(other) => return Err(other),
                Ok(_) => {}
            }
            return Err(Refusal::Fields(errors));
        }
    };
    if terms.closed {
        // Guessing is limited per event and address, right answers included
        // once the allowance is spent.
        let codes = &state.form_limits.invitation_codes;
        codes
            .admit(event.id, client)
            .await
            .map_err(Refusal::TooMany)?;
        let expected = event.invitation_code.as_deref().unwrap_or("");
        let given = form.invitation_code.as_deref().unwrap_or("");
        if expected.is_empty() || !same_secret(given, expected) {
            codes.strike(event.id, client).await;
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

    let mut tx = state.db.begin_event_write(&[event.id]).await?;
    let token = Token::generate()?;
    let email = form.email.as_str();
    let event_title = lang.pick(&event.title_en, &event.title_ar);
    let existing = rows::live_by_email(&mut tx, &state.key, event.id, email).await?;
    // The link in the participant's language (theirs, for one registered).
    let link = private_link(
        state,
        existing.as_ref().map_or(lang, |r| r.lang),
        token.as_str(),
    );
    let taken = rows::count_approved(&mut tx, event.id, form.mode).await?;
    let full = taken >= seats(&event, form.mode) && !event.waitlist;
    let address = state.key.lookup(MAIL_QUOTA, email);
    let day = now.as_second().div_euclid(86_400);
    let mailed = outbox::take_quota(&mut tx, &address, day, CONFIRMATIONS_PER_DAY).await?;
    let (recipient, notice) = match &existing {
        Some(existing) => {
            // Only a link that is sent is added.
            if mailed {
                rows::links::add(&mut tx, existing.id, &token.hash(), now.as_second()).await?;
            }
            (
                recipient(existing, &event),
                Notice::LinkAgain { link: &link },
            )
        }
        None if full => (
            Recipient {
                registration_id: None,
                email,
                name: None,
                lang,
                event_title,
            },
            Notice::Full,
        ),
        None => {
            let id = insert(state, &mut tx, &event, &form, &token, lang, now).await?;
            db::hearing::store_priorities(
                &mut tx,
                &state.key,
                event.id,
                id,
                &form.details.organisation,
                &priorities,
                now.as_second(),
            )
            .await?;
            (
                Recipient {
                    registration_id: Some(id),
                    email,
                    name: None,
                    lang,
                    event_title,
                },
                Notice::Received {
                    first_come: !event.requires_approval,
                    link: &link,
                },
            )
        }
    };
    if mailed {
        notices::queue(&mut tx, &state.key, &recipient, &notice, now).await?;
    } else {
        tracing::warn!("confirmation emails over the daily limit for one address; not sent");
    }
    tx.commit().await?;
    state.mail.wake();
    Ok(())
}

/// Stores a new registration, pending until its address is confirmed.
async fn insert(
    state: &AppState,
    tx: &mut Tx,
    event: &SeatsRow,
    form: &RegistrationForm,
    token: &Token,
    lang: Lang,
    now: jiff::Timestamp,
) -> Result<i64, Refusal> {
    let details = &form.details;
    let organisation_id =
        organisations::verified_by_key(&mut *tx, &name_key(&details.organisation)).await?;
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
            state: RegistrationState::Pending,
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
            state: RegistrationState::Pending,
        },
        now.as_second(),
    )
    .await?;
    Ok(id)
}

/// Who an email about `row` goes to: by name only once the address is
/// confirmed.
fn recipient<'a>(row: &'a RegistrationRow, event: &'a SeatsRow) -> Recipient<'a> {
    let lang = row.lang;
    Recipient {
        registration_id: Some(row.id),
        email: &row.email,
        name: row.email_confirmed_at.map(|_| row.name.as_str()),
        lang,
        event_title: lang.pick(&event.title_en, &event.title_ar),
    }
}

/// A registration found through its private link, with its event.
pub struct Found {
    pub registration: RegistrationRow,
    pub event: SeatsRow,
}

/// Looks up a private link (the first one sent, or one sent again). The
/// first opening confirms the email address and, at a first-come event,
/// gives the registration its place now: approved if one is free, else
/// waitlisted, else (no waitlist) refused, with the reason on the page.
pub async fn open(state: &AppState, token: &str) -> Result<Found, AppError> {
    let token = Token::parse(token).ok_or(AppError::NotFound)?;
    let hash = token.hash();
    // Read-only first: an unknown token never takes the write lock.
    let registration = rows::by_token_hash(&state.db, &state.key, &hash)
        .await?
        .ok_or(AppError::NotFound)?;
    if registration.email_confirmed_at.is_none() {
        return confirm(state, &hash).await;
    }
    let event = db::events::seats_by_id(&state.db, registration.event_id).await?;
    Ok(Found {
        registration,
        event,
    })
}

/// [`open`] for an address not yet confirmed, in one write transaction
/// (places are counted).
async fn confirm(state: &AppState, hash: &[u8]) -> Result<Found, AppError> {
    let mut tx = begin_for(state, hash).await?;
    let registration = rows::by_token_hash(&mut tx, &state.key, hash)
        .await?
        .ok_or(AppError::NotFound)?;
    let event = db::events::seats_by_id(&mut tx, registration.event_id).await?;
    let now = state.clock.now().as_second();
    let mut placed = false;
    let confirmed_now = registration.email_confirmed_at.is_none();
    if confirmed_now {
        rows::confirm_email(&mut tx, registration.id, now).await?;
        let first_come = !event.requires_approval && event.status == EventStatus::Published;
        if first_come && registration.state == RegistrationState::Pending {
            let taken = rows::count_approved(&mut tx, event.id, registration.mode).await?;
            let (placed_in, reason) = if taken < seats(&event, registration.mode) {
                (RegistrationState::Approved, None)
            } else if event.waitlist {
                (RegistrationState::Waitlisted, None)
            } else {
                (
                    RegistrationState::Rejected,
                    Some(full_reason(registration.lang)),
                )
            };
            rows::set_state(
                &mut tx,
                &state.key,
                registration.id,
                placed_in,
                reason,
                None,
                now,
            )
            .await?;
            audit::record(
                &mut tx,
                &state.key,
                Actor::System,
                AuditAction::Decided {
                    registration: registration.id,
                    state: placed_in,
                    reason: None,
                },
                now,
            )
            .await?;
            placed = true;
        }
    }
    if placed {
        state
            .live
            .announce(&mut tx, Signal::Touched(event.id))
            .await?;
    }
    tx.commit().await?;
    if placed {
        state.live.signal(Signal::Touched(event.id));
    }
    // Read again: the page shows the registration as it now stands.
    let registration = rows::by_token_hash(&state.db, &state.key, hash)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Found {
        registration: RegistrationRow {
            // Tells the page whether this opening confirmed the address.
            email_confirmed_at: registration.email_confirmed_at.filter(|_| !confirmed_now),
            ..registration
        },
        event,
    })
}

/// Why a first-come registration got no place: every place was taken before
/// its address was confirmed.
fn full_reason(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "All places were taken before this email address was confirmed.",
        Lang::Ar => "شُغلت جميع المقاعد قبل تأكيد عنوان البريد الإلكتروني هذا.",
    }
}

/// Within a write transaction: the registration behind a token.
/// A write transaction about the registration whose link hashes to
/// `hash`, its event locked first (see `Db::begin_event_write`).
async fn begin_for(state: &AppState, hash: &[u8]) -> Result<Tx, AppError> {
    let event = rows::event_of_token_hash(&state.db, hash)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(state.db.begin_event_write(&[event]).await?)
}

/// [`begin_for`] the registration of private link `token`.
async fn begin_for_token(state: &AppState, token: &str) -> Result<Tx, AppError> {
    let token = Token::parse(token).ok_or(AppError::NotFound)?;
    begin_for(state, &token.hash()).await
}

async fn locked(
    tx: &mut Tx,
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
    let mut tx = begin_for_token(state, token).await?;
    let (registration, event) = locked(&mut tx, &state.key, token).await?;
    if !registration.state.is_live() {
        return Err(Refusal::Form(FormError::BadRequest));
    }
    let terms = Terms::of(&event);
    let details = Details::parse_edit(fields, &terms.languages).map_err(Refusal::Fields)?;
    let organisation_id =
        organisations::verified_by_key(&mut tx, &name_key(&details.organisation)).await?;
    let now = state.clock.now().as_second();
    rows::update_details(
        &mut tx,
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
        &mut tx,
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
    let mut tx = begin_for_token(state, token).await?;
    let (registration, event) = locked(&mut tx, &state.key, token).await?;
    let was = registration.state;
    if !was.is_live() {
        return Ok(());
    }
    let now = state.clock.now();
    rows::withdraw(&mut tx, registration.id, now.as_second()).await?;
    audit::record(
        &mut tx,
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
    state
        .live
        .announce(&mut tx, Signal::Touched(event.id))
        .await?;
    tx.commit().await?;
    state.mail.wake();
    state.live.signal(Signal::Touched(event.id));
    Ok(())
}

/// "Delete my data": the registration and its queued emails are erased at
/// once; the audit log keeps only that record number N was erased.
pub async fn erase(state: &AppState, token: &str) -> Result<(), AppError> {
    let mut tx = begin_for_token(state, token).await?;
    let (registration, event) = locked(&mut tx, &state.key, token).await?;
    let now = state.clock.now();
    rows::delete(&mut tx, registration.id).await?;
    // What they told us goes too: their questions (named ones went with
    // the row; anonymous ones asked through this link), votes, priorities
    // and feedback.
    if let Some(token) = Token::parse(token) {
        let author = db::questions::author_key(&state.key, token.as_str());
        let voter = db::questions::voter(&state.key, registration.id);
        db::questions::delete_of_participant(&mut tx, &author, &voter).await?;
    }
    let respondent = db::hearing::respondent_key(&state.key, registration.id);
    db::hearing::delete_of_respondent(&mut tx, event.id, &respondent).await?;
    audit::record(
        &mut tx,
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
    for signal in [Signal::Touched(event.id), Signal::Questions(event.id)] {
        state.live.announce(&mut tx, signal).await?;
    }
    tx.commit().await?;
    state.mail.wake();
    state.live.signal(Signal::Touched(event.id));
    state.live.signal(Signal::Questions(event.id));
    Ok(())
}

/// Gives free seats of `mode` to the oldest waitlisted registrations, and
/// tells them. `except` (the registration that just left) is never promoted.
async fn promote(
    tx: &mut Tx,
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
