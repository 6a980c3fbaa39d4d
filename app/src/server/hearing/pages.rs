//! Hearing data shaped for the pages: the staff's aggregated view, the
//! feedback form's state, and a past event's summary.

use crate::domain::hearing::{SMALLEST_SHOWN, shown};
use crate::domain::{EventSlug, EventStatus, Lang, Visibility};
use crate::dto::hearing::{FeedbackState, HeardSummary, HeardText, HearingPage, Scale, TopicCount};
use crate::error::AppError;
use crate::server::db::hearing as rows;
use crate::server::{AppState, db, markdown};

fn scale(values: impl Iterator<Item = i64>) -> Scale {
    let mut counts = [0_i64; 5];
    for value in values {
        if let Some(slot) = usize::try_from(value - 1)
            .ok()
            .and_then(|i| counts.get_mut(i))
        {
            *slot += 1;
        }
    }
    Scale {
        counts: counts.map(shown),
    }
}

pub async fn staff(
    state: &AppState,
    lang: Lang,
    slug: &str,
    admin: bool,
) -> Result<HearingPage, AppError> {
    let slug = EventSlug::parse(slug).ok_or(AppError::NotFound)?;
    let event = db::events::seats_by_slug(&state.db, slug.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    let topics = rows::topics(&state.db, event.id).await?;
    let priorities = rows::priorities(&state.db, &state.key, event.id).await?;
    let feedback = rows::feedback(&state.db, &state.key, event.id).await?;
    let answered = i64::try_from(priorities.len()).unwrap_or(i64::MAX);
    let responded = i64::try_from(feedback.len()).unwrap_or(i64::MAX);
    // Free text only once enough people answered that no one stands out.
    let texts = if answered >= SMALLEST_SHOWN {
        priorities
            .iter()
            .filter_map(|p| {
                Some(HeardText {
                    text: p.text.clone()?,
                    organisation: p.organisation.clone(),
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let changes = if responded >= SMALLEST_SHOWN {
        feedback.iter().filter_map(|f| f.change.clone()).collect()
    } else {
        Vec::new()
    };
    let heard = rows::heard(&state.db, event.id).await?;
    Ok(HearingPage {
        event_slug: event.slug.clone(),
        event_title: lang.pick(&event.title_en, &event.title_ar).to_owned(),
        priorities: shown(answered),
        topics: topics
            .iter()
            .map(|t| TopicCount {
                title: lang.pick(&t.title_en, &t.title_ar).to_owned(),
                count: shown(
                    i64::try_from(
                        priorities
                            .iter()
                            .filter(|p| p.topics.contains(&t.id))
                            .count(),
                    )
                    .unwrap_or(i64::MAX),
                ),
            })
            .collect(),
        texts,
        feedback: shown(responded),
        usefulness: scale(feedback.iter().map(|f| f.usefulness)),
        safety: scale(feedback.iter().map(|f| f.safety)),
        changes,
        heard_en: heard.heard_en.unwrap_or_default(),
        heard_ar: heard.heard_ar.unwrap_or_default(),
        heard_bulletin: heard.heard_bulletin.unwrap_or_default(),
        admin,
    })
}

pub async fn feedback(state: &AppState, token: &str) -> Result<FeedbackState, AppError> {
    let found = crate::server::registrations::open(state, token).await?;
    Ok(FeedbackState {
        open: super::feedback_open(state, &found.registration, &found.event).await?,
    })
}

/// A past public event's summary, in `lang` (the other language's when
/// only that one is written).
pub async fn summary(
    state: &AppState,
    lang: Lang,
    slug: &str,
) -> Result<Option<HeardSummary>, AppError> {
    let Some(slug) = EventSlug::parse(slug) else {
        return Ok(None);
    };
    let Some(event) = db::events::seats_by_slug(&state.db, slug.as_str()).await? else {
        return Ok(None);
    };
    if event.status != EventStatus::Published || event.visibility != Visibility::Public {
        return Ok(None);
    }
    let heard = rows::heard(&state.db, event.id).await?;
    let (mine, other) = match lang {
        Lang::En => (heard.heard_en, heard.heard_ar),
        Lang::Ar => (heard.heard_ar, heard.heard_en),
    };
    let Some(text) = mine.or(other).filter(|t| !t.trim().is_empty()) else {
        return Ok(None);
    };
    let bulletin = match heard.heard_bulletin.as_deref() {
        Some(slug) => db::bulletins::published_by_slug(&state.db, slug)
            .await?
            .map(|b| {
                (
                    crate::paths::bulletin(lang, &b.slug),
                    lang.pick(&b.title_en, &b.title_ar).to_owned(),
                )
            }),
        None => None,
    };
    Ok(Some(HeardSummary {
        html: markdown::render(&text),
        bulletin,
    }))
}
