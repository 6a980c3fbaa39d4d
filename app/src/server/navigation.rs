//! Client-side navigation: the script every page carries inline (see
//! `navigation.js`), written once here for the shell and for the page
//! policy, which allows it by its hash.

use std::sync::LazyLock;

use leptos::prelude::*;

/// The script as pages carry it: without its comments and indentation.
pub fn script() -> &'static str {
    static SCRIPT: LazyLock<String> = LazyLock::new(|| {
        include_str!("navigation.js")
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n")
    });
    &SCRIPT
}

/// The `<script>` element, for the document's head.
#[component]
pub fn NavigationScript() -> impl IntoView {
    view! { <script type="module">{script()}</script> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_loses_only_comments_and_indentation() {
        let script = script();
        assert!(script.starts_with("(() => {"), "{script}");
        assert!(script.ends_with("})();"));
        assert!(!script.contains("\n//") && !script.contains("\n "));
        assert!(script.contains("d.addEventListener(\"submit\""));
    }
}
