//! The built assets (`/pkg/…`: CSS, JS, WASM) and the files at the site
//! root (`/favicon.svg`, `/robots.txt`), read into memory once at start with
//! their brotli and gzip forms: the `.br`/`.gz` files the release build
//! wrote, or compressed here once. A request is answered from memory, with
//! `ETag` and `Last-Modified` and a 304 when the reader has the file;
//! hashed asset names are cached for a year.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::server::compress::{self, Encoding};

/// Files smaller than this are sent as they are.
const COMPRESS_FROM_BYTES: usize = 256;

/// For files whose name changes with their content (cargo-leptos' hashed names).
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// For everything else: an hour, then a cheap revalidation.
const SHORT: &str = "public, max-age=3600";
/// Unhashed build assets (a development build) change under the same name.
const DEVELOPMENT: &str = "public, max-age=300";

struct File {
    identity: Bytes,
    brotli: Option<Bytes>,
    gzip: Option<Bytes>,
    content_type: HeaderValue,
    etag: HeaderValue,
    last_modified: Option<HeaderValue>,
    modified: Option<SystemTime>,
    cache_control: HeaderValue,
}

/// The files, by URL path.
#[derive(Default)]
pub struct StaticFiles {
    files: HashMap<String, Arc<File>>,
}

impl StaticFiles {
    /// Reads the site root's files and its `pkg` folder. A file that cannot
    /// be read is left out (and logged); a missing folder is no files.
    pub fn load(site_root: &Path, hashed_assets: bool) -> Self {
        let mut files = HashMap::new();
        let pkg_cache = if hashed_assets {
            IMMUTABLE
        } else {
            DEVELOPMENT
        };
        for (dir, prefix, cache) in [
            (site_root.to_path_buf(), "/", SHORT),
            (site_root.join("pkg"), "/pkg/", pkg_cache),
        ] {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let name = entry.file_name().to_string_lossy().into_owned();
                if !path.is_file() || name.ends_with(".br") || name.ends_with(".gz") {
                    continue;
                }
                match read(&path, cache) {
                    Ok(file) => {
                        files.insert(format!("{prefix}{name}"), Arc::new(file));
                    }
                    Err(error) => {
                        tracing::error!(%error, file = %path.display(), "cannot read a static file");
                    }
                }
            }
        }
        Self { files }
    }

    /// URL paths of the files at the site root, for routing.
    pub fn root_paths(&self) -> impl Iterator<Item = &str> {
        self.files
            .keys()
            .map(String::as_str)
            .filter(|path| !path.starts_with("/pkg/"))
    }

    /// Bytes held, all forms together.
    pub fn bytes(&self) -> usize {
        self.files
            .values()
            .map(|f| {
                f.identity.len()
                    + f.brotli.as_ref().map_or(0, Bytes::len)
                    + f.gzip.as_ref().map_or(0, Bytes::len)
            })
            .sum()
    }

    fn respond(&self, path: &str, request: &HeaderMap) -> Response {
        let Some(file) = self.files.get(path) else {
            return StatusCode::NOT_FOUND.into_response();
        };
        let mut headers = HeaderMap::new();
        headers.insert(header::ETAG, file.etag.clone());
        headers.insert(header::CACHE_CONTROL, file.cache_control.clone());
        if let Some(modified) = &file.last_modified {
            headers.insert(header::LAST_MODIFIED, modified.clone());
        }
        if file.brotli.is_some() || file.gzip.is_some() {
            headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
        if compress::unchanged(request, &file.etag) || not_modified_since(request, file) {
            let mut response = StatusCode::NOT_MODIFIED.into_response();
            response.headers_mut().extend(headers);
            return response;
        }
        let (body, encoding) = match Encoding::preferred(request) {
            Encoding::Brotli if file.brotli.is_some() => (file.brotli.clone(), Encoding::Brotli),
            Encoding::Brotli | Encoding::Gzip if file.gzip.is_some() => {
                (file.gzip.clone(), Encoding::Gzip)
            }
            _ => (None, Encoding::Identity),
        };
        if let Some(value) = encoding.header() {
            headers.insert(header::CONTENT_ENCODING, value);
        }
        headers.insert(header::CONTENT_TYPE, file.content_type.clone());
        let mut response = Response::new(Body::from(body.unwrap_or_else(|| file.identity.clone())));
        *response.headers_mut() = headers;
        response
    }
}

