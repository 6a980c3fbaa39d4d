//! Images for bulletins: uploaded by admins (size and type checked by their
//! first bytes, never by the name or the browser's claim), stored by content
//! hash — under `LAUSANNE_MEDIA_DIR` on SQLite, in the database on
//! PostgreSQL (where every instance must read them) — and served from
//! `/media/<hash>.<ext>` with `nosniff` and a year of caching (the name
//! changes when the bytes do).

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use sha2::{Digest, Sha256};
use tower_http::services::ServeFile;

use crate::server::AppState;
use crate::server::auth::RequireAdmin;
use crate::server::db::audit::{self, Actor, AuditAction};
use crate::server::db::{self, Db};
use crate::server::extract::PathLang;
use crate::server::forms::see_other;

/// The largest image we take.
pub const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;

/// The image formats we take, recognised by their magic bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageKind {
    Png,
    Jpeg,
    WebP,
    Gif,
}

impl ImageKind {
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(Self::WebP)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(Self::Gif)
        } else {
            None
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Jpeg => "jpg",
            Self::WebP => "webp",
            Self::Gif => "gif",
        }
    }

    fn from_extension(ext: &str) -> Option<Self> {
        match ext {
            "png" => Some(Self::Png),
            "jpg" => Some(Self::Jpeg),
            "webp" => Some(Self::WebP),
            "gif" => Some(Self::Gif),
            _ => None,
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::WebP => "image/webp",
            Self::Gif => "image/gif",
        }
    }
}

/// The stored name of an image: the first 128 bits of its SHA-256, in hex.
pub fn file_name(bytes: &[u8], kind: ImageKind) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("{hex}.{}", kind.extension())
}

/// Why an upload was refused (shown on the bulletins page).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UploadError {
    Missing,
    TooLarge,
    NotAnImage,
}

impl UploadError {
    fn code(self) -> &'static str {
        match self {
            Self::Missing => "missing",
            Self::TooLarge => "too_large",
            Self::NotAnImage => "not_an_image",
        }
    }
}

