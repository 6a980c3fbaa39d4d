//! Questions participants ask for a session: what a question may say, where
//! it stands, and what a moderator may do with it.

use serde::{Deserialize, Serialize};

use super::Lang;
use super::form::{self, FieldError};

/// The longest question, in characters.
pub const MAX_CHARS: usize = 1000;
/// The longest reason for hiding a question, in characters.
pub const MAX_REASON: usize = 500;

code_enum! {
    /// Where a question stands. Only approved, answering and answered
    /// questions are on the board.
    QuestionState {
        Pending = "pending",
        Approved = "approved",
        // Being answered now: highlighted on the board (one per session).
        Answering = "answering",
        Answered = "answered",
        // Hidden by staff, with a reason for its author.
        Hidden = "hidden",
        // A duplicate, merged into another question (its votes too).
        Merged = "merged",
    }
}

code_enum! {
    /// What a moderator does to a question.
    QuestionAction {
        Approve = "approve",
        // "Answering now": highlighted on the board.
        Answering = "answering",
        Answered = "answered",
        Hide = "hide",
        Merge = "merge",
        Translate = "translate",
    }
}

/// A question as a board shows it (and its live messages carry it): never
/// who asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardQuestion {
    pub id: i64,
    /// As asked, in `lang`.
    pub text: String,
    pub lang: Lang,
    /// Staff's translation into the other language.
    pub translation: Option<String>,
    pub state: QuestionState,
    pub votes: i64,
}

impl BoardQuestion {
    /// The text in `lang`: the question as asked, or its translation.
    pub fn text_in(&self, lang: Lang) -> &str {
        match &self.translation {
            Some(translation) if lang != self.lang => translation,
            _ => &self.text,
        }
    }

    /// The text in the other language, if there is one.
    pub fn other_text(&self, lang: Lang) -> Option<(Lang, &str)> {
        let translation = self.translation.as_deref()?;
        Some(if lang == self.lang {
            (self.lang.other(), translation)
        } else {
            (self.lang, &self.text)
        })
    }
}

/// The board's order: the question being answered first, answered ones
/// last, the rest by votes, then oldest first.
pub fn board_order(questions: &mut [BoardQuestion]) {
    questions.sort_by_key(|q| {
        let rank = match q.state {
            QuestionState::Answering => 0,
            QuestionState::Answered => 2,
            _ => 1,
        };
        (rank, std::cmp::Reverse(q.votes), q.id)
    });
}

impl QuestionState {
    /// Whether the board shows it (and participants may vote on it).
    pub fn on_board(self) -> bool {
        matches!(self, Self::Approved | Self::Answering | Self::Answered)
    }

    /// The state `action` leads to (translating changes none).
    pub fn after(self, action: QuestionAction) -> Self {
        match action {
            QuestionAction::Approve => Self::Approved,
            QuestionAction::Answering => Self::Answering,
            QuestionAction::Answered => Self::Answered,
            QuestionAction::Hide => Self::Hidden,
            QuestionAction::Merge => Self::Merged,
            QuestionAction::Translate => self,
        }
    }
}

/// A question as typed: trimmed, 1 to [`MAX_CHARS`] characters over one or
/// more lines, in any script, without invisible characters (bidi overrides,
/// zero-width spaces) or markup (angle brackets), which would make it read
/// differently on the board than it was written.
pub fn text(raw: &str) -> Result<String, FieldError> {
    checked(raw, MAX_CHARS)
}

/// A staff translation or reason: the same rules, its own bound.
pub fn staff_text(raw: &str, max: usize) -> Result<String, FieldError> {
    checked(raw, max)
}

fn checked(raw: &str, max: usize) -> Result<String, FieldError> {
    let text = form::optional_text(raw, max, true)?;
    if text.is_empty() {
        Err(FieldError::Required)
    } else if text.contains(['<', '>']) {
        Err(FieldError::Markup)
    } else {
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_are_visible_plain_text() {
        assert_eq!(
            text("  ما هي الخطوة التالية؟\r\nشكراً  "),
            Ok("ما هي الخطوة التالية؟\nشكراً".to_owned())
        );
        assert_eq!(text(" \n "), Err(FieldError::Required));
        assert_eq!(
            text(&"س".repeat(MAX_CHARS + 1)),
            Err(FieldError::TooLong { max: MAX_CHARS })
        );
        assert!(text(&"س".repeat(MAX_CHARS)).is_ok());
        assert_eq!(text("who\u{202E}txt.exe"), Err(FieldError::Invisible));
        assert_eq!(text("a\u{200B}b"), Err(FieldError::Invisible));
        assert_eq!(text("<b>loud</b>"), Err(FieldError::Markup));
    }

    #[test]
    fn only_published_questions_are_on_the_board() {
        let on: Vec<_> = QuestionState::ALL.iter().filter(|s| s.on_board()).collect();
        assert_eq!(on.len(), 3);
        assert_eq!(
            QuestionState::Pending.after(QuestionAction::Translate),
            QuestionState::Pending
        );
        assert_eq!(
            QuestionState::Approved.after(QuestionAction::Hide),
            QuestionState::Hidden
        );
    }
}
