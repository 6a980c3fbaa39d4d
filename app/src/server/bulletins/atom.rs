//! The Atom feeds (RFC 4287) of the published issues, one per language.

use crate::domain::Lang;
use crate::server::db::bulletins::BulletinRow;

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn rfc3339(unix: i64) -> String {
    jiff::Timestamp::from_second(unix)
        .map(|t| t.to_string())
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}

/// The Atom document (RFC 4287) for `lang`. Ids are `tag:` URIs (RFC 4151)
/// made of the public host and the issue's database id, so they never change
/// when a title, slug or number does; links are absolute, from the public URL.
pub fn atom(public_url: &str, lang: Lang, issues: &[BulletinRow]) -> String {
    let host = public_url
        .split_once("://")
        .map_or(public_url, |(_, rest)| rest)
        .split(['/', ':'])
        .next()
        .unwrap_or("localhost");
    let code = lang.code();
    let locale = lang.locale();
    use crate::i18n::*;
    let title = format!(
        "{} · {}",
        td_string!(locale, bulletins.title),
        td_string!(locale, site.name)
    );
    let updated = issues.iter().map(|b| b.updated_at).max().unwrap_or(0);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{code}\" xml:base=\"{base}/\">\n\
         <id>tag:{host},2026:bulletins:{code}</id>\n<title>{title}</title>\n<updated>{updated}</updated>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{base}/feeds/bulletins.{code}.atom\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{base}/{code}/bulletins\"/>\n\
         <author><name>{author}</name></author>\n",
        base = xml_escape(public_url),
        host = xml_escape(host),
        title = xml_escape(&title),
        updated = rfc3339(updated),
        author = xml_escape(td_string!(locale, site.name)),
    );
    for b in issues {
        let (title, summary, html) = match lang {
            Lang::En => (&b.title_en, &b.summary_en, &b.html_en),
            Lang::Ar => (&b.title_ar, &b.summary_ar, &b.html_ar),
        };
        let published = b
            .first_published_at
            .or(b.published_at)
            .unwrap_or(b.updated_at);
        xml.push_str(&format!(
            "<entry>\n<id>tag:{host},2026:bulletin:{id}:{code}</id>\n<title>{number}. {title}</title>\n\
             <link rel=\"alternate\" type=\"text/html\" href=\"{base}/{code}/bulletins/{slug}\"/>\n\
             <published>{published}</published>\n<updated>{updated}</updated>\n\
             <summary>{summary}</summary>\n<content type=\"html\">{content}</content>\n</entry>\n",
            host = xml_escape(host),
            id = b.id,
            number = b.number,
            title = xml_escape(title),
            base = xml_escape(public_url),
            slug = xml_escape(&b.slug),
            published = rfc3339(published),
            updated = rfc3339(b.updated_at),
            summary = xml_escape(summary),
            content = xml_escape(html),
        ));
    }
    xml.push_str("</feed>\n");
    xml
}
