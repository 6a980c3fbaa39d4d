//! The two scripts every page carries inline, in its head: client-side
//! navigation (`navigation.js`) and the loader that wakes the page's
//! islands (`islands.js`). Written out once here, for the shell and for the
//! page policy, which allows exactly these texts by their hashes.

use std::sync::{LazyLock, OnceLock};

use leptos::prelude::*;

/// Client-side navigation, as pages carry it.
pub fn navigation() -> &'static str {
    static SCRIPT: LazyLock<String> = LazyLock::new(|| trimmed(include_str!("navigation.js")));
    &SCRIPT
}

/// The island loader with this build's JS and WASM files, as pages carry it.
pub fn islands(options: &LeptosOptions) -> String {
    static LOADER: LazyLock<String> = LazyLock::new(|| trimmed(include_str!("islands.js")));
    let (js, wasm) = files(options);
    format!("{}({js:?}, {wasm:?});", *LOADER)
}

/// The inline scripts of every page.
pub fn all(options: &LeptosOptions) -> [String; 2] {
    [navigation().to_owned(), islands(options)]
}

/// Client-side navigation, for the document's head.
#[component]
pub fn NavigationScript() -> impl IntoView {
    view! { <script type="module">{navigation()}</script> }
}

/// The island loader, for the document's head, with hints that start
/// fetching the JS and WASM while the page renders. In place of Leptos'
/// `<HydrationScripts islands=true>`, which writes the same hints and a
/// loader that wakes every island in one long task (see `islands.js`).
#[component]
pub fn IslandScripts(options: LeptosOptions) -> impl IntoView {
    // As Leptos' component does: outside islands the server writes no
    // hydration markers.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let (js, wasm) = files(&options);
    view! {
        <link rel="modulepreload" href=js/>
        <link rel="preload" href=wasm r#as="fetch" r#type="application/wasm" crossorigin=""/>
        <script type="module">{islands(&options)}</script>
    }
}

/// The addresses of the JS and WASM that cargo-leptos built, hashed names
/// included: the hashes are in the file it writes beside the binary, read
/// once (they cannot change while it runs). Without hashing, the names
/// cargo-leptos gives (`_bg` on the WASM when it did not set the output
/// name), as Leptos' own loader reckons them.
fn files(options: &LeptosOptions) -> (String, String) {
    static HASHES: OnceLock<(String, String)> = OnceLock::new();
    let (js_hash, wasm_hash) = if options.hash_files {
        HASHES.get_or_init(|| read_hashes(options)).clone()
    } else {
        let wasm = if option_env!("LEPTOS_OUTPUT_NAME").is_none() {
            "_bg"
        } else {
            ""
        };
        (String::new(), wasm.to_owned())
    };
    let (pkg, name) = (&options.site_pkg_dir, &options.output_name);
    (
        format!("/{pkg}/{name}{js_hash}.js"),
        format!("/{pkg}/{name}{wasm_hash}.wasm"),
    )
}

/// `.hash` for the JS and the WASM, from the hash file (`js: …`, `wasm: …`
/// lines); empty where it has none.
fn read_hashes(options: &LeptosOptions) -> (String, String) {
    let path = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.join(options.hash_file.as_ref())));
    let text = path
        .and_then(|p| std::fs::read_to_string(p).ok())
        .unwrap_or_default();
    let hash = |file: &str| {
        text.lines()
            .filter_map(|line| line.split_once(':'))
            .find(|(name, _)| name.trim() == file)
            .map(|(_, hash)| format!(".{}", hash.trim()))
            .unwrap_or_default()
    };
    (hash("js"), hash("wasm"))
}

/// A script without its comment lines and indentation.
fn trimmed(source: &str) -> String {
    source
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_lose_only_comments_and_indentation() {
        let script = navigation();
        assert!(script.starts_with("(() => {"), "{script}");
        assert!(script.ends_with("})();"));
        assert!(!script.contains("\n//") && !script.contains("\n "));
        assert!(script.contains("d.addEventListener(\"submit\""));
    }

    #[test]
    fn the_loader_names_this_builds_files() {
        let options = LeptosOptions::builder().output_name("lausanne").build();
        let script = islands(&options);
        let (js, wasm) = files(&options);
        assert!(
            js.starts_with("/pkg/lausanne") && js.ends_with(".js"),
            "{js}"
        );
        assert!(wasm.ends_with(".wasm"), "{wasm}");
        assert!(script.starts_with("((js, wasm) => {"), "{script}");
        assert!(
            script.ends_with(&format!("}})({js:?}, {wasm:?});")),
            "{script}"
        );
        assert!(script.contains("scheduler?.yield"));
    }
}
