//! The reader's own local time next to a time shown in the event's zone.
//! Rendered empty on the server; filled in after hydration with the browser's
//! `Intl` (no time-zone data in our WASM). Shown only when the reader's zone
//! differs from the event's.

use leptos::prelude::*;

use crate::domain::Lang;
use crate::i18n::*;

#[island]
pub fn LocalTime(lang: Lang, starts_ms: i64, ends_ms: i64, time_zone: String) -> impl IntoView {
    let text = RwSignal::new(None::<String>);
    Effect::new(move || {
        text.set(browser::local_range(
            lang.code(),
            starts_ms,
            ends_ms,
            &time_zone,
        ));
    });
    move || {
        text.get().map(|t| {
            view! {
                <span class="local-time">
                    {td_string!(lang.locale(), event.your_time)} ": " {t}
                </span>
            }
        })
    }
}

/// A moment in the reader's own zone ("Tue 10:30 GMT+3"), or `None` on the
/// server, before hydration, and when the reader is in the event's zone.
pub fn reader_moment(lang: Lang, at_ms: i64, event_zone: &str) -> Option<String> {
    browser::local_moment(lang.code(), at_ms, event_zone)
}

#[cfg(feature = "hydrate")]
mod browser {
    use js_sys::{Array, Date, Intl, Object, Reflect};
    use wasm_bindgen::JsValue;

    /// The reader's locale list and time zone, unless it is `event_zone`.
    fn reader(lang: &str, event_zone: &str) -> Option<Array> {
        // Arabic-Indic digits, as in the times the server wrote.
        let tag = if lang == "ar" { "ar-u-nu-arab" } else { lang };
        let locales = Array::of1(&JsValue::from_str(tag));
        let reader_zone = Reflect::get(
            &Intl::DateTimeFormat::new(&locales, &Object::new()).resolved_options(),
            &JsValue::from_str("timeZone"),
        )
        .ok()?
        .as_string()?;
        (reader_zone != event_zone).then_some(locales)
    }

    fn formatter(locales: &Array, fields: &[(&str, &str)]) -> Option<Intl::DateTimeFormat> {
        let options = Object::new();
        for (key, value) in fields {
            Reflect::set(&options, &(*key).into(), &(*value).into()).ok()?;
        }
        Some(Intl::DateTimeFormat::new(locales, &options))
    }

    fn format(f: &Intl::DateTimeFormat, ms: i64) -> Option<String> {
        f.format()
            .call1(f, &Date::new(&JsValue::from_f64(ms as f64)))
            .ok()?
            .as_string()
    }

    const TIME: [(&str, &str); 2] = [("hour", "2-digit"), ("minute", "2-digit")];

    /// "10:30 – 12:00 GMT+3", or `None` when the reader is in the event's zone.
    pub fn local_range(
        lang: &str,
        starts_ms: i64,
        ends_ms: i64,
        event_zone: &str,
    ) -> Option<String> {
        let locales = reader(lang, event_zone)?;
        let start = formatter(&locales, &[TIME[0], TIME[1], ("weekday", "short")])?;
        let end = formatter(&locales, &[TIME[0], TIME[1], ("timeZoneName", "short")])?;
        Some(format!(
            "{} – {}",
            format(&start, starts_ms)?,
            format(&end, ends_ms)?
        ))
    }

    /// "Tue 10:30 GMT+3", or `None` when the reader is in the event's zone.
    pub fn local_moment(lang: &str, at_ms: i64, event_zone: &str) -> Option<String> {
        let locales = reader(lang, event_zone)?;
        let f = formatter(
            &locales,
            &[
                TIME[0],
                TIME[1],
                ("weekday", "short"),
                ("timeZoneName", "short"),
            ],
        )?;
        format(&f, at_ms)
    }
}

#[cfg(not(feature = "hydrate"))]
mod browser {
    pub fn local_range(_: &str, _: i64, _: i64, _: &str) -> Option<String> {
        None
    }

    pub fn local_moment(_: &str, _: i64, _: &str) -> Option<String> {
        None
    }
}
