//! What every form shares: cleaning free text, the errors a field can have,
//! and the state a rejected form is shown again with (what was typed, and
//! what is wrong with it).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Why one field was not accepted. Shown next to the field, in the reader's
/// language.
/// The name of the public forms' honeypot field (see
/// `components::form::Honeypot`): meaningless, so that no browser or password
/// manager takes it for something to fill in.
pub const HONEYPOT: &str = "lp_extra";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldError {
    Required,
    TooLong {
        max: usize,
    },
    /// Invisible formatting characters (bidi overrides, zero-width spaces)
    /// or control characters.
    Invisible,
    /// Angle brackets in a one-line answer (names never need them; markup does).
    Markup,
    Email,
    Url,
    /// A value that is not one of the offered choices.
    Choice,
    /// A choice this event does not offer (e.g. online for an in-person event).
    NotOffered,
    Consent,
    InvitationCode,
    // The staff editor's errors (events and sessions).
    /// An event's web address: lowercase letters, digits, single hyphens.
    Slug,
    /// Another event already has this web address.
    SlugTaken,
    /// A closed event needs an invitation code.
    CodeRequired,
    /// Not a list of up to 10 organisation email domains.
    EmailDomains,
    /// An invitation code shorter than `limits::INVITATION_CODE_MIN`.
    CodeTooShort,
    /// An end long past on an event with registrations, not confirmed.
    EndsLongAgo,
    /// Not a date and time.
    DateTime,
    /// Not a time zone we know (IANA names such as `Europe/Zurich`).
    TimeZone,
    /// A local time that does not exist in the time zone (clocks went forward).
    NoSuchTime,
    EndBeforeStart,
    /// Registration would close before it opens.
    ClosesBeforeOpens,
    /// Registration would close after the event starts.
    ClosesAfterStart,
    /// Registration would open only once the event has started.
    OpensAfterStart,
    /// Some of the event's sessions would fall outside its new dates.
    SessionsOutside,
    /// A whole number from 0 to `max` is needed.
    Number {
        max: u32,
    },
    /// Fewer seats than are already approved in this mode.
    BelowTaken {
        taken: u32,
    },
    /// A session outside the event's dates.
    OutsideEvent,
    /// A meeting address that is not `https://`.
    Https,
    /// Already used by another record (a bulletin's number or address).
    Taken,
    /// Not one topic per line as `English | Arabic`, at most 12.
    Topics,
    /// A reminder at or after the event's start (zero or fewer hours before).
    ReminderAfterStart,
    /// Not one interpretation channel per line as `language | channel`.
    Channels,
    /// No file was chosen (or it was empty).
    FileMissing,
    /// A file larger than materials may be.
    FileTooLarge,
    /// A file whose contents are none of the kinds we take.
    FileKind,
    /// A file whose name or declared type says another kind than its contents.
    FileLies,
}

/// Why a whole form was not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FormError {
    /// Some fields need attention; see the field errors.
    Fields,
    RegistrationNotOpen,
    RegistrationClosed,
    /// No seat left in the chosen mode and no waitlist.
    Full,
    /// The request was not understood (unknown fields, wrong encoding).
    BadRequest,
    /// The request came from another site.
    CrossSite,
    TooLarge,
    TooManyAttempts,
    BadCredentials,
    /// The honeypot was filled in: a robot, or (rarely) a browser's autofill.
    CheckAgain,
    /// Only approved participants may ask and vote (not pending, waitlisted,
    /// rejected or withdrawn ones, nor for a cancelled event).
    NotApproved,
    /// The question is not there to act on (withdrawn, hidden, another
    /// event's, or never was).
    NoSuchQuestion,
    /// Feedback is not (or no longer) asked of this participant: the event
    /// is not over, they were not approved, or they already answered.
    FeedbackClosed,
}

/// A submitted form shown again: the values as typed and the errors.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FormState {
    pub values: BTreeMap<String, String>,
    pub errors: BTreeMap<String, FieldError>,
    pub error: Option<FormError>,
}

