//! Extractors shared by the handlers.

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::StatusCode;
use axum::http::request::Parts;

use crate::domain::Lang;

/// The language of a route's `{lang}` segment; any other value is a 404,
/// like a page that does not exist.
#[derive(Clone, Copy, Debug)]
pub struct PathLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for PathLang {
    type Rejection = StatusCode;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| StatusCode::NOT_FOUND)?;
        params
            .iter()
            .find(|(name, _)| *name == "lang")
            .and_then(|(_, value)| Lang::parse(value))
            .map(PathLang)
            .ok_or(StatusCode::NOT_FOUND)
    }
}

/// The value of the request cookie `name`, if sent.
pub fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .flatten()
        .find(|cookie| cookie.name() == name)
        .map(|cookie| cookie.value().to_owned())
}
