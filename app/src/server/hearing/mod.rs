//! What participants tell the mechanism besides questions, and what it
//! heard: the topics that matter to them (asked when registering) with what
//! it should hear, feedback after the event (one email per approved
//! participant, once), the staff's view of both (aggregated: no count under
//! 5 is shown), and the admins' "what we heard / what we answered" for the
//! past event's page.
//!
//! Answers hold no registration id, only a keyed hash of it
//! ([`respondent_key`]): one answer per registration, found again when the
//! participant deletes their data.

pub mod http;
pub mod pages;

use std::collections::BTreeMap;
use std::time::Duration;

use crate::domain::form::FormError;
use crate::domain::hearing::FeedbackAnswer;
use crate::domain::{EventStatus, RegistrationState};
use crate::error::AppError;
use crate::server::AppState;
use crate::server::db;
use crate::server::db::hearing::{self as rows, NewFeedback, respondent_key};
use crate::server::db::registrations as registrations_db;
use crate::server::forms::Refusal;
use crate::server::notices::{self, Notice, Recipient};
use crate::server::token::Token;

/// Whether the participant behind `token` may give feedback now: approved,
/// the event over (and not cancelled), not answered yet.
pub async fn feedback_open(
    state: &AppState,
    registration: &registrations_db::RegistrationRow,
    event: &db::events::SeatsRow,
) -> sqlx::Result<bool> {
    let now = state.clock.now().as_second();
    Ok(registration.state == RegistrationState::Approved
        && event.status == EventStatus::Published
        && event.ends_at <= now
        && !rows::has_feedback(
            &state.db,
            event.id,
            &respondent_key(&state.key, registration.id),
        )
        .await?)
}

/// Feedback from the private page behind `token`.
pub async fn give_feedback(
    state: &AppState,
    token: &str,
    fields: &BTreeMap<String, String>,
) -> Result<(), Refusal> {
    let found = crate::server::registrations::open(state, token).await?;
    let (registration, event) = (found.registration, found.event);
    let now = state.clock.now().as_second();
    if registration.state != RegistrationState::Approved
        || event.status != EventStatus::Published
        || event.ends_at > now
    {
        return Err(Refusal::Form(FormError::FeedbackClosed));
    }
    let answer = FeedbackAnswer::parse(fields).map_err(Refusal::Fields)?;
    let mut tx = state.db.begin_event_write(&[event.id]).await?;
    let added = rows::insert_feedback(
        &mut tx,
        &state.key,
        &NewFeedback {
            event_id: event.id,
            respondent_key: &respondent_key(&state.key, registration.id),
            usefulness: answer.usefulness,
            safety: answer.safety,
            change: answer.change.as_deref(),
            now,
        },
    )
    .await?;
    if !added {
        return Err(Refusal::Form(FormError::FeedbackClosed));
    }
    tx.commit().await?;
    Ok(())
}

/// How far back an event's end may lie for its feedback emails to go out
/// (older events are not written to out of the blue, e.g. after an upgrade).
const FEEDBACK_WINDOW: i64 = 7 * 86_400;
/// How often the feedback job looks for events that ended.
const FEEDBACK_EVERY: Duration = Duration::from_secs(300);

/// Queues the feedback emails of every event that ended (within the last
/// week) and has not had them: one per approved participant, in their
/// language, with a new private link. Each event's emails go out once,
/// whatever the restarts or instances: the event is marked in the same
/// transaction. Returns how many emails were queued.
pub async fn send_feedback_requests(state: &AppState) -> Result<usize, AppError> {
    let now = state.clock.now();
    let due = rows::feedback_due(
        &state.db,
        now.as_second() - FEEDBACK_WINDOW,
        now.as_second(),
    )
    .await?;
    let mut queued = 0;
    for event_id in due {
        let mut tx = state.db.begin_event_write(&[event_id]).await?;
        if !rows::mark_feedback_sent(&mut tx, event_id, now.as_second()).await? {
            continue;
        }
        let event = db::events::seats_by_id(&mut tx, event_id).await?;
        for r in registrations_db::approved(&mut tx, &state.key, event_id).await? {
            let token = Token::generate()?;
            registrations_db::links::add(&mut tx, r.id, &token.hash(), now.as_second()).await?;
            let link = crate::server::registrations::private_link(state, r.lang, token.as_str());
            let link = format!("{link}#feedback");
            let recipient = Recipient {
                registration_id: Some(r.id),
                email: &r.email,
                name: Some(&r.name),
                lang: r.lang,
                event_title: r.lang.pick(&event.title_en, &event.title_ar),
            };
            notices::queue(
                &mut tx,
                &state.key,
                &recipient,
                &Notice::Feedback { link: &link },
                now,
            )
            .await?;
            queued += 1;
        }
        tx.commit().await?;
        tracing::info!(
            event = event_id,
            emails = queued,
            "feedback requests queued"
        );
    }
    if queued > 0 {
        state.mail.wake();
    }
    Ok(queued)
}

/// Runs [`send_feedback_requests`] every five minutes on the instance that
/// leads (`server::leader`).
pub fn spawn_feedback_requests(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(FEEDBACK_EVERY);
        let mut leader = state.leader.clone();
        loop {
            ticks.tick().await;
            leader.until_leading().await;
            if let Err(error) = send_feedback_requests(&state).await {
                tracing::warn!(%error, "feedback requests: will try again");
            }
        }
    })
}