impl FormState {
    pub fn new(values: BTreeMap<String, String>) -> Self {
        Self {
            values,
            ..Self::default()
        }
    }

    pub fn with_fields(mut self, errors: BTreeMap<String, FieldError>) -> Self {
        self.errors = errors;
        self.error = Some(FormError::Fields);
        self
    }

    pub fn with_error(mut self, error: FormError) -> Self {
        self.error = Some(error);
        self
    }

    pub fn value(&self, field: &str) -> &str {
        self.values.get(field).map_or("", String::as_str)
    }

    pub fn error_for(&self, field: &str) -> Option<FieldError> {
        self.errors.get(field).copied()
    }

    pub fn checked(&self, field: &str) -> bool {
        self.values.contains_key(field)
    }
}

/// Collects field errors while a form is parsed.
#[derive(Default)]
pub struct Errors(BTreeMap<String, FieldError>);

impl Errors {
    /// Keeps the value, or records the error and gives `T::default()`, so
    /// parsing goes on and every field's error is found at once.
    pub fn take<T: Default>(&mut self, field: &str, result: Result<T, FieldError>) -> T {
        result.unwrap_or_else(|error| {
            self.0.insert(field.to_owned(), error);
            T::default()
        })
    }

    pub fn finish<T>(self, value: T) -> Result<T, BTreeMap<String, FieldError>> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.0)
        }
    }
}

/// A format (Cf) or control character that hides or reorders text: bidi
/// embeddings, overrides and isolates, marks, zero-width spaces and joiners,
/// the byte-order mark. The zero-width non-joiner (U+200C) is allowed: Kurdish
/// and Persian spelling needs it.
fn is_invisible(c: char, multiline: bool) -> bool {
    (c.is_control() && !(multiline && matches!(c, '\n' | '\t')))
        || matches!(
            c,
            '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'
                | '\u{200D}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// One line of free text: trimmed, at most `max` characters, no invisible
/// characters and no angle brackets. Empty gives `Required`.
pub fn line(raw: &str, max: usize) -> Result<String, FieldError> {
    let text = optional_text(raw, max, false)?;
    if text.is_empty() {
        Err(FieldError::Required)
    } else if text.contains(['<', '>']) {
        Err(FieldError::Markup)
    } else {
        Ok(text)
    }
}

/// Free text that may be empty (and, if `multiline`, span lines). Line
/// endings become `\n`.
pub fn optional_text(raw: &str, max: usize, multiline: bool) -> Result<String, FieldError> {
    let text = raw.replace("\r\n", "\n");
    let text = text.trim();
    if text.chars().count() > max {
        return Err(FieldError::TooLong { max });
    }
    if text.chars().any(|c| is_invisible(c, multiline)) {
        return Err(FieldError::Invisible);
    }
    Ok(text.to_owned())
}

/// A ticked checkbox (browsers send the field only when it is ticked).
pub fn ticked(fields: &BTreeMap<String, String>, name: &str) -> bool {
    fields.get(name).is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_trimmed_bounded_and_visible() {
        assert_eq!(line("  Amal  ", 10), Ok("Amal".to_owned()));
        assert_eq!(line("   ", 10), Err(FieldError::Required));
        assert_eq!(line("abcdef", 5), Err(FieldError::TooLong { max: 5 }));
        assert_eq!(line("evil\u{202E}txt", 50), Err(FieldError::Invisible));
        assert_eq!(line("a\u{200B}b", 50), Err(FieldError::Invisible));
        assert_eq!(line("two\nlines", 50), Err(FieldError::Invisible));
        assert_eq!(line("سارا\u{200C}ی", 50), Ok("سارا\u{200C}ی".to_owned()));
        assert_eq!(
            line("<script>alert(1)</script>", 50),
            Err(FieldError::Markup)
        );
        assert_eq!(
            line("O'Brien; DROP TABLE x;--", 50).map(|s| s.len()),
            Ok(24)
        );
        assert_eq!(
            optional_text("one\r\ntwo", 50, true),
            Ok("one\ntwo".to_owned())
        );
    }
}
