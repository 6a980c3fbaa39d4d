//! Check-in at the door. An approved in-person participant's private page
//! shows their check-in code (and the same as a QR code); staff at
//! `/{lang}/staff/events/<slug>/check-in` find them by name or code, check
//! them in with one tap (once a day of the event, in its time zone), and
//! undo. A check-in records attendance of that day's sessions in the room,
//! as a join link does online. Every staff device's count follows live
//! (`Signal::Checkins`, a staff-only stream).
//!
//! The code is not stored: it is 40 bits of a keyed hash of the
//! registration, so the database alone gives nobody's code, and a code
//! gives nothing but the registration it opens to staff.

pub mod http;
pub mod pages;

use crate::domain::checkin::{CheckinCode, CheckinRefusal};
use crate::domain::{AttendanceMode, EventStatus, LiveMessage, RegistrationState};
use crate::dto::checkin::CheckinPass;
use crate::error::AppError;
use crate::server::crypto::{CHECKIN_CODE, DataKey};
use crate::server::db::audit::{self, Actor, AuditAction};
use crate::server::db::events::SeatsRow;
use crate::server::db::signals::Signal;
use crate::server::db::{self, Db, checkins as rows};
use crate::server::forms::Refusal;
use crate::server::{AppState, format};

/// Check-in opens this long before the event starts (the day before).
const OPENS_BEFORE: i64 = 24 * 3600;

/// A registration's check-in code.
pub fn code_of(key: &DataKey, registration: i64) -> CheckinCode {
    let hash = key.lookup(CHECKIN_CODE, &registration.to_string());
    let mut bytes = [0; 5];
    bytes.copy_from_slice(&hash[..5]);
    CheckinCode::from_bytes(bytes)
}

/// What the private page shows an approved in-person participant of an
/// event that goes ahead; `None` for anyone else.
pub fn pass(
    key: &DataKey,
    registration: i64,
    state: RegistrationState,
    mode: AttendanceMode,
    event: &SeatsRow,
    title: &str,
) -> Option<CheckinPass> {
    if event.status != EventStatus::Published || CheckinRefusal::of(state, mode).is_some() {
        return None;
    }
    let code = code_of(key, registration);
    Some(CheckinPass {
        qr_svg: crate::server::qr::qr_svg(code.as_str(), title)?,
        code: code.display(),
    })
}

/// The event's date at `now`, in its own time zone (`YYYY-MM-DD`).
pub fn day_of(event: &SeatsRow, now: i64) -> String {
    format::zoned(now, &format::time_zone(&event.time_zone))
        .date()
        .to_string()
}

/// Whether people can be checked in at `now`: from the day before the
/// event until it ends, unless it is cancelled.
fn open_at(event: &SeatsRow, now: i64) -> Result<(), CheckinRefusal> {
    if event.status != EventStatus::Published || now > event.ends_at {
        Err(CheckinRefusal::EventOver)
    } else if now < event.starts_at - OPENS_BEFORE {
        Err(CheckinRefusal::TooEarly)
    } else {
        Ok(())
    }
}

/// Whom a check-in is for: a registration picked from the results, or a
/// code typed or scanned.
#[derive(Clone, Debug)]
pub enum Target {
    Registration(i64),
    Code(CheckinCode),
}

/// Why a check-in (or its undoing) did not happen.
#[derive(Debug)]
pub enum Refused {
    Checkin(CheckinRefusal),
    Other(Refusal),
}

impl From<sqlx::Error> for Refused {
    fn from(error: sqlx::Error) -> Self {
        Self::Other(error.into())
    }
}

impl From<AppError> for Refused {
    fn from(error: AppError) -> Self {
        Self::Other(error.into())
    }
}

pub async fn event_of(state: &AppState, slug: &str) -> Result<SeatsRow, Refused> {
    crate::domain::EventSlug::parse(slug).ok_or(Refused::Other(Refusal::NotFound))?;
    db::events::seats_by_slug(&state.db, slug)
        .await?
        .ok_or(Refused::Other(Refusal::NotFound))
}

/// The registration of `event` a code belongs to; `OtherEvent` when it
/// belongs to another event's, `UnknownCode` when to none.
pub async fn find_code(
    state: &AppState,
    event: i64,
    code: &CheckinCode,
) -> Result<i64, CheckinRefusal> {
    let Ok(all) = rows::all_registrations(&state.db).await else {
        return Err(CheckinRefusal::UnknownCode);
    };
    let mut other = false;
    for r in all {
        if code_of(&state.key, r.id) == *code {
            if r.event_id == event {
                return Ok(r.id);
            }
            other = true;
        }
    }
    Err(if other {
        CheckinRefusal::OtherEvent
    } else {
        CheckinRefusal::UnknownCode
    })
}

/// Checks `target` in at event `slug` (or, with `undo`, takes today's
/// check-in back); returns the registration.
pub async fn check_in(
    state: &AppState,
    staff: i64,
    slug: &str,
    target: Target,
    undo: bool,
) -> Result<i64, Refused> {
    let event = event_of(state, slug).await?;
    let registration = match target {
        Target::Registration(id) => id,
        Target::Code(code) => find_code(state, event.id, &code)
            .await
            .map_err(Refused::Checkin)?,
    };
    let now = state.clock.now().as_second();
    open_at(&event, now).map_err(Refused::Checkin)?;
    let day = day_of(&event, now);
    let mut tx = state.db.begin_event_write(&[event.id]).await?;
    let Some(r) = db::registrations::by_id(&mut tx, &state.key, registration).await? else {
        return Err(Refused::Checkin(CheckinRefusal::UnknownCode));
    };
    if r.event_id != event.id {
        return Err(Refused::Checkin(CheckinRefusal::OtherEvent));
    }
    if let Some(why) = CheckinRefusal::of(r.state, r.mode) {
        return Err(Refused::Checkin(why));
    }
    let tz = format::time_zone(&event.time_zone);
    let sessions: Vec<i64> = db::sessions::public_agenda(&mut tx, event.id)
        .await?
        .into_iter()
        .filter(|s| s.in_person && format::zoned(s.starts_at, &tz).date().to_string() == day)
        .map(|s| s.id)
        .collect();
    let action = if undo {
        if !rows::delete(&mut tx, r.id, &day).await? {
            return Err(Refused::Checkin(CheckinRefusal::NotIn));
        }
        for &session in &sessions {
            rows::unattend(&mut tx, r.id, session).await?;
        }
        AuditAction::CheckinUndone { registration: r.id }
    } else {
        if !rows::insert(&mut tx, r.id, &day, now, staff).await? {
            return Err(Refused::Checkin(CheckinRefusal::AlreadyIn));
        }
        for &session in &sessions {
            rows::attend(&mut tx, r.id, session, now).await?;
        }
        AuditAction::CheckedIn { registration: r.id }
    };
    audit::record(&mut tx, &state.key, Actor::Staff(staff), action, now).await?;
    state
        .live
        .announce(&mut tx, Signal::Checkins(event.id))
        .await?;
    tx.commit().await?;
    audit::log_committed(staff, &[action], "check-in");
    state.live.signal(Signal::Checkins(event.id));
    Ok(r.id)
}

/// The live count of event `event_id` at `now`: checked in today, and
/// approved to attend in person.
pub async fn count_message(db: &Db, event_id: i64, now: i64) -> sqlx::Result<LiveMessage> {
    let event = db::events::seats_by_id(db, event_id).await?;
    let counts = rows::count_day(db, event.id, &day_of(&event, now)).await?;
    Ok(LiveMessage::Checkins {
        event: event.slug,
        arrived: counts.arrived,
        expected: counts.expected,
    })
}
