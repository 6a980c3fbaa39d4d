//! The staff events and sessions editor (admins only): the data of its
//! pages, and its plain HTML forms. Every change goes through [`apply`]: one
//! `BEGIN IMMEDIATE` transaction that checks what needs the database (slug in
//! use, seats already approved), writes, and audits; after the commit, the
//! one place where the rest of the app hears about the change.
//!
//! Meeting URLs are secret (rule 2): they are read here only for the
//! session form, never logged, never written to the audit log.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::tz::{AmbiguousOffset, TimeZone};

use super::auth::{RequireAdmin, require_staff};
use super::db::{self, audit, events as event_rows, registrations, sessions as session_rows};
use super::forms::{PostedForm, Refusal, refused, see_other};
use super::{AppState, format};
use crate::api::events_editor::{
    EditorEvent, EditorEventItem, EditorEvents, EditorSession, EditorSessionItem,
};
use crate::domain::event_form::{LocalDateTime, limits};
use crate::domain::form::FormError;
use crate::domain::{
    AttendanceMode, EventForm, EventFormat, EventSlug, EventStatus, FieldError, Lang, Role,
    SessionForm, Visibility,
};
use crate::error::AppError;

type FieldErrors = BTreeMap<String, FieldError>;

// ---------------------------------------------------------------------------
// Time: local wall-clock times in the event's zone, and back.

/// The IANA time zone, or the field error.
fn zone(name: &str) -> Result<TimeZone, FieldError> {
    TimeZone::get(name).map_err(|_| FieldError::TimeZone)
}

/// A local time in `tz` as Unix seconds. A time skipped by a clock change
/// is refused; a time that happens twice (clocks going back) is the first.
pub fn instant(tz: &TimeZone, t: LocalDateTime) -> Result<i64, FieldError> {
    let civil = jiff::civil::DateTime::new(t.year, t.month, t.day, t.hour, t.minute, t.second, 0)
        .map_err(|_| FieldError::DateTime)?;
    let ambiguous = tz.to_ambiguous_zoned(civil);
    if matches!(ambiguous.offset(), AmbiguousOffset::Gap { .. }) {
        return Err(FieldError::NoSuchTime);
    }
    ambiguous
        .compatible()
        .map(|z| z.timestamp().as_second())
        .map_err(|_| FieldError::DateTime)
}

