//! Dates and times as people read them, in English and Arabic, formatted on
//! the server so the browser needs no time-zone database.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

use crate::domain::Lang;
use crate::server::db::events::EventRow;

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
/// Month names as used in Syria and the Levant.
const MONTHS_AR: [&str; 12] = [
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
];
/// A Unix timestamp (seconds) seen in a time zone; invalid values clamp to the epoch.
pub fn zoned(unix_seconds: i64, tz: &TimeZone) -> Zoned {
    Timestamp::from_second(unix_seconds)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_zoned(tz.clone())
}

/// The time zone by IANA name, UTC if unknown.
pub fn time_zone(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap_or(TimeZone::UTC)
}

/// "Europe/Amsterdam, UTC+01:00" at the given moment.
pub fn time_zone_label(name: &str, at: &Zoned) -> String {
    let seconds = at.offset().seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let (h, m) = (seconds.abs() / 3600, seconds.abs() % 3600 / 60);
    format!("{name}, UTC{sign}{h:02}:{m:02}")
}

pub fn rfc3339(at: &Zoned) -> String {
    at.timestamp().strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn month(lang: Lang, date: Date) -> &'static str {
    let i = usize::try_from(date.month() - 1).unwrap_or(0);
    match lang {
        Lang::En => MONTHS_EN[i],
        Lang::Ar => MONTHS_AR[i],
    }
}

fn weekday(lang: Lang, date: Date) -> &'static str {
    lang.weekday(usize::try_from(date.weekday().to_monday_zero_offset()).unwrap_or(0))
}

/// "18 November 2021".
pub fn date(lang: Lang, date: Date) -> String {
    lang.digits(&format!(
        "{} {} {}",
        date.day(),
        month(lang, date),
        date.year()
    ))
}

/// "Thursday 18 November".
pub fn day_heading(lang: Lang, d: Date) -> String {
    let text = match lang {
        Lang::En => format!("{} {} {}", weekday(lang, d), d.day(), month(lang, d)),
        Lang::Ar => format!("{}، {} {}", weekday(lang, d), d.day(), month(lang, d)),
    };
    lang.digits(&text)
}

fn clock(dt: DateTime) -> String {
    format!("{:02}:{:02}", dt.hour(), dt.minute())
}

/// "18 November 2021, 09:30".
/// "29 Nov 2026, 14:05" in UTC: staff pages show one clock.
pub fn staff_moment(lang: Lang, unix: i64) -> String {
    moment(lang, &zoned(unix, &jiff::tz::TimeZone::UTC))
}

pub fn moment(lang: Lang, at: &Zoned) -> String {
    let comma = if lang == Lang::Ar { "،" } else { "," };
    format!(
        "{}{comma} {}",
        date(lang, at.date()),
        lang.digits(&clock(at.datetime()))
    )
}

/// "09:30".
pub fn time_of_day(lang: Lang, at: &Zoned) -> String {
    lang.digits(&clock(at.datetime()))
}

/// "09:30–11:00".
pub fn time_range(lang: Lang, start: &Zoned, end: &Zoned) -> String {
    lang.digits(&format!(
        "{}–{}",
        clock(start.datetime()),
        clock(end.datetime())
    ))
}

/// A session's day and times: "Tuesday 1 December, 09:30–11:00".
pub fn day_and_times(lang: Lang, start: &Zoned, end: &Zoned) -> String {
    let separator = if lang == Lang::Ar { "، " } else { ", " };
    format!(
        "{}{separator}{}",
        day_heading(lang, start.date()),
        time_range(lang, start, end)
    )
}

/// The span of an event, compactly: "18 November 2021, 09:00–17:00",
/// "18–19 November 2021", "30 November – 1 December 2021".
pub fn date_range(lang: Lang, start: &Zoned, end: &Zoned) -> String {
    let (s, e) = (start.date(), end.date());
    // An event ending at midnight belongs to the day before.
    let e = if end.time() == jiff::civil::Time::midnight() && e > s {
        e.yesterday().unwrap_or(e)
    } else {
        e
    };
    if s == e {
        let comma = if lang == Lang::Ar { "،" } else { "," };
        return format!("{}{comma} {}", date(lang, s), time_range(lang, start, end));
    }
    let text = if s.year() == e.year() && s.month() == e.month() {
        format!("{}–{} {} {}", s.day(), e.day(), month(lang, s), s.year())
    } else if s.year() == e.year() {
        format!(
            "{} {} – {} {} {}",
            s.day(),
            month(lang, s),
            e.day(),
            month(lang, e),
            e.year()
        )
    } else {
        format!("{} – {}", date(lang, s), date(lang, e))
    };
    lang.digits(&text)
}

/// "City, country" in the reader's language, if the event has either.
pub fn place(lang: Lang, row: &EventRow) -> Option<String> {
    let (city, country) = match lang {
        Lang::En => (&row.city_en, &row.country_en),
        Lang::Ar => (&row.city_ar, &row.country_ar),
    };
    let separator = if lang == Lang::Ar { "، " } else { ", " };
    let parts: Vec<&str> = [city, country]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    (!parts.is_empty()).then(|| parts.join(separator))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Zoned {
        s.parse().expect("valid zoned datetime")
    }

    #[test]
    fn ranges_in_both_languages() {
        let a = at("2021-11-18T09:00[Europe/Zurich]");
        let b = at("2021-11-19T17:00[Europe/Zurich]");
        assert_eq!(date_range(Lang::En, &a, &b), "18–19 November 2021");
        assert_eq!(date_range(Lang::Ar, &a, &b), "١٨–١٩ تشرين الثاني ٢٠٢١");
        let c = at("2021-11-18T17:30[Europe/Zurich]");
        assert_eq!(
            date_range(Lang::En, &a, &c),
            "18 November 2021, 09:00–17:30"
        );
        let d = at("2021-12-01T12:00[Europe/Zurich]");
        assert_eq!(
            date_range(Lang::En, &a, &d),
            "18 November – 1 December 2021"
        );
        let e = at("2022-01-01T12:00[Europe/Zurich]");
        assert_eq!(
            date_range(Lang::En, &a, &e),
            "18 November 2021 – 1 January 2022"
        );
        assert_eq!(day_heading(Lang::En, a.date()), "Thursday 18 November");
        assert_eq!(day_heading(Lang::Ar, a.date()), "الخميس، ١٨ تشرين الثاني");
    }

    #[test]
    fn time_zone_labels() {
        let a = at("2021-11-18T09:00[Europe/Zurich]");
        assert_eq!(
            time_zone_label("Europe/Zurich", &a),
            "Europe/Zurich, UTC+01:00"
        );
        assert_eq!(rfc3339(&a), "2021-11-18T08:00:00Z");
        assert_eq!(time_zone("Not/AZone"), TimeZone::UTC);
    }
}