/// `POST /{lang}/staff/bulletins/media` (admins, multipart, field `image`):
/// stores the image and goes back to the bulletins page, which shows the
/// Markdown to paste.
pub async fn upload(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    RequireAdmin(admin): RequireAdmin,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let page = crate::paths::staff_bulletins(lang);
    let refused = |error: UploadError| see_other(&format!("{page}?upload_error={}", error.code()));
    let Ok(mut multipart) = multipart else {
        return refused(UploadError::Missing);
    };
    let bytes = loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("image") => match field.bytes().await {
                Ok(bytes) => break bytes,
                Err(_) => return refused(UploadError::TooLarge),
            },
            Ok(Some(_)) => continue,
            Ok(None) => return refused(UploadError::Missing),
            Err(_) => return refused(UploadError::TooLarge),
        }
    };
    if bytes.is_empty() {
        return refused(UploadError::Missing);
    }
    if bytes.len() > MAX_IMAGE_BYTES {
        return refused(UploadError::TooLarge);
    }
    let Some(kind) = ImageKind::sniff(&bytes) else {
        return refused(UploadError::NotAnImage);
    };
    let name = file_name(&bytes, kind);
    let stored = match &state.db {
        Db::Sqlite(_) => store_file(&state.config.media_dir, &name, &bytes)
            .await
            .map_err(|error| error.to_string()),
        Db::Postgres(pool) => db::media::store(pool, &name, &bytes)
            .await
            .map_err(|error| error.to_string()),
    };
    if let Err(error) = stored {
        tracing::error!(%error, "cannot store an uploaded image");
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let now = state.clock.now().as_second();
    let action = AuditAction::MediaUploaded { name: &name };
    if let Err(error) =
        audit::record(&state.db, &state.key, Actor::Staff(admin.id), action, now).await
    {
        tracing::error!(%error, "cannot audit an upload");
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    see_other(&format!("{page}?uploaded={name}"))
}

/// Writes an image under `dir` (once: the name is the content's hash).
async fn store_file(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    tokio::fs::create_dir_all(dir).await?;
    let path = dir.join(name);
    if !tokio::fs::try_exists(&path).await? {
        // Written beside, then renamed: a reader never sees half a file.
        let partial = dir.join(format!(".{name}.part"));
        tokio::fs::write(&partial, bytes).await?;
        tokio::fs::rename(&partial, &path).await?;
    }
    Ok(())
}

/// `GET /media/{name}`: an uploaded image, with the content hash in its
/// name as a strong `ETag`: on SQLite streamed from disk by `tower_http`'s
/// `ServeFile` (so `HEAD`, `Range` and `If-Modified-Since` work), on
/// PostgreSQL read whole from the database (it is at most 2 MB). Only names
/// that an upload could have produced are looked up.
pub async fn serve(
    State(state): State<AppState>,
    Path(name): Path<String>,
    request: Request,
) -> Response {
    let Some((hash, kind)) = name
        .split_once('.')
        .filter(|(hash, _)| {
            hash.len() == 32 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        })
        .and_then(|(hash, ext)| Some((hash, ImageKind::from_extension(ext)?)))
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let etag = HeaderValue::from_str(&format!("\"{hash}\"")).ok();
    let unchanged = etag
        .as_ref()
        .is_some_and(|etag| crate::server::compress::unchanged(request.headers(), etag));
    let mut response = if unchanged {
        StatusCode::NOT_MODIFIED.into_response()
    } else if let Db::Postgres(pool) = &state.db {
        match db::media::bytes(pool, &name).await {
            Ok(Some(bytes)) => Body::from(bytes).into_response(),
            Ok(None) => return StatusCode::NOT_FOUND.into_response(),
            Err(error) => {
                tracing::error!(%error, "cannot read an uploaded image");
                return StatusCode::SERVICE_UNAVAILABLE.into_response();
            }
        }
    } else {
        match ServeFile::new(state.config.media_dir.join(&name))
            .try_call(request)
            .await
        {
            Ok(response) if response.status() != StatusCode::NOT_FOUND => response.map(Body::new),
            Ok(_) => return StatusCode::NOT_FOUND.into_response(),
            Err(error) => {
                tracing::error!(%error, "cannot read an uploaded image");
                return StatusCode::SERVICE_UNAVAILABLE.into_response();
            }
        }
    };
    let headers = response.headers_mut();
    if let Some(etag) = etag {
        headers.insert(header::ETAG, etag);
    }
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind.mime()));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    // Feed readers and mail clients on other sites show these.
    headers.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("cross-origin"),
    );
    response
}

/// Uploaded images, and uploading them (admins only; the body limit fits one image).
pub fn routes() -> Router<AppState> {
    Router::new().route("/media/{name}", get(serve)).route(
        "/{lang}/staff/bulletins/media",
        post(upload).layer(DefaultBodyLimit::max(MAX_IMAGE_BYTES + 64 * 1024)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_magic_bytes() {
        assert_eq!(
            ImageKind::sniff(b"\x89PNG\r\n\x1a\n\0\0"),
            Some(ImageKind::Png)
        );
        assert_eq!(
            ImageKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(ImageKind::Jpeg)
        );
        assert_eq!(
            ImageKind::sniff(b"RIFF\0\0\0\0WEBPVP8 "),
            Some(ImageKind::WebP)
        );
        assert_eq!(ImageKind::sniff(b"GIF89a.."), Some(ImageKind::Gif));
        assert_eq!(ImageKind::sniff(b"<svg xmlns="), None);
        assert_eq!(ImageKind::sniff(b"<html><script>"), None);
        let name = file_name(b"x", ImageKind::Png);
        assert_eq!(name.len(), 32 + 4);
    }
}
