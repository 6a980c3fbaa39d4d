//! The staff editor's forms: an event and one of its agenda sessions, parsed
//! once into values deeper code can trust. What needs the time-zone database
//! (local times to instants, their order) or the database (seats taken, a
//! slug in use) is checked on the server, after this parse.

use std::collections::BTreeMap;

use super::form::{self, Errors, FieldError};
use super::{EventFormat, EventKind, EventSlug, InterpretationLanguage};

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

/// A wall-clock date and time without a zone, as `<input
/// type="datetime-local">` sends it: `YYYY-MM-DDTHH:MM` or
/// `YYYY-MM-DDTHH:MM:SS`. The server turns it into an instant in the event's
/// time zone.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalDateTime {
    pub year: i16,
    pub month: i8,
    pub day: i8,
    pub hour: i8,
    pub minute: i8,
    pub second: i8,
}

impl LocalDateTime {
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let (date, time) = raw.split_once(['T', ' '])?;
        let mut d = date.split('-');
        let (year, month, day) = (d.next()?, d.next()?, d.next()?);
        if d.next().is_some() || year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return None;
        }
        let mut t = time.split(':');
        let (hour, minute, second) = (t.next()?, t.next()?, t.next().unwrap_or("00"));
        if t.next().is_some() || hour.len() != 2 || minute.len() != 2 || second.len() != 2 {
            return None;
        }
        let num = |s: &str| -> Option<i16> {
            s.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| s.parse().ok())
                .flatten()
        };
        let small = |s: &str| num(s).and_then(|n| i8::try_from(n).ok());
        let value = Self {
            year: num(year)?,
            month: small(month)?,
            day: small(day)?,
            hour: small(hour)?,
            minute: small(minute)?,
            second: small(second)?,
        };
        let valid = (1900..=2200).contains(&value.year)
            && (1..=12).contains(&value.month)
            && (1..=days_in_month(value.year, value.month)).contains(&value.day)
            && (0..=23).contains(&value.hour)
            && (0..=59).contains(&value.minute)
            && (0..=59).contains(&value.second);
        valid.then_some(value)
    }

    /// The value for a `datetime-local` input, seconds included.
    pub fn to_input(self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

fn days_in_month(year: i16, month: i8) -> i8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// A meeting address: `https://`, a host with a dot, no spaces, quotes or
/// angle brackets, no user name or password. Secret: shown only in the
/// editor and behind `/join/…`.
#[derive(Clone, PartialEq, Eq)]
pub struct MeetingUrl(String);

impl std::fmt::Debug for MeetingUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MeetingUrl(…)")
    }
}

impl MeetingUrl {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let raw = raw.trim();
        if raw.chars().count() > limits::MEETING_URL {
            return Err(FieldError::TooLong {
                max: limits::MEETING_URL,
            });
        }
        let Some(rest) = raw
            .get(..8)
            .filter(|scheme| scheme.eq_ignore_ascii_case("https://"))
            .map(|_| &raw[8..])
        else {
            return Err(FieldError::Https);
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        let valid = !raw
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\"'`\\{}|^".contains(c))
            && !authority.contains('@')
            && host.contains('.')
            && !host.contains("..")
            && !host.starts_with(['.', '-'])
            && !host.ends_with(['.', '-'])
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
            && port.is_none_or(|p| {
                !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit())
            });
        if valid {
            Ok(Self(format!("https://{rest}")))
        } else {
            Err(FieldError::Url)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

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
}

fn get<'a>(fields: &'a BTreeMap<String, String>, name: &str) -> &'a str {
    fields.get(name).map_or("", String::as_str)
}

fn choice<T>(raw: &str, parse: impl Fn(&str) -> Option<T>) -> Result<Option<T>, FieldError> {
    match raw.trim() {
        "" => Err(FieldError::Required),
        code => parse(code).map(Some).ok_or(FieldError::Choice),
    }
}

fn optional_line(raw: &str, max: usize) -> Result<Option<String>, FieldError> {
    match form::line(raw, max) {
        Ok(text) => Ok(Some(text)),
        Err(FieldError::Required) => Ok(None),
        Err(error) => Err(error),
    }
}

