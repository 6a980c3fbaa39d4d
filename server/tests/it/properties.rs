//! Property tests (`proptest`): every domain parser and the Markdown
//! sanitiser take arbitrary input without panicking, and what they accept
//! round-trips where that applies.

use std::collections::BTreeMap;

use app::domain::bulletin::{BulletinForm, BulletinSlug};
use app::domain::event::EventSlug;
use app::domain::organisation::OrganisationForm;
use app::domain::search::{normalize, query_words};
use app::domain::subscriber::SubscribeForm;
use app::domain::{
    AttendanceMode, Email, EventFilter, EventFormat, InterpretationLanguage, RegistrationForm,
};
use app::domain::{EventForm, LocalDateTime, MeetingUrl, SessionForm};
use app::server::markdown;
use proptest::prelude::*;

/// Any text, weighted towards what breaks parsers: markup, quotes, bidi
/// controls, Arabic, long runs.
fn nasty() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ -~]{0,80}",
        "[<>\"'&;=/\\\\%\\u{202E}\\u{200B}\\u{0600}-\\u{06FF}a-z0-9 @.:-]{0,120}",
    ]
}

fn fields(names: &'static [&'static str]) -> impl Strategy<Value = BTreeMap<String, String>> {
    proptest::collection::vec(nasty(), names.len())
        .prop_map(move |values| names.iter().map(|n| (*n).to_owned()).zip(values).collect())
}

const REGISTRATION: &[&str] = &[
    "name",
    "organisation",
    "role",
    "email",
    "mode",
    "interpretation",
    "accessibility",
    "consent",
    "invitation_code",
];
const EVENT: &[&str] = &[
    "slug",
    "kind",
    "format",
    "visibility",
    "title_en",
    "title_ar",
    "summary_en",
    "summary_ar",
    "time_zone",
    "starts_at",
    "ends_at",
    "registration_opens_at",
    "registration_closes_at",
    "seats_in_person",
    "seats_online",
    "invitation_code",
    "venue",
    "city_en",
];
const SESSION: &[&str] = &[
    "title_en",
    "title_ar",
    "starts_at",
    "ends_at",
    "room",
    "meeting_url",
    "join_minutes_before",
];

/// The attributes of a tag's text (`a href="x" rel="y"`), as the sanitiser
/// writes them: names, then `="value"` with `"` escaped inside.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = tag.split_once(' ').map_or("", |(_, r)| r);
    while let Some(eq) = rest.find('=') {
        let name = rest[..eq].trim().to_owned();
        let after = &rest[eq + 1..];
        let Some(value) = after.strip_prefix('"') else {
            break;
        };
        let end = value.find('"').unwrap_or(value.len());
        found.push((name, value[..end].to_owned()));
        rest = value.get(end + 1..).unwrap_or("");
    }
    found
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn emails_parse_or_refuse_and_accepted_ones_round_trip(raw in nasty()) {
        if let Ok(email) = Email::parse(&raw) {
            let again = Email::parse(email.as_str()).expect("an accepted address parses again");
            prop_assert_eq!(again.as_str(), email.as_str());
        }
    }

    /// Every address the forms accept is one the mail transport sends to:
    /// nobody is told "check your email" for a link that cannot go out.
    #[test]
    fn accepted_emails_are_deliverable(
        raw in prop_oneof![
            nasty(),
            "[a-z0-9,;:()<>\\[\\]\"\\\\!#$%&'*+/=?^_`{|}~.\u{0600}-\u{06FF}-]{1,20}@[a-z0-9.\u{0600}-\u{06FF}_-]{1,20}\\.[a-z\u{0600}-\u{06FF}]{2,5}",
        ],
    ) {
        if let Ok(email) = Email::parse(&raw) {
            let sendable = email.as_str().parse::<lettre::Address>();
            prop_assert!(sendable.is_ok(), "{:?} accepted but lettre refuses it", email.as_str());
        }
    }

    #[test]
    fn slugs_round_trip(raw in nasty()) {
        if let Some(slug) = EventSlug::parse(&raw) {
            prop_assert_eq!(EventSlug::parse(slug.as_str()), Some(slug.clone()));
        }
        if let Some(slug) = BulletinSlug::parse(&raw) {
            prop_assert!(BulletinSlug::parse(slug.as_str()).is_some());
        }
    }

    #[test]
    fn forms_never_panic(
        registration in fields(REGISTRATION),
        event in fields(EVENT),
        session in fields(SESSION),
        raw in nasty(),
    ) {
        for format in EventFormat::ALL {
            let _ = RegistrationForm::parse(&registration, *format, InterpretationLanguage::ALL, true);
            let _ = SessionForm::parse(&session, *format);
        }
        let _ = EventForm::parse(&event);
        let _ = OrganisationForm::parse(&registration);
        let _ = SubscribeForm::parse(&registration);
        let _ = BulletinForm::parse(&event);
        let _ = LocalDateTime::parse(&raw);
        let _ = MeetingUrl::parse(&raw);
        let _ = AttendanceMode::parse(&raw);
        let filter = EventFilter::from_params(Some(&raw), Some(&raw), Some(&raw), Some(&raw));
        prop_assert!(filter.query.is_none_or(|q| q.chars().count() <= EventFilter::MAX_QUERY_CHARS));
    }

    #[test]
    fn search_normalisation_is_idempotent(raw in nasty()) {
        let once = normalize(&raw);
        prop_assert_eq!(normalize(&once), once);
        let _ = query_words(&raw);
    }

    #[test]
    fn the_sanitiser_never_lets_script_through(raw in nasty(), payload in prop_oneof![
        Just("<script>alert(1)</script>"),
        Just("[x](javascript:alert(1))"),
        Just("<img src=x onerror=alert(1)>"),
        Just("<svg onload=alert(1)>"),
        Just("![x](data:text/html;base64,PHNjcmlwdD4=)"),
        Just("<a href=\"vbscript:x\">x</a>"),
        Just("<div style=\"background:url(javascript:x)\">x</div>"),
    ]) {
        let html = markdown::render(&format!("{raw}\n\n{payload}\n\n{raw}"));
        // Text is escaped, so every `<` left opens a tag the sanitiser kept.
        for tag in html.split('<').skip(1).map(|t| t.split('>').next().unwrap_or("").to_lowercase()) {
            let name = tag.trim_start_matches('/').split([' ', '/']).next().unwrap_or("");
            prop_assert!(!["script", "svg", "style", "iframe", "object"].contains(&name), "{}", html);
            for (attribute, value) in attributes(&tag) {
                prop_assert!(!attribute.starts_with("on") && attribute != "style", "{}", html);
                let value = value.trim_start();
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    prop_assert!(!value.starts_with(scheme), "{}", html);
                }
            }
        }
        // Sanitised output rendered again stays safe.
        prop_assert!(!markdown::render(&html).to_lowercase().contains("<script"));
    }
}
