//! Questions: the participant's (private page, or event page of a
//! remembered browser), a session's public board, and the staff's list.

use leptos::prelude::*;

use crate::domain::Lang;
use crate::dto::questions::{BoardPage, ParticipantQuestions, StaffQuestions};
use crate::error::AppError;

/// Questions behind a private link: the form, one's own, the boards.
#[server(prefix = "/api", endpoint = "questions/private")]
pub async fn private_questions(
    lang: Lang,
    token: String,
) -> Result<ParticipantQuestions, AppError> {
    use crate::server::{AppState, questions::pages};
    pages::private(&AppState::current()?, lang, &token).await
}

/// The same on an event page, for a browser that remembers an approved
/// participant of the event (`None` for anyone else).
#[server(prefix = "/api", endpoint = "questions/reader")]
pub async fn reader_questions(
    lang: Lang,
    slug: String,
) -> Result<Option<ParticipantQuestions>, AppError> {
    use crate::server::{AppState, questions::pages, registrations::device};
    pages::reader(&AppState::current()?, lang, &slug, device::of_request()).await
}

/// A session's board.
#[server(prefix = "/api", endpoint = "questions/board")]
pub async fn session_board(lang: Lang, slug: String, session: i64) -> Result<BoardPage, AppError> {
    use crate::server::{AppState, questions::pages, registrations::device};
    pages::board(
        &AppState::current()?,
        lang,
        &slug,
        session,
        device::of_request(),
    )
    .await
}

/// An event's questions, for moderators and admins.
#[server(prefix = "/api", endpoint = "staff/questions")]
pub async fn moderation_questions(lang: Lang, slug: String) -> Result<StaffQuestions, AppError> {
    use crate::server::{AppState, auth::require_staff, questions::pages};
    require_staff(crate::domain::Role::Moderator).await?;
    pages::staff(&AppState::current()?, lang, &slug).await
}
