//! The layer that serves kept pages and keeps the pages that may be kept.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::{DECLARATION, Declared, Entry, PageCache};
use crate::server::clock::Clock;
use crate::server::compress::{self, Encoding};

/// The longest query string a kept page may have, and the most parameters:
/// every page's real filters fit many times over, and a stranger cannot fill
/// the cache with one page under endless names.
const MAX_QUERY_BYTES: usize = 256;
const MAX_QUERY_PAIRS: usize = 8;

/// The cookie that only remembers a language; any other cookie may mean a
/// reader the page is about (a staff session, a remembered device).
const LANG_COOKIE: &str = "lang";

/// What a reader's browser and shared caches are told: keep the page, but ask
/// each time whether it is still current (a 304 costs a few bytes).
const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");

/// The cache and the clock its entries' moments are read on.
#[derive(Clone)]
pub struct Kept {
    pub pages: PageCache,
    pub clock: Clock,
}

/// Serves a fresh kept page when there is one; otherwise renders the page
/// and keeps it if its data declared it may be kept.
pub async fn layer(State(kept): State<Kept>, req: Request, next: Next) -> Response {
    let Some(key) = key(&req) else {
        return undeclared(next.run(req).await);
    };
    let cache = &kept.pages;
    let now = kept.clock.now().as_second();
    let asked = Asked::of(req.headers());
    if let Some(entry) = cache.get(&key, now) {
        return respond(&entry, &asked);
    }
    let turn = cache.turn(&key).await;
    if turn.is_none()
        && let Some(entry) = cache.get(&key, now)
    {
        return respond(&entry, &asked);
    }
    let rendered_after = cache.sequence();
    let response = next.run(req).await;
    let keepable = response.status() == StatusCode::OK
        && !response.headers().contains_key(header::SET_COOKIE)
        && !response.headers().contains_key(header::CONTENT_ENCODING)
        && !response
            .headers()
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("no-store") || v.contains("private"));
    let declared = keepable
        .then(|| Declared::read(response.headers()))
        .flatten();
    let Some(declared) = declared else {
        return undeclared(response);
    };
    let (parts, body) = response.into_parts();
    let identity = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "a page could not be read to keep it");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    // Compressed here, on the request that rendered it: a fraction of a
    // millisecond at this effort, and never more encoders at once than
    // there are worker threads.
    let entry = Arc::new(entry(identity, parts.headers, rendered_after, declared));
    cache.insert(key, Arc::clone(&entry));
    drop(turn);
    respond(&entry, &asked)
}

/// What the request asked for that the response depends on.
struct Asked {
    encoding: Encoding,
    conditions: HeaderMap,
}

impl Asked {
    fn of(headers: &HeaderMap) -> Self {
        let mut conditions = HeaderMap::new();
        for value in headers.get_all(header::IF_NONE_MATCH) {
            conditions.append(header::IF_NONE_MATCH, value.clone());
        }
        Self {
            encoding: Encoding::preferred(headers),
            conditions,
        }
    }
}

fn entry(
    identity: Bytes,
    mut headers: HeaderMap,
    rendered_after: u64,
    declared: Declared,
) -> Entry {
    for name in [
        DECLARATION,
        header::CONTENT_LENGTH,
        header::TRANSFER_ENCODING,
        header::DATE,
        header::VARY,
        header::ETAG,
    ] {
        headers.remove(name);
    }
    // The body as collected may sit in a larger buffer; the kept copy is
    // exactly its size, as the ceiling counts it.
    let identity = Bytes::copy_from_slice(&identity);
    let digest = Sha256::digest(&identity);
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    let etag = HeaderValue::from_str(&format!("W/\"{hex}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("W/\"0\""));
    let compressed = compress::compress(&identity, compress::Effort::PerChange);
    Entry::new(
        identity,
        compressed.brotli,
        compressed.gzip,
        headers,
        etag,
        rendered_after,
        declared,
    )
}

fn respond(entry: &Entry, asked: &Asked) -> Response {
    let mut headers = entry.headers.clone();
    headers.insert(header::ETAG, entry.etag.clone());
    // A feed or a calendar file says how long readers may keep it.
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, REVALIDATE);
    }
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if compress::unchanged(&asked.conditions, &entry.etag) {
        headers.remove(header::CONTENT_TYPE);
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        response.headers_mut().extend(headers);
        return response;
    }
    let body = match asked.encoding {
        Encoding::Brotli => entry.brotli.clone(),
        Encoding::Gzip => entry.gzip.clone(),
        Encoding::Identity => entry.identity.clone(),
    };
    if let Some(encoding) = asked.encoding.header() {
        headers.insert(header::CONTENT_ENCODING, encoding);
    }
    let mut response = Response::new(Body::from(body));
    *response.headers_mut() = headers;
    response
}

/// A response that is not kept loses the declaration on its way out.
fn undeclared(mut response: Response) -> Response {
    response.headers_mut().remove(DECLARATION);
    response
}

/// The cache key of a request whose page may be kept: its path and its
/// query with the parameters in order. `None` for anything but a `GET`, for
/// a search (whether a search was answered from the cache would tell the
/// next reader, by its speed, that someone searched for that), for an
/// overlong query, and for a reader with a cookie other than the language.
fn key(req: &Request) -> Option<String> {
    if req.method() != Method::GET {
        return None;
    }
    let path = req.uri().path();
    if ["/api/", "/media/", "/live"]
        .iter()
        .any(|prefix| path.starts_with(prefix))
    {
        return None;
    }
    let cookies_only_language = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter(|c| !c.trim().is_empty())
        .all(|c| c.trim().split('=').next() == Some(LANG_COOKIE));
    if !cookies_only_language {
        return None;
    }
    // Client-side navigations get the page without its document around it.
    let variant = if req.headers().contains_key("islands-router") {
        "nav "
    } else {
        ""
    };
    let Some(query) = req.uri().query().filter(|q| !q.is_empty()) else {
        return Some(format!("{variant}{path}"));
    };
    if query.len() > MAX_QUERY_BYTES {
        return None;
    }
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if pairs.len() > MAX_QUERY_PAIRS || pairs.iter().any(|(k, _)| k == "q") {
        return None;
    }
    pairs.sort();
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    Some(format!("{variant}{path}?{query}"))
}

/// The key a page has in the cache, for tests and tools that ask whether it
/// is kept (`PageCache::holds`).
pub fn key_of(path_and_query: &str) -> Option<String> {
    let req = Request::get(path_and_query).body(Body::empty()).ok()?;
    key(&req)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_for(uri: &str, cookie: Option<&'static str>) -> Option<String> {
        let mut req = Request::get(uri).body(Body::empty()).expect("request");
        if let Some(cookie) = cookie {
            req.headers_mut()
                .insert(header::COOKIE, HeaderValue::from_static(cookie));
        }
        key(&req)
    }

    #[test]
    fn keys_sort_parameters_and_refuse_searches_and_cookies() {
        assert_eq!(
            key_for("/en/events?when=past&kind=meeting", None),
            key_for("/en/events?kind=meeting&when=past", None)
        );
        assert_eq!(key_for("/en", Some("lang=ar")).as_deref(), Some("/en"));
        assert_eq!(key_for("/en/events?q=survivors", None), None);
        assert_eq!(key_for("/en", Some("lang=en; id=abc")), None);
        assert_eq!(
            key_for(&format!("/en/events?x={}", "a".repeat(300)), None),
            None
        );
        assert_eq!(key_for("/api/events/list", None), None);
        let post = Request::post("/en").body(Body::empty()).expect("request");
        assert_eq!(key(&post), None);
    }
}
