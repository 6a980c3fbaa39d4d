//! The staff desk: the dashboard, the moderation queue and its decisions,
//! organisation vetting, the audit log, and the admins' CSV export. Every
//! entry point checks the role first (rule 6); every decision is audited.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::auth::require_staff;
use super::db::{self, audit as audit_rows, organisations as org_rows, registrations as rows};
use super::forms::{PostedForm, no_store, render_again, see_other};
use super::registrations::{self, Outcome};
use super::{AppState, format};
use crate::api::staff::{
    AuditEntries, AuditItem, Dashboard, DayPoint, EventChoice, EventLoad, ModeLoad,
    OrganisationItem, Organisations, Queue, QueueFilter, QueueItem,
};
use crate::components::registration::{language_label, mode_label};
use crate::domain::FieldError;
use crate::domain::form::{FormError, optional_text};
use crate::domain::registration::limits;
use crate::domain::{
    Area, AttendanceMode, Decision, EventFormat, InterpretationLanguage, Lang, OrganisationState,
    RegistrationState, Role,
};
use crate::error::AppError;
use crate::i18n::*;

const QUEUE_LIMIT: i64 = 500;

/// "29 Nov 2026, 14:05" in UTC: staff see one clock.
fn when(lang: Lang, unix: i64) -> String {
    format::moment(lang, &format::zoned(unix, &jiff::tz::TimeZone::UTC))
}

