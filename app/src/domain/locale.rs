//! The two languages of the site. Every page lives under `/en/…` or `/ar/…`.

use serde::{Deserialize, Serialize};

use crate::i18n::Locale;

const WEEKDAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const WEEKDAYS_AR: [&str; 7] = [
    "الاثنين",
    "الثلاثاء",
    "الأربعاء",
    "الخميس",
    "الجمعة",
    "السبت",
    "الأحد",
];

/// A language the site is written in. Parsing is the only way in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Ar,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ar];

    /// The language a path is under (`/ar/events` → Arabic), if any.
    pub fn of_path(path: &str) -> Option<Self> {
        let rest = path.strip_prefix('/')?;
        Self::parse(rest.split('/').next().unwrap_or(""))
    }

    /// Of a text kept in both languages, the reader's, falling back to the
    /// other one when it is empty.
    pub fn pick<'a>(self, en: &'a str, ar: &'a str) -> &'a str {
        match self {
            Lang::En if !en.is_empty() => en,
            Lang::Ar if !ar.is_empty() => ar,
            Lang::En => ar,
            Lang::Ar => en,
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "en" => Some(Self::En),
            "ar" => Some(Self::Ar),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Ar => "ar",
        }
    }

    pub fn dir(self) -> &'static str {
        match self {
            Self::En => "ltr",
            Self::Ar => "rtl",
        }
    }

    pub fn other(self) -> Self {
        match self {
            Self::En => Self::Ar,
            Self::Ar => Self::En,
        }
    }

    pub fn locale(self) -> Locale {
        match self {
            Self::En => Locale::en,
            Self::Ar => Locale::ar,
        }
    }

    /// The name of a weekday, Monday being 0.
    pub fn weekday(self, monday_zero: usize) -> &'static str {
        let names = match self {
            Self::En => &WEEKDAYS_EN,
            Self::Ar => &WEEKDAYS_AR,
        };
        names[monday_zero % 7]
    }

    /// A weekday where space is short: "Tue"; Arabic has no shorter form.
    pub fn weekday_short(self, monday_zero: usize) -> &'static str {
        let name = self.weekday(monday_zero);
        match self {
            Self::En => &name[..3],
            Self::Ar => name,
        }
    }

    /// A clock's offset from UTC as travellers know it: "GMT+3", "GMT-3:30",
    /// "GMT"; "غرينتش+٣" in Arabic.
    pub fn gmt(self, offset_minutes: i32) -> String {
        let name = match self {
            Self::En => "GMT",
            Self::Ar => "غرينتش",
        };
        if offset_minutes == 0 {
            return name.to_owned();
        }
        let sign = if offset_minutes < 0 { '-' } else { '+' };
        let (h, m) = (offset_minutes.abs() / 60, offset_minutes.abs() % 60);
        let offset = if m == 0 {
            format!("{sign}{h}")
        } else {
            format!("{sign}{h}:{m:02}")
        };
        format!("{name}{}", self.digits(&offset))
    }

    /// Writes digits as the reader expects: Arabic-Indic in Arabic.
    pub fn digits(self, text: &str) -> String {
        match self {
            Self::En => text.to_owned(),
            Self::Ar => text
                .chars()
                .map(|c| match c.to_digit(10) {
                    Some(d) => char::from_u32(0x0660 + d).unwrap_or(c),
                    None => c,
                })
                .collect(),
        }
    }

    /// A number of days, with the noun in the form the number takes (Arabic
    /// has one for 1, 2, 3–10, 11–99 and hundreds).
    pub fn days(self, n: u32) -> String {
        let number = self.digits(&n.to_string());
        match self {
            Self::En if n == 1 => "1 day".to_owned(),
            Self::En => format!("{n} days"),
            Self::Ar => match (n, n % 100) {
                (1, _) => "يوم واحد".to_owned(),
                (2, _) => "يومان".to_owned(),
                (_, 3..=10) => format!("{number} أيام"),
                (_, 11..=99) => format!("{number} يومًا"),
                _ => format!("{number} يوم"),
            },
        }
    }

    /// Picks a language from an `Accept-Language` header value, honouring
    /// q-values; English when nothing we speak is asked for.
    pub fn negotiate(accept_language: &str) -> Self {
        accept_language
            .split(',')
            .filter_map(|item| {
                let mut parts = item.trim().split(';');
                let tag = parts.next()?.trim();
                let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
                let lang = Self::parse(&primary)?;
                let q = parts
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
                (q > 0.0).then_some((lang, q))
            })
            .fold(None::<(Lang, f32)>, |best, (lang, q)| match best {
                Some((_, best_q)) if best_q >= q => best,
                _ => Some((lang, q)),
            })
            .map_or(Self::En, |(lang, _)| lang)
    }

    /// Replaces the language prefix of a path (`/en/events` → `/ar/events`).
    /// Paths without a language prefix go to the language's home page.
    pub fn switch_path(self, path: &str) -> String {
        let rest = path
            .strip_prefix('/')
            .and_then(|p| {
                let (first, rest) = p.split_once('/').unwrap_or((p, ""));
                Self::parse(first).map(|_| rest)
            })
            .unwrap_or("");
        if rest.is_empty() {
            format!("/{}", self.code())
        } else {
            format!("/{}/{}", self.code(), rest)
        }
    }
}

