//! Registration data shaped for the public pages and the private page.

use crate::domain::form::FormError;
use crate::domain::{
    AttendanceMode, EventSlug, EventStatus, JoinWindow, Lang, RegistrationState, SessionTimes,
};
use crate::dto::registrations::{
    Availability, JoinSession, ModeSeats, PrivateView, ReaderView, RegisterPage, RegistrationInfo,
};
use crate::error::AppError;
use crate::server::db::Db;
use crate::server::db::events::SeatsRow;
use crate::server::db::{self, registrations as rows};
use crate::server::registrations::{Terms, seats, window_error};
use crate::server::token::Token;
use crate::server::{AppState, format, page_cache};

/// How the event takes registrations right now, for the reader.
pub async fn info(
    pool: &Db,
    lang: Lang,
    event: &SeatsRow,
    now: i64,
) -> Result<RegistrationInfo, AppError> {
    let tz = format::time_zone(&event.time_zone);
    let availability = match window_error(event, now) {
        None => Availability::Open {
            until: format::moment(
                lang,
                &format::zoned(event.registration_closes_at.unwrap_or(event.starts_at), &tz),
            ),
        },
        Some(FormError::RegistrationNotOpen) => Availability::NotYet {
            opens: format::moment(
                lang,
                &format::zoned(event.registration_opens_at.unwrap_or(now), &tz),
            ),
        },
        Some(_) => Availability::Closed,
    };
    let terms = Terms::of(event);
    let mut modes = Vec::new();
    for &mode in AttendanceMode::offered_by(terms.format) {
        let left = if terms.closed {
            None
        } else {
            let taken = rows::count_approved(pool, event.id, mode).await?;
            Some((seats(event, mode) - taken).max(0))
        };
        modes.push(ModeSeats { mode, left });
    }
    Ok(RegistrationInfo {
        availability,
        seats: modes,
        waitlist: event.waitlist,
        requires_approval: event.requires_approval,
        invitation_only: terms.closed,
    })
}

fn dates(lang: Lang, event: &SeatsRow) -> String {
    let tz = format::time_zone(&event.time_zone);
    format::date_range(
        lang,
        &format::zoned(event.starts_at, &tz),
        &format::zoned(event.ends_at, &tz),
    )
}

