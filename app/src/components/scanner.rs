//! Scanning a check-in code with the phone's camera, through the browser's
//! own `BarcodeDetector` (no library, nothing downloaded). Where the browser
//! has none, or once WASM has not loaded, nothing shows: the code is typed.
//! A code read fills the search box and sends the search.

use leptos::prelude::*;

use crate::domain::Lang;
use crate::i18n::*;

/// The "Scan a code" button and the camera's picture, inside the check-in
/// search form (`#checkin-search`, box `#checkin-q`). Rendered hidden and
/// static; once hydrated, where the browser can scan, the browser's side
/// shows it and wires the button (a static view keeps this staff-only
/// island small in the WASM every reader downloads).
#[island]
pub fn CodeScanner(lang: Lang) -> impl IntoView {
    let locale = lang.locale();
    Effect::new(move |_| client::wire());
    view! {
        <div class="scanner" id="checkin-scanner" hidden>
            <button type="button" id="checkin-scan" class="button button-quiet" aria-pressed="false"
                data-scan=td_string!(locale, checkin.scan) data-stop=td_string!(locale, checkin.scan_stop)>
                {td_string!(locale, checkin.scan)}
            </button>
            <p class="hint" id="checkin-scan-help" hidden>{td_string!(locale, checkin.scan_help)}</p>
            <video id="checkin-video" playsinline=true muted=true hidden></video>
            <p class="notice notice-error" id="checkin-scan-failed" role="alert" hidden>{td_string!(locale, checkin.camera_denied)}</p>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod client {
    use std::cell::Cell;

    use js_sys::{Array, Function, Object, Promise, Reflect};
    use leptos::prelude::*;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    thread_local! {
        /// Bumped to stop the scan running now.
        static RUN: Cell<u32> = const { Cell::new(0) };
    }

    fn get(on: &JsValue, name: &str) -> Result<JsValue, JsValue> {
        Reflect::get(on, &JsValue::from_str(name))
    }

    fn call(on: &JsValue, name: &str, args: &Array) -> Result<JsValue, JsValue> {
        get(on, name)?.dyn_into::<Function>()?.apply(on, args)
    }

    async fn wait(promise: JsValue) -> Result<JsValue, JsValue> {
        JsFuture::from(promise.dyn_into::<Promise>()?).await
    }

    /// The browser can read QR codes from a camera.
    fn supported() -> bool {
        let window: JsValue = window().into();
        let devices = get(&window, "navigator").and_then(|n| get(&n, "mediaDevices"));
        Reflect::has(&window, &JsValue::from_str("BarcodeDetector")).unwrap_or(false)
            && devices.is_ok_and(|d| !d.is_undefined())
    }

    fn element(id: &str) -> Option<web_sys::Element> {
        document().get_element_by_id(id)
    }

    /// Shows or hides the element `id`.
    fn show(id: &str, shown: bool) {
        if let Some(element) = element(id) {
            let _ = if shown {
                element.remove_attribute("hidden")
            } else {
                element.set_attribute("hidden", "")
            };
        }
    }

    /// The button says "Scan" or "Stop"; the picture and its help show
    /// while scanning.
    fn scanning(on: bool) {
        if let Some(button) = element("checkin-scan") {
            let label = button.get_attribute(if on { "data-stop" } else { "data-scan" });
            button.set_text_content(label.as_deref());
            let _ = button.set_attribute("aria-pressed", if on { "true" } else { "false" });
        }
        show("checkin-scan-help", on);
        show("checkin-video", on);
    }

    /// Where the browser can scan: shows the button and makes it start and
    /// stop the camera.
    pub fn wire() {
        let Some(button) = element("checkin-scan").filter(|_| supported()) else {
            return;
        };
        show("checkin-scanner", true);
        let toggle = Closure::<dyn Fn()>::new(|| {
            let on = element("checkin-scan")
                .and_then(|b| b.get_attribute("aria-pressed"))
                .is_some_and(|p| p == "true");
            stop();
            scanning(!on);
            show("checkin-scan-failed", false);
            if !on {
                start();
            }
        });
        let _ = button.add_event_listener_with_callback("click", toggle.as_ref().unchecked_ref());
        toggle.forget();
    }

    fn stop() {
        RUN.with(|run| run.set(run.get().wrapping_add(1)));
    }

    /// Scans until a code is read (then searches for it) or [`stop`].
    fn start() {
        let run = RUN.with(Cell::get);
        leptos::task::spawn_local(async move {
            let result = scan(run).await;
            if RUN.with(Cell::get) != run {
                return;
            }
            scanning(false);
            match result {
                Ok(Some(code)) => search(&code),
                Ok(None) => {}
                Err(_) => show("checkin-scan-failed", true),
            }
        });
    }

    /// Puts `code` in the search box and sends the search.
    fn search(code: &str) {
        let document = document();
        if let Some(input) = document.get_element_by_id("checkin-q") {
            let _ = Reflect::set(&input, &"value".into(), &code.into());
        }
        if let Some(form) = document.get_element_by_id("checkin-search") {
            let _ = call(&form, "requestSubmit", &Array::new());
        }
    }

    async fn scan(run: u32) -> Result<Option<String>, JsValue> {
        let window: JsValue = window().into();
        let devices = get(&get(&window, "navigator")?, "mediaDevices")?;
        let video_wanted = Object::new();
        Reflect::set(&video_wanted, &"facingMode".into(), &"environment".into())?;
        let constraints = Object::new();
        Reflect::set(&constraints, &"video".into(), &video_wanted)?;
        let stream = wait(call(&devices, "getUserMedia", &Array::of1(&constraints))?).await?;
        let result = read(&window, &stream, run).await;
        // The camera goes off whatever happened.
        if let Ok(tracks) = call(&stream, "getTracks", &Array::new()) {
            for track in Array::from(&tracks).iter() {
                let _ = call(&track, "stop", &Array::new());
            }
        }
        result
    }

    async fn read(window: &JsValue, stream: &JsValue, run: u32) -> Result<Option<String>, JsValue> {
        let video: JsValue = document()
            .get_element_by_id("checkin-video")
            .ok_or_else(|| JsValue::from_str("no video"))?
            .into();
        Reflect::set(&video, &"srcObject".into(), stream)?;
        // Not awaited: the detector is asked again until a frame is there
        // (a camera slow to start must not hold the scan up).
        call(&video, "play", &Array::new())?;
        let options = Object::new();
        Reflect::set(&options, &"formats".into(), &Array::of1(&"qr_code".into()))?;
        let detector = Reflect::construct(
            &get(window, "BarcodeDetector")?.dyn_into::<Function>()?,
            &Array::of1(&options),
        )?;
        while RUN.with(Cell::get) == run {
            pause(250).await;
            // A frame not ready yet is tried again.
            let Ok(found) = wait(call(&detector, "detect", &Array::of1(&video))?).await else {
                continue;
            };
            let first = Array::from(&found).get(0);
            if let Some(code) = get(&first, "rawValue").ok().and_then(|v| v.as_string()) {
                return Ok(Some(code));
            }
        }
        Ok(None)
    }

    async fn pause(ms: u64) {
        let (done, wait) = futures::channel::oneshot::channel::<()>();
        set_timeout(
            move || {
                let _ = done.send(());
            },
            std::time::Duration::from_millis(ms),
        );
        let _ = wait.await;
    }
}

#[cfg(not(feature = "hydrate"))]
mod client {
    /// On the server the scanner stays hidden.
    pub fn wire() {}
}
