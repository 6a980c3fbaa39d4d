//! QR codes drawn on the server as inline SVG: no script, no image request.

use std::fmt::Write as _;

use qrcode::QrCode;
use qrcode::render::svg;

/// `text` as a QR code, an inline `<svg>` element (no XML declaration), with
/// a title for screen readers.
pub fn qr_svg(text: &str, title: &str) -> Option<String> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    let svg = code
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    let start = svg.find("<svg")?;
    let mut escaped = String::new();
    for c in title.chars() {
        match c {
            '<' => escaped.push_str("&lt;"),
            '&' => escaped.push_str("&amp;"),
            c => escaped.push(c),
        }
    }
    let body = &svg[start..];
    let open_end = body.find('>')?;
    let mut out = String::with_capacity(body.len() + 64);
    out.push_str(&body[..open_end]);
    let _ = write!(
        out,
        r#" role="img" aria-label="{}">"#,
        escaped.replace('"', "&quot;")
    );
    let _ = write!(out, "<title>{escaped}</title>");
    out.push_str(&body[open_end + 1..]);
    Some(out)
}
