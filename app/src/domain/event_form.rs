//! The staff editor's forms: an event and one of its agenda sessions, parsed
//! once into values deeper code can trust. What needs the time-zone database
//! (local times to instants, their order) or the database (seats taken, a
//! slug in use) is checked on the server, after this parse.

use std::collections::BTreeMap;

use super::form::{self, Errors, FieldError};
use super::{EventFormat, EventKind, EventSlug, InterpretationLanguage, LocalDateTime};

code_enum! {
    /// Who may see an event's details.
    Visibility {
        Public = "public",
        Closed = "closed",
    }
}

code_enum! {
    /// Where an event stands in the editor.
    EventStatus {
        Draft = "draft",
        Published = "published",
        Cancelled = "cancelled",
    }
}

pub mod limits {
    pub const TITLE: usize = 200;
    pub const SUMMARY: usize = 600;
    pub const DESCRIPTION: usize = 10_000;
    pub const PLACE: usize = 120;
    pub const VENUE: usize = 500;
    pub const TIME_ZONE: usize = 64;
    pub const INVITATION_CODE: usize = 64;
    /// Long enough not to be guessed within the wrong-code limit.
    pub const INVITATION_CODE_MIN: usize = 10;
    pub const ROOM: usize = 120;
    pub const MEETING_URL: usize = 500;
    pub const SEATS: u32 = 100_000;
    pub const JOIN_MINUTES: u32 = 1440;
    pub const JOIN_MINUTES_DEFAULT: u32 = 15;
}

/// Time zones offered in the editor's list (any IANA name is accepted).
pub const COMMON_TIME_ZONES: &[&str] = &[
    "Europe/Zurich",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Brussels",
    "Europe/Amsterdam",
    "Europe/London",
    "Europe/Istanbul",
    "Asia/Damascus",
    "Asia/Beirut",
    "Asia/Amman",
    "Asia/Baghdad",
    "Asia/Dubai",
    "America/New_York",
    "UTC",
];

/// The event form, checked field by field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventForm {
    pub slug: EventSlug,
    pub kind: EventKind,
    pub format: EventFormat,
    pub visibility: Visibility,
    pub title_en: String,
    pub title_ar: String,
    pub summary_en: String,
    pub summary_ar: String,
    pub description_en: String,
    pub description_ar: String,
    pub city_en: Option<String>,
    pub city_ar: Option<String>,
    pub country_en: Option<String>,
    pub country_ar: Option<String>,
    pub venue: Option<String>,
    /// An IANA name as typed; the server checks that it exists.
    pub time_zone: String,
    pub starts: LocalDateTime,
    pub ends: LocalDateTime,
    pub registration_opens: Option<LocalDateTime>,
    pub registration_closes: Option<LocalDateTime>,
    pub seats_in_person: u32,
    pub seats_online: u32,
    pub waitlist: bool,
    pub requires_approval: bool,
    pub interpretation: Vec<InterpretationLanguage>,
    pub invitation_code: Option<String>,
    /// The admin confirmed an end long past on an event with registrations.
    pub past_end_confirmed: bool,
    /// The topics registration asks about: (English, Arabic) titles.
    pub topics: Vec<(String, String)>,
    /// Hours before the start the two reminders go (`None`: not sent).
    pub remind_first_hours: Option<u32>,
    pub remind_second_hours: Option<u32>,
}

pub(super) fn get<'a>(fields: &'a BTreeMap<String, String>, name: &str) -> &'a str {
    fields.get(name).map_or("", String::as_str)
}

fn choice<T>(raw: &str, parse: impl Fn(&str) -> Option<T>) -> Result<Option<T>, FieldError> {
    match raw.trim() {
        "" => Err(FieldError::Required),
        code => parse(code).map(Some).ok_or(FieldError::Choice),
    }
}

pub(super) fn optional_line(raw: &str, max: usize) -> Result<Option<String>, FieldError> {
    match form::line(raw, max) {
        Ok(text) => Ok(Some(text)),
        Err(FieldError::Required) => Ok(None),
        Err(error) => Err(error),
    }
}

pub(super) fn date_time(raw: &str) -> Result<Option<LocalDateTime>, FieldError> {
    match raw.trim() {
        "" => Err(FieldError::Required),
        text => LocalDateTime::parse(text)
            .map(Some)
            .ok_or(FieldError::DateTime),
    }
}

fn optional_date_time(raw: &str) -> Result<Option<LocalDateTime>, FieldError> {
    match date_time(raw) {
        Err(FieldError::Required) => Ok(None),
        other => other,
    }
}

/// A whole number from 0 to `max`; empty is 0 when `empty` is given.
pub(super) fn number(raw: &str, max: u32, empty: Option<u32>) -> Result<u32, FieldError> {
    match raw.trim() {
        "" => empty.ok_or(FieldError::Required),
        text => text
            .parse::<u32>()
            .ok()
            .filter(|n| *n <= max)
            .ok_or(FieldError::Number { max }),
    }
}

