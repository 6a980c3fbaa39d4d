//! The Content-Security-Policy of pages, and of everything else.
//!
//! A page's policy allows exactly the inline scripts this build writes, by
//! their SHA-256 hashes (the island loader, client-side navigation and
//! Leptos' empty hydration data), and what they load (`strict-dynamic`).
//! Hashes rather than a per-response nonce because public pages are rendered
//! once and served to every reader from the page cache: a nonce in a shared
//! page would be public, and a policy that trusts it would trust anyone who
//! read it. The hashes are computed at start from the same text the shell
//! writes (`server::scripts`), never from a rendered page, so text that found
//! its way into a page could not get itself allowed.

use axum::http::HeaderValue;
use base64::Engine as _;
use leptos::prelude::*;
use sha2::{Digest, Sha256};

use crate::server::scripts;

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
    let sources: Vec<String> = scripts::all(options)
        .iter()
        .map(String::as_str)
        .chain(EMPTY_HYDRATION_DATA)
        .map(|script| format!("'sha256-{}'", script_hash(script)))
        .collect();
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
        // The island loader, navigation, and the two pieces of empty
        // hydration data.
        assert_eq!(policy.matches("'sha256-").count(), 4, "{policy}");
        for script in scripts::all(&options) {
            let hash = script_hash(&script);
            assert!(policy.contains(&format!("'sha256-{hash}'")), "{policy}");
        }
        let data = script_hash(EMPTY_HYDRATION_DATA[1]);
        assert!(policy.contains(&format!("'sha256-{data}'")), "{policy}");
        assert!(NO_SCRIPT.starts_with(COMMON));
    }
}
