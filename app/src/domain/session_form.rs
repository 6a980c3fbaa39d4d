//! One agenda session as the editor's form sends it, and its secret meeting
//! address. Whether the session's times fall inside its event is checked on
//! the server (it needs the time-zone database).

use std::collections::BTreeMap;

use super::event_form::{date_time, get, limits, number, optional_line};
use super::form::{self, Errors, FieldError};
use super::{EventFormat, LocalDateTime};

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
    /// Which language on which interpretation channel.
    pub interpretation: Vec<super::material::Channel>,
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
        let interpretation = e.take(
            "interpretation",
            super::material::parse_channels(g("interpretation")),
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
            interpretation,
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
