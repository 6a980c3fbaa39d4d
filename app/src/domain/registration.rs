//! Registrations: how someone attends, where their sign-up stands, and the
//! form they fill in.

use std::collections::BTreeMap;

use super::form::{self, Errors, FieldError};
use super::{Email, EventFormat, InterpretationLanguage};

code_enum! {
    /// How one participant attends (a hybrid event offers both).
    AttendanceMode {
        InPerson = "in_person",
        Online = "online",
    }
}

code_enum! {
    /// Where a registration stands.
    RegistrationState {
        Pending = "pending",
        Approved = "approved",
        Waitlisted = "waitlisted",
        Rejected = "rejected",
        Withdrawn = "withdrawn",
    }
}

code_enum! {
    /// What a moderator decides.
    Decision {
        Approve = "approve",
        Waitlist = "waitlist",
        Reject = "reject",
    }
}

impl AttendanceMode {
    /// The modes an event of this format offers.
    pub fn offered_by(format: EventFormat) -> &'static [AttendanceMode] {
        match format {
            EventFormat::InPerson => &[AttendanceMode::InPerson],
            EventFormat::Online => &[AttendanceMode::Online],
            EventFormat::Hybrid => AttendanceMode::ALL,
        }
    }
}

impl RegistrationState {
    /// Whether the registration still counts (holds or waits for a seat).
    pub fn is_live(self) -> bool {
        matches!(self, Self::Pending | Self::Approved | Self::Waitlisted)
    }

    /// Rule 2: only an approved online participant may use join links.
    pub fn may_join(self, mode: AttendanceMode) -> bool {
        self == Self::Approved && mode == AttendanceMode::Online
    }

    pub fn decided_by(decision: Decision) -> Self {
        match decision {
            Decision::Approve => Self::Approved,
            Decision::Waitlist => Self::Waitlisted,
            Decision::Reject => Self::Rejected,
        }
    }
}

impl Decision {
    /// A rejection must say why; the participant is told.
    pub fn needs_reason(self) -> bool {
        self == Self::Reject
    }
}

/// Limits shared by the form, the database checks and the pages.
pub mod limits {
    pub const NAME: usize = 120;
    pub const ORGANISATION: usize = 200;
    pub const ROLE: usize = 120;
    pub const ACCESSIBILITY: usize = 2000;
    pub const INVITATION_CODE: usize = 64;
    pub const REASON: usize = 1000;
}

/// The personal details a participant gives (and can later edit).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Details {
    pub name: String,
    pub organisation: String,
    pub role: String,
    pub interpretation: Option<InterpretationLanguage>,
    pub accessibility: String,
}

/// A registration form that passed every check that needs no database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistrationForm {
    pub details: Details,
    pub email: Email,
    pub mode: AttendanceMode,
    pub invitation_code: Option<String>,
}

impl Details {
    /// Parses the detail fields, checking choices against what the event offers.
    fn parse(
        fields: &BTreeMap<String, String>,
        offered_languages: &[InterpretationLanguage],
        errors: &mut Errors,
    ) -> Self {
        let get = |name: &str| fields.get(name).map_or("", String::as_str);
        Details {
            name: errors.take("name", form::line(get("name"), limits::NAME)),
            organisation: errors.take(
                "organisation",
                form::line(get("organisation"), limits::ORGANISATION),
            ),
            role: errors.take("role", form::line(get("role"), limits::ROLE)),
            interpretation: errors.take(
                "interpretation",
                parse_interpretation(get("interpretation"), offered_languages),
            ),
            accessibility: errors.take(
                "accessibility",
                form::optional_text(get("accessibility"), limits::ACCESSIBILITY, true),
            ),
        }
    }

    /// The edit form of the private page.
    pub fn parse_edit(
        fields: &BTreeMap<String, String>,
        offered_languages: &[InterpretationLanguage],
    ) -> Result<Self, BTreeMap<String, FieldError>> {
        let mut errors = Errors::default();
        let details = Self::parse(fields, offered_languages, &mut errors);
        errors.finish(details)
    }
}