stored_as_code!(Lang);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_by_quality() {
        assert_eq!(Lang::negotiate("ar-SY,ar;q=0.9,en;q=0.8"), Lang::Ar);
        assert_eq!(Lang::negotiate("en-GB,ar;q=0.5"), Lang::En);
        assert_eq!(Lang::negotiate("fr-FR, ar;q=0.7, en;q=0.3"), Lang::Ar);
        assert_eq!(Lang::negotiate("de"), Lang::En);
        assert_eq!(Lang::negotiate(""), Lang::En);
        assert_eq!(Lang::negotiate("ar;q=0"), Lang::En);
        assert_eq!(Lang::negotiate("ar;q=abc, en"), Lang::En);
    }

    #[test]
    fn language_of_a_path() {
        assert_eq!(Lang::of_path("/ar/events"), Some(Lang::Ar));
        assert_eq!(Lang::of_path("/en"), Some(Lang::En));
        assert_eq!(Lang::of_path("/api/x"), None);
        assert_eq!(Lang::of_path("en/x"), None);
        assert_eq!(Lang::En.pick("", "عربي"), "عربي");
        assert_eq!(Lang::Ar.pick("English", "عربي"), "عربي");
    }

    #[test]
    fn weekdays_and_offsets() {
        assert_eq!(Lang::En.weekday_short(1), "Tue");
        assert_eq!(Lang::Ar.weekday_short(1), "الثلاثاء");
        assert_eq!(Lang::En.weekday(6), "Sunday");
        assert_eq!(Lang::En.gmt(180), "GMT+3");
        assert_eq!(Lang::En.gmt(-210), "GMT-3:30");
        assert_eq!(Lang::En.gmt(345), "GMT+5:45");
        assert_eq!(Lang::En.gmt(0), "GMT");
        assert_eq!(Lang::Ar.gmt(120), "غرينتش+٢");
    }

    #[test]
    fn days_take_the_noun_form_of_their_number() {
        assert_eq!(Lang::En.days(1), "1 day");
        assert_eq!(Lang::En.days(90), "90 days");
        assert_eq!(Lang::Ar.days(2), "يومان");
        assert_eq!(Lang::Ar.days(7), "٧ أيام");
        assert_eq!(Lang::Ar.days(90), "٩٠ يومًا");
        assert_eq!(Lang::Ar.days(100), "١٠٠ يوم");
        assert_eq!(Lang::Ar.days(365), "٣٦٥ يومًا");
    }

    #[test]
    fn switches_the_prefix_only() {
        assert_eq!(Lang::Ar.switch_path("/en/events/x"), "/ar/events/x");
        assert_eq!(Lang::En.switch_path("/ar"), "/en");
        assert_eq!(Lang::En.switch_path("/ar/"), "/en");
        assert_eq!(Lang::Ar.switch_path("/fr/events"), "/ar");
    }
}
