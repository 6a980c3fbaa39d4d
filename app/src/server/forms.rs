//! Plain HTML forms, so that every form works without JavaScript: reading a
//! posted form (bounded), and answering a rejected one by rendering the same
//! page again with what was typed and what is wrong.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;

use crate::domain::form::FormError;
use crate::domain::{FieldError, FormState, Lang};
use crate::error::AppError;
use crate::server::AppState;
use crate::server::limits::{self, PublicForm, client_ip};
use crate::server::shell::shell;

/// The largest form body we read. Big enough for every field at its limit
/// (a 100 KB answer is read and refused with a message next to the field),
/// small enough that nobody can make us buffer much.
pub const MAX_FORM_BYTES: usize = 256 * 1024;

/// How many read timeouts a form's body may take to arrive in all, however
/// steadily it trickles in (the read timeout cuts off a body that stalls):
/// 45 s by default.
pub const BODY_DEADLINE_READS: u32 = 3;

/// A posted `application/x-www-form-urlencoded` form. Repeated fields (a
/// group of checkboxes) are joined with commas. The request's parts (address,
/// headers, and extensions such as the staff session) are kept, to render the
/// page again.
pub struct PostedForm {
    pub fields: BTreeMap<String, String>,
    pub parts: Parts,
}

impl PostedForm {
    /// What goes back to the page when it is shown again: every field as typed,
    /// except secrets.
    pub fn state(&self) -> FormState {
        let mut values = self.fields.clone();
        values.remove("password");
        FormState::new(values)
    }
}

impl FromRequest<AppState> for PostedForm {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let form_type = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !form_type {
            return Err(plain_error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                &parts.uri,
                FormError::BadRequest,
            ));
        }
        let deadline = state.config.read_timeout * BODY_DEADLINE_READS;
        let read = tokio::time::timeout(deadline, axum::body::to_bytes(body, MAX_FORM_BYTES));
        let Ok(read) = read.await else {
            return Err(plain_error(
                StatusCode::REQUEST_TIMEOUT,
                &parts.uri,
                FormError::BadRequest,
            ));
        };
        let bytes = read.map_err(|error| {
            // The body stalled (the server's read timeout) or ended early.
            let stalled =
                std::iter::successors(Some(&error as &(dyn std::error::Error + 'static)), |e| {
                    e.source()
                })
                .any(|e| e.is::<tower_http::timeout::TimeoutError>());
            if stalled {
                plain_error(
                    StatusCode::REQUEST_TIMEOUT,
                    &parts.uri,
                    FormError::BadRequest,
                )
            } else {
                plain_error(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    &parts.uri,
                    FormError::TooLarge,
                )
            }
        })?;
        let mut fields = BTreeMap::<String, String>::new();
        for (name, value) in form_urlencoded::parse(&bytes) {
            fields
                .entry(name.into_owned())
                .and_modify(|v| {
                    v.push(',');
                    v.push_str(&value);
                })
                .or_insert_with(|| value.into_owned());
        }
        Ok(Self { fields, parts })
    }
}

/// Renders the page at `form`'s address again with `state` in context,
/// answering with `status` (a 4xx: the form was not accepted).
pub async fn render_again(
    app: &AppState,
    form: &PostedForm,
    state: FormState,
    status: StatusCode,
) -> Response {
    render_page(app, &form.parts, state, status).await
}

/// Renders the page at the request's address (as a GET, same headers and
/// extensions) with `context` in the Leptos context, answering with `status`
/// when the page itself rendered. Never cached, never leaks its address.
pub async fn render_page<T>(
    app: &AppState,
    parts: &Parts,
    context: T,
    status: StatusCode,
) -> Response
where
    T: Clone + Send + Sync + 'static,
{
    render_page_with(app, parts, move || provide_context(context.clone()), status).await
}

/// Like [`render_page`], with whatever `provide` puts in the Leptos context
/// (for pages that need more than one value, such as a form and its preview).
pub async fn render_page_with(
    app: &AppState,
    parts: &Parts,
    provide: impl Fn() + Clone + Send + Sync + 'static,
    status: StatusCode,
) -> Response {
    let handler = leptos_axum::render_app_async_with_context(
        {
            let app = app.clone();
            move || {
                app.provide();
                provide();
            }
        },
        {
            let options = app.leptos.clone();
            move || shell(options.clone())
        },
    );
    let mut parts = parts.clone();
    parts.method = Method::GET;
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    let mut response = handler(Request::from_parts(parts, Body::empty()))
        .await
        .into_response();
    if response.status().is_success() {
        *response.status_mut() = status;
    }
    no_store(&mut response);
    response
}

