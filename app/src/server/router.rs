//! The HTTP surface: pages, server functions, static assets, language choice.

use axum::Router;
use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{any, get};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use super::AppState;
use crate::domain::Lang;
use crate::{App, shell};

/// The cookie that remembers the language a visitor last read.
const LANG_COOKIE: &str = "lang";

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let pkg_dir = state.config.site_root.join("pkg");
    let assets_cache = if state.leptos.hash_files {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    };
    let pkg = Router::new()
        .fallback_service(ServeDir::new(pkg_dir).precompressed_br().precompressed_gzip())
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static(assets_cache),
        ));

    Router::new()
        .route("/", get(pick_language))
        .route("/healthz", get(|| async { "ok" }))
        .route("/api/{*fn_name}", any(server_fn))
        .leptos_routes_with_context(
            &state,
            routes,
            {
                let state = state.clone();
                move || provide_context(state.clone())
            },
            {
                let options = state.leptos.clone();
                move || shell(options.clone())
            },
        )
        .nest("/pkg", pkg)
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            {
                let state = state.clone();
                move || provide_context(state.clone())
            },
            shell,
        ))
        .layer(middleware::from_fn(remember_language))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<Body>| {
            // The route template only: paths can carry private tokens.
            let route = req
                .extensions()
                .get::<MatchedPath>()
                .map_or("(unmatched)", MatchedPath::as_str);
            tracing::info_span!("http", method = %req.method(), route)
        }))
        .with_state(state)
}

async fn server_fn(State(state): State<AppState>, req: Request<Body>) -> impl IntoResponse {
    leptos_axum::handle_server_fns_with_context(move || provide_context(state.clone()), req).await
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
    let mut response = Redirect::to(&format!("/{}/", lang.code())).into_response();
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Cookie, Accept-Language"));
    response
}

fn cookie_lang(headers: &HeaderMap) -> Option<Lang> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == LANG_COOKIE).then(|| Lang::parse(value)).flatten()
        })
}

/// Remembers the language of the page just read, so that `/` returns to it.
async fn remember_language(req: Request, next: Next) -> Response {
    let page_lang = req
        .uri()
        .path()
        .strip_prefix('/')
        .and_then(|p| Lang::parse(p.split('/').next().unwrap_or("")));
    let known = cookie_lang(req.headers());
    let mut response = next.run(req).await;
    if let Some(lang) = page_lang.filter(|l| Some(*l) != known)
        && response.status() == StatusCode::OK
        && let Ok(cookie) = HeaderValue::from_str(&format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            lang.code()
        ))
    {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}