impl RegistrationForm {
    /// Parses the submitted fields for an event of `format` offering
    /// `offered_languages`; a closed event also asks for its invitation code.
    pub fn parse(
        fields: &BTreeMap<String, String>,
        format: EventFormat,
        offered_languages: &[InterpretationLanguage],
        closed: bool,
    ) -> Result<Self, BTreeMap<String, FieldError>> {
        let mut errors = Errors::default();
        let get = |name: &str| fields.get(name).map_or("", String::as_str);
        let details = Details::parse(fields, offered_languages, &mut errors);
        let email = errors.take(
            "email",
            match get("email").trim() {
                "" => Err(FieldError::Required),
                raw => Email::parse(raw).map(Some).map_err(|_| FieldError::Email),
            },
        );
        let mode = errors.take("mode", parse_mode(get("mode"), format));
        let invitation_code = if closed {
            errors.take(
                "invitation_code",
                form::line(get("invitation_code"), limits::INVITATION_CODE).map(Some),
            )
        } else {
            None
        };
        if !form::ticked(fields, "consent") {
            errors.take::<()>("consent", Err(FieldError::Consent));
        }
        errors.finish(())?;
        let (Some(email), Some(mode)) = (email, mode) else {
            // Unreachable: a field without a value has its error recorded.
            return Err(BTreeMap::from([("mode".to_owned(), FieldError::Required)]));
        };
        Ok(Self {
            details,
            email,
            mode,
            invitation_code,
        })
    }
}

fn parse_mode(raw: &str, format: EventFormat) -> Result<Option<AttendanceMode>, FieldError> {
    let offered = AttendanceMode::offered_by(format);
    match raw.trim() {
        // An event with one mode need not ask.
        "" if offered.len() == 1 => Ok(Some(offered[0])),
        "" => Err(FieldError::Required),
        code => match AttendanceMode::parse(code) {
            Some(mode) if offered.contains(&mode) => Ok(Some(mode)),
            Some(_) => Err(FieldError::NotOffered),
            None => Err(FieldError::Choice),
        },
    }
}

fn parse_interpretation(
    raw: &str,
    offered: &[InterpretationLanguage],
) -> Result<Option<InterpretationLanguage>, FieldError> {
    match raw.trim() {
        "" | "none" => Ok(None),
        code => match InterpretationLanguage::parse(code) {
            Some(language) if offered.contains(&language) => Ok(Some(language)),
            Some(_) => Err(FieldError::NotOffered),
            None => Err(FieldError::Choice),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn valid() -> Vec<(&'static str, &'static str)> {
        vec![
            ("name", "Amal K."),
            ("organisation", "Syrian Women's Network"),
            ("role", "Coordinator"),
            ("email", "amal@example.org"),
            ("mode", "online"),
            ("interpretation", "ar"),
            ("consent", "yes"),
        ]
    }

    #[test]
    fn parses_a_complete_form() {
        let form = RegistrationForm::parse(
            &fields(&valid()),
            EventFormat::Hybrid,
            &[InterpretationLanguage::Ar],
            false,
        )
        .expect("valid");
        assert_eq!(form.mode, AttendanceMode::Online);
        assert_eq!(
            form.details.interpretation,
            Some(InterpretationLanguage::Ar)
        );
    }

    #[test]
    fn reports_every_bad_field_at_once() {
        let mut pairs = valid();
        pairs.retain(|(k, _)| *k != "consent");
        pairs.push(("name", "  "));
        let mut submitted = fields(&pairs);
        submitted.insert("email".into(), "amal@exаmple.org".into());
        submitted.insert("mode".into(), "in_person".into());
        let errors = RegistrationForm::parse(&submitted, EventFormat::Online, &[], true)
            .expect_err("invalid");
        assert_eq!(errors.get("name"), Some(&FieldError::Required));
        assert_eq!(errors.get("email"), Some(&FieldError::Email));
        assert_eq!(errors.get("mode"), Some(&FieldError::NotOffered));
        assert_eq!(errors.get("interpretation"), Some(&FieldError::NotOffered));
        assert_eq!(errors.get("invitation_code"), Some(&FieldError::Required));
        assert_eq!(errors.get("consent"), Some(&FieldError::Consent));
    }

    #[test]
    fn single_mode_events_need_no_choice() {
        let mut submitted = fields(&valid());
        submitted.remove("mode");
        submitted.remove("interpretation");
        let form =
            RegistrationForm::parse(&submitted, EventFormat::InPerson, &[], false).expect("valid");
        assert_eq!(form.mode, AttendanceMode::InPerson);
        submitted.insert("mode".into(), "by_pigeon".into());
        let errors = RegistrationForm::parse(&submitted, EventFormat::Hybrid, &[], false)
            .expect_err("invalid");
        assert_eq!(errors.get("mode"), Some(&FieldError::Choice));
    }
}
