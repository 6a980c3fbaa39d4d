//! Questions for a session: approved participants ask them from their
//! private link (anonymously if they choose), moderators and admins approve,
//! merge, translate, highlight and hide them, and a live board per session
//! shows the approved ones with their votes.
//!
//! An anonymous question keeps no link to its author: no registration id,
//! only `author_key`, the keyed hash of the private link it was asked from
//! (which is never stored), so that link alone can find it again. Votes are
//! counted once per registration (a keyed hash of it).

pub mod http;
pub mod pages;

use std::collections::BTreeMap;

use crate::domain::form::{FieldError, FormError, ticked};
use crate::domain::question::{self, BoardQuestion, MAX_CHARS, MAX_REASON, board_order};
use crate::domain::{
    EventStatus, Lang, QuestionAction, QuestionState, RegistrationState, Visibility,
};
use crate::error::AppError;
use crate::server::AppState;
use crate::server::crypto::DataKey;
use crate::server::db::audit::{self, Actor, AuditAction};
use crate::server::db::events::SeatsRow;
use crate::server::db::questions::{self as rows, NewQuestion, QuestionRow};
use crate::server::db::registrations::RegistrationRow;
use crate::server::db::sessions::PublicSessionRow;
use crate::server::db::signals::Signal;
use crate::server::db::{self, Db};
use crate::server::forms::Refusal;
use crate::server::registrations::{Found, open};
use crate::server::token::Token;

/// Questions one private link may ask in an hour.
pub const PER_HOUR: i64 = 10;

/// The participant behind a private link, as far as questions go.
pub struct Asker {
    pub registration: RegistrationRow,
    pub event: SeatsRow,
    /// The keyed hash of the link: finds the questions it asked.
    pub author_key: Vec<u8>,
    /// The keyed hash of the registration: one vote per question.
    pub voter: Vec<u8>,
}

impl Asker {
    /// Approved participants of an event that still goes ahead may ask and
    /// vote; at an open event (first come, no review), anyone registered
    /// with a confirmed address too (waiting for a place included).
    pub fn may_take_part(&self) -> bool {
        let registered = match self.registration.state {
            RegistrationState::Approved => true,
            RegistrationState::Pending | RegistrationState::Waitlisted => {
                !self.event.requires_approval && self.registration.email_confirmed_at.is_some()
            }
            RegistrationState::Rejected | RegistrationState::Withdrawn => false,
        };
        registered && self.event.status == EventStatus::Published
    }
}

pub use crate::server::db::questions::{author_key, voter};

/// The asker behind private link `token`.
pub async fn asker(state: &AppState, token: &str) -> Result<Asker, AppError> {
    let Found {
        registration,
        event,
    } = open(state, token).await?;
    let token = Token::parse(token).ok_or(AppError::NotFound)?;
    Ok(Asker {
        author_key: author_key(&state.key, token.as_str()),
        voter: voter(&state.key, registration.id),
        registration,
        event,
    })
}

/// The sessions of an event one may still ask about: not cancelled, not
/// yet over.
pub fn open_sessions(sessions: Vec<PublicSessionRow>, now: i64) -> Vec<PublicSessionRow> {
    sessions.into_iter().filter(|s| s.ends_at > now).collect()
}

/// The event of session `id`, when its board is public (a published,
/// public event's session that is not cancelled).
pub async fn public_board_event(pool: &Db, session: i64) -> sqlx::Result<Option<i64>> {
    let Some(event) = db::sessions::event_of(pool, session).await? else {
        return Ok(None);
    };
    let row = db::events::seats_by_id(pool, event).await?;
    if row.status != EventStatus::Published || row.visibility != Visibility::Public {
        return Ok(None);
    }
    let listed = db::sessions::public_agenda(pool, event)
        .await?
        .iter()
        .any(|s| s.id == session);
    Ok(listed.then_some(event))
}

fn on_board(row: QuestionRow) -> BoardQuestion {
    BoardQuestion {
        id: row.id,
        text: row.text,
        lang: row.lang,
        translation: row.translation,
        state: row.state,
        votes: row.votes,
    }
}

/// What session `session`'s board shows, in its order.
pub async fn board(pool: &Db, key: &DataKey, session: i64) -> sqlx::Result<Vec<BoardQuestion>> {
    let mut questions: Vec<BoardQuestion> = rows::board(pool, key, session)
        .await?
        .into_iter()
        .map(on_board)
        .collect();
    board_order(&mut questions);
    Ok(questions)
}