pub async fn register_page(
    state: &AppState,
    lang: Lang,
    slug: &str,
) -> Result<RegisterPage, AppError> {
    let slug = EventSlug::parse(slug).ok_or(AppError::NotFound)?;
    let event = db::events::seats_by_slug(&state.db, slug.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    let now = state.clock.now().as_second();
    let info = info(&state.db, lang, &event, now).await?;
    crate::server::page_cache::shows_event(&state.db, event.id, now).await?;
    let terms = Terms::of(&event);
    Ok(RegisterPage {
        slug: event.slug.clone(),
        title: lang.pick(&event.title_en, &event.title_ar).to_owned(),
        dates: dates(lang, &event),
        info,
        languages: terms.languages,
        retention_days: state.config.retention_days,
        topics: db::hearing::topics(&state.db, event.id)
            .await?
            .into_iter()
            .map(|t| (t.id, lang.pick(&t.title_en, &t.title_ar).to_owned()))
            .collect(),
    })
}

/// The registration this reader's browser remembers for event `slug`, if
/// any: then the page is theirs alone (never kept, never shared).
pub async fn reader(
    state: &AppState,
    lang: Lang,
    slug: &str,
    device: Option<Token>,
) -> Result<Option<ReaderView>, AppError> {
    let (Some(device), Some(slug)) = (device, EventSlug::parse(slug)) else {
        return Ok(None);
    };
    let Some(event) = db::events::seats_by_slug(&state.db, slug.as_str()).await? else {
        return Ok(None);
    };
    let now = state.clock.now().as_second();
    let Some(r) =
        rows::devices::registration_on(&state.db, &state.key, &device.hash(), event.id, now)
            .await?
    else {
        return Ok(None);
    };
    page_cache::personal();
    let event_cancelled = event.status == EventStatus::Cancelled;
    let sessions = if !event_cancelled && r.mode == AttendanceMode::Online && r.state.is_live() {
        join_sessions(&state.db, lang, &event, now).await?
    } else {
        Vec::new()
    };
    Ok(Some(ReaderView {
        state: r.state,
        mode: r.mode,
        can_join: !event_cancelled && r.state.may_join(r.mode),
        sessions,
    }))
}

pub async fn private(state: &AppState, lang: Lang, token: &str) -> Result<PrivateView, AppError> {
    let found = crate::server::registrations::open(state, token).await?;
    let device = super::device::of_request();
    let remembered_here =
        super::device::remembers(state, found.registration.id, device.as_ref()).await?;
    let remembered_on = rows::devices::count_for(&state.db, found.registration.id).await?;
    let (r, event) = (found.registration, found.event);
    let registration_state = r.state;
    let mode = r.mode;
    let just_confirmed = r.email_confirmed_at.is_none();
    // A cancelled event releases nothing (rule 2): no venue, no sessions.
    let event_cancelled = event.status == EventStatus::Cancelled;
    let venue = (!event_cancelled
        && registration_state == RegistrationState::Approved
        && mode == AttendanceMode::InPerson)
        .then(|| event.venue.clone())
        .flatten();
    let now = state.clock.now().as_second();
    let sessions =
        if !event_cancelled && mode == AttendanceMode::Online && registration_state.is_live() {
            join_sessions(&state.db, lang, &event, now).await?
        } else {
            Vec::new()
        };
    let checkin = (now <= event.ends_at)
        .then(|| {
            let title = crate::i18n::td_string!(lang.locale(), checkin.qr_title);
            crate::server::checkin::pass(&state.key, r.id, registration_state, mode, &event, title)
        })
        .flatten();
    Ok(PrivateView {
        checkin,
        reminders: db::reminders::wants_reminders(&state.db, r.id).await?,
        event_slug: event.slug.clone(),
        event_title: lang.pick(&event.title_en, &event.title_ar).to_owned(),
        dates: dates(lang, &event),
        state: registration_state,
        reason: r.reason,
        mode,
        venue,
        name: r.name,
        organisation: r.organisation,
        role: r.role,
        interpretation: r.interpretation,
        accessibility: r.accessibility,
        languages: Terms::of(&event).languages,
        just_confirmed,
        event_cancelled,
        can_join: !event_cancelled && registration_state.may_join(mode),
        sessions,
        remembered_here,
        remembered_on,
    })
}

/// The event's online sessions, with their join windows as of `now`.
async fn join_sessions(
    pool: &Db,
    lang: Lang,
    event: &SeatsRow,
    now: i64,
) -> Result<Vec<JoinSession>, AppError> {
    let tz = format::time_zone(&event.time_zone);
    let rows = db::sessions::public_agenda(pool, event.id).await?;
    Ok(rows
        .into_iter()
        .filter(|s| s.online)
        .map(|s| {
            let times = SessionTimes {
                starts_at: s.starts_at,
                ends_at: s.ends_at,
                join_opens_minutes_before: s.join_opens_minutes_before,
            };
            let (start, end) = (
                format::zoned(s.starts_at, &tz),
                format::zoned(s.ends_at, &tz),
            );
            let opens = format::zoned(times.join_opens_at(), &tz);
            JoinSession {
                id: s.id,
                title: lang.pick(&s.title_en, &s.title_ar).to_owned(),
                when: format::day_and_times(lang, &start, &end),
                live: times.is_live(now),
                join_open: times.join_window(now) == JoinWindow::Open,
                opens_ms: times.join_opens_at().saturating_mul(1000),
                ends_ms: s.ends_at.saturating_mul(1000),
                opens: format!(
                    "{} ({})",
                    format::moment(lang, &opens),
                    format::time_zone_label(&event.time_zone, &opens)
                ),
                opens_offset: opens.offset().seconds() / 60,
                interpretation: crate::domain::material::parse_channels(&s.interpretation)
                    .unwrap_or_default(),
            }
        })
        .collect())
}
