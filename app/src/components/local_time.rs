//! The reader's own local time next to a time shown in the event's zone.
//! Rendered empty on the server; filled in after hydration from the
//! browser's clock offset (no time-zone data in our WASM, and no `Intl`:
//! its first formatter is the slowest task on a slow phone). Shown only
//! when the reader's clock differs from the event's at that moment.

use leptos::prelude::*;

use crate::domain::Lang;
use crate::domain::wall_clock::{reader_moment as moment, reader_range};
use crate::i18n::*;

/// `event_offset`: minutes east of UTC of the event's zone at the start.
#[island]
pub fn LocalTime(lang: Lang, starts_ms: i64, ends_ms: i64, event_offset: i32) -> impl IntoView {
    let text = RwSignal::new(None::<String>);
    Effect::new(move || {
        text.set(
            reader_offset(starts_ms)
                .filter(|&offset| offset != event_offset)
                .map(|offset| {
                    let end_offset = reader_offset(ends_ms).unwrap_or(offset);
                    reader_range(lang, (starts_ms, offset), (ends_ms, end_offset))
                }),
        );
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

/// A moment on the reader's clock ("Tue 10:30 GMT+3"), or `None` on the
/// server, before hydration, and when the reader's clock shows the event's
/// time (`event_offset`, minutes east of UTC).
pub fn reader_moment(lang: Lang, at_ms: i64, event_offset: i32) -> Option<String> {
    reader_offset(at_ms)
        .filter(|&offset| offset != event_offset)
        .map(|offset| moment(lang, at_ms, offset))
}

/// Minutes east of UTC of the reader's clock at a moment; `None` outside
/// the browser.
#[cfg(feature = "hydrate")]
fn reader_offset(at_ms: i64) -> Option<i32> {
    let west =
        js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at_ms as f64)).get_timezone_offset();
    west.is_finite().then(|| -(west as i32))
}

#[cfg(not(feature = "hydrate"))]
fn reader_offset(_: i64) -> Option<i32> {
    None
}