/// The most hours before its start a reminder may go (30 days).
pub const REMINDER_HOURS: u32 = 720;

/// Hours before the start a reminder goes, or `None` (empty: not sent).
/// Zero or less would be at or after the start.
fn reminder_hours(raw: &str) -> Result<Option<u32>, FieldError> {
    match raw.trim() {
        "" => Ok(None),
        text => match text.parse::<i64>() {
            Ok(n) if n <= 0 => Err(FieldError::ReminderAfterStart),
            Ok(n) => u32::try_from(n)
                .ok()
                .filter(|n| *n <= REMINDER_HOURS)
                .map(Some)
                .ok_or(FieldError::Number {
                    max: REMINDER_HOURS,
                }),
            Err(_) => Err(FieldError::Number {
                max: REMINDER_HOURS,
            }),
        },
    }
}

fn time_zone_name(raw: &str) -> Result<String, FieldError> {
    let name = form::line(raw, limits::TIME_ZONE)?;
    let plausible = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/_-+".contains(c));
    plausible.then_some(name).ok_or(FieldError::TimeZone)
}

impl EventForm {
    pub fn parse(fields: &BTreeMap<String, String>) -> Result<Self, BTreeMap<String, FieldError>> {
        let mut e = Errors::default();
        let g = |name: &str| get(fields, name);
        let slug = e.take(
            "slug",
            match g("slug").trim() {
                "" => Err(FieldError::Required),
                raw => EventSlug::parse(raw).map(Some).ok_or(FieldError::Slug),
            },
        );
        let kind = e.take("kind", choice(g("kind"), EventKind::parse));
        let format = e.take("format", choice(g("format"), EventFormat::parse));
        let visibility = e.take("visibility", choice(g("visibility"), Visibility::parse));
        let title_en = e.take("title_en", form::line(g("title_en"), limits::TITLE));
        let title_ar = e.take("title_ar", form::line(g("title_ar"), limits::TITLE));
        let summary_en = e.take(
            "summary_en",
            form::optional_text(g("summary_en"), limits::SUMMARY, true),
        );
        let summary_ar = e.take(
            "summary_ar",
            form::optional_text(g("summary_ar"), limits::SUMMARY, true),
        );
        let description_en = e.take(
            "description_en",
            form::optional_text(g("description_en"), limits::DESCRIPTION, true),
        );
        let description_ar = e.take(
            "description_ar",
            form::optional_text(g("description_ar"), limits::DESCRIPTION, true),
        );
        let city_en = e.take("city_en", optional_line(g("city_en"), limits::PLACE));
        let city_ar = e.take("city_ar", optional_line(g("city_ar"), limits::PLACE));
        let country_en = e.take("country_en", optional_line(g("country_en"), limits::PLACE));
        let country_ar = e.take("country_ar", optional_line(g("country_ar"), limits::PLACE));
        let venue = e
            .take(
                "venue",
                form::optional_text(g("venue"), limits::VENUE, true),
            )
            .trim()
            .to_owned();
        let time_zone = e.take("time_zone", time_zone_name(g("time_zone")));
        let starts = e.take("starts_at", date_time(g("starts_at")));
        let ends = e.take("ends_at", date_time(g("ends_at")));
        let registration_opens = e.take(
            "registration_opens_at",
            optional_date_time(g("registration_opens_at")),
        );
        let registration_closes = e.take(
            "registration_closes_at",
            optional_date_time(g("registration_closes_at")),
        );
        let seats_in_person = e.take(
            "seats_in_person",
            number(g("seats_in_person"), limits::SEATS, Some(0)),
        );
        let seats_online = e.take(
            "seats_online",
            number(g("seats_online"), limits::SEATS, Some(0)),
        );
        let interpretation = e.take("interpretation", languages(g("interpretation")));
        let topics = e.take("topics", super::hearing::parse_topics(g("topics")));
        let remind_first_hours = e.take(
            "remind_first_hours",
            reminder_hours(g("remind_first_hours")),
        );
        let remind_second_hours = e.take(
            "remind_second_hours",
            reminder_hours(g("remind_second_hours")),
        );
        let invitation_code = e.take(
            "invitation_code",
            optional_line(g("invitation_code"), limits::INVITATION_CODE),
        );

        // Rules between fields that need no time-zone database.
        if let Some(format) = format {
            let offers = super::AttendanceMode::offered_by(format);
            if !offers.contains(&super::AttendanceMode::InPerson) && seats_in_person > 0 {
                e.take::<()>("seats_in_person", Err(FieldError::NotOffered));
            }
            if !offers.contains(&super::AttendanceMode::Online) && seats_online > 0 {
                e.take::<()>("seats_online", Err(FieldError::NotOffered));
            }
        }
        if visibility == Some(Visibility::Closed) && invitation_code.is_none() {
            e.take::<()>("invitation_code", Err(FieldError::CodeRequired));
        }
        if invitation_code
            .as_ref()
            .is_some_and(|code| code.chars().count() < limits::INVITATION_CODE_MIN)
        {
            e.take::<()>("invitation_code", Err(FieldError::CodeTooShort));
        }
        if let (Some(starts), Some(ends)) = (starts, ends)
            && ends <= starts
        {
            e.take::<()>("ends_at", Err(FieldError::EndBeforeStart));
        }
        if let (Some(opens), Some(closes)) = (registration_opens, registration_closes)
            && closes <= opens
        {
            e.take::<()>("registration_closes_at", Err(FieldError::ClosesBeforeOpens));
        }
        e.finish(())?;
        let (Some(slug), Some(kind), Some(format), Some(visibility), Some(starts), Some(ends)) =
            (slug, kind, format, visibility, starts, ends)
        else {
            // Unreachable: each missing value has its error recorded.
            return Err(BTreeMap::from([("slug".to_owned(), FieldError::Required)]));
        };
        Ok(Self {
            slug,
            kind,
            format,
            visibility,
            title_en,
            title_ar,
            summary_en,
            summary_ar,
            description_en,
            description_ar,
            city_en,
            city_ar,
            country_en,
            country_ar,
            venue: (!venue.is_empty()).then_some(venue),
            time_zone,
            starts,
            ends,
            registration_opens,
            registration_closes,
            seats_in_person,
            seats_online,
            waitlist: form::ticked(fields, "waitlist"),
            requires_approval: form::ticked(fields, "requires_approval"),
            interpretation,
            invitation_code,
            past_end_confirmed: form::ticked(fields, "confirm_past"),
            topics,
            remind_first_hours,
            remind_second_hours,
        })
    }

