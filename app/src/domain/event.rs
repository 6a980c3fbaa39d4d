//! Events: what kind, in what format, who may see the details, and how the
//! public list is filtered.

use serde::{Deserialize, Serialize};

code_enum! {
    /// What sort of gathering an event is.
    EventKind {
        PlatformMeeting = "platform_meeting",
        Consultation = "consultation",
        Briefing = "briefing",
        CommunityEvent = "community_event",
    }
}

code_enum! {
    /// How people attend.
    EventFormat {
        InPerson = "in_person",
        Online = "online",
        Hybrid = "hybrid",
    }
}

code_enum! {
    /// Languages offered for simultaneous interpretation.
    InterpretationLanguage {
        Ar = "ar",
        En = "en",
        Fr = "fr",
        Ku = "ku",
    }
}

impl EventFormat {
    pub fn has_venue(self) -> bool {
        matches!(self, Self::InPerson | Self::Hybrid)
    }
}

/// The URL name of an event: 1–80 lowercase ASCII letters, digits and single
/// hyphens, neither starting nor ending with a hyphen.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EventSlug(String);

impl EventSlug {
    pub const MAX_LEN: usize = 80;

    pub fn parse(raw: &str) -> Option<Self> {
        let valid = !raw.is_empty()
            && raw.len() <= Self::MAX_LEN
            && !raw.starts_with('-')
            && !raw.ends_with('-')
            && !raw.contains("--")
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        valid.then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Upcoming or past events.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum When {
    #[default]
    Upcoming,
    Past,
}

impl When {
    pub fn code(self) -> &'static str {
        match self {
            Self::Upcoming => "upcoming",
            Self::Past => "past",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "upcoming" => Some(Self::Upcoming),
            "past" => Some(Self::Past),
            _ => None,
        }
    }
}

/// A validated filter for the public events list, parsed leniently from the
/// query string: values we don't know are dropped (and reported), never fatal.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EventFilter {
    pub when: When,
    pub kind: Option<EventKind>,
    pub format: Option<EventFormat>,
    /// Trimmed search text, at most [`EventFilter::MAX_QUERY_CHARS`] characters.
    pub query: Option<String>,
    /// True when some given value was not understood and was ignored.
    pub ignored: bool,
}

impl EventFilter {
    pub const MAX_QUERY_CHARS: usize = 100;

    /// Builds a filter from raw query parameters (`when`, `kind`, `format`, `q`).
    pub fn from_params(
        when: Option<&str>,
        kind: Option<&str>,
        format: Option<&str>,
        q: Option<&str>,
    ) -> Self {
        let mut ignored = false;
        let when = lenient(when, When::parse, &mut ignored).unwrap_or_default();
        let kind = lenient(kind, EventKind::parse, &mut ignored);
        let format = lenient(format, EventFormat::parse, &mut ignored);
        Self {
            when,
            kind,
            format,
            query: q.and_then(clean_query),
            ignored,
        }
    }

    /// The same filter with its search text cleaned again: for a filter that
    /// arrived over the wire, whose enum fields serde has already checked.
    pub fn sanitized(self) -> Self {
        Self {
            query: self.query.as_deref().and_then(clean_query),
            ..self
        }
    }

    /// The query string that reproduces this filter (without the `ignored` flag).
    pub fn to_query_string(&self) -> String {
        let mut parts = vec![format!("when={}", self.when.code())];
        if let Some(kind) = self.kind {
            parts.push(format!("kind={}", kind.code()));
        }
        if let Some(format) = self.format {
            parts.push(format!("format={}", format.code()));
        }
        if let Some(q) = &self.query {
            parts.push(format!("q={}", percent_encode(q)));
        }
        parts.join("&")
    }
}

fn clean_query(raw: &str) -> Option<String> {
    Some(clean_search(raw, EventFilter::MAX_QUERY_CHARS)).filter(|q| !q.is_empty())
}

/// Parses an optional value; a value given but not understood sets `ignored`.
fn lenient<T>(
    raw: Option<&str>,
    parse: impl Fn(&str) -> Option<T>,
    ignored: &mut bool,
) -> Option<T> {
    let value = parse(raw.filter(|s| !s.is_empty())?);
    *ignored |= value.is_none();
    value
}

/// Removes control and invisible formatting characters (bidi overrides,
/// zero-width joiners), collapses whitespace and caps the length.
pub fn clean_search(raw: &str, max_chars: usize) -> String {
    raw.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().filter(|c| !is_invisible(*c)).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(max_chars)
        .collect()
}

fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(EventSlug::parse("lausanne-platform-2021").is_some());
        for bad in [
            "",
            "-a",
            "a-",
            "a--b",
            "A",
            "a b",
            "a/b",
            "ä",
            &"a".repeat(81),
        ] {
            assert!(EventSlug::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.code()), Some(*kind));
        }
        for format in EventFormat::ALL {
            assert_eq!(EventFormat::parse(format.code()), Some(*format));
        }
    }

    #[test]
    fn filter_ignores_what_it_does_not_know() {
        let f = EventFilter::from_params(
            Some("past"),
            Some("briefing"),
            Some("hybrid"),
            Some("  gender  "),
        );
        assert_eq!(f.when, When::Past);
        assert_eq!(f.kind, Some(EventKind::Briefing));
        assert_eq!(f.format, Some(EventFormat::Hybrid));
        assert_eq!(f.query.as_deref(), Some("gender"));
        assert!(!f.ignored);

        let f = EventFilter::from_params(
            Some("yesterday"),
            Some("<script>"),
            Some(""),
            Some(&"x".repeat(10_000)),
        );
        assert_eq!(f.when, When::Upcoming);
        assert_eq!(f.kind, None);
        assert_eq!(f.format, None);
        assert_eq!(
            f.query.as_ref().map(|q| q.chars().count()),
            Some(EventFilter::MAX_QUERY_CHARS)
        );
        assert!(f.ignored);
    }

    #[test]
    fn sanitized_cleans_only_the_search_text() {
        let raw = EventFilter {
            when: When::Past,
            kind: Some(EventKind::Briefing),
            format: None,
            query: Some(format!(" \u{202E}{} ", "y".repeat(500))),
            ignored: true,
        };
        let clean = raw.clone().sanitized();
        assert_eq!(
            clean.query.map(|q| q.chars().count()),
            Some(EventFilter::MAX_QUERY_CHARS)
        );
        assert_eq!(
            (clean.when, clean.kind, clean.ignored),
            (raw.when, raw.kind, raw.ignored)
        );
        let blank = EventFilter {
            query: Some("\u{200B} ".to_owned()),
            ..raw
        }
        .sanitized();
        assert_eq!(blank.query, None);
    }

    #[test]
    fn search_text_drops_invisible_characters() {
        assert_eq!(clean_search("a\u{202E}b \u{200B} c\n\td", 100), "ab c d");
    }

    #[test]
    fn query_string_round_trips() {
        let f =
            EventFilter::from_params(None, Some("consultation"), None, Some("children & youth"));
        assert_eq!(
            f.to_query_string(),
            "when=upcoming&kind=consultation&q=children+%26+youth"
        );
    }
}
