//! The data behind the public event pages' server functions: the home page's
//! upcoming events, the events list, one event.

use crate::domain::search::normalize;
use crate::domain::{EventFilter, EventSlug, InterpretationLanguage, Lang};
use crate::dto::events::{EventCard, EventDetail, EventList};
use crate::error::AppError;

use super::{LIST_LIMIT, agenda, card, paragraphs};
use crate::server::page_cache::{self, Topic};
use crate::server::{AppState, db, format};

/// Lists of events show the published events as of now: kept until any
/// event changes, or the clock moves one of them on (starts, ends, closes).
async fn shows_events(state: &AppState, now: i64) -> Result<(), AppError> {
    let until = db::events::next_change(&state.pool, None, now).await?;
    page_cache::shows(&[Topic::Events], until);
    Ok(())
}

/// One event's pages: kept until it changes, or its own next moment comes.
pub async fn shows_event(state: &AppState, event: i64, now: i64) -> Result<(), AppError> {
    let until = db::events::next_change(&state.pool, Some(event), now).await?;
    page_cache::shows(&[Topic::Event(event)], until);
    Ok(())
}

pub async fn upcoming(state: &AppState, lang: Lang, limit: u8) -> Result<Vec<EventCard>, AppError> {
    let now = state.clock.now().as_second();
    let rows = db::events::list_published(
        &state.pool,
        &EventFilter::default(),
        None,
        now,
        limit.min(20).into(),
    )
    .await?;
    let cards = rows
        .iter()
        .map(|row| card(lang, row, now))
        .collect::<Result<_, _>>()?;
    shows_events(state, now).await?;
    Ok(cards)
}

pub async fn list(
    state: &AppState,
    lang: Lang,
    filter: EventFilter,
) -> Result<EventList, AppError> {
    let filter = filter.sanitized();
    let now = state.clock.now().as_second();
    let search = filter.query.as_deref().map(normalize);
    let rows = db::events::list_published(&state.pool, &filter, search.as_deref(), now, LIST_LIMIT)
        .await?;
    let events = rows
        .iter()
        .map(|row| card(lang, row, now))
        .collect::<Result<_, _>>()?;
    shows_events(state, now).await?;
    Ok(EventList { filter, events })
}

pub async fn detail(state: &AppState, lang: Lang, slug: &str) -> Result<EventDetail, AppError> {
    let slug = EventSlug::parse(slug).ok_or(AppError::NotFound)?;
    let now = state.clock.now().as_second();
    let row = db::events::published_by_slug(&state.pool, slug.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    let card = card(lang, &row, now)?;
    shows_event(state, row.id, now).await?;
    let tz = format::time_zone(&row.time_zone);
    let start = format::zoned(row.starts_at, &tz);
    let time_zone_label = format::time_zone_label(&row.time_zone, &start);
    let registration = if card.ended {
        None
    } else {
        let seats = db::events::seats_by_id(&state.pool, row.id).await?;
        Some(crate::server::registrations::pages::info(&state.pool, lang, &seats, now).await?)
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
