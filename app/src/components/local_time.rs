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
    use std::cell::RefCell;

    use js_sys::{Array, Date, Intl, Object, Reflect};
    use wasm_bindgen::JsValue;

    /// What a formatter shows.
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Shape {
        /// "Tue 10:30"
        Start,
        /// "12:00 GMT+3"
        End,
        /// "Tue 10:30 GMT+3"
        Moment,
    }

    thread_local! {
        /// The reader's time zone, asked once.
        static ZONE: Option<String> = Reflect::get(
            &Intl::DateTimeFormat::new(&Array::new(), &Object::new()).resolved_options(),
            &JsValue::from_str("timeZone"),
        )
        .ok()
        .and_then(|zone| zone.as_string());
        /// Formatters made so far: building one is the slow part (a page
        /// with a long agenda asked for dozens while hydrating).
        static FORMATTERS: RefCell<Vec<(bool, Shape, Intl::DateTimeFormat)>> =
            const { RefCell::new(Vec::new()) };
    }

    /// Whether the reader is somewhere else than `event_zone`.
    fn elsewhere(event_zone: &str) -> bool {
        ZONE.with(|zone| zone.as_deref().is_some_and(|zone| zone != event_zone))
    }

    fn formatter(lang: &str, shape: Shape) -> Intl::DateTimeFormat {
        let arabic = lang == "ar";
        FORMATTERS.with(|made| {
            if let Some((_, _, f)) = made
                .borrow()
                .iter()
                .find(|(a, s, _)| *a == arabic && *s == shape)
            {
                return f.clone();
            }
            // Arabic-Indic digits, as in the times the server wrote.
            let tag = if arabic { "ar-u-nu-arab" } else { "en" };
            let options = Object::new();
            let mut fields = vec![("hour", "2-digit"), ("minute", "2-digit")];
            if shape != Shape::End {
                fields.push(("weekday", "short"));
            }
            if shape != Shape::Start {
                fields.push(("timeZoneName", "short"));
            }
            for (key, value) in fields {
                let _ = Reflect::set(&options, &key.into(), &value.into());
            }
            let f = Intl::DateTimeFormat::new(&Array::of1(&JsValue::from_str(tag)), &options);
            made.borrow_mut().push((arabic, shape, f.clone()));
            f
        })
    }

    fn format(lang: &str, shape: Shape, ms: i64) -> Option<String> {
        let f = formatter(lang, shape);
        f.format()
            .call1(&f, &Date::new(&JsValue::from_f64(ms as f64)))
            .ok()?
            .as_string()
    }

    /// "10:30 – 12:00 GMT+3", or `None` when the reader is in the event's zone.
    pub fn local_range(
        lang: &str,
        starts_ms: i64,
        ends_ms: i64,
        event_zone: &str,
    ) -> Option<String> {
        if !elsewhere(event_zone) {
            return None;
        }
        Some(format!(
            "{} – {}",
            format(lang, Shape::Start, starts_ms)?,
            format(lang, Shape::End, ends_ms)?
        ))
    }

    /// "Tue 10:30 GMT+3", or `None` when the reader is in the event's zone.
    pub fn local_moment(lang: &str, at_ms: i64, event_zone: &str) -> Option<String> {
        if !elsewhere(event_zone) {
            return None;
        }
        format(lang, Shape::Moment, at_ms)
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
