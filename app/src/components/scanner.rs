//! Scanning a check-in code with the phone's camera, through the browser's
//! own `BarcodeDetector` (no library, nothing downloaded). Where the browser
//! has none, or once WASM has not loaded, nothing shows: the code is typed.
//! A code read fills the search box and sends the search.

use leptos::prelude::*;

use crate::domain::Lang;
use crate::i18n::*;

/// The "Scan a code" button and the camera's picture, inside the check-in
/// search form (`#checkin-search`, box `#checkin-q`).
#[island]
pub fn CodeScanner(lang: Lang) -> impl IntoView {
    let locale = lang.locale();
    let supported = RwSignal::new(false);
    let scanning = RwSignal::new(false);
    let failed = RwSignal::new(false);
    Effect::new(move |_| supported.set(client::supported()));
    let toggle = move |_| {
        if scanning.get_untracked() {
            client::stop();
            scanning.set(false);
        } else {
            failed.set(false);
            scanning.set(true);
            client::start(move |ok| {
                scanning.set(false);
                failed.set(!ok);
            });
        }
    };
    view! {
        <Show when=move || supported.get()>
            <div class="scanner">
                <button type="button" class="button button-quiet" on:click=toggle aria-pressed=move || scanning.get().to_string()>
                    {move || if scanning.get() { td_string!(locale, checkin.scan_stop) } else { td_string!(locale, checkin.scan) }}
                </button>
                <p class="hint" hidden=move || !scanning.get()>{td_string!(locale, checkin.scan_help)}</p>
                <video id="checkin-video" playsinline=true muted=true hidden=move || !scanning.get()></video>
                <p class="notice notice-error" role="alert" hidden=move || !failed.get()>{td_string!(locale, checkin.camera_denied)}</p>
            </div>
        </Show>
    }
}

#[cfg(feature = "hydrate")]
mod client {
    use std::cell::Cell;

    use js_sys::{Array, Function, Object, Promise, Reflect};
    use leptos::prelude::*;
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
    pub fn supported() -> bool {
        let window: JsValue = window().into();
        let devices = get(&window, "navigator").and_then(|n| get(&n, "mediaDevices"));
        Reflect::has(&window, &JsValue::from_str("BarcodeDetector")).unwrap_or(false)
            && devices.is_ok_and(|d| !d.is_undefined())
    }

    pub fn stop() {
        RUN.with(|run| run.set(run.get().wrapping_add(1)));
    }

    /// Scans until a code is read (then searches for it) or [`stop`];
    /// `done(false)` when the camera or the detector failed.
    pub fn start(done: impl Fn(bool) + 'static) {
        stop();
        let run = RUN.with(Cell::get);
        leptos::task::spawn_local(async move {
            match scan(run).await {
                Ok(Some(code)) => {
                    search(&code);
                    done(true);
                }
                Ok(None) => {}
                Err(_) => done(false),
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
        wait(call(&video, "play", &Array::new())?).await?;
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
    pub fn supported() -> bool {
        false
    }

    pub fn stop() {}

    pub fn start(_done: impl Fn(bool) + 'static) {}
}