pub async fn dashboard(lang: Lang) -> Result<Dashboard, AppError> {
    let staff = require_staff(Role::Moderator).await?;
    let state = AppState::current()?;
    let now = state.clock.now().as_second();
    let counts = rows::counts(&state.pool).await?;
    let signups = rows::signups_per_day(&state.pool, now).await?;
    let mut events = Vec::new();
    for e in db::events::for_staff(&state.pool, now).await? {
        let count = |state: RegistrationState, mode: AttendanceMode| {
            counts
                .iter()
                .filter(|c| c.event_id == e.id && c.state == state.code() && c.mode == mode.code())
                .map(|c| c.n)
                .sum::<i64>()
        };
        let format = EventFormat::parse(&e.format).unwrap_or(EventFormat::InPerson);
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
    let organisations_pending = org_rows::count_pending(&state.pool).await?;
    Ok(Dashboard {
        viewer: staff,
        events,
        organisations_pending,
    })
}

/// "29 Nov" for a day number since the epoch.
fn day_label(lang: Lang, day: i64) -> String {
    let date = format::zoned(day.saturating_mul(86_400), &jiff::tz::TimeZone::UTC).date();
    format::date(lang, date)
}

pub async fn queue(lang: Lang, filter: QueueFilter) -> Result<Queue, AppError> {
    let staff = require_staff(Role::Moderator).await?;
    let state = AppState::current()?;
    let now = state.clock.now().as_second();
    let events: Vec<EventChoice> = db::events::for_staff(&state.pool, now - 365 * 86_400)
        .await?
        .into_iter()
        .map(|e| EventChoice {
            title: lang.pick(&e.title_en, &e.title_ar).to_owned(),
            slug: e.slug,
        })
        .collect();
    let items = rows::queue(
        &state.pool,
        &state.key,
        &rows::QueueFilter {
            event_slug: filter.event.as_deref(),
            mode: filter.mode.map(AttendanceMode::code),
            state: filter.state.map(RegistrationState::code),
            confirmed: filter.confirmed,
        },
        QUEUE_LIMIT,
    )
    .await?
    .into_iter()
    .filter_map(|r| {
        Some(QueueItem {
            id: r.id,
            event_title: lang.pick(&r.event_title_en, &r.event_title_ar).to_owned(),
            name: r.name,
            organisation: r.organisation,
            organisation_verified: r.organisation_verified,
            role: r.role,
            email: r.email,
            mode: AttendanceMode::parse(&r.mode)?,
            interpretation: r.interpretation,
            accessibility: r.accessibility,
            state: RegistrationState::parse(&r.state)?,
            reason: r.reason,
            email_confirmed: r.email_confirmed,
            registered: when(lang, r.created_at),
        })
    })
    .collect();
    Ok(Queue {
        viewer: staff,
        filter,
        events,
        items,
    })
}

pub async fn organisations(lang: Lang) -> Result<Organisations, AppError> {
    let staff = require_staff(Role::Moderator).await?;
    let state = AppState::current()?;
    let items = org_rows::list(&state.pool, &state.key, None, 500)
        .await?
        .into_iter()
        .filter_map(|o| {
            Some(OrganisationItem {
                id: o.id,
                name: o.name,
                country: o.country,
                areas: o.areas.split(',').filter_map(Area::parse).collect(),
                description: o.description,
                contact_email: o.contact_email,
                website: o.website,
                mailing_list: o.mailing_list,
                state: OrganisationState::parse(&o.state)?,
                sent: when(lang, o.created_at),
            })
        })
        .collect();
    Ok(Organisations {
        viewer: staff,
        items,
    })
}

pub async fn audit(lang: Lang) -> Result<AuditEntries, AppError> {
    let staff = require_staff(Role::Moderator).await?;
    let state = AppState::current()?;
    let items = audit_rows::latest(&state.pool, &state.key, 300)
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

/// The decision a posted queue form asks for: a row's own button
/// (`one` = `approve:12`) or a bulk button (`decision`) with ticked `ids`.
fn requested(
    fields: &BTreeMap<String, String>,
) -> Result<(Decision, Vec<i64>), (&'static str, FieldError)> {
    let (decision, ids) = match fields.get("one").map(|v| v.split_once(':')) {
        Some(Some((decision, id))) => (decision, id),
        Some(None) => return Err(("ids", FieldError::Choice)),
        None => (
            fields.get("decision").map_or("", String::as_str),
            fields.get("ids").map_or("", String::as_str),
        ),
    };
    let decision = Decision::parse(decision).ok_or(("decision", FieldError::Choice))?;
    if ids.is_empty() {
        return Err(("ids", FieldError::Required));
    }
    let ids = ids
        .split(',')
        .map(|id| id.trim().parse::<i64>().ok())
        .collect::<Option<Vec<_>>>()
        .ok_or(("ids", FieldError::Choice))?;
    if ids.len() > usize::try_from(QUEUE_LIMIT).unwrap_or(500) {
        return Err(("ids", FieldError::TooLong { max: 500 }));
    }
    Ok((decision, ids))
}

/// `POST /{lang}/staff/registrations`: approve, waitlist or reject, one or
/// many. Back to the queue (same filters) with a summary of what happened; a
/// request that cannot be carried out shows the queue again with the reason
/// typed kept and the problem explained (422).
pub async fn decide(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    staff: super::auth::RequireStaff,
    mut form: PostedForm,
) -> Response {
    let Some(lang) = Lang::parse(&lang) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    // The queue's filter, carried through: only plain `key=value` pairs.
    let back = form
        .fields
        .get("back")
        .map(|q| q.trim_start_matches(['?', '&']).to_owned())
        .filter(|q| {
            q.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_=&".contains(&b))
        })
        .unwrap_or_default();
    let queue = format!("/{}/staff/registrations", lang.code());
    let mut errors = BTreeMap::new();
    let request = requested(&form.fields).map_err(|(field, error)| {
        errors.insert(field.to_owned(), error);
    });
    let reason = optional_text(
        form.fields.get("reason").map_or("", String::as_str),
        limits::REASON,
        true,
    )
    .unwrap_or_else(|error| {
        errors.insert("reason".to_owned(), error);
        String::new()
    });
    if let Ok((decision, _)) = &request
        && decision.needs_reason()
        && reason.is_empty()
    {
        errors
            .entry("reason".to_owned())
            .or_insert(FieldError::Required);
    }
    let Ok((decision, ids)) = request else {
        return show_queue_again(&state, &mut form, &queue, &back, errors).await;
    };
    if !errors.is_empty() {
        return show_queue_again(&state, &mut form, &queue, &back, errors).await;
    }
    let reason = (!reason.is_empty()).then_some(reason);
    match registrations::decide(&state, staff.0.id, &ids, decision, reason.as_deref()).await {
        Ok(outcomes) => {
            let done = outcomes.iter().filter(|(_, o)| *o == Outcome::Done).count();
            let full = outcomes.iter().filter(|(_, o)| *o == Outcome::Full).count();
            let back = if back.is_empty() {
                String::new()
            } else {
                format!("&{back}")
            };
            see_other(&format!("{queue}?done={done}&full={full}{back}"))
        }
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

async fn show_queue_again(
    state: &AppState,
    form: &mut PostedForm,
    queue: &str,
    back: &str,
    errors: BTreeMap<String, FieldError>,
) -> Response {
    if let Ok(uri) = format!("{queue}?{back}").parse() {
        form.parts.uri = uri;
    }
    let shown = form.state().with_fields(errors);
    render_again(state, form, shown, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// `POST /{lang}/staff/organisations`: verify or decline (`one` = `verified:7`).
pub async fn vet(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    staff: super::auth::RequireStaff,
    form: PostedForm,
) -> Response {
    let Some(lang) = Lang::parse(&lang) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let page = format!("/{}/staff/organisations", lang.code());
    let request = form
        .fields
        .get("one")
        .and_then(|v| v.split_once(':'))
        .and_then(|(decision, id)| {
            let decision =
                OrganisationState::parse(decision).filter(|d| *d != OrganisationState::Pending)?;
            Some((decision, id.parse::<i64>().ok()?))
        });
    let refused = |status| {
        let shown = form.state().with_error(FormError::BadRequest);
        render_again(&state, &form, shown, status)
    };
    let Some((decision, id)) = request else {
        return refused(StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    match super::organisations::vet(&state, staff.0.id, id, decision).await {
        Ok(()) => see_other(&format!("{page}?done=1")),
        Err(AppError::NotFound) => refused(StatusCode::NOT_FOUND).await,
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

/// `GET /{lang}/staff/events/{slug}/participants.csv` (admins only): the
/// approved participants, safe to open in a spreadsheet.
pub async fn export(
    State(state): State<AppState>,
    Path((lang, slug)): Path<(String, String)>,
    _admin: super::auth::RequireAdmin,
) -> Response {
    let Some(lang) = Lang::parse(&lang) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Ok(Some(event)) = db::events::seats_by_slug(&state.pool, &slug).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Ok(participants) = rows::approved(&state.pool, &state.key, event.id).await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let locale = lang.locale();
    let head = [
        td_string!(locale, register.name),
        td_string!(locale, register.organisation),
        td_string!(locale, register.role),
        td_string!(locale, register.email),
        td_string!(locale, moderation.attendance),
        td_string!(locale, register.interpretation),
        td_string!(locale, register.accessibility),
        td_string!(locale, moderation.confirmed),
    ];
    let mut lines = vec![head.map(csv_cell).join(",")];
    for p in &participants {
        let mode = AttendanceMode::parse(&p.mode).map_or(p.mode.as_str(), |m| mode_label(lang, m));
        let interpretation = p
            .interpretation
            .as_deref()
            .and_then(InterpretationLanguage::parse)
            .map_or("", |l| language_label(lang, l));
        let confirmed = if p.email_confirmed_at.is_some() {
            td_string!(locale, dashboard.yes)
        } else {
            td_string!(locale, dashboard.no)
        };
        let row = [
            p.name.as_str(),
            &p.organisation,
            &p.role,
            &p.email,
            mode,
            interpretation,
            &p.accessibility,
            confirmed,
        ];
        lines.push(row.map(csv_cell).join(","));
    }
    let csv = lines.join("\r\n") + "\r\n";
    let disposition = format!("attachment; filename=\"{slug}-participants.csv\"");
    let mut response = (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        // A byte-order mark, so spreadsheets read the Arabic as UTF-8.
        format!("\u{FEFF}{csv}"),
    )
        .into_response();
    no_store(&mut response);
    response
}

/// One CSV cell: quoted, and defused against formula injection: a cell that a
/// spreadsheet would run (`=`, `+`, `-`, `@`, tab, carriage return at the
/// start) gets a leading apostrophe, as OWASP recommends.
pub fn csv_cell(text: &str) -> String {
    let defused = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    format!("\"{}\"", defused.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        assert_eq!(csv_cell("Amal"), "\"Amal\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+1 555"), "\"'+1 555\"");
        assert_eq!(csv_cell("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(csv_cell("-2+3"), "\"'-2+3\"");
        assert_eq!(csv_cell("a,b\nc"), "\"a,b\nc\"");
    }

    #[test]
    fn reads_row_and_bulk_requests() {
        let fields = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        assert_eq!(
            requested(&fields(&[("one", "reject:7"), ("ids", "1,2")])),
            Ok((Decision::Reject, vec![7]))
        );
        assert_eq!(
            requested(&fields(&[("decision", "approve"), ("ids", "1,2")])),
            Ok((Decision::Approve, vec![1, 2]))
        );
        assert_eq!(
            requested(&fields(&[("decision", "approve")])),
            Err(("ids", FieldError::Required))
        );
        assert_eq!(
            requested(&fields(&[("decision", "delete"), ("ids", "1")])),
            Err(("decision", FieldError::Choice))
        );
        assert_eq!(
            requested(&fields(&[("decision", "approve"), ("ids", "1,x")])),
            Err(("ids", FieldError::Choice))
        );
    }
}
