//! Public event data, shaped for one reader: localised, formatted, and with
//! the details of closed events left out.

use crate::api::events::{AgendaDay, AgendaItem, EventCard, EventDetail, EventList};
use crate::domain::search::normalize;
use crate::domain::{
    EventFilter, EventFormat, EventKind, EventSlug, InterpretationLanguage, Lang, SessionTimes,
};
use crate::error::AppError;

use super::db::{events::EventRow, sessions::PublicSessionRow};
use super::{AppState, db, format};

const LIST_LIMIT: i64 = 200;

pub async fn upcoming(lang: Lang, limit: u8) -> Result<Vec<EventCard>, AppError> {
    let state = AppState::current()?;
    let now = state.clock.now().as_second();
    let rows = db::events::list_published(
        &state.pool,
        &EventFilter::default(),
        None,
        now,
        limit.min(20).into(),
    )
    .await?;
    rows.iter().map(|row| card(lang, row, now)).collect()
}

pub async fn list(lang: Lang, filter: EventFilter) -> Result<EventList, AppError> {
    let filter = filter.sanitized();
    let state = AppState::current()?;
    let now = state.clock.now().as_second();
    let search = filter.query.as_deref().map(normalize);
    let rows = db::events::list_published(&state.pool, &filter, search.as_deref(), now, LIST_LIMIT)
        .await?;
    let events = rows
        .iter()
        .map(|row| card(lang, row, now))
        .collect::<Result<_, _>>()?;
    Ok(EventList { filter, events })
}

pub async fn detail(lang: Lang, slug: &str) -> Result<EventDetail, AppError> {
    let slug = EventSlug::parse(slug).ok_or(AppError::NotFound)?;
    let state = AppState::current()?;
    let now = state.clock.now().as_second();
    let row = db::events::published_by_slug(&state.pool, slug.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    let card = card(lang, &row, now)?;
    let tz = format::time_zone(&row.time_zone);
    let start = format::zoned(row.starts_at, &tz);
    let time_zone_label = format::time_zone_label(&row.time_zone, &start);
    let registration = if card.ended {
        None
    } else {
        let seats = db::events::seats_by_id(&state.pool, row.id).await?;
        Some(super::registrations::pages::info(&state.pool, lang, &seats, now).await?)
    };
    if card.closed {
        return Ok(EventDetail {
            card,
            description: Vec::new(),
            interpretation: Vec::new(),
            time_zone: row.time_zone,
            time_zone_label,
            agenda: Vec::new(),
            registration,
        });
    }
    let sessions = db::sessions::public_agenda(&state.pool, row.id).await?;
    Ok(EventDetail {
        description: paragraphs(lang.pick(&row.description_en, &row.description_ar)),
        interpretation: row
            .interpretation
            .split(',')
            .filter_map(InterpretationLanguage::parse)
            .collect(),
        agenda: agenda(lang, &sessions, &tz, now),
        registration,
        time_zone: row.time_zone,
        time_zone_label,
        card,
    })
}

fn card(lang: Lang, row: &EventRow, now: i64) -> Result<EventCard, AppError> {
    let (Some(kind), Some(format)) = (EventKind::parse(&row.kind), EventFormat::parse(&row.format))
    else {
        tracing::error!(event = row.id, "event row with an unknown kind or format");
        return Err(AppError::Internal);
    };
    let closed = row.visibility != "public";
    let tz = format::time_zone(&row.time_zone);
    let (start, end) = (
        format::zoned(row.starts_at, &tz),
        format::zoned(row.ends_at, &tz),
    );
    let place = (!closed && format.has_venue())
        .then(|| place(lang, row))
        .flatten();
    Ok(EventCard {
        slug: row.slug.clone(),
        kind,
        format,
        closed,
        title: lang.pick(&row.title_en, &row.title_ar).to_owned(),
        summary: (!closed).then(|| lang.pick(&row.summary_en, &row.summary_ar).to_owned()),
        place,
        dates: format::date_range(lang, &start, &end),
        starts_iso: format::rfc3339(&start),
        ended: row.ends_at < now,
        live: row.starts_at <= now && now < row.ends_at,
    })
}

/// "City, country" in the reader's language, if the event has either.
pub fn place(lang: Lang, row: &EventRow) -> Option<String> {
    let (city, country) = match lang {
        Lang::En => (&row.city_en, &row.country_en),
        Lang::Ar => (&row.city_ar, &row.country_ar),
    };
    let separator = if lang == Lang::Ar { "، " } else { ", " };
    let parts: Vec<&str> = [city, country]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    (!parts.is_empty()).then(|| parts.join(separator))
}

fn agenda(
    lang: Lang,
    sessions: &[PublicSessionRow],
    tz: &jiff::tz::TimeZone,
    now: i64,
) -> Vec<AgendaDay> {
    let mut days: Vec<(jiff::civil::Date, AgendaDay)> = Vec::new();
    for s in sessions {
        let (start, end) = (format::zoned(s.starts_at, tz), format::zoned(s.ends_at, tz));
        let times = SessionTimes {
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            join_opens_minutes_before: s.join_opens_minutes_before,
        };
        let item = AgendaItem {
            id: s.id,
            live: times.is_live(now),
            title: lang.pick(&s.title_en, &s.title_ar).to_owned(),
            time: format::time_range(lang, &start, &end),
            starts_iso: format::rfc3339(&start),
            starts_ms: s.starts_at.saturating_mul(1000),
            ends_ms: s.ends_at.saturating_mul(1000),
            in_person: s.in_person,
            online: s.online,
        };
        match days.last_mut() {
            Some((date, day)) if *date == start.date() => day.items.push(item),
            _ => days.push((
                start.date(),
                AgendaDay {
                    label: format::day_heading(lang, start.date()),
                    items: vec![item],
                },
            )),
        }
    }
    days.into_iter().map(|(_, day)| day).collect()
}

fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}
