//! Staff decisions on registrations: approve, waitlist or reject, one or many,
//! each in its own write transaction so that capacity holds; a decision that
//! frees a seat promotes the oldest waitlisted registration for that mode.

use super::{promote, recipient, seats};
use crate::domain::{Decision, RegistrationState};
use crate::error::AppError;
use crate::server::AppState;
use crate::server::crypto::DataKey;
use crate::server::db::Tx;
use crate::server::db::audit::{self, Actor, AuditAction};
use crate::server::db::registrations::{self as rows};
use crate::server::db::signals::Signal;
use crate::server::db::{self};
use crate::server::notices::{self, Notice};

/// What happened to one registration in a (bulk) decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// It was in that state already.
    Unchanged,
    /// No seat left in its mode: it stays as it was.
    Full,
    /// Withdrawn, or gone.
    NotAllowed,
}

/// A moderator's decision on one or more registrations, in one transaction.
/// Approving never exceeds a mode's capacity; a rejection carries its reason;
/// every change is audited and the participant is told in their language.
pub async fn decide(
    state: &AppState,
    staff_id: i64,
    ids: &[i64],
    decision: Decision,
    reason: Option<&str>,
) -> Result<Vec<(i64, Outcome)>, AppError> {
    // Their events are locked first; a registration gone meanwhile is
    // found missing inside the transaction.
    let events = rows::events_of(&state.db, ids).await?;
    let mut tx = state.db.begin_event_write(&events).await?;
    let now = state.clock.now();
    let target = RegistrationState::decided_by(decision);
    let ruling = Ruling {
        key: &state.key,
        staff_id,
        target,
        reason,
        now,
    };
    let mut outcomes = Vec::with_capacity(ids.len());
    let mut events = std::collections::HashSet::new();
    for &id in ids {
        let outcome = decide_one(&mut tx, &ruling, id, &mut events).await?;
        outcomes.push((id, outcome));
    }
    for &event in &events {
        state.live.announce(&mut tx, Signal::Touched(event)).await?;
    }
    tx.commit().await?;
    state.mail.wake();
    for event in events {
        state.live.signal(Signal::Touched(event));
    }
    Ok(outcomes)
}

/// One decision as [`decide_one`] applies it to each registration.
#[derive(Clone, Copy)]
struct Ruling<'a> {
    key: &'a DataKey,
    staff_id: i64,
    target: RegistrationState,
    reason: Option<&'a str>,
    now: jiff::Timestamp,
}

async fn decide_one(
    tx: &mut Tx,
    ruling: &Ruling<'_>,
    id: i64,
    touched: &mut std::collections::HashSet<i64>,
) -> Result<Outcome, AppError> {
    let Ruling {
        key,
        staff_id,
        target,
        reason,
        now,
    } = *ruling;
    let Some(registration) = rows::by_id(&mut *tx, key, id).await? else {
        return Ok(Outcome::NotAllowed);
    };
    let was = registration.state;
    if was == RegistrationState::Withdrawn {
        return Ok(Outcome::NotAllowed);
    }
    if was == target {
        return Ok(Outcome::Unchanged);
    }
    let event = db::events::seats_by_id(&mut *tx, registration.event_id).await?;
    touched.insert(event.id);
    if target == RegistrationState::Approved {
        let mode = registration.mode;
        let taken = rows::count_approved(&mut *tx, event.id, mode).await?;
        if taken >= seats(&event, mode) {
            return Ok(Outcome::Full);
        }
    }
    let reason = reason.filter(|_| target == RegistrationState::Rejected);
    rows::set_state(
        &mut *tx,
        key,
        id,
        target,
        reason,
        Some(staff_id),
        now.as_second(),
    )
    .await?;
    audit::record(
        &mut *tx,
        key,
        Actor::Staff(staff_id),
        AuditAction::Decided {
            registration: id,
            state: target,
            reason,
        },
        now.as_second(),
    )
    .await?;
    let notice = Notice::Decided {
        state: target,
        reason,
    };
    notices::queue(tx, key, &recipient(&registration, &event), &notice, now).await?;
    if was == RegistrationState::Approved {
        promote(tx, key, &event, registration.mode, id, now).await?;
    }
    Ok(Outcome::Done)
}
