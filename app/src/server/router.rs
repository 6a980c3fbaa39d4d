//! The HTTP surface: pages, server functions, static assets, language choice.

use std::sync::LazyLock;

use axum::Router;
use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{any, get};
use cookie::{Cookie, SameSite};
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use crate::App;
use crate::domain::Lang;
use crate::domain::form::FormError;
use crate::error::AppError;
use crate::server::auth::{self, staff_page};
use crate::server::shell::shell;
use crate::server::{
    AppState, bulletins, events, events_editor, hearing, media, moderation, organisations,
    page_cache, questions, registrations, security, staff, static_files, subscriptions, updates,
};

/// The cookie that remembers the language a visitor last read.
const LANG_COOKIE: &str = "lang";

/// The app's routes, listed once per process. Listing renders the whole app
/// with resource loading switched off by a process-wide flag (Leptos'
/// `SuppressResourceLoad`); listing again while another server in the same
/// process renders a page (tests boot many) would leave that page's
/// resources pending for ever.
static ROUTES: LazyLock<Vec<AxumRouteListing>> = LazyLock::new(|| generate_route_list(App));

pub fn router(state: AppState) -> Router {
    let routes = ROUTES.clone();
    // Built assets and the files at the site root (favicon, robots.txt),
    // from memory; the root files get routes of their own, or `/{lang}`
    // would take them for a language.
    let mut files = Router::new().route("/pkg/{*file}", get(static_files::serve));
    for path in state.files.root_paths() {
        files = files.route(path, get(static_files::serve));
    }
    // The health check skips the same layers: it is the ceiling the page
    // bench measures pages against.
    let files = files
        .with_state(state.files.clone())
        .route("/healthz", get(|| async { "ok" }));
    Router::new()
        .route("/", get(pick_language))
        .route("/api/{*fn_name}", any(server_fn))
        // Each area's handlers. A form posts to the page that shows it:
        // Leptos adds that page's GET below, and axum merges the methods
        // of one path.
        .merge(registrations::http::routes())
        .merge(events::http::routes())
        .merge(organisations::http::routes())
        .merge(bulletins::http::routes())
        .merge(media::routes())
        .merge(subscriptions::http::routes())
        .merge(staff::http::routes())
        .merge(moderation::http::routes())
        .merge(questions::http::routes())
        .merge(hearing::http::routes())
        .merge(crate::server::announcements::http::routes())
        .merge(crate::server::checkin::http::routes())
        .merge(crate::server::materials::http::routes())
        .merge(crate::server::report::http::routes())
        .merge(crate::server::reminders::http::routes())
        .merge(events_editor::http::routes())
        .merge(updates::http::routes())
        .leptos_routes_with_context(
            &state,
            routes,
            {
                let state = state.clone();
                move || state.provide()
            },
            {
                let options = state.leptos.clone();
                move || shell(options.clone())
            },
        )
        // Sessions for everything above (pages, forms, server functions);
        // not for static files.
        .layer(middleware::from_fn_with_state(state.clone(), staff_pages))
        .layer(auth::auth_layer(&state))
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(
            {
                let state = state.clone();
                move || state.provide()
            },
            shell,
        ))
        .layer(middleware::from_fn_with_state(
            page_cache::http::Kept {
                pages: state.pages.clone(),
                clock: state.clock.clone(),
            },
            page_cache::http::layer,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            remember_language,
        ))
        // Files and the health check skip everything above: no session, no
        // page cache, no language.
        .merge(files)
        .layer(middleware::from_fn(private_pages))
        .layer(middleware::from_fn_with_state(state.clone(), same_origin))
        .layer(middleware::from_fn(server_fn_status))
        .layer(middleware::from_fn(trim_trailing_slash))
        // What is neither a kept page nor a static file (staff and private
        // pages, forms' answers) is compressed per request, where brotli's
        // quality 4 is the usual balance.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request<Body>| {
                // The route template only: paths can carry private tokens.
                let route = req
                    .extensions()
                    .get::<MatchedPath>()
                    .map_or("(unmatched)", MatchedPath::as_str);
                tracing::info_span!("http", method = %req.method(), route)
            }),
        )
        .with_state(state)
}

async fn server_fn(State(state): State<AppState>, req: Request<Body>) -> impl IntoResponse {
    leptos_axum::handle_server_fns_with_context(move || provide_context(state.clone()), req).await
}

