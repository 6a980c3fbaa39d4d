//! Compressing once what many readers fetch (kept pages, static files), and
//! choosing which of the compressed forms a reader gets.

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, header};

/// How a body is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    /// The best encoding the reader accepts: brotli, else gzip, else none.
    /// An encoding listed with `q=0` is refused.
    pub fn preferred(headers: &HeaderMap) -> Self {
        let (mut brotli, mut gzip) = (false, false);
        for value in headers.get_all(header::ACCEPT_ENCODING) {
            let Ok(value) = value.to_str() else { continue };
            for item in value.split(',') {
                let mut parts = item.split(';');
                let name = parts.next().unwrap_or("").trim();
                let refused = parts.any(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.trim().parse::<f32>().ok())
                        .is_some_and(|q| q <= 0.0)
                });
                if refused {
                    continue;
                }
                if name.eq_ignore_ascii_case("br") || name == "*" {
                    brotli = true;
                }
                if name.eq_ignore_ascii_case("gzip") || name == "*" {
                    gzip = true;
                }
            }
        }
        if brotli {
            Self::Brotli
        } else if gzip {
            Self::Gzip
        } else {
            Self::Identity
        }
    }

    /// The `Content-Encoding` value, if any.
    pub fn header(self) -> Option<HeaderValue> {
        match self {
            Self::Brotli => Some(HeaderValue::from_static("br")),
            Self::Gzip => Some(HeaderValue::from_static("gzip")),
            Self::Identity => None,
        }
    }
}

/// A body in the two encodings browsers accept.
pub struct Compressed {
    pub brotli: Bytes,
    pub gzip: Bytes,
}

/// How hard to try.
#[derive(Clone, Copy, Debug)]
pub enum Effort {
    /// For a file read once at start: the smallest result (brotli 11, gzip 9).
    Once,
    /// For a page kept until it changes: compressed on the request that
    /// rendered it, as fast as compressing per request used to be (brotli 4,
    /// gzip 6: from brotli 5 on, the encoder zeroes hash tables of a
    /// mebibyte for every page, and a flood of new query strings cost ten
    /// times as much), within a few per cent of the smallest.
    PerChange,
}

/// A body in the two encodings browsers accept. Brotli's window is sized to
/// the body (a page needs kilobytes, not the default 4 MiB), which keeps the
/// encoder's memory small.
pub fn compress(body: &[u8], effort: Effort) -> Compressed {
    use std::io::Write as _;
    let (brotli_quality, gzip_level) = match effort {
        Effort::Once => (11, 9),
        Effort::PerChange => (4, 6),
    };
    let window = body
        .len()
        .max(1)
        .next_power_of_two()
        .trailing_zeros()
        .clamp(10, 22);
    let mut brotli = Vec::with_capacity(body.len() / 3);
    {
        let mut writer = brotli::CompressorWriter::new(&mut brotli, 4096, brotli_quality, window);
        // Writing to a Vec cannot fail.
        let _ = writer.write_all(body);
    }
    let mut gzip = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 3),
        flate2::Compression::new(gzip_level),
    );
    let _ = gzip.write_all(body);
    // Copied into allocations of exactly their size: kept for long, and
    // counted against the cache's ceiling by their length.
    Compressed {
        brotli: Bytes::copy_from_slice(&brotli),
        gzip: Bytes::copy_from_slice(&gzip.finish().unwrap_or_default()),
    }
}

/// Whether a body of this media type gets smaller by compressing it (text,
/// scripts, WASM, SVG); images and archives are compressed already.
pub fn worth_compressing(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || content_type.starts_with("image/svg")
        || [
            "application/javascript",
            "application/json",
            "application/wasm",
            "application/xml",
            "application/atom+xml",
            "application/manifest+json",
        ]
        .iter()
        .any(|t| content_type.starts_with(t))
}

/// Whether `If-None-Match` names `etag` (weak comparison, as RFC 9110 asks
/// for this header), or is `*`.
pub fn unchanged(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let weak = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    let Ok(ours) = etag.to_str() else {
        return false;
    };
    let ours = weak(ours);
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| tag.trim() == "*" || weak(tag) == ours)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn picks_what_the_reader_accepts() {
        assert_eq!(
            Encoding::preferred(&accept("gzip, deflate, br")),
            Encoding::Brotli
        );
        assert_eq!(Encoding::preferred(&accept("gzip")), Encoding::Gzip);
        assert_eq!(Encoding::preferred(&accept("br;q=0, gzip")), Encoding::Gzip);
        assert_eq!(Encoding::preferred(&accept("identity")), Encoding::Identity);
        assert_eq!(Encoding::preferred(&HeaderMap::new()), Encoding::Identity);
    }

    #[test]
    fn compressed_forms_decompress_to_the_body() {
        use std::io::Read as _;
        let body = "<p>مرحبا</p>".repeat(200);
        let c = compress(body.as_bytes(), Effort::PerChange);
        assert!(c.brotli.len() < body.len() / 10);
        let mut back = String::new();
        flate2::read::GzDecoder::new(&c.gzip[..])
            .read_to_string(&mut back)
            .expect("gzip");
        assert_eq!(back, body);
        let mut back = Vec::new();
        brotli::Decompressor::new(&c.brotli[..], 4096)
            .read_to_end(&mut back)
            .expect("brotli");
        assert_eq!(back, body.as_bytes());
    }

    #[test]
    fn if_none_match_compares_weakly() {
        let etag = HeaderValue::from_static("W/\"abc\"");
        let mut headers = HeaderMap::new();
        assert!(!unchanged(&headers, &etag));
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"x\", \"abc\""),
        );
        assert!(unchanged(&headers, &etag));
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static("W/\"abd\""));
        assert!(!unchanged(&headers, &etag));
    }
}
