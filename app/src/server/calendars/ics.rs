//! iCalendar (RFC 5545) files: just the VEVENT fields calendars need, with
//! text escaped and lines folded at 75 octets. Written here rather than with
//! the `icalendar` crate, which brings `chrono` into a `jiff` code base for
//! what is a few dozen lines.

use jiff::Timestamp;

pub struct Event {
    pub uid: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub summary: String,
    pub description: String,
    pub location: Option<String>,
    pub url: Option<String>,
    /// When the file was made (DTSTAMP).
    pub stamp: i64,
}

pub struct Calendar {
    lines: Vec<String>,
}

impl Calendar {
    pub fn new(product_origin: &str) -> Self {
        Self {
            lines: vec![
                "BEGIN:VCALENDAR".to_owned(),
                "VERSION:2.0".to_owned(),
                format!(
                    "PRODID:-//Lausanne Platform//{}//EN",
                    escape(product_origin)
                ),
                "CALSCALE:GREGORIAN".to_owned(),
                "METHOD:PUBLISH".to_owned(),
            ],
        }
    }

    pub fn event(mut self, e: Event) -> Self {
        self.lines.push("BEGIN:VEVENT".to_owned());
        self.lines.push(format!("UID:{}", escape(&e.uid)));
        self.lines.push(format!("DTSTAMP:{}", utc(e.stamp)));
        self.lines.push(format!("DTSTART:{}", utc(e.starts_at)));
        self.lines.push(format!("DTEND:{}", utc(e.ends_at)));
        self.lines.push(format!("SUMMARY:{}", escape(&e.summary)));
        self.lines
            .push(format!("DESCRIPTION:{}", escape(&e.description)));
        if let Some(location) = e.location {
            self.lines.push(format!("LOCATION:{}", escape(&location)));
        }
        if let Some(url) = e.url {
            // URL is a URI value, not TEXT: not escaped.
            self.lines.push(format!("URL:{url}"));
        }
        self.lines.push("END:VEVENT".to_owned());
        self
    }

    /// The file: CRLF line endings, long lines folded.
    pub fn finish(mut self) -> String {
        self.lines.push("END:VCALENDAR".to_owned());
        let mut out = String::new();
        for line in &self.lines {
            fold(line, &mut out);
        }
        out
    }
}

fn utc(unix_seconds: i64) -> String {
    Timestamp::from_second(unix_seconds)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string()
}

/// TEXT escaping: backslash, semicolon, comma and newlines.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line into chunks of at most 75 octets, never splitting a
/// UTF-8 character; continuation lines start with a space.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_folds() {
        let title = "منصة لوزان، الاجتماع الحادي عشر; day 1, hybrid";
        let ics = Calendar::new("https://example.org")
            .event(Event {
                uid: "r-1@x".to_owned(),
                starts_at: 1_637_222_400,
                ends_at: 1_637_251_200,
                summary: title.to_owned(),
                description: "line one\nline two".to_owned(),
                location: Some("Hotel, Room 2".to_owned()),
                url: None,
                stamp: 0,
            })
            .finish();
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(ics.contains("DTSTART:20211118T080000Z\r\n"));
        assert!(ics.contains("LOCATION:Hotel\\, Room 2\r\n"));
        assert!(ics.contains("DESCRIPTION:line one\\nline two\r\n"));
        assert!(ics.lines().all(|l| l.len() <= 76), "{ics}");
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains("day 1\\, hybrid"));
        assert!(unfolded.contains("\\;"));
    }
}