    /// The interpretation languages as stored: `ar,en`.
    pub fn interpretation_codes(&self) -> String {
        self.interpretation
            .iter()
            .map(|l| l.code())
            .collect::<Vec<_>>()
            .join(",")
    }
}

fn languages(raw: &str) -> Result<Vec<InterpretationLanguage>, FieldError> {
    let mut out = Vec::new();
    for code in raw.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        let language = InterpretationLanguage::parse(code).ok_or(FieldError::Choice)?;
        if !out.contains(&language) {
            out.push(language);
        }
    }
    Ok(out)
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

    fn event_fields() -> BTreeMap<String, String> {
        fields(&[
            ("slug", "gender-consultation-2027"),
            ("kind", "consultation"),
            ("format", "hybrid"),
            ("visibility", "public"),
            ("title_en", "Gender consultation"),
            ("title_ar", "مشاورة حول النوع الاجتماعي"),
            ("time_zone", "Europe/Zurich"),
            ("starts_at", "2027-03-01T09:00"),
            ("ends_at", "2027-03-02T17:00:00"),
            ("seats_in_person", "40"),
            ("seats_online", "100"),
            ("waitlist", "on"),
            ("interpretation", "ar,en,ar"),
        ])
    }

    #[test]
    fn parses_an_event() {
        let form = EventForm::parse(&event_fields()).expect("valid");
        assert_eq!(form.slug.as_str(), "gender-consultation-2027");
        assert_eq!(form.interpretation_codes(), "ar,en");
        assert!(form.waitlist);
        assert!(!form.requires_approval);
        assert_eq!(form.venue, None);
        assert_eq!(form.registration_opens, None);
    }

    #[test]
    fn refuses_what_does_not_fit_together() {
        let mut f = event_fields();
        f.insert("format".into(), "in_person".into());
        f.insert("visibility".into(), "closed".into());
        f.insert("ends_at".into(), "2027-03-01T08:00".into());
        f.insert("registration_opens_at".into(), "2027-02-01T08:00".into());
        f.insert("registration_closes_at".into(), "2027-01-01T08:00".into());
        f.insert("slug".into(), "Bad Slug".into());
        f.insert("seats_in_person".into(), "-1".into());
        let errors = EventForm::parse(&f).expect_err("invalid");
        assert_eq!(errors.get("seats_online"), Some(&FieldError::NotOffered));
        assert_eq!(
            errors.get("invitation_code"),
            Some(&FieldError::CodeRequired)
        );
        assert_eq!(errors.get("ends_at"), Some(&FieldError::EndBeforeStart));
        assert_eq!(
            errors.get("registration_closes_at"),
            Some(&FieldError::ClosesBeforeOpens)
        );
        assert_eq!(errors.get("slug"), Some(&FieldError::Slug));
        assert_eq!(
            errors.get("seats_in_person"),
            Some(&FieldError::Number { max: limits::SEATS })
        );
    }
}
