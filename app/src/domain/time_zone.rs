//! Time-zone rules: local wall-clock times in an event's IANA time zone and
//! back, as the editor's forms enter them. Server only (the time-zone
//! database stays out of the browser's WASM).

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::tz::{AmbiguousOffset, TimeZone};

use super::{EventForm, FieldError, LocalDateTime, SessionForm};

/// Field errors by field name.
pub type FieldErrors = BTreeMap<String, FieldError>;

/// The IANA time zone, or the field error.
pub fn zone(name: &str) -> Result<TimeZone, FieldError> {
    TimeZone::get(name).map_err(|_| FieldError::TimeZone)
}

/// A local time in `tz` as Unix seconds. A time skipped by a clock change
/// is refused; a time that happens twice (clocks going back) is the first.
pub fn instant(tz: &TimeZone, t: LocalDateTime) -> Result<i64, FieldError> {
    let civil = jiff::civil::DateTime::new(t.year, t.month, t.day, t.hour, t.minute, t.second, 0)
        .map_err(|_| FieldError::DateTime)?;
    let ambiguous = tz.to_ambiguous_zoned(civil);
    if matches!(ambiguous.offset(), AmbiguousOffset::Gap { .. }) {
        return Err(FieldError::NoSuchTime);
    }
    ambiguous
        .compatible()
        .map(|z| z.timestamp().as_second())
        .map_err(|_| FieldError::DateTime)
}

/// Unix seconds as the value of a `datetime-local` input in `tz`.
pub fn local_input(unix: i64, tz: &TimeZone) -> String {
    Timestamp::from_second(unix)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_zoned(tz.clone())
        .strftime("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

/// The event form with its times resolved in its time zone.
pub struct ResolvedEvent {
    pub form: EventForm,
    /// The interpretation languages' codes, comma-separated.
    pub interpretation: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub opens_at: Option<i64>,
    pub closes_at: Option<i64>,
}

/// Resolves the form's local times in its time zone and checks their order
/// (ends after starts, registration closing after opening and by the start).
pub fn resolve_event(form: EventForm) -> Result<ResolvedEvent, FieldErrors> {
    let mut errors = FieldErrors::new();
    let tz = match zone(&form.time_zone) {
        Ok(tz) => tz,
        Err(error) => return Err(FieldErrors::from([("time_zone".to_owned(), error)])),
    };
    let mut at = |field: &str, t: LocalDateTime| {
        instant(&tz, t)
            .map_err(|error| {
                errors.insert(field.to_owned(), error);
            })
            .ok()
    };
    let starts_at = at("starts_at", form.starts);
    let ends_at = at("ends_at", form.ends);
    let opens_at = form
        .registration_opens
        .and_then(|t| at("registration_opens_at", t));
    let closes_at = form
        .registration_closes
        .and_then(|t| at("registration_closes_at", t));
    if let (Some(s), Some(e)) = (starts_at, ends_at)
        && e <= s
    {
        errors.insert("ends_at".to_owned(), FieldError::EndBeforeStart);
    }
    if let (Some(o), Some(c)) = (opens_at, closes_at)
        && c <= o
    {
        errors.insert(
            "registration_closes_at".to_owned(),
            FieldError::ClosesBeforeOpens,
        );
    }
    if let Some(s) = starts_at {
        if closes_at.is_some_and(|c| c > s) {
            errors.insert(
                "registration_closes_at".to_owned(),
                FieldError::ClosesAfterStart,
            );
        }
        if opens_at.is_some_and(|o| o >= s) {
            errors.insert(
                "registration_opens_at".to_owned(),
                FieldError::OpensAfterStart,
            );
        }
    }
    match (starts_at, ends_at, errors.is_empty()) {
        (Some(starts_at), Some(ends_at), true) => Ok(ResolvedEvent {
            interpretation: form.interpretation_codes(),
            form,
            starts_at,
            ends_at,
            opens_at,
            closes_at,
        }),
        _ => Err(errors),
    }
}

/// A session's times in its event's zone, inside the event's dates.
pub fn session_times(
    tz: &TimeZone,
    form: &SessionForm,
    event_starts_at: i64,
    event_ends_at: i64,
) -> Result<(i64, i64), FieldErrors> {
    let mut errors = FieldErrors::new();
    let starts_at = instant(tz, form.starts)
        .map_err(|e| errors.insert("starts_at".to_owned(), e))
        .ok();
    let ends_at = instant(tz, form.ends)
        .map_err(|e| errors.insert("ends_at".to_owned(), e))
        .ok();
    if let (Some(s), Some(e)) = (starts_at, ends_at) {
        if e <= s {
            errors.insert("ends_at".to_owned(), FieldError::EndBeforeStart);
        }
        if s < event_starts_at || s >= event_ends_at {
            errors.insert("starts_at".to_owned(), FieldError::OutsideEvent);
        }
        if e > event_ends_at {
            errors.insert("ends_at".to_owned(), FieldError::OutsideEvent);
        }
    }
    match (starts_at, ends_at, errors.is_empty()) {
        (Some(s), Some(e), true) => Ok((s, e)),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_resolve_in_their_zone() {
        let zurich = zone("Europe/Zurich").expect("known");
        let t = |s: &str| LocalDateTime::parse(s).expect("valid");
        let winter = instant(&zurich, t("2027-01-10T09:00")).expect("exists");
        assert_eq!(
            Timestamp::from_second(winter)
                .map(|t| t.to_string())
                .ok()
                .as_deref(),
            Some("2027-01-10T08:00:00Z")
        );
        // 02:30 on the last Sunday of March does not exist in Zurich.
        assert_eq!(
            instant(&zurich, t("2027-03-28T02:30")),
            Err(FieldError::NoSuchTime)
        );
        // 02:30 on the last Sunday of October happens twice: the first one.
        let fold = instant(&zurich, t("2027-10-31T02:30")).expect("exists");
        assert_eq!(
            Timestamp::from_second(fold)
                .map(|t| t.to_string())
                .ok()
                .as_deref(),
            Some("2027-10-31T00:30:00Z")
        );
        assert_eq!(local_input(winter, &zurich), "2027-01-10T09:00:00");
        assert_eq!(zone("Mars/Olympus").err(), Some(FieldError::TimeZone));
    }
}