/// Leptos answers every server-function error with a 500; the error itself
/// says whose fault it was, so the status is set from it: a request we could
/// not understand is a 400, a missing sign-in a 401, a role that may not a
/// 403, a missing record a 404.
async fn server_fn_status(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key("serverfnerror")
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    parts.status = match serde_json::from_slice::<AppError>(&bytes) {
        Ok(error) => error.status(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
    };
    Response::from_parts(parts, Body::from(bytes))
}

/// Staff pages are never cached or indexed, and asking for one without being
/// signed in leads to the sign-in page (303), which then comes back here.
async fn staff_pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let Some(lang) = staff_page(path) else {
        return next.run(req).await;
    };
    let signing_in = [
        crate::paths::staff_login(lang),
        crate::paths::staff_login_code(lang),
    ];
    let account = crate::paths::staff_account(lang);
    let is_page =
        req.method() == axum::http::Method::GET || req.method() == axum::http::Method::HEAD;
    if is_page && !signing_in.iter().any(|p| p == path) {
        let (parts, body) = req.into_parts();
        match auth::standing_of(&parts, &state).await {
            Ok(auth::Standing::SignedIn(_)) => {}
            // A temporary password is replaced before anything else.
            Ok(auth::Standing::MustChangePassword(_)) if parts.uri.path() != account => {
                return private(Redirect::to(&account).into_response());
            }
            Ok(auth::Standing::MustChangePassword(_)) => {}
            Ok(auth::Standing::SignedOut) => return auth::to_sign_in(&parts),
            Err(error) => return error.into_response(),
        }
        return private(next.run(Request::from_parts(parts, body)).await);
    }
    private(next.run(req).await)
}

fn private(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("x-robots-tag", HeaderValue::from_static("noindex"));
    response
}

/// `/` sends the visitor to their language: the remembered one, else the
/// browser's preference, else English.
async fn pick_language(headers: HeaderMap) -> Response {
    let lang = cookie_lang(&headers).unwrap_or_else(|| {
        Lang::negotiate(
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or(""),
        )
    });
    let mut response = Redirect::to(&crate::paths::home(lang)).into_response();
    response.headers_mut().insert(
        header::VARY,
        HeaderValue::from_static("Cookie, Accept-Language"),
    );
    response
}

fn cookie_lang(headers: &HeaderMap) -> Option<Lang> {
    crate::server::extract::cookie(headers, LANG_COOKIE).and_then(|value| Lang::parse(&value))
}

/// One address per page: `/en/events/` redirects to `/en/events`. Leading
/// slashes are collapsed too, so `//host/` can never become an off-site redirect.
async fn trim_trailing_slash(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if path.len() > 1 && path.ends_with('/') {
        let target = format!("/{}", path.trim_matches('/'));
        let target = match req.uri().query() {
            Some(query) => format!("{target}?{query}"),
            None => target,
        };
        return Redirect::permanent(&target).into_response();
    }
    next.run(req).await
}

/// Remembers the language of the page just read, so that `/` returns to it.
async fn remember_language(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let page_lang = Lang::of_path(req.uri().path());
    let known = cookie_lang(req.headers());
    let mut response = next.run(req).await;
    if let Some(lang) = page_lang.filter(|l| Some(*l) != known)
        && response.status() == StatusCode::OK
    {
        let cookie = Cookie::build((LANG_COOKIE, lang.code()))
            .path("/")
            .max_age(cookie::time::Duration::days(365))
            .same_site(SameSite::Lax)
            .secure(state.config.is_https());
        if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// Pages behind a private link are never cached and never leak their address
/// to another site through `Referer`.
async fn private_pages(req: Request, next: Next) -> Response {
    let private = req
        .uri()
        .path()
        .split('/')
        .nth(2)
        .is_some_and(|segment| segment == "r")
        || req.uri().path().starts_with("/r/");
    let mut response = next.run(req).await;
    if private {
        crate::server::forms::no_store(&mut response);
    }
    response
}

/// `/{lang}/unsubscribe/{token}`: mail clients post there themselves
/// (RFC 8058), from no page of ours; it only ever removes an address, and
/// only with its secret token.
fn one_click_unsubscribe(path: &str) -> bool {
    let mut segments = path.trim_start_matches('/').split('/');
    matches!(
        (segments.next().and_then(Lang::parse), segments.next(), segments.next(), segments.next()),
        (Some(_), Some("unsubscribe"), Some(token), None) if !token.is_empty()
    )
}

/// Refuses state-changing requests sent from another site. Browsers say where
/// a request comes from: `Sec-Fetch-Site` (every current browser, on HTTPS
/// and localhost), else `Origin`, which must then be our own
/// (`LAUSANNE_PUBLIC_URL`, never the `Host` header). Where both are present
/// `Sec-Fetch-Site` decides (a page under `Referrer-Policy: no-referrer`, say
/// a mail client's, posts with `Origin: null`). A request with neither comes
/// from no browser page (a script, a mail client), which another site could
/// not have sent.
async fn same_origin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || one_click_unsubscribe(req.uri().path()) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let ours = match (site, origin) {
        // `none`: the person's own action (typed, bookmarked), not a page's.
        (Some(site), _) => site == "same-origin" || site == "none",
        (None, Some(origin)) => origin == state.config.public_origin(),
        (None, None) => true,
    };
    if !ours {
        return crate::server::forms::plain_error(
            StatusCode::FORBIDDEN,
            req.uri(),
            FormError::CrossSite,
        );
    }
    next.run(req).await
}