/// After a form is accepted: see the result at another address (303), so a
/// reload does not post again.
pub fn see_other(path: &str) -> Response {
    let mut response = Redirect::to(path).into_response();
    no_store(&mut response);
    response
}

/// Pages with private data are never cached, and never tell another site
/// where the reader came from (private links are in their paths); see
/// [`crate::server::security::REFERRER_POLICY`].
pub fn no_store(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static(crate::server::security::REFERRER_POLICY),
    );
}

/// A short page, in the language of the address, for a request we would not
/// even read as a form.
pub fn plain_error(status: StatusCode, uri: &Uri, error: FormError) -> Response {
    let lang = Lang::of_path(uri.path()).unwrap_or(Lang::En);
    let message = crate::labels::form_error_text(lang, error);
    let body = format!(
        "<!DOCTYPE html><html lang=\"{}\" dir=\"{}\"><meta charset=\"utf-8\"><title>{message}</title><p>{message}</p></html>",
        lang.code(),
        lang.dir()
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

/// Compares secrets without revealing, through timing, how much matched.
pub fn same_secret(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

/// Why a posted form was not taken.
#[derive(Debug)]
pub enum Refusal {
    NotFound,
    Fields(BTreeMap<String, FieldError>),
    Form(FormError),
    /// Too many posts from the client's address; try again after this long.
    TooMany(Duration),
    Internal,
}

impl From<AppError> for Refusal {
    fn from(error: AppError) -> Self {
        match error {
            AppError::NotFound => Refusal::NotFound,
            _ => Refusal::Internal,
        }
    }
}

impl From<sqlx::Error> for Refusal {
    fn from(error: sqlx::Error) -> Self {
        AppError::from(error).into()
    }
}

/// The page of a refused form again, with what was typed and what is wrong.
pub async fn refused(state: &AppState, form: &PostedForm, refusal: Refusal) -> Response {
    if let Refusal::TooMany(wait) = refusal {
        let shown = form.state().with_error(FormError::TooManyAttempts);
        let response = render_again(state, form, shown, StatusCode::TOO_MANY_REQUESTS).await;
        return limits::with_retry_after(response, wait);
    }
    let (status, shown) = match refusal {
        Refusal::NotFound => (StatusCode::NOT_FOUND, form.state()),
        Refusal::Fields(errors) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            form.state().with_fields(errors),
        ),
        Refusal::Form(error) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            form.state().with_error(error),
        ),
        Refusal::TooMany(_) | Refusal::Internal => (
            StatusCode::SERVICE_UNAVAILABLE,
            form.state().with_error(FormError::BadRequest),
        ),
    };
    render_again(state, form, shown, status).await
}

/// What every public form goes through before its fields are read: the
/// client address's rate limit for `kind`, then the honeypot. A filled
/// honeypot stores nothing; the form comes back (422) with everything else
/// as typed, the honeypot empty, and a neutral request to send it again, so
/// that a person whose browser filled it in is never told "done" falsely.
pub async fn admit_public(
    state: &AppState,
    form: &PostedForm,
    kind: PublicForm,
) -> Result<(), Response> {
    if let Err(wait) = state
        .form_limits
        .check(kind, client_ip(&form.parts, &state.config))
        .await
    {
        tracing::warn!(form = kind.name(), "posts over the limit for one address");
        return Err(refused(state, form, Refusal::TooMany(wait)).await);
    }
    if form
        .fields
        .get(limits::HONEYPOT)
        .is_some_and(|v| !v.trim().is_empty())
    {
        tracing::info!(form = kind.name(), "honeypot filled in; nothing stored");
        let mut shown = form.state().with_error(FormError::CheckAgain);
        shown.values.remove(limits::HONEYPOT);
        return Err(render_again(state, form, shown, StatusCode::UNPROCESSABLE_ENTITY).await);
    }
    Ok(())
}

/// A short page for an address that has no language of its own (a join
/// link, the live stream): the same words in English and Arabic.
pub fn bilingual(status: StatusCode, en: &str, ar: &str) -> Response {
    let body = format!(
        "<!DOCTYPE html><html lang=\"en\"><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Lausanne Platform</title>\
         <p>{en}</p><p lang=\"ar\" dir=\"rtl\">{ar}</p></html>"
    );
    let mut response = (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response();
    no_store(&mut response);
    response
}

/// A query string read leniently: the first value of each name, bad
/// percent-encoding replaced. It never refuses a request (axum's `Query`
/// answers a repeated or malformed parameter with an English-only 400).
#[derive(Debug, Default)]
pub struct Params(BTreeMap<String, String>);

impl Params {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let mut params = BTreeMap::new();
        for (name, value) in form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes()) {
            params
                .entry(name.into_owned())
                .or_insert_with(|| value.into_owned());
        }
        Ok(Self(params))
    }
}
