//! The browser side: wake up the interactive islands of the server-rendered
//! page, nothing else. Pages are plain HTML; only islands ship as WASM.

use app as _;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // From now on client-side navigation hydrates the islands of each page
    // it swaps in (before, the loader does, once the WASM has started).
    let _ = js_sys::Reflect::set(
        &js_sys::global(),
        &"__lausanneHydrated".into(),
        &true.into(),
    );
}
