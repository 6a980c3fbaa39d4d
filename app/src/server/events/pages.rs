//! The data behind the public event pages' server functions: the home page's
//! upcoming events, the events list, one event.

use crate::domain::search::normalize;
use crate::domain::{EventFilter, EventSlug, InterpretationLanguage, Lang};
use crate::dto::events::{CardStatus, EventCard, EventDetail, EventList};
use crate::dto::registrations::Availability;
use crate::error::AppError;

use super::{LIST_LIMIT, agenda, card, paragraphs};
use crate::server::page_cache;
use crate::server::{AppState, db, format};

pub async fn upcoming(state: &AppState, lang: Lang, limit: u8) -> Result<Vec<EventCard>, AppError> {
    let now = state.clock.now().as_second();
    let rows = db::events::list_published(
        &state.db,
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
    let cards = with_status(state, lang, cards, now).await?;
    page_cache::shows_events(&state.db, now).await?;
    Ok(cards)
}

/// Gives each card of a public event still to come its places and
/// registration window (what a list updates live).
async fn with_status(
    state: &AppState,
    lang: Lang,
    mut cards: Vec<EventCard>,
    now: i64,
) -> Result<Vec<EventCard>, AppError> {
    for card in cards.iter_mut().filter(|c| !c.closed && !c.ended) {
        let Some(seats) = db::events::seats_by_slug(&state.db, &card.slug).await? else {
            continue;
        };
        let info = crate::server::registrations::pages::info(&state.db, lang, &seats, now).await?;
        card.status = Some(CardStatus {
            seats: info
                .seats
                .iter()
                .filter_map(|s| Some((s.mode, s.left?)))
                .collect(),
            waitlist: info.waitlist,
            open: matches!(info.availability, Availability::Open { .. }),
            not_yet: matches!(info.availability, Availability::NotYet { .. }),
        });
    }
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
    let rows =
        db::events::list_published(&state.db, &filter, search.as_deref(), now, LIST_LIMIT).await?;
    let events = rows
        .iter()
        .map(|row| card(lang, row, now))
        .collect::<Result<_, _>>()?;
    let events = with_status(state, lang, events, now).await?;
    page_cache::shows_events(&state.db, now).await?;
    Ok(EventList { filter, events })
}

pub async fn detail(state: &AppState, lang: Lang, slug: &str) -> Result<EventDetail, AppError> {
    let slug = EventSlug::parse(slug).ok_or(AppError::NotFound)?;
    let now = state.clock.now().as_second();
    let row = db::events::published_by_slug(&state.db, slug.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    let card = card(lang, &row, now)?;
    page_cache::shows_event(&state.db, row.id, now).await?;
    let tz = format::time_zone(&row.time_zone);
    let start = format::zoned(row.starts_at, &tz);
    let time_zone_label = format::time_zone_label(&row.time_zone, &start);
    let registration = if card.ended {
        None
    } else {
        let seats = db::events::seats_by_id(&state.db, row.id).await?;
        Some(crate::server::registrations::pages::info(&state.db, lang, &seats, now).await?)
    };
    if card.closed {
        return Ok(EventDetail {
            card,
            description: Vec::new(),
            interpretation: Vec::new(),
            time_zone_label,
            agenda: Vec::new(),
            registration,
            materials: Vec::new(),
        });
    }
    let sessions = db::sessions::public_agenda(&state.db, row.id).await?;
    Ok(EventDetail {
        description: paragraphs(lang.pick(&row.description_en, &row.description_ar)),
        interpretation: row
            .interpretation
            .split(',')
            .filter_map(InterpretationLanguage::parse)
            .collect(),
        agenda: agenda(lang, &sessions, &tz, now),
        materials: crate::server::materials::pages::public(&state.db, lang, row.id).await?,
        registration,
        time_zone_label,
        card,
    })
}
