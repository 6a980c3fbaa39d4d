//! The data behind the staff pages: the dashboard, the moderation queue,
//! organisations and the audit log (moderators and admins).

use super::QUEUE_LIMIT;
use crate::domain::organisation::email_at;
use crate::domain::{Area, AttendanceMode, Lang, RegistrationState, Staff};
use crate::dto::staff::{
    Affiliation, AuditEntries, AuditItem, Dashboard, DayPoint, EventChoice, EventLoad, ModeLoad,
    OrganisationItem, Organisations, Queue, QueueFilter, QueueItem,
};
use crate::error::AppError;
use crate::server::db::{
    self, audit as audit_rows, organisations as org_rows, registrations as rows,
};
use crate::server::{AppState, format};

fn when(lang: Lang, unix: i64) -> String {
    format::staff_moment(lang, unix)
}

pub async fn dashboard(state: &AppState, staff: Staff, lang: Lang) -> Result<Dashboard, AppError> {
    let now = state.clock.now().as_second();
    let counts = rows::counts(&state.db).await?;
    let signups = rows::signups_per_day(&state.db, now).await?;
    let mut events = Vec::new();
    for e in db::events::for_staff(&state.db, now).await? {
        let count = |state: RegistrationState, mode: AttendanceMode| {
            counts
                .iter()
                .filter(|c| c.event_id == e.id && c.state == state && c.mode == mode)
                .map(|c| c.n)
                .sum::<i64>()
        };
        let format = e.format;
        let modes: Vec<ModeLoad> = AttendanceMode::offered_by(format)
            .iter()
            .map(|&mode| ModeLoad {
                mode,
                capacity: match mode {
                    AttendanceMode::InPerson => e.seats_in_person,
                    AttendanceMode::Online => e.seats_online,
                },
                approved: count(RegistrationState::Approved, mode),
                waitlisted: count(RegistrationState::Waitlisted, mode),
                pending: count(RegistrationState::Pending, mode),
            })
            .collect();
        let signups = signups
            .iter()
            .filter(|d| d.event_id == e.id)
            .map(|d| DayPoint {
                label: day_label(lang, d.day),
                count: d.n,
            })
            .collect();
        let tz = jiff::tz::TimeZone::UTC;
        events.push(EventLoad {
            slug: e.slug,
            title: lang.pick(&e.title_en, &e.title_ar).to_owned(),
            dates: format::date_range(
                lang,
                &format::zoned(e.starts_at, &tz),
                &format::zoned(e.ends_at, &tz),
            ),
            pending: modes.iter().map(|m| m.pending).sum(),
            modes,
            signups,
        });
    }
    let organisations_pending = org_rows::count_pending(&state.db).await?;
    Ok(Dashboard {
        viewer: staff,
        events,
        organisations_pending,
    })
}

/// "29 Nov" for a day number since the epoch.
pub fn day_label(lang: Lang, day: i64) -> String {
    let date = format::zoned(day.saturating_mul(86_400), &jiff::tz::TimeZone::UTC).date();
    format::date(lang, date)
}

pub async fn queue(
    state: &AppState,
    staff: Staff,
    lang: Lang,
    filter: QueueFilter,
) -> Result<Queue, AppError> {
    let now = state.clock.now().as_second();
    let events: Vec<EventChoice> = db::events::for_staff(&state.db, now - 365 * 86_400)
        .await?
        .into_iter()
        .map(|e| EventChoice {
            title: lang.pick(&e.title_en, &e.title_ar).to_owned(),
            slug: e.slug,
        })
        .collect();
    let items = rows::queue(
        &state.db,
        &state.key,
        &rows::QueueFilter {
            event_slug: filter.event.as_deref(),
            mode: filter.mode,
            state: filter.state,
            confirmed: filter.confirmed,
        },
        QUEUE_LIMIT,
    )
    .await?
    .into_iter()
    .map(|r| QueueItem {
        id: r.id,
        event_title: lang.pick(&r.event_title_en, &r.event_title_ar).to_owned(),
        name: r.name,
        affiliation: match r.claimed {
            None => Affiliation::Unknown,
            Some((_, domains)) if r.email_confirmed && email_at(&r.email, &domains) => {
                Affiliation::Verified
            }
            Some((name, _)) => Affiliation::Claims(name),
        },
        organisation: r.organisation,
        role: r.role,
        email: r.email,
        mode: r.mode,
        interpretation: r.interpretation,
        accessibility: r.accessibility,
        state: r.state,
        reason: r.reason,
        email_confirmed: r.email_confirmed,
        registered: when(lang, r.created_at),
    })
    .collect();
    Ok(Queue {
        viewer: staff,
        filter,
        events,
        items,
    })
}

pub async fn organisations(
    state: &AppState,
    staff: Staff,
    lang: Lang,
) -> Result<Organisations, AppError> {
    let items = org_rows::list(&state.db, &state.key, None, 500)
        .await?
        .into_iter()
        .map(|o| OrganisationItem {
            id: o.id,
            name: o.name,
            country: o.country,
            areas: o.areas.split(',').filter_map(Area::parse).collect(),
            description: o.description,
            contact_email: o.contact_email,
            website: o.website,
            mailing_list: o.mailing_list,
            state: o.state,
            sent: when(lang, o.created_at),
            email_domains: o.email_domains,
        })
        .collect();
    Ok(Organisations {
        viewer: staff,
        items,
    })
}

pub async fn audit(state: &AppState, staff: Staff, lang: Lang) -> Result<AuditEntries, AppError> {
    let items = audit_rows::latest(&state.db, &state.key, 300)
        .await?
        .into_iter()
        .map(|a| AuditItem {
            at: when(lang, a.at),
            actor_name: a.actor_name,
            actor: a.actor,
            action: a.action,
            subject_type: a.subject_type,
            subject_id: a.subject_id,
            reason: a.reason,
        })
        .collect();
    Ok(AuditEntries {
        viewer: staff,
        items,
    })
}
