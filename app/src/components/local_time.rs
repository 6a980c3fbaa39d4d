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

#[cfg(feature = "hydrate")]
mod browser {
    use js_sys::{Array, Date, Intl, Object, Reflect};
    use wasm_bindgen::JsValue;

    /// "10:30 – 12:00 GMT+3", or `None` when the reader is in the event's zone.
    pub fn local_range(
        lang: &str,
        starts_ms: i64,
        ends_ms: i64,
        event_zone: &str,
    ) -> Option<String> {
        // Arabic-Indic digits, as in the times the server wrote.
        let tag = if lang == "ar" { "ar-u-nu-arab" } else { lang };
        let locales = Array::of1(&JsValue::from_str(tag));
        let reader_zone = Reflect::get(
            &Intl::DateTimeFormat::new(&locales, &Object::new()).resolved_options(),
            &JsValue::from_str("timeZone"),
        )
        .ok()?
        .as_string()?;
        if reader_zone == event_zone {
            return None;
        }
        let options = Object::new();
        for (key, value) in [
            ("hour", "2-digit"),
            ("minute", "2-digit"),
            ("weekday", "short"),
        ] {
            Reflect::set(&options, &key.into(), &value.into()).ok()?;
        }
        let start_format = Intl::DateTimeFormat::new(&locales, &options);
        Reflect::set(&options, &"timeZoneName".into(), &"short".into()).ok()?;
        Reflect::delete_property(&options, &"weekday".into()).ok()?;
        let end_format = Intl::DateTimeFormat::new(&locales, &options);
        let format = |f: &Intl::DateTimeFormat, ms: i64| {
            f.format()
                .call1(f, &Date::new(&JsValue::from_f64(ms as f64)))
                .ok()?
                .as_string()
        };
        Some(format!(
            "{} – {}",
            format(&start_format, starts_ms)?,
            format(&end_format, ends_ms)?
        ))
    }
}

#[cfg(not(feature = "hydrate"))]
mod browser {
    pub fn local_range(_: &str, _: i64, _: i64, _: &str) -> Option<String> {
        None
    }
}