/// What a participant does with questions, from their private link or a
/// browser that remembers them.
pub async fn act(
    state: &AppState,
    lang: Lang,
    asker: &Asker,
    fields: &BTreeMap<String, String>,
) -> Result<&'static str, Refusal> {
    match fields.get("action").map(String::as_str) {
        Some("ask") => ask(state, lang, asker, fields).await.map(|()| "asked"),
        Some("withdraw") => withdraw(state, asker, fields).await.map(|()| "withdrawn"),
        Some("vote") => vote(state, asker, fields).await.map(|()| "voted"),
        _ => Err(Refusal::Form(FormError::BadRequest)),
    }
}

/// Asks a question (`question`, `session`, `anonymous`) in the page's
/// language `lang`. It waits for a moderator.
async fn ask(
    state: &AppState,
    lang: Lang,
    asker: &Asker,
    fields: &BTreeMap<String, String>,
) -> Result<(), Refusal> {
    if !asker.may_take_part() {
        return Err(Refusal::Form(FormError::NotApproved));
    }
    let now = state.clock.now().as_second();
    let mut errors = BTreeMap::new();
    let text = question::text(fields.get("question").map_or("", String::as_str))
        .map_err(|e| errors.insert("question".to_owned(), e))
        .ok();
    let sessions = open_sessions(
        db::sessions::public_agenda(&state.db, asker.event.id).await?,
        now,
    );
    let session = fields
        .get("session")
        .and_then(|s| s.parse::<i64>().ok())
        .filter(|id| sessions.iter().any(|s| s.id == *id));
    if session.is_none() {
        errors.insert("session".to_owned(), FieldError::Choice);
    }
    let (Some(text), Some(session)) = (text, session) else {
        return Err(Refusal::Fields(errors));
    };
    let anonymous = ticked(fields, "anonymous");
    let mut tx = state.db.begin_event_write(&[asker.event.id]).await?;
    let asked = rows::count_by_author_since(&mut tx, &asker.author_key, now - 3600).await?;
    if asked >= PER_HOUR {
        return Err(Refusal::Form(FormError::TooManyAttempts));
    }
    rows::insert(
        &mut tx,
        &state.key,
        &NewQuestion {
            event_id: asker.event.id,
            session_id: session,
            registration_id: (!anonymous).then_some(asker.registration.id),
            author_key: &asker.author_key,
            text: &text,
            lang,
            now,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The question `fields["question"]` of the asker's event, if there is one.
async fn question_of(
    state: &AppState,
    event: i64,
    fields: &BTreeMap<String, String>,
    field: &str,
) -> Result<QuestionRow, Refusal> {
    let id = fields
        .get(field)
        .and_then(|s| s.parse::<i64>().ok())
        .ok_or(Refusal::Form(FormError::NoSuchQuestion))?;
    rows::by_id(&state.db, &state.key, id)
        .await?
        .filter(|q| q.event_id == event)
        .ok_or(Refusal::Form(FormError::NoSuchQuestion))
}

/// The asker withdraws one of their questions (it is deleted).
async fn withdraw(
    state: &AppState,
    asker: &Asker,
    fields: &BTreeMap<String, String>,
) -> Result<(), Refusal> {
    let question = question_of(state, asker.event.id, fields, "question").await?;
    let mut tx = state.db.begin_event_write(&[asker.event.id]).await?;
    if !rows::withdraw(&mut tx, question.id, &asker.author_key).await? {
        return Err(Refusal::Form(FormError::NoSuchQuestion));
    }
    changed(state, tx, asker.event.id).await
}

/// The asker votes for a question on their event's boards, once.
async fn vote(
    state: &AppState,
    asker: &Asker,
    fields: &BTreeMap<String, String>,
) -> Result<(), Refusal> {
    if !asker.may_take_part() {
        return Err(Refusal::Form(FormError::NotApproved));
    }
    let (event, voter) = (&asker.event, &asker.voter);
    let question = question_of(state, event.id, fields, "question").await?;
    if !question.state.on_board() {
        return Err(Refusal::Form(FormError::NoSuchQuestion));
    }
    let mut tx = state.db.begin_event_write(&[event.id]).await?;
    // Read again under the lock: a moderator may have hidden it meanwhile.
    let still = rows::by_id(&mut tx, &state.key, question.id)
        .await?
        .is_some_and(|q| q.state.on_board());
    if !still {
        return Err(Refusal::Form(FormError::NoSuchQuestion));
    }
    if !rows::vote(&mut tx, question.id, voter).await? {
        // Voted before: nothing changes.
        return Ok(());
    }
    changed(state, tx, event.id).await
}

/// Commits a change to an event's questions and tells every instance.
async fn changed(state: &AppState, mut tx: db::Tx, event: i64) -> Result<(), Refusal> {
    state
        .live
        .announce(&mut tx, Signal::Questions(event))
        .await?;
    tx.commit().await?;
    state.live.signal(Signal::Questions(event));
    Ok(())
}

/// What a moderator asked for, parsed.
struct Moderation {
    action: QuestionAction,
    reason: Option<String>,
    translation: Option<String>,
    into: Option<i64>,
}

fn moderation(fields: &BTreeMap<String, String>) -> Result<Moderation, Refusal> {
    let action = fields
        .get("action")
        .and_then(|a| QuestionAction::parse(a))
        .ok_or(Refusal::Form(FormError::BadRequest))?;
    let field = |name: &str| fields.get(name).map_or("", String::as_str);
    let mut errors = BTreeMap::new();
    let mut take = |name: &str, result: Result<String, FieldError>| {
        result.map_err(|e| errors.insert(name.to_owned(), e)).ok()
    };
    let reason = (action == QuestionAction::Hide)
        .then(|| take("reason", question::staff_text(field("reason"), MAX_REASON)))
        .flatten();
    let translation = (action == QuestionAction::Translate)
        .then(|| {
            take(
                "translation",
                question::staff_text(field("translation"), MAX_CHARS),
            )
        })
        .flatten();
    let into = (action == QuestionAction::Merge)
        .then(|| field("into").parse::<i64>().ok())
        .flatten();
    if action == QuestionAction::Merge && into.is_none() {
        errors.insert("into".to_owned(), FieldError::Choice);
    }
    if errors.is_empty() {
        Ok(Moderation {
            action,
            reason,
            translation,
            into,
        })
    } else {
        Err(Refusal::Fields(errors))
    }
}

/// A moderator or admin acts on a question of event `slug`.
pub async fn moderate(
    state: &AppState,
    staff: i64,
    slug: &str,
    fields: &BTreeMap<String, String>,
) -> Result<&'static str, Refusal> {
    let event = db::events::seats_by_slug(&state.db, slug)
        .await?
        .ok_or(Refusal::NotFound)?;
    let asked = moderation(fields)?;
    let question = question_of(state, event.id, fields, "question").await?;
    let now = state.clock.now().as_second();
    let mut tx = state.db.begin_event_write(&[event.id]).await?;
    match asked.action {
        QuestionAction::Translate => {
            let translation = asked.translation.as_deref().unwrap_or_default();
            rows::set_translation(&mut tx, &state.key, question.id, translation, now).await?;
        }
        QuestionAction::Merge => {
            let into = asked.into.unwrap_or_default();
            let target = rows::by_id(&mut tx, &state.key, into).await?.filter(|t| {
                t.id != question.id
                    && t.session_id == question.session_id
                    && !matches!(t.state, QuestionState::Hidden | QuestionState::Merged)
            });
            let Some(target) = target else {
                return Err(Refusal::Fields(
                    [("into".to_owned(), FieldError::Choice)].into(),
                ));
            };
            rows::merge(&mut tx, question.id, target.id, now).await?;
        }
        QuestionAction::Answering | QuestionAction::Answered
            if !question.state.on_board() && question.state != QuestionState::Pending =>
        {
            return Err(Refusal::Form(FormError::NoSuchQuestion));
        }
        action => {
            if action == QuestionAction::Answering {
                rows::finish_answering(&mut tx, question.session_id, now).await?;
            }
            let state_after = question.state.after(action);
            rows::set_state(
                &mut tx,
                &state.key,
                question.id,
                state_after,
                asked.reason.as_deref(),
                now,
            )
            .await?;
        }
    }
    let action = AuditAction::Question {
        question: question.id,
        action: asked.action,
    };
    audit::record(&mut tx, &state.key, Actor::Staff(staff), action, now).await?;
    changed(state, tx, event.id).await?;
    audit::log_committed(staff, &[action], "question moderated");
    Ok(asked.action.code())
}
