//! Wall-clock dates and times: as `<input type="datetime-local">` sends them,
//! before the server resolves them in an event's time zone, and as the
//! reader's own clock shows a moment.

use super::Lang;

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

/// What a clock `offset_minutes` east of UTC shows at a moment: the weekday
/// (Monday being 0), the hour and the minute. The browser knows its reader's
/// offset (`Date.getTimezoneOffset`) without a time-zone database, and
/// without `Intl`, whose first formatter costs a slow phone ~90 ms.
pub fn clock_at(unix_ms: i64, offset_minutes: i32) -> (usize, i64, i64) {
    let minutes = unix_ms.div_euclid(60_000) + i64::from(offset_minutes);
    let (days, of_day) = (minutes.div_euclid(1440), minutes.rem_euclid(1440));
    // 1 January 1970 was a Thursday.
    let weekday = usize::try_from((days + 3).rem_euclid(7)).unwrap_or(0);
    (weekday, of_day / 60, of_day % 60)
}

fn hh_mm(lang: Lang, hour: i64, minute: i64) -> String {
    lang.digits(&format!("{hour:02}:{minute:02}"))
}

/// A moment on the reader's clock: "Tue 10:30 GMT+3".
pub fn reader_moment(lang: Lang, at_ms: i64, offset_minutes: i32) -> String {
    let (weekday, hour, minute) = clock_at(at_ms, offset_minutes);
    format!(
        "{} {} {}",
        lang.weekday_short(weekday),
        hh_mm(lang, hour, minute),
        lang.gmt(offset_minutes)
    )
}

/// A session on the reader's clock: "Tue 10:30 – 12:00 GMT+3", each end at
/// the offset the reader's clock has then.
pub fn reader_range(
    lang: Lang,
    (starts_ms, start_offset): (i64, i32),
    (ends_ms, end_offset): (i64, i32),
) -> String {
    let (weekday, hour, minute) = clock_at(starts_ms, start_offset);
    let (_, end_hour, end_minute) = clock_at(ends_ms, end_offset);
    format!(
        "{} {} – {} {}",
        lang.weekday_short(weekday),
        hh_mm(lang, hour, minute),
        hh_mm(lang, end_hour, end_minute),
        lang.gmt(end_offset)
    )
}

fn days_in_month(year: i16, month: i8) -> i8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readers_clock() {
        // Tuesday 1 December 2026, 07:30 UTC.
        let at = 1_796_110_200_000;
        assert_eq!(clock_at(at, 0), (1, 7, 30));
        assert_eq!(clock_at(at, 180), (1, 10, 30));
        assert_eq!(clock_at(at, -480), (0, 23, 30));
        assert_eq!(clock_at(at, 16 * 60 + 30), (2, 0, 0));
        // Before 1970 too.
        assert_eq!(clock_at(-60_000, 0), (2, 23, 59));
        assert_eq!(reader_moment(Lang::En, at, 180), "Tue 10:30 GMT+3");
        assert_eq!(reader_moment(Lang::Ar, at, 180), "الثلاثاء ١٠:٣٠ غرينتش+٣");
        assert_eq!(
            reader_range(Lang::En, (at, -300), (at + 90 * 60_000, -300)),
            "Tue 02:30 – 04:00 GMT-5"
        );
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
}
