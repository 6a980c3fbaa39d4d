//! The staff events and sessions editor (admins only): the data of its
//! pages, and its plain HTML forms. Every change goes through [`apply`]: one
//! `BEGIN IMMEDIATE` transaction that checks what needs the database (slug in
//! use, seats already approved), writes, and audits; after the commit, the
//! one place where the rest of the app hears about the change.
//!
//! Meeting URLs are secret (rule 2): they are read here only for the
//! session form, never logged, never written to the audit log.

pub mod http;
pub mod pages;

use crate::domain::time_zone::{FieldErrors, ResolvedEvent, session_times};
use crate::domain::{AttendanceMode, EventStatus, FieldError, SessionForm};
use crate::server::db::Tx;
use crate::server::db::audit::AuditAction;
use crate::server::db::signals::Signal;
use crate::server::db::{audit, events as event_rows, registrations, sessions as session_rows};
use crate::server::forms::Refusal;
use crate::server::{AppState, format};

/// How far in the past an event with registrations may end without the
/// admin confirming it (a day: an event just over is still edited).
const PAST_END_GRACE: i64 = 24 * 60 * 60;

impl ResolvedEvent {
    fn values(&self) -> event_rows::EventValues<'_> {
        let f = &self.form;
        event_rows::EventValues {
            slug: f.slug.as_str(),
            kind: f.kind,
            format: f.format,
            visibility: f.visibility,
            title_en: &f.title_en,
            title_ar: &f.title_ar,
            summary_en: &f.summary_en,
            summary_ar: &f.summary_ar,
            description_en: &f.description_en,
            description_ar: &f.description_ar,
            city_en: f.city_en.as_deref(),
            city_ar: f.city_ar.as_deref(),
            country_en: f.country_en.as_deref(),
            country_ar: f.country_ar.as_deref(),
            venue: f.venue.as_deref(),
            time_zone: &f.time_zone,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            registration_opens_at: self.opens_at,
            registration_closes_at: self.closes_at,
            seats_in_person: i64::from(f.seats_in_person),
            seats_online: i64::from(f.seats_online),
            waitlist: f.waitlist,
            requires_approval: f.requires_approval,
            interpretation: &self.interpretation,
            invitation_code: f.invitation_code.as_deref(),
        }
    }
}

/// What an admin asks the editor to do.
pub enum Change {
    CreateEvent {
        event: Box<ResolvedEvent>,
        publish: bool,
    },
    UpdateEvent {
        slug: String,
        event: Box<ResolvedEvent>,
        publish: bool,
    },
    CancelEvent {
        slug: String,
    },
    AddSession {
        slug: String,
        form: SessionForm,
    },
    UpdateSession {
        slug: String,
        id: i64,
        form: SessionForm,
    },
    CancelSession {
        slug: String,
        id: i64,
    },
}

/// Saves the event's reminder times.
async fn set_reminders(
    tx: &mut Tx,
    event: i64,
    form: &crate::domain::EventForm,
) -> sqlx::Result<()> {
    let hours = crate::server::db::reminders::ReminderHours {
        first: form.remind_first_hours.map(i64::from),
        second: form.remind_second_hours.map(i64::from),
    };
    crate::server::db::reminders::set_hours(tx, event, hours).await
}

