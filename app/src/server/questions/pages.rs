//! Question data shaped for the pages: the participant's section, a
//! session's board, and the moderators' list.

use crate::domain::{EventSlug, EventStatus, Lang, Visibility};
use crate::dto::questions::{
    BoardPage, BoardVoter, MyQuestion, ParticipantQuestions, SessionBoard, SessionChoice,
    StaffQuestion, StaffQuestions,
};
use crate::error::AppError;
use crate::server::db::events::SeatsRow;
use crate::server::db::questions as rows;
use crate::server::db::registrations::devices;
use crate::server::db::sessions::PublicSessionRow;
use crate::server::token::Token;
use crate::server::{AppState, db, format, page_cache};

use super::{Asker, author_key, board as board_of, open_sessions, voter};

fn choice(lang: Lang, event: &SeatsRow, s: &PublicSessionRow) -> SessionChoice {
    let tz = format::time_zone(&event.time_zone);
    SessionChoice {
        id: s.id,
        title: lang.pick(&s.title_en, &s.title_ar).to_owned(),
        when: format::day_and_times(
            lang,
            &format::zoned(s.starts_at, &tz),
            &format::zoned(s.ends_at, &tz),
        ),
    }
}

/// The questions section for `asker`, whose forms post to `action`.
async fn for_asker(
    state: &AppState,
    lang: Lang,
    asker: &Asker,
    action: String,
) -> Result<ParticipantQuestions, AppError> {
    let event = &asker.event;
    let now = state.clock.now().as_second();
    let sessions = db::sessions::public_agenda(&state.db, event.id).await?;
    let title_of = |id: i64| {
        sessions
            .iter()
            .find(|s| s.id == id)
            .map(|s| lang.pick(&s.title_en, &s.title_ar).to_owned())
            .unwrap_or_default()
    };
    let mine = rows::by_author(&state.db, &state.key, event.id, &asker.author_key)
        .await?
        .into_iter()
        .map(|q| MyQuestion {
            id: q.id,
            session: title_of(q.session_id),
            anonymous: q.registration_id.is_none(),
            text: q.text,
            state: q.state,
            reason: q.reason,
            votes: q.votes,
        })
        .collect();
    let may_take_part = asker.may_take_part();
    let mut boards = Vec::new();
    if may_take_part {
        for session in &sessions {
            let questions = board_of(&state.db, &state.key, session.id).await?;
            if !questions.is_empty() {
                boards.push(SessionBoard {
                    session: choice(lang, event, session),
                    questions,
                });
            }
        }
    }
    Ok(ParticipantQuestions {
        action,
        may_take_part,
        open_sessions: open_sessions(sessions.clone(), now)
            .iter()
            .map(|s| choice(lang, event, s))
            .collect(),
        mine,
        boards,
        voted: rows::voted(&state.db, event.id, &asker.voter).await?,
        event_slug: event.slug.clone(),
    })
}

pub async fn private(
    state: &AppState,
    lang: Lang,
    token: &str,
) -> Result<ParticipantQuestions, AppError> {
    let asker = super::asker(state, token).await?;
    for_asker(
        state,
        lang,
        &asker,
        crate::paths::private_questions(lang, token),
    )
    .await
}

/// The asker a remembered browser stands for at event `event`: the
/// registration it remembers, and its own device token as the author's key
/// (so that questions asked there are its own to see and withdraw).
pub async fn device_asker(
    state: &AppState,
    event: SeatsRow,
    device: &Token,
) -> Result<Option<Asker>, AppError> {
    let now = state.clock.now().as_second();
    let registration =
        devices::registration_on(&state.db, &state.key, &device.hash(), event.id, now).await?;
    Ok(registration.map(|registration| Asker {
        author_key: author_key(&state.key, device.as_str()),
        voter: voter(&state.key, registration.id),
        registration,
        event,
    }))
}

