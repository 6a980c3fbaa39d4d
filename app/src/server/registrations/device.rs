//! Remembered devices. A participant who opens their private link may ask
//! this browser to remember them (off unless they tick it): it gets an
//! `HttpOnly`, `SameSite=Lax` cookie (`Secure` over HTTPS) holding a random
//! device token, which is not the private token and is stored only hashed.
//! The event page then shows that browser alone the registration's state and
//! its join buttons, which go through `/join/device/<session>`: the same
//! rules and attendance as `/join/<token>/<session>`. Forgotten from the
//! private page (every device), from the event page ("not you?", this
//! device), with the registration, and when its retention ends.

use axum::http::{HeaderMap, HeaderValue};
use cookie::{Cookie, SameSite};

use crate::error::AppError;
use crate::server::db::registrations::devices;
use crate::server::registrations::{Found, open};
use crate::server::token::Token;
use crate::server::{AppState, Config};

/// The device cookie's name.
pub const COOKIE: &str = "lausanne_device";

/// The device token in a request's cookies, if well formed.
pub fn from_headers(headers: &HeaderMap) -> Option<Token> {
    crate::server::extract::cookie(headers, COOKIE).and_then(|value| Token::parse(&value))
}

/// The device token of the request being rendered (pages).
pub fn of_request() -> Option<Token> {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| from_headers(&parts.headers))
}

/// Remembers the registration behind private link `token` on this device
/// (the token it already has, or a new one); returns the `Set-Cookie` value.
pub async fn remember(
    state: &AppState,
    token: &str,
    device: Option<Token>,
) -> Result<HeaderValue, AppError> {
    let Found {
        registration,
        event,
    } = open(state, token).await?;
    let device = match device {
        Some(device) => device,
        None => Token::generate()?,
    };
    let now = state.clock.now().as_second();
    let expires_at = event.ends_at + i64::from(state.config.retention_days) * 86_400;
    let mut tx = state.db.begin_write().await?;
    devices::remember(&mut tx, &device.hash(), registration.id, now, expires_at).await?;
    let until = devices::last_expiry(&mut tx, &device.hash())
        .await?
        .unwrap_or(expires_at);
    tx.commit().await?;
    cookie(&state.config, device.as_str(), until - now)
}

/// Forgets the registration behind `token` on every device.
pub async fn forget_everywhere(state: &AppState, token: &str) -> Result<(), AppError> {
    let found = open(state, token).await?;
    devices::forget_registration(&state.db, found.registration.id).await?;
    Ok(())
}

/// Forgets everything this device remembers; returns the `Set-Cookie` value
/// that removes the cookie.
pub async fn forget_device(
    state: &AppState,
    device: Option<Token>,
) -> Result<HeaderValue, AppError> {
    if let Some(device) = device {
        devices::forget_device(&state.db, &device.hash()).await?;
    }
    cookie(&state.config, "", 0)
}

/// Whether this device remembers registration `registration`.
pub async fn remembers(
    state: &AppState,
    registration: i64,
    device: Option<&Token>,
) -> Result<bool, AppError> {
    Ok(match device {
        Some(device) => devices::remembers(&state.db, &device.hash(), registration).await?,
        None => false,
    })
}

fn cookie(config: &Config, value: &str, seconds: i64) -> Result<HeaderValue, AppError> {
    let cookie = Cookie::build((COOKIE, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(config.is_https())
        .max_age(cookie::time::Duration::seconds(seconds.max(0)));
    HeaderValue::from_str(&cookie.to_string()).map_err(|_| AppError::Internal)
}

#[cfg(test)]
mod tests {
    use axum::http::header;

    use super::*;

    #[test]
    fn reads_only_a_well_formed_device_cookie() {
        let mut headers = HeaderMap::new();
        let token = "0123456789abcdef0123456789abcdef";
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("lang=ar; {COOKIE}={token}")).expect("ascii"),
        );
        assert_eq!(
            from_headers(&headers).map(|t| t.as_str().to_owned()),
            Some(token.to_owned())
        );
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("lausanne_device=../../etc"),
        );
        assert!(from_headers(&headers).is_none());
    }
}
