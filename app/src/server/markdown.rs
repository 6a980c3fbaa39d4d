//! Bulletin bodies: Markdown rendered to HTML on the server, then sanitised
//! with a strict allow-list. Raw HTML in the Markdown is shown as text, never
//! passed through; whatever the renderer produces still goes through
//! `ammonia`, so a bug in one layer is caught by the other.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};
use pulldown_cmark::{Event, Options, Parser, html};

/// Tags a bulletin may use: text structure, lists, quotes, code, tables,
/// links and images. No `style`, no `class`, no forms, no SVG, no iframes.
const TAGS: &[&str] = &[
    "p",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "blockquote",
    "em",
    "strong",
    "del",
    "a",
    "code",
    "pre",
    "hr",
    "br",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "sup",
];

static SANITISER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::empty();
    builder
        .tags(TAGS.iter().copied().collect::<HashSet<_>>())
        .tag_attributes(
            [
                ("a", ["href", "title"].into_iter().collect::<HashSet<_>>()),
                ("img", ["src", "alt", "title"].into_iter().collect()),
                ("ol", ["start"].into_iter().collect()),
                ("th", ["align"].into_iter().collect()),
                ("td", ["align"].into_iter().collect()),
            ]
            .into_iter()
            .collect(),
        )
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        // Our own paths (`/media/…`, `/en/events/…`) stay as written.
        .url_relative(UrlRelative::PassThrough)
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true)
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            // Images only from our own storage: never hotlinked.
            ("img", "src") => is_own_media(value).then_some(Cow::Borrowed(value)),
            _ => Some(Cow::Borrowed(value)),
        });
    builder
});

/// `/media/<hex>.<ext>`, as [`crate::server::media`] stores uploads.
fn is_own_media(src: &str) -> bool {
    src.strip_prefix("/media/")
        .and_then(|name| name.split_once('.'))
        .is_some_and(|(hash, ext)| {
            !hash.is_empty()
                && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
                && matches!(ext, "png" | "jpg" | "webp" | "gif")
        })
}

/// Markdown to safe HTML.
pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        // Raw HTML is text to us.
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, events);
    SANITISER.clean(&unsafe_html).to_string()
}

/// The text of a Markdown body without its markup, for the search index.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                text.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_markdown() {
        let html = render("## Heading\n\nSome *text* and [a link](https://example.org).");
        assert!(html.contains("<h2>Heading</h2>"), "{html}");
        assert!(html.contains("<em>text</em>"));
        assert!(
            html.contains(r#"<a href="https://example.org" rel="noopener noreferrer">a link</a>"#)
        );
    }

    #[test]
    fn images_only_from_our_media() {
        let html = render("![ok](/media/0123abcd.png) ![no](https://evil.example/x.png)");
        assert!(html.contains(r#"src="/media/0123abcd.png""#), "{html}");
        assert!(!html.contains("evil.example"), "{html}");
        assert!(!render("![x](/media/../../etc/passwd.png)").contains("src="));
        assert!(!render("![x](//evil.example/media/ab.png)").contains("src="));
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            plain_text("## Title\n\n*word* [link](https://x)")
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["Title", "word", "link"]
        );
    }
}
