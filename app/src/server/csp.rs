//! The Content-Security-Policy of pages, and of everything else.
//!
//! A page's policy allows exactly the inline scripts this build writes, by
//! their SHA-256 hashes (the hydration script, client-side navigation and
//! Leptos' empty hydration data), and what they load (`strict-dynamic`). Hashes rather than a
//! per-response nonce because public pages are rendered once and served to
//! every reader from the page cache: a nonce in a shared page would be
//! public, and a policy that trusts it would trust anyone who read it. The
//! hashes are computed at start from the same component that writes the
//! scripts, never from a rendered page, so text that found its way into a
//! page could not get itself allowed.

use axum::http::HeaderValue;
use base64::Engine as _;
use leptos::prelude::*;
use sha2::{Digest, Sha256};

/// What every policy says besides scripts: our own origin only, no plugins,
/// no `<base>`, never framed, forms post only to us.
pub const COMMON: &str = "default-src 'self'; object-src 'none'; base-uri 'none'; \
                      frame-ancestors 'none'; form-action 'self'";

/// The policy of a response that runs no script.
pub const NO_SCRIPT: &str = "default-src 'self'; object-src 'none'; base-uri 'none'; \
                         frame-ancestors 'none'; form-action 'self'; script-src 'none'";

/// What Leptos writes before and after a page's content when no resource
/// was serialised for the browser (islands mode: resources stay on the
/// server). A page with other inline scripts would have them refused, and
/// the header tests, which check every script of every kind of page against
/// the policy, would fail.
const EMPTY_HYDRATION_DATA: [&str; 2] = [
    "__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[];\
     __RESOURCE_RESOLVERS=[];",
    "__INCOMPLETE_CHUNKS=[];",
];

/// The Content-Security-Policy of every page of this build.
pub fn page_policy(options: &LeptosOptions) -> HeaderValue {
    let owner = Owner::new();
    let scripts =
        owner.with(|| view! { <HydrationScripts options=options.clone() islands=true/> }.to_html());
    let mut sources: Vec<String> = inline_scripts(&scripts)
        .into_iter()
        .chain([crate::server::navigation::script()])
        .chain(EMPTY_HYDRATION_DATA)
        .map(|script| format!("'sha256-{}'", script_hash(script)))
        .collect();
    sources.dedup();
    let policy = format!(
        "{COMMON}; script-src {} 'strict-dynamic' 'wasm-unsafe-eval'",
        sources.join(" ")
    );
    HeaderValue::from_str(&policy).unwrap_or_else(|_| HeaderValue::from_static(NO_SCRIPT))
}

/// The base64 SHA-256 of a script's text, as CSP writes it.
pub fn script_hash(script: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes()))
}

/// The text of each inline `<script>` in `html`.
fn inline_scripts(html: &str) -> Vec<&str> {
    html.split("<script")
        .skip(1)
        .filter_map(|rest| {
            let (tag, rest) = rest.split_once('>')?;
            let (text, _) = rest.split_once("</script>")?;
            (!tag.contains("src=")).then_some(text)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_policy_allows_only_the_build_scripts_by_hash() {
        let options = LeptosOptions::builder().output_name("lausanne").build();
        let policy = page_policy(&options);
        let policy = policy.to_str().expect("ascii");
        assert!(
            policy.contains("'strict-dynamic' 'wasm-unsafe-eval'"),
            "{policy}"
        );
        assert!(!policy.contains("unsafe-inline") && !policy.contains("nonce"));
        // The hydration script, navigation, and the two pieces of empty
        // hydration data.
        assert_eq!(policy.matches("'sha256-").count(), 4, "{policy}");
        let navigation = script_hash(crate::server::navigation::script());
        assert!(
            policy.contains(&format!("'sha256-{navigation}'")),
            "{policy}"
        );
        let data = script_hash(EMPTY_HYDRATION_DATA[1]);
        assert!(policy.contains(&format!("'sha256-{data}'")), "{policy}");
        assert!(NO_SCRIPT.starts_with(COMMON));
    }

    #[test]
    fn finds_inline_scripts_only() {
        let html = r#"<script type="module">a()</script><script src="/x.js"></script><p>x</p><script>b</script>"#;
        assert_eq!(inline_scripts(html), ["a()", "b"]);
    }
}