pub async fn reader(
    state: &AppState,
    lang: Lang,
    slug: &str,
    device: Option<Token>,
) -> Result<Option<ParticipantQuestions>, AppError> {
    let (Some(device), Some(slug)) = (device, EventSlug::parse(slug)) else {
        return Ok(None);
    };
    let Some(event) = db::events::seats_by_slug(&state.db, slug.as_str()).await? else {
        return Ok(None);
    };
    let Some(asker) = device_asker(state, event, &device).await? else {
        return Ok(None);
    };
    page_cache::personal();
    if !asker.may_take_part() {
        return Ok(None);
    }
    let action = crate::paths::reader_questions(lang, slug.as_str());
    Ok(Some(for_asker(state, lang, &asker, action).await?))
}

/// A public event's session and its board.
pub async fn board(
    state: &AppState,
    lang: Lang,
    slug: &str,
    session: i64,
    device: Option<Token>,
) -> Result<BoardPage, AppError> {
    let slug = EventSlug::parse(slug).ok_or(AppError::NotFound)?;
    let event = db::events::seats_by_slug(&state.db, slug.as_str())
        .await?
        .filter(|e| e.status != EventStatus::Draft && e.visibility == Visibility::Public)
        .ok_or(AppError::NotFound)?;
    let sessions = db::sessions::public_agenda(&state.db, event.id).await?;
    let row = sessions
        .iter()
        .find(|s| s.id == session)
        .ok_or(AppError::NotFound)?;
    let now = state.clock.now().as_second();
    page_cache::shows_event(&state.db, event.id, now).await?;
    page_cache::shows(&[page_cache::Topic::Questions(event.id)], None);
    let questions = board_of(&state.db, &state.key, session).await?;
    let mut voter = None;
    if let Some(device) = device
        && let Some(asker) = device_asker(state, event.clone(), &device).await?
    {
        page_cache::personal();
        if asker.may_take_part() {
            voter = Some(BoardVoter {
                action: crate::paths::reader_questions(lang, slug.as_str()),
                voted: rows::voted(&state.db, asker.event.id, &asker.voter).await?,
            });
        }
    }
    Ok(BoardPage {
        event_slug: event.slug.clone(),
        event_title: lang.pick(&event.title_en, &event.title_ar).to_owned(),
        session: choice(lang, &event, row),
        questions,
        voter,
    })
}

pub async fn staff(state: &AppState, lang: Lang, slug: &str) -> Result<StaffQuestions, AppError> {
    let slug = EventSlug::parse(slug).ok_or(AppError::NotFound)?;
    let event = db::events::seats_by_slug(&state.db, slug.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    let sessions = db::sessions::public_agenda(&state.db, event.id).await?;
    let title_of = |id: i64| {
        sessions
            .iter()
            .find(|s| s.id == id)
            .map(|s| lang.pick(&s.title_en, &s.title_ar).to_owned())
            .unwrap_or_default()
    };
    // Who asked the named questions, from one read of the event's
    // registrations; an anonymous question has no registration to look at.
    let askers: std::collections::HashMap<i64, String> =
        db::registrations::of_event(&state.db, &state.key, event.id)
            .await?
            .into_iter()
            .map(|r| (r.id, format!("{} · {}", r.name, r.organisation)))
            .collect();
    let mut questions = Vec::new();
    for q in rows::of_event(&state.db, &state.key, event.id).await? {
        let asked_by = q.registration_id.and_then(|id| askers.get(&id).cloned());
        questions.push(StaffQuestion {
            id: q.id,
            session_id: q.session_id,
            session: title_of(q.session_id),
            text: q.text,
            lang: q.lang,
            translation: q.translation,
            state: q.state,
            reason: q.reason,
            votes: q.votes,
            asked_by,
            merged_into: q.merged_into,
            asked_at: format::staff_moment(lang, q.created_at),
        });
    }
    Ok(StaffQuestions {
        event_slug: event.slug.clone(),
        event_title: lang.pick(&event.title_en, &event.title_ar).to_owned(),
        sessions: sessions.iter().map(|s| choice(lang, &event, s)).collect(),
        questions,
    })
}