/// Makes one change, in one write transaction, with its audit rows. Returns
/// the slug of the event changed (it may have a new one).
pub async fn apply(state: &AppState, admin: i64, change: Change) -> Result<String, Refusal> {
    let now = state.clock.now().as_second();
    let mut tx = state.db.begin_write().await?;
    let mut log = Vec::<AuditAction>::new();
    let slug = match change {
        Change::CreateEvent { event, publish } => {
            let event = *event;
            check_slug(&mut tx, event.form.slug.as_str(), None).await?;
            let status = if publish {
                EventStatus::Published
            } else {
                EventStatus::Draft
            };
            let id = event_rows::insert_edited(&mut tx, &event.values(), status, now).await?;
            crate::server::db::hearing::set_topics(&mut tx, id, &event.form.topics).await?;
            set_reminders(&mut tx, id, &event.form).await?;
            log.push(AuditAction::EventCreated { event: id });
            if publish {
                log.push(AuditAction::EventPublished { event: id });
            }
            event.form.slug.as_str().to_owned()
        }
        Change::UpdateEvent {
            slug,
            event,
            publish,
        } => {
            let event = *event;
            let row = event_rows::editor_by_slug(&mut tx, &slug)
                .await?
                .ok_or(Refusal::NotFound)?;
            check_slug(&mut tx, event.form.slug.as_str(), Some(row.id)).await?;
            check_event_against_data(&mut tx, row.id, &event, now).await?;
            event_rows::update(&mut tx, row.id, &event.values(), now).await?;
            crate::server::db::hearing::set_topics(&mut tx, row.id, &event.form.topics).await?;
            set_reminders(&mut tx, row.id, &event.form).await?;
            log.push(AuditAction::EventUpdated { event: row.id });
            if publish && row.status == EventStatus::Draft {
                event_rows::set_status(&mut tx, row.id, EventStatus::Published, now).await?;
                log.push(AuditAction::EventPublished { event: row.id });
            }
            event.form.slug.as_str().to_owned()
        }
        Change::CancelEvent { slug } => {
            let row = event_rows::editor_by_slug(&mut tx, &slug)
                .await?
                .ok_or(Refusal::NotFound)?;
            if row.status != EventStatus::Cancelled {
                event_rows::set_status(&mut tx, row.id, EventStatus::Cancelled, now).await?;
                log.push(AuditAction::EventCancelled { event: row.id });
            }
            slug
        }
        Change::AddSession { slug, form } => {
            let row = event_rows::editor_by_slug(&mut tx, &slug)
                .await?
                .ok_or(Refusal::NotFound)?;
            let (starts_at, ends_at) = times_in(&row, &form)?;
            let values = session_values(&form, starts_at, ends_at);
            let id = session_rows::insert_edited(&mut tx, row.id, &values).await?;
            log.push(AuditAction::SessionAdded { session: id });
            slug
        }
        Change::UpdateSession { slug, id, form } => {
            let row = event_rows::editor_by_slug(&mut tx, &slug)
                .await?
                .ok_or(Refusal::NotFound)?;
            session_rows::editor_by_id(&mut tx, row.id, id)
                .await?
                .ok_or(Refusal::NotFound)?;
            let (starts_at, ends_at) = times_in(&row, &form)?;
            let values = session_values(&form, starts_at, ends_at);
            session_rows::update(&mut tx, id, &values).await?;
            log.push(AuditAction::SessionUpdated { session: id });
            slug
        }
        Change::CancelSession { slug, id } => {
            let row = event_rows::editor_by_slug(&mut tx, &slug)
                .await?
                .ok_or(Refusal::NotFound)?;
            let session = session_rows::editor_by_id(&mut tx, row.id, id)
                .await?
                .ok_or(Refusal::NotFound)?;
            if !session.cancelled {
                session_rows::cancel(&mut tx, id).await?;
                log.push(AuditAction::SessionCancelled { session: id });
            }
            slug
        }
    };
    for action in &log {
        audit::record(
            &mut tx,
            &state.key,
            audit::Actor::Staff(admin),
            *action,
            now,
        )
        .await?;
    }
    // Open lists learn of an event just published; open pages of the event
    // say it changed, and their seats, window and sessions are brought up
    // to date; on every instance.
    let mut signals: Vec<Signal> = log
        .iter()
        .filter_map(|action| match action {
            AuditAction::EventPublished { event } => Some(Signal::Published(*event)),
            _ => None,
        })
        .collect();
    if let Some(event) = event_rows::editor_by_slug(&mut tx, &slug).await? {
        signals.push(Signal::Edited(event.id));
    }
    for &signal in &signals {
        state.live.announce(&mut tx, signal).await?;
    }
    tx.commit().await?;
    audit::log_committed(admin, &log, "editor change");
    for signal in signals {
        state.live.signal(signal);
    }
    Ok(slug)
}

async fn check_slug(tx: &mut Tx, slug: &str, except: Option<i64>) -> Result<(), Refusal> {
    if event_rows::slug_taken(&mut *tx, slug, except).await? {
        return Err(Refusal::Fields(FieldErrors::from([(
            "slug".to_owned(),
            FieldError::SlugTaken,
        )])));
    }
    Ok(())
}

/// What an edit must respect of what exists: seats already approved per
/// mode, and sessions inside the event's dates.
async fn check_event_against_data(
    tx: &mut Tx,
    event_id: i64,
    event: &ResolvedEvent,
    now: i64,
) -> Result<(), Refusal> {
    let mut errors = FieldErrors::new();
    // An end long past would have the retention schedule delete the event's
    // registrations (a year typed wrong): only when the admin says so.
    if event.ends_at < now - PAST_END_GRACE
        && !event.form.past_end_confirmed
        && registrations::count_for_event(&mut *tx, event_id).await? > 0
    {
        errors.insert("ends_at".to_owned(), FieldError::EndsLongAgo);
    }
    for (mode, seats, field) in [
        (
            AttendanceMode::InPerson,
            event.form.seats_in_person,
            "seats_in_person",
        ),
        (
            AttendanceMode::Online,
            event.form.seats_online,
            "seats_online",
        ),
    ] {
        let taken = registrations::count_approved(&mut *tx, event_id, mode).await?;
        if taken > i64::from(seats) {
            let taken = u32::try_from(taken).unwrap_or(u32::MAX);
            errors.insert(field.to_owned(), FieldError::BelowTaken { taken });
        }
    }
    let outside =
        session_rows::count_outside(&mut *tx, event_id, event.starts_at, event.ends_at).await?;
    if outside > 0 {
        errors.insert("starts_at".to_owned(), FieldError::SessionsOutside);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Refusal::Fields(errors))
    }
}

/// A session's times in its event's zone, inside the event's dates.
fn times_in(event: &event_rows::EditorEventRow, form: &SessionForm) -> Result<(i64, i64), Refusal> {
    session_times(
        &format::time_zone(&event.time_zone),
        form,
        event.starts_at,
        event.ends_at,
    )
    .map_err(Refusal::Fields)
}

fn session_values(
    form: &SessionForm,
    starts_at: i64,
    ends_at: i64,
) -> session_rows::SessionValues<'_> {
    session_rows::SessionValues {
        interpretation: crate::domain::material::channels_text(&form.interpretation),
        title_en: &form.title_en,
        title_ar: &form.title_ar,
        starts_at,
        ends_at,
        room: form.room.as_deref(),
        meeting_url: form.meeting_url.as_ref().map(|u| u.as_str()),
        join_opens_minutes_before: i64::from(form.join_minutes_before),
    }
}
