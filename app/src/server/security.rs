//! Security headers on every response.
//!
//! Pages carry the build's Content-Security-Policy, which allows their
//! inline scripts by hash (`server::csp`); every other response (forms'
//! plain pages, feeds, calendars, files, redirects) gets a policy that allows
//! no script at all. The rest of the headers are the same everywhere: no MIME
//! sniffing, no `Referer` to other sites, no powerful browser features, a
//! browsing context of our own, and HSTS when the public URL is HTTPS.

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use leptos::prelude::*;

use crate::server::AppState;
use crate::server::csp::NO_SCRIPT;

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

/// Called while a page renders: no per-response nonce (its scripts are
/// allowed by hash, see above), and the build's page policy on the response.
pub fn send_page_policy() {
    let _ = take_context::<leptos::nonce::Nonce>();
    let (Some(state), Some(response)) = (
        use_context::<AppState>(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    response.insert_header(header::CONTENT_SECURITY_POLICY, state.page_policy.clone());
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