/// Unix seconds as the value of a `datetime-local` input in `tz`.
fn local_input(unix: i64, tz: &TimeZone) -> String {
    format::zoned(unix, tz)
        .strftime("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

/// The event form with its times resolved in its time zone.
pub struct ResolvedEvent {
    form: EventForm,
    interpretation: String,
    starts_at: i64,
    ends_at: i64,
    opens_at: Option<i64>,
    closes_at: Option<i64>,
}

fn resolve_event(form: EventForm) -> Result<ResolvedEvent, FieldErrors> {
    let mut errors = FieldErrors::new();
    let tz = match zone(&form.time_zone) {
        Ok(tz) => tz,
        Err(error) => return Err(FieldErrors::from([("time_zone".to_owned(), error)])),
    };
    let mut at = |field: &str, t: LocalDateTime| {
        instant(&tz, t)
            .map_err(|error| {
                errors.insert(field.to_owned(), error);
            })
            .ok()
    };
    let starts_at = at("starts_at", form.starts);
    let ends_at = at("ends_at", form.ends);
    let opens_at = form
        .registration_opens
        .and_then(|t| at("registration_opens_at", t));
    let closes_at = form
        .registration_closes
        .and_then(|t| at("registration_closes_at", t));
    if let (Some(s), Some(e)) = (starts_at, ends_at)
        && e <= s
    {
        errors.insert("ends_at".to_owned(), FieldError::EndBeforeStart);
    }
    if let (Some(o), Some(c)) = (opens_at, closes_at)
        && c <= o
    {
        errors.insert(
            "registration_closes_at".to_owned(),
            FieldError::ClosesBeforeOpens,
        );
    }
    if let Some(s) = starts_at {
        if closes_at.is_some_and(|c| c > s) {
            errors.insert(
                "registration_closes_at".to_owned(),
                FieldError::ClosesAfterStart,
            );
        }
        if opens_at.is_some_and(|o| o >= s) {
            errors.insert(
                "registration_opens_at".to_owned(),
                FieldError::OpensAfterStart,
            );
        }
    }
    match (starts_at, ends_at, errors.is_empty()) {
        (Some(starts_at), Some(ends_at), true) => Ok(ResolvedEvent {
            interpretation: form.interpretation_codes(),
            form,
            starts_at,
            ends_at,
            opens_at,
            closes_at,
        }),
        _ => Err(errors),
    }
}

impl ResolvedEvent {
    fn values(&self) -> event_rows::EventValues<'_> {
        let f = &self.form;
        event_rows::EventValues {
            slug: f.slug.as_str(),
            kind: f.kind.code(),
            format: f.format.code(),
            visibility: f.visibility.code(),
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

// ---------------------------------------------------------------------------
// Changes: one transaction each, audited, announced after the commit.

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

/// Makes one change, in one write transaction, with its audit rows. Returns
/// the slug of the event changed (it may have a new one).
pub async fn apply(state: &AppState, admin: i64, change: Change) -> Result<String, Refusal> {
    let now = state.clock.now().as_second();
    let mut tx = db::begin_write(&state.pool).await?;
    let mut log = Vec::<(&'static str, &'static str, i64)>::new();
    let slug = match change {
        Change::CreateEvent { event, publish } => {
            let event = *event;
            check_slug(&mut tx, event.form.slug.as_str(), None).await?;
            let status = if publish {
                EventStatus::Published
            } else {
                EventStatus::Draft
            };
            let id =
                event_rows::insert_edited(&mut *tx, &event.values(), status.code(), now).await?;
            log.push(("event_created", "event", id));
            if publish {
                log.push(("event_published", "event", id));
            }
            event.form.slug.as_str().to_owned()
        }
        Change::UpdateEvent {
            slug,
            event,
            publish,
        } => {
            let event = *event;
            let row = event_rows::editor_by_slug(&mut *tx, &slug)
                .await?
                .ok_or(Refusal::NotFound)?;
            check_slug(&mut tx, event.form.slug.as_str(), Some(row.id)).await?;
            check_event_against_data(&mut tx, row.id, &event).await?;
            event_rows::update(&mut *tx, row.id, &event.values(), now).await?;
            log.push(("event_updated", "event", row.id));
            if publish && row.status == EventStatus::Draft.code() {
                event_rows::set_status(&mut *tx, row.id, EventStatus::Published.code(), now)
                    .await?;
                log.push(("event_published", "event", row.id));
            }
            event.form.slug.as_str().to_owned()
        }
        Change::CancelEvent { slug } => {
            let row = event_rows::editor_by_slug(&mut *tx, &slug)
                .await?
                .ok_or(Refusal::NotFound)?;
            if row.status != EventStatus::Cancelled.code() {
                event_rows::set_status(&mut *tx, row.id, EventStatus::Cancelled.code(), now)
                    .await?;
                log.push(("event_cancelled", "event", row.id));
            }
            slug
        }
        Change::AddSession { slug, form } => {
            let row = event_rows::editor_by_slug(&mut *tx, &slug)
                .await?
                .ok_or(Refusal::NotFound)?;
            let (starts_at, ends_at) = session_times(&row, &form)?;
            let values = session_values(&form, starts_at, ends_at);
            let id = session_rows::insert_edited(&mut *tx, row.id, &values).await?;
            log.push(("session_added", "session", id));
            slug
        }
        Change::UpdateSession { slug, id, form } => {
            let row = event_rows::editor_by_slug(&mut *tx, &slug)
                .await?
                .ok_or(Refusal::NotFound)?;
            session_rows::editor_by_id(&mut *tx, row.id, id)
                .await?
                .ok_or(Refusal::NotFound)?;
            let (starts_at, ends_at) = session_times(&row, &form)?;
            let values = session_values(&form, starts_at, ends_at);
            session_rows::update(&mut *tx, id, &values).await?;
            log.push(("session_updated", "session", id));
            slug
        }
        Change::CancelSession { slug, id } => {
            let row = event_rows::editor_by_slug(&mut *tx, &slug)
                .await?
                .ok_or(Refusal::NotFound)?;
            let session = session_rows::editor_by_id(&mut *tx, row.id, id)
                .await?
                .ok_or(Refusal::NotFound)?;
            if !session.cancelled {
                session_rows::cancel(&mut *tx, id).await?;
                log.push(("session_cancelled", "session", id));
            }
            slug
        }
    };
    for (action, subject_type, subject_id) in &log {
        let entry = audit::Entry {
            actor: audit::Actor::Staff(admin),
            action,
            subject_type,
            subject_id: *subject_id,
            reason: None,
        };
        audit::record(&mut *tx, &state.key, &entry, now).await?;
    }
    tx.commit().await?;
    for (action, subject_type, subject_id) in &log {
        tracing::info!(
            by_user_id = admin,
            action,
            subject_type,
            subject_id,
            "editor change"
        );
    }
    // Open pages of the event say it changed, and their seats, window and
    // sessions are brought up to date.
    if let Some(event) = event_rows::editor_by_slug(&state.pool, &slug).await? {
        state.live.event_edited(event.id);
    }
    Ok(slug)
}

async fn check_slug(
    tx: &mut sqlx::SqliteConnection,
    slug: &str,
    except: Option<i64>,
) -> Result<(), Refusal> {
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
    tx: &mut sqlx::SqliteConnection,
    event_id: i64,
    event: &ResolvedEvent,
) -> Result<(), Refusal> {
    let mut errors = FieldErrors::new();
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
        let taken = registrations::count_approved(&mut *tx, event_id, mode.code()).await?;
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
fn session_times(
    event: &event_rows::EditorEventRow,
    form: &SessionForm,
) -> Result<(i64, i64), Refusal> {
    let tz = format::time_zone(&event.time_zone);
    let mut errors = FieldErrors::new();
    let starts_at = instant(&tz, form.starts)
        .map_err(|e| errors.insert("starts_at".to_owned(), e))
        .ok();
    let ends_at = instant(&tz, form.ends)
        .map_err(|e| errors.insert("ends_at".to_owned(), e))
        .ok();
    if let (Some(s), Some(e)) = (starts_at, ends_at) {
        if e <= s {
            errors.insert("ends_at".to_owned(), FieldError::EndBeforeStart);
        }
        if s < event.starts_at || s >= event.ends_at {
            errors.insert("starts_at".to_owned(), FieldError::OutsideEvent);
        }
        if e > event.ends_at {
            errors.insert("ends_at".to_owned(), FieldError::OutsideEvent);
        }
    }
    match (starts_at, ends_at, errors.is_empty()) {
        (Some(s), Some(e), true) => Ok((s, e)),
        _ => Err(Refusal::Fields(errors)),
    }
}

fn session_values(
    form: &SessionForm,
    starts_at: i64,
    ends_at: i64,
) -> session_rows::SessionValues<'_> {
    session_rows::SessionValues {
        title_en: &form.title_en,
        title_ar: &form.title_ar,
        starts_at,
        ends_at,
        room: form.room.as_deref(),
        meeting_url: form.meeting_url.as_ref().map(|u| u.as_str()),
        join_opens_minutes_before: i64::from(form.join_minutes_before),
    }
}

// ---------------------------------------------------------------------------
// Forms (plain HTML posts; admins only: a moderator gets 403).

fn action(form: &PostedForm) -> &str {
    form.fields.get("action").map_or("", String::as_str)
}

fn parse_event(form: &PostedForm) -> Result<Box<ResolvedEvent>, Refusal> {
    let parsed = EventForm::parse(&form.fields).map_err(Refusal::Fields)?;
    let resolved = resolve_event(parsed).map_err(Refusal::Fields)?;
    Ok(Box::new(resolved))
}

fn edit_page(lang: Lang, slug: &str) -> String {
    format!("/{}/staff/events/{slug}/edit", lang.code())
}

/// `POST /{lang}/staff/events/new`: `action` = `draft` or `publish`.
pub async fn create_post(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    RequireAdmin(admin): RequireAdmin,
    form: PostedForm,
) -> Response {
    let Some(lang) = Lang::parse(&lang) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let publish = match action(&form) {
        "publish" => true,
        "draft" => false,
        _ => return refused(&state, &form, Refusal::Form(FormError::BadRequest)).await,
    };
    let result = match parse_event(&form) {
        Ok(event) => apply(&state, admin.id, Change::CreateEvent { event, publish }).await,
        Err(refusal) => Err(refusal),
    };
    match result {
        Ok(slug) => see_other(&format!("{}?done=saved", edit_page(lang, &slug))),
        Err(refusal) => refused(&state, &form, refusal).await,
    }
}

/// `POST /{lang}/staff/events/{slug}/edit`: `action` = `save`, `publish`,
/// or `cancel` (with `confirm=yes`).
pub async fn edit_post(
    State(state): State<AppState>,
    Path((lang, slug)): Path<(String, String)>,
    RequireAdmin(admin): RequireAdmin,
    form: PostedForm,
) -> Response {
    let Some(lang) = Lang::parse(&lang) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let change = match action(&form) {
        "cancel" if form.fields.get("confirm").is_some_and(|v| v == "yes") => {
            Ok(Change::CancelEvent { slug: slug.clone() })
        }
        "cancel" => Err(Refusal::Fields(FieldErrors::from([(
            "confirm".to_owned(),
            FieldError::Consent,
        )]))),
        action @ ("save" | "publish") => parse_event(&form).map(|event| Change::UpdateEvent {
            slug: slug.clone(),
            event,
            publish: action == "publish",
        }),
        _ => Err(Refusal::Form(FormError::BadRequest)),
    };
    let done = if action(&form) == "cancel" {
        "cancelled"
    } else {
        "saved"
    };
    let result = match change {
        Ok(change) => apply(&state, admin.id, change).await,
        Err(refusal) => Err(refusal),
    };
    match result {
        Ok(slug) => see_other(&format!("{}?done={done}", edit_page(lang, &slug))),
        Err(refusal) => refused(&state, &form, refusal).await,
    }
}

async fn event_format(state: &AppState, slug: &str) -> Result<EventFormat, Refusal> {
    let row = event_rows::editor_by_slug(&state.pool, slug)
        .await?
        .ok_or(Refusal::NotFound)?;
    EventFormat::parse(&row.format).ok_or(Refusal::Internal)
}

/// `POST /{lang}/staff/events/{slug}/sessions/new`.
pub async fn session_new_post(
    State(state): State<AppState>,
    Path((lang, slug)): Path<(String, String)>,
    RequireAdmin(admin): RequireAdmin,
    form: PostedForm,
) -> Response {
    let Some(lang) = Lang::parse(&lang) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let result = match event_format(&state, &slug).await {
        Ok(format) => match SessionForm::parse(&form.fields, format) {
            Ok(session) => {
                let change = Change::AddSession {
                    slug: slug.clone(),
                    form: session,
                };
                apply(&state, admin.id, change).await
            }
            Err(errors) => Err(Refusal::Fields(errors)),
        },
        Err(refusal) => Err(refusal),
    };
    match result {
        Ok(slug) => see_other(&format!(
            "{}?done=session_saved#agenda",
            edit_page(lang, &slug)
        )),
        Err(refusal) => refused(&state, &form, refusal).await,
    }
}

/// `POST /{lang}/staff/events/{slug}/sessions/{id}`: `action` = `save`, or
/// `cancel` (with `confirm=yes`).
pub async fn session_post(
    State(state): State<AppState>,
    Path((lang, slug, id)): Path<(String, String, String)>,
    RequireAdmin(admin): RequireAdmin,
    form: PostedForm,
) -> Response {
    let Some(lang) = Lang::parse(&lang) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Ok(id) = id.parse::<i64>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let change = match action(&form) {
        "cancel" if form.fields.get("confirm").is_some_and(|v| v == "yes") => {
            Ok(Change::CancelSession {
                slug: slug.clone(),
                id,
            })
        }
        "cancel" => Err(Refusal::Fields(FieldErrors::from([(
            "confirm".to_owned(),
            FieldError::Consent,
        )]))),
        "save" => match event_format(&state, &slug).await {
            Ok(format) => SessionForm::parse(&form.fields, format)
                .map(|session| Change::UpdateSession {
                    slug: slug.clone(),
                    id,
                    form: session,
                })
                .map_err(Refusal::Fields),
            Err(refusal) => Err(refusal),
        },
        _ => Err(Refusal::Form(FormError::BadRequest)),
    };
    let result = match change {
        Ok(change) => apply(&state, admin.id, change).await,
        Err(refusal) => Err(refusal),
    };
    match result {
        Ok(slug) => see_other(&format!(
            "{}?done=session_saved#agenda",
            edit_page(lang, &slug)
        )),
        Err(refusal) => refused(&state, &form, refusal).await,
    }
}

// ---------------------------------------------------------------------------
// Page data (server functions; admins only).

fn dates(lang: Lang, tz_name: &str, starts_at: i64, ends_at: i64) -> String {
    let tz = format::time_zone(tz_name);
    format::date_range(
        lang,
        &format::zoned(starts_at, &tz),
        &format::zoned(ends_at, &tz),
    )
}

pub async fn events(lang: Lang) -> Result<EditorEvents, AppError> {
    let viewer = require_staff(Role::Admin).await?;
    let state = AppState::current()?;
    let now = state.clock.now().as_second();
    let items = event_rows::list_for_editor(&state.pool, now)
        .await?
        .into_iter()
        .filter_map(|e| {
            Some(EditorEventItem {
                title: lang.pick(&e.title_en, &e.title_ar).to_owned(),
                status: EventStatus::parse(&e.status)?,
                format: EventFormat::parse(&e.format)?,
                visibility: Visibility::parse(&e.visibility)?,
                dates: dates(lang, &e.time_zone, e.starts_at, e.ends_at),
                ended: e.ends_at < now,
                slug: e.slug,
            })
        })
        .collect();
    Ok(EditorEvents { viewer, items })
}

fn put(values: &mut BTreeMap<String, String>, name: &str, value: impl Into<String>) {
    values.insert(name.to_owned(), value.into());
}

pub async fn event(lang: Lang, slug: Option<String>) -> Result<EditorEvent, AppError> {
    let viewer = require_staff(Role::Admin).await?;
    let state = AppState::current()?;
    let mut values = BTreeMap::new();
    let Some(slug) = slug else {
        put(&mut values, "format", EventFormat::Hybrid.code());
        put(&mut values, "visibility", Visibility::Public.code());
        put(&mut values, "time_zone", "Europe/Zurich");
        put(&mut values, "seats_in_person", "0");
        put(&mut values, "seats_online", "0");
        put(&mut values, "waitlist", "on");
        put(&mut values, "requires_approval", "on");
        return Ok(EditorEvent {
            viewer,
            slug: None,
            status: None,
            title: String::new(),
            values,
            sessions: Vec::new(),
        });
    };
    EventSlug::parse(&slug).ok_or(AppError::NotFound)?;
    let e = event_rows::editor_by_slug(&state.pool, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let tz = format::time_zone(&e.time_zone);
    for (name, value) in [
        ("slug", e.slug.clone()),
        ("kind", e.kind.clone()),
        ("format", e.format.clone()),
        ("visibility", e.visibility.clone()),
        ("title_en", e.title_en.clone()),
        ("title_ar", e.title_ar.clone()),
        ("summary_en", e.summary_en.clone()),
        ("summary_ar", e.summary_ar.clone()),
        ("description_en", e.description_en.clone()),
        ("description_ar", e.description_ar.clone()),
        ("city_en", e.city_en.clone().unwrap_or_default()),
        ("city_ar", e.city_ar.clone().unwrap_or_default()),
        ("country_en", e.country_en.clone().unwrap_or_default()),
        ("country_ar", e.country_ar.clone().unwrap_or_default()),
        ("venue", e.venue.clone().unwrap_or_default()),
        ("time_zone", e.time_zone.clone()),
        ("starts_at", local_input(e.starts_at, &tz)),
        ("ends_at", local_input(e.ends_at, &tz)),
        (
            "registration_opens_at",
            e.registration_opens_at
                .map(|t| local_input(t, &tz))
                .unwrap_or_default(),
        ),
        (
            "registration_closes_at",
            e.registration_closes_at
                .map(|t| local_input(t, &tz))
                .unwrap_or_default(),
        ),
        ("seats_in_person", e.seats_in_person.to_string()),
        ("seats_online", e.seats_online.to_string()),
        ("interpretation", e.interpretation.clone()),
        (
            "invitation_code",
            e.invitation_code.clone().unwrap_or_default(),
        ),
    ] {
        put(&mut values, name, value);
    }
    if e.waitlist {
        put(&mut values, "waitlist", "on");
    }
    if e.requires_approval {
        put(&mut values, "requires_approval", "on");
    }
    let sessions = session_rows::for_editor(&state.pool, e.id)
        .await?
        .into_iter()
        .map(|s| {
            let start = format::zoned(s.starts_at, &tz);
            let end = format::zoned(s.ends_at, &tz);
            EditorSessionItem {
                id: s.id,
                title: lang.pick(&s.title_en, &s.title_ar).to_owned(),
                when: format::day_and_times(lang, &start, &end),
                room: s.room,
                online: s.meeting_url.is_some(),
                cancelled: s.cancelled,
            }
        })
        .collect();
    Ok(EditorEvent {
        viewer,
        status: EventStatus::parse(&e.status),
        title: lang.pick(&e.title_en, &e.title_ar).to_owned(),
        slug: Some(e.slug),
        values,
        sessions,
    })
}

pub async fn session(lang: Lang, slug: String, id: Option<i64>) -> Result<EditorSession, AppError> {
    let viewer = require_staff(Role::Admin).await?;
    let state = AppState::current()?;
    EventSlug::parse(&slug).ok_or(AppError::NotFound)?;
    let e = event_rows::editor_by_slug(&state.pool, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let tz = format::time_zone(&e.time_zone);
    let mut values = BTreeMap::new();
    let mut cancelled = false;
    match id {
        Some(id) => {
            let s = session_rows::editor_by_id(&state.pool, e.id, id)
                .await?
                .ok_or(AppError::NotFound)?;
            cancelled = s.cancelled;
            put(&mut values, "title_en", s.title_en);
            put(&mut values, "title_ar", s.title_ar);
            put(&mut values, "starts_at", local_input(s.starts_at, &tz));
            put(&mut values, "ends_at", local_input(s.ends_at, &tz));
            put(&mut values, "room", s.room.unwrap_or_default());
            put(
                &mut values,
                "meeting_url",
                s.meeting_url.unwrap_or_default(),
            );
            put(
                &mut values,
                "join_minutes_before",
                s.join_opens_minutes_before.to_string(),
            );
        }
        None => {
            put(&mut values, "starts_at", local_input(e.starts_at, &tz));
            put(&mut values, "ends_at", local_input(e.starts_at + 3600, &tz));
            put(
                &mut values,
                "join_minutes_before",
                limits::JOIN_MINUTES_DEFAULT.to_string(),
            );
        }
    }
    Ok(EditorSession {
        viewer,
        event_dates: dates(lang, &e.time_zone, e.starts_at, e.ends_at),
        event_title: lang.pick(&e.title_en, &e.title_ar).to_owned(),
        event_slug: e.slug,
        format: EventFormat::parse(&e.format).ok_or(AppError::Internal)?,
        time_zone: e.time_zone,
        id,
        cancelled,
        values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    #[test]
    fn local_times_resolve_in_their_zone() {
        let zurich = zone("Europe/Zurich").expect("known");
        let t = |s: &str| LocalDateTime::parse(s).expect("valid");
        let winter = instant(&zurich, t("2027-01-10T09:00")).expect("exists");
        assert_eq!(
            Timestamp::from_second(winter)
                .map(|t| t.to_string())
                .ok()
                .as_deref(),
            Some("2027-01-10T08:00:00Z")
        );
        // 02:30 on the last Sunday of March does not exist in Zurich.
        assert_eq!(
            instant(&zurich, t("2027-03-28T02:30")),
            Err(FieldError::NoSuchTime)
        );
        // 02:30 on the last Sunday of October happens twice: the first one.
        let fold = instant(&zurich, t("2027-10-31T02:30")).expect("exists");
        assert_eq!(
            Timestamp::from_second(fold)
                .map(|t| t.to_string())
                .ok()
                .as_deref(),
            Some("2027-10-31T00:30:00Z")
        );
        assert_eq!(local_input(winter, &zurich), "2027-01-10T09:00:00");
        assert_eq!(zone("Mars/Olympus").err(), Some(FieldError::TimeZone));
    }
}
