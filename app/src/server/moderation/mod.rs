//! The staff desk: the dashboard, the moderation queue and its decisions,
//! organisation vetting, the audit log, and the admins' CSV export. Every
//! entry point checks the role first (rule 6); every decision is audited.

pub mod http;
pub mod pages;

use std::collections::BTreeMap;

use crate::domain::{Decision, FieldError};

const QUEUE_LIMIT: i64 = 500;

/// The decision a posted queue form asks for: a row's own button
/// (`one` = `approve:12`) or a bulk button (`decision`) with ticked `ids`.
fn requested(
    fields: &BTreeMap<String, String>,
) -> Result<(Decision, Vec<i64>), (&'static str, FieldError)> {
    let (decision, ids) = match fields.get("one").map(|v| v.split_once(':')) {
        Some(Some((decision, id))) => (decision, id),
        Some(None) => return Err(("ids", FieldError::Choice)),
        None => (
            fields.get("decision").map_or("", String::as_str),
            fields.get("ids").map_or("", String::as_str),
        ),
    };
    let decision = Decision::parse(decision).ok_or(("decision", FieldError::Choice))?;
    if ids.is_empty() {
        return Err(("ids", FieldError::Required));
    }
    let ids = ids
        .split(',')
        .map(|id| id.trim().parse::<i64>().ok())
        .collect::<Option<Vec<_>>>()
        .ok_or(("ids", FieldError::Choice))?;
    if ids.len() > usize::try_from(QUEUE_LIMIT).unwrap_or(500) {
        return Err(("ids", FieldError::TooLong { max: 500 }));
    }
    Ok((decision, ids))
}

/// One CSV cell: quoted, and defused against formula injection: a cell that a
/// spreadsheet would run (`=`, `+`, `-`, `@`, tab, carriage return at the
/// start) gets a leading apostrophe, as OWASP recommends.
/// A CSV file to download, `lines` already made of [`csv_cell`]s: a
/// byte-order mark (so spreadsheets read the Arabic as UTF-8), CRLF line
/// ends, never cached.
pub fn csv_file(filename: &str, lines: &[String]) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    let csv = lines.join("\r\n") + "\r\n";
    let disposition = format!("attachment; filename=\"{filename}\"");
    let mut response = (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        format!("\u{FEFF}{csv}"),
    )
        .into_response();
    crate::server::forms::no_store(&mut response);
    response
}

pub fn csv_cell(text: &str) -> String {
    let defused = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    format!("\"{}\"", defused.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        assert_eq!(csv_cell("Amal"), "\"Amal\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+1 555"), "\"'+1 555\"");
        assert_eq!(csv_cell("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(csv_cell("-2+3"), "\"'-2+3\"");
        assert_eq!(csv_cell("a,b\nc"), "\"a,b\nc\"");
    }

    #[test]
    fn reads_row_and_bulk_requests() {
        let fields = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        assert_eq!(
            requested(&fields(&[("one", "reject:7"), ("ids", "1,2")])),
            Ok((Decision::Reject, vec![7]))
        );
        assert_eq!(
            requested(&fields(&[("decision", "approve"), ("ids", "1,2")])),
            Ok((Decision::Approve, vec![1, 2]))
        );
        assert_eq!(
            requested(&fields(&[("decision", "approve")])),
            Err(("ids", FieldError::Required))
        );
        assert_eq!(
            requested(&fields(&[("decision", "delete"), ("ids", "1")])),
            Err(("decision", FieldError::Choice))
        );
        assert_eq!(
            requested(&fields(&[("decision", "approve"), ("ids", "1,x")])),
            Err(("ids", FieldError::Choice))
        );
    }
}