fn date_time(raw: &str) -> Result<Option<LocalDateTime>, FieldError> {
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
fn number(raw: &str, max: u32, empty: Option<u32>) -> Result<u32, FieldError> {
    match raw.trim() {
        "" => empty.ok_or(FieldError::Required),
        text => text
            .parse::<u32>()
            .ok()
            .filter(|n| *n <= max)
            .ok_or(FieldError::Number { max }),
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

/// One agenda session, checked field by field. Whether its times fall
/// inside the event is checked on the server (it needs the time zone).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionForm {
    pub title_en: String,
    pub title_ar: String,
    pub starts: LocalDateTime,
    pub ends: LocalDateTime,
    pub room: Option<String>,
    pub meeting_url: Option<MeetingUrl>,
    pub join_minutes_before: u32,
}

impl SessionForm {
    /// For a session of an event of `format`: an online event's sessions
    /// need a meeting address and have no room; an in-person event's have
    /// no meeting address; a hybrid event's may have either or both.
    pub fn parse(
        fields: &BTreeMap<String, String>,
        format: EventFormat,
    ) -> Result<Self, BTreeMap<String, FieldError>> {
        let mut e = Errors::default();
        let g = |name: &str| get(fields, name);
        let title_en = e.take("title_en", form::line(g("title_en"), limits::TITLE));
        let title_ar = e.take("title_ar", form::line(g("title_ar"), limits::TITLE));
        let starts = e.take("starts_at", date_time(g("starts_at")));
        let ends = e.take("ends_at", date_time(g("ends_at")));
        let room = e.take("room", optional_line(g("room"), limits::ROOM));
        let meeting_url = e.take(
            "meeting_url",
            match g("meeting_url").trim() {
                "" => Ok(None),
                raw => MeetingUrl::parse(raw).map(Some),
            },
        );
        let join_minutes_before = e.take(
            "join_minutes_before",
            number(
                g("join_minutes_before"),
                limits::JOIN_MINUTES,
                Some(limits::JOIN_MINUTES_DEFAULT),
            ),
        );
        if !format.has_venue() && room.is_some() {
            e.take::<()>("room", Err(FieldError::NotOffered));
        }
        match format {
            EventFormat::InPerson if meeting_url.is_some() => {
                e.take::<()>("meeting_url", Err(FieldError::NotOffered));
            }
            EventFormat::Online if meeting_url.is_none() && g("meeting_url").trim().is_empty() => {
                e.take::<()>("meeting_url", Err(FieldError::Required));
            }
            _ => {}
        }
        if let (Some(starts), Some(ends)) = (starts, ends)
            && ends <= starts
        {
            e.take::<()>("ends_at", Err(FieldError::EndBeforeStart));
        }
        e.finish(())?;
        let (Some(starts), Some(ends)) = (starts, ends) else {
            return Err(BTreeMap::from([(
                "starts_at".to_owned(),
                FieldError::Required,
            )]));
        };
        Ok(Self {
            title_en,
            title_ar,
            starts,
            ends,
            room,
            meeting_url,
            join_minutes_before,
        })
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
    fn local_date_times() {
        let t = LocalDateTime::parse("2027-03-01T09:05").expect("valid");
        assert_eq!(t.to_input(), "2027-03-01T09:05:00");
        assert_eq!(
            LocalDateTime::parse("2028-02-29T23:59:59").map(LocalDateTime::to_input),
            Some("2028-02-29T23:59:59".to_owned())
        );
        for bad in [
            "",
            "2027-02-29T10:00",
            "2027-13-01T10:00",
            "2027-01-01T24:00",
            "2027-1-01T10:00",
            "2027-01-01",
            "2027-01-01T10:00:00:00",
            "+027-01-01T10:00",
            "2027-01-01T10:60",
        ] {
            assert_eq!(LocalDateTime::parse(bad), None, "{bad:?}");
        }
        assert!(
            LocalDateTime::parse("2027-01-01T10:00") < LocalDateTime::parse("2027-01-01T10:00:01")
        );
    }

    #[test]
    fn meeting_urls_are_strict() {
        assert_eq!(
            MeetingUrl::parse(" https://meet.example.org/abc?pwd=1 ").map(|u| u.0),
            Ok("https://meet.example.org/abc?pwd=1".to_owned())
        );
        assert!(MeetingUrl::parse("https://meet.example.org:8443/x").is_ok());
        assert_eq!(
            MeetingUrl::parse("http://meet.example.org/x"),
            Err(FieldError::Https)
        );
        assert_eq!(
            MeetingUrl::parse("javascript:alert(1)"),
            Err(FieldError::Https)
        );
        for bad in [
            "https://",
            "https://localhost/x",
            "https://user:pw@meet.example.org/",
            "https://meet.example.org/a b",
            "https://meet.example.org/\"><script>",
            "https://meet..example.org/",
            "https://meet.example.org:/",
        ] {
            assert_eq!(MeetingUrl::parse(bad), Err(FieldError::Url), "{bad:?}");
        }
        assert_eq!(
            format!("{:?}", MeetingUrl::parse("https://meet.example.org/secret")),
            "Ok(MeetingUrl(…))"
        );
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

    #[test]
    fn sessions_follow_the_event_format() {
        let base = fields(&[
            ("title_en", "Opening"),
            ("title_ar", "الافتتاح"),
            ("starts_at", "2027-03-01T09:00"),
            ("ends_at", "2027-03-01T10:00"),
        ]);
        let s = SessionForm::parse(&base, EventFormat::Hybrid).expect("valid");
        assert_eq!(s.join_minutes_before, 15);
        assert_eq!(
            SessionForm::parse(&base, EventFormat::Online)
                .err()
                .and_then(|e| e.get("meeting_url").copied()),
            Some(FieldError::Required)
        );
        let mut with_url = base.clone();
        with_url.insert("meeting_url".into(), "https://meet.example.org/x".into());
        with_url.insert("room".into(), "Room 1".into());
        with_url.insert("join_minutes_before".into(), "1441".into());
        let errors = SessionForm::parse(&with_url, EventFormat::InPerson).expect_err("invalid");
        assert_eq!(errors.get("meeting_url"), Some(&FieldError::NotOffered));
        assert_eq!(
            errors.get("join_minutes_before"),
            Some(&FieldError::Number { max: 1440 })
        );
        assert_eq!(errors.get("room"), None);
    }
}
