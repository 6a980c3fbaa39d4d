//! Security headers on every response.
//!
//! Pages carry a Content-Security-Policy with the nonce Leptos generated for
//! their scripts (`leptos_axum` provides a fresh one per response); every
//! other response (forms' plain pages, feeds, calendars, files, redirects)
//! gets a policy that allows no script at all. The rest of the headers are
//! the same everywhere: no MIME sniffing, no `Referer` to other sites, no powerful browser
//! features, a browsing context of our own, and HSTS when the public URL is
//! HTTPS.

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use leptos::prelude::*;

use crate::server::AppState;

/// What every policy says besides scripts: our own origin only, no plugins,
/// no `<base>`, never framed, forms post only to us.
const COMMON: &str = "default-src 'self'; object-src 'none'; base-uri 'none'; \
                      frame-ancestors 'none'; form-action 'self'";

/// The policy of a response that runs no script.
const NO_SCRIPT: &str = "default-src 'self'; object-src 'none'; base-uri 'none'; \
                         frame-ancestors 'none'; form-action 'self'; script-src 'none'";

/// Browser features no page of ours uses.
const PERMISSIONS: &str = "accelerometer=(), autoplay=(), camera=(), display-capture=(), \
                           encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), \
                           magnetometer=(), microphone=(), midi=(), payment=(), \
                           picture-in-picture=(), publickey-credentials-get=(), \
                           screen-wake-lock=(), usb=(), xr-spatial-tracking=(), \
                           browsing-topics=()";

/// No other site ever learns which of our pages a reader came from (private
/// links are in paths). `same-origin` rather than `no-referrer`: under
/// `no-referrer` browsers post our own forms with `Origin: null`, and a
/// browser too old to send `Sec-Fetch-Site` (Safari before 16.4, still on
/// many older iPhones) would then have every form refused as cross-site.
/// Within our origin the referrer tells us nothing we do not know.
pub const REFERRER_POLICY: &str = "same-origin";

/// Two years, the HSTS preload list's minimum.
const HSTS: &str = "max-age=63072000; includeSubDomains";

/// The policy of a page whose scripts carry `nonce`: only those run, and what
/// they load (`strict-dynamic`); the WASM may be compiled.
pub fn page_policy(nonce: &str) -> String {
    format!("{COMMON}; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'")
}

/// Called while a page renders: puts the policy for this response's nonce
/// on the response.
pub fn send_page_policy() {
    let (Some(nonce), Some(response)) =
        (use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&page_policy(&nonce)) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Adds the headers to every response; a response that set its own policy
/// (a page, an uploaded image) keeps it.
pub async fn headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(NO_SCRIPT),
        );
    }
    let fixed: [(HeaderName, &'static str); 5] = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, REFERRER_POLICY),
        (header::X_FRAME_OPTIONS, "DENY"),
        (HeaderName::from_static("permissions-policy"), PERMISSIONS),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    // Images and feeds may be shown by other sites (a feed reader, a mail
    // client); everything else is for our own pages.
    let corp = HeaderName::from_static("cross-origin-resource-policy");
    if !headers.contains_key(&corp) {
        headers.insert(corp, HeaderValue::from_static("same-origin"));
    }
    if state.config.is_https() {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_policy_allows_only_nonced_scripts() {
        let policy = page_policy("abc");
        assert!(policy.contains("script-src 'nonce-abc' 'strict-dynamic' 'wasm-unsafe-eval'"));
        assert!(!policy.contains("unsafe-inline"));
        assert!(NO_SCRIPT.starts_with(COMMON));
    }
}