/// `GET` (and `HEAD`) of a static file.
pub async fn serve(
    State(files): State<Arc<StaticFiles>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    files.respond(uri.path(), &headers)
}

/// `If-Modified-Since`, consulted only without `If-None-Match` (RFC 9110).
fn not_modified_since(request: &HeaderMap, file: &File) -> bool {
    if request.contains_key(header::IF_NONE_MATCH) {
        return false;
    }
    let since = request
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok());
    match (since, file.modified) {
        (Some(since), Some(modified)) => modified <= since,
        _ => false,
    }
}

fn read(path: &Path, cache_control: &'static str) -> std::io::Result<File> {
    let identity = Bytes::from(std::fs::read(path)?);
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let content_type = match mime.type_() {
        mime_guess::mime::TEXT => format!("{mime}; charset=utf-8"),
        _ => mime.to_string(),
    };
    let sibling = |ext: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(ext);
        std::fs::read(name).ok().map(Bytes::from)
    };
    let (mut brotli, mut gzip) = (sibling(".br"), sibling(".gz"));
    let worth = identity.len() >= COMPRESS_FROM_BYTES && compress::worth_compressing(&content_type);
    if worth && (brotli.is_none() || gzip.is_none()) {
        let compressed = compress::compress(&identity, compress::Effort::Once);
        brotli = brotli.or(Some(compressed.brotli));
        gzip = gzip.or(Some(compressed.gzip));
    }
    if !worth {
        (brotli, gzip) = (None, None);
    }
    let digest = Sha256::digest(&identity);
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    // Whole seconds, as `Last-Modified` says it and `If-Modified-Since` returns it.
    let modified = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|m| httpdate::parse_http_date(&httpdate::fmt_http_date(m)).ok());
    Ok(File {
        etag: HeaderValue::from_str(&format!("\"{hex}\""))
            .unwrap_or_else(|_| HeaderValue::from_static("\"0\"")),
        last_modified: modified
            .and_then(|m| HeaderValue::from_str(&httpdate::fmt_http_date(m)).ok()),
        modified,
        content_type: HeaderValue::from_str(&content_type)
            .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream")),
        cache_control: HeaderValue::from_static(cache_control),
        identity,
        brotli,
        gzip,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_from_memory_with_validators() {
        let dir = tempfile_dir();
        std::fs::create_dir_all(dir.join("pkg")).expect("pkg");
        std::fs::write(dir.join("robots.txt"), "User-agent: *\n".repeat(40)).expect("write");
        std::fs::write(dir.join("pkg/app.abc.css"), "body{color:red}").expect("write");
        let files = StaticFiles::load(&dir, true);
        let mut request = HeaderMap::new();
        request.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("br"));
        let robots = files.respond("/robots.txt", &request);
        assert_eq!(robots.status(), StatusCode::OK);
        assert_eq!(robots.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(robots.headers()[header::CACHE_CONTROL], SHORT);
        let css = files.respond("/pkg/app.abc.css", &request);
        // Too small to compress; hashed, so immutable.
        assert!(!css.headers().contains_key(header::CONTENT_ENCODING));
        assert_eq!(css.headers()[header::CACHE_CONTROL], IMMUTABLE);
        assert_eq!(
            css.headers()[header::CONTENT_TYPE],
            "text/css; charset=utf-8"
        );
        let etag = css.headers()[header::ETAG].clone();
        request.insert(header::IF_NONE_MATCH, etag);
        assert_eq!(
            files.respond("/pkg/app.abc.css", &request).status(),
            StatusCode::NOT_MODIFIED
        );
        assert_eq!(
            files.respond("/pkg/nope.js", &request).status(),
            StatusCode::NOT_FOUND
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "lausanne-static-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }
}
