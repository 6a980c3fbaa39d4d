//! Public event data, shaped for one reader: localised, formatted, and with
//! the details of closed events left out.

pub mod http;
pub mod pages;

use crate::domain::{Lang, SessionTimes, Visibility};
use crate::dto::events::{AgendaDay, AgendaItem, EventCard};
use crate::error::AppError;

use crate::server::db::{events::EventRow, sessions::PublicSessionRow};
use crate::server::format;

const LIST_LIMIT: i64 = 200;

fn card(lang: Lang, row: &EventRow, now: i64) -> Result<EventCard, AppError> {
    let (kind, format) = (row.kind, row.format);
    let closed = row.visibility != Visibility::Public;
    let tz = format::time_zone(&row.time_zone);
    let (start, end) = (
        format::zoned(row.starts_at, &tz),
        format::zoned(row.ends_at, &tz),
    );
    let place = (!closed && format.has_venue())
        .then(|| format::place(lang, row))
        .flatten();
    Ok(EventCard {
        slug: row.slug.clone(),
        kind,
        format,
        closed,
        title: lang.pick(&row.title_en, &row.title_ar).to_owned(),
        summary: (!closed).then(|| lang.pick(&row.summary_en, &row.summary_ar).to_owned()),
        place,
        dates: format::date_range(lang, &start, &end),
        starts_iso: format::rfc3339(&start),
        ended: row.ends_at < now,
        live: row.starts_at <= now && now < row.ends_at,
        status: None,
    })
}

fn agenda(
    lang: Lang,
    sessions: &[PublicSessionRow],
    tz: &jiff::tz::TimeZone,
    now: i64,
) -> Vec<AgendaDay> {
    let mut days: Vec<(jiff::civil::Date, AgendaDay)> = Vec::new();
    for s in sessions {
        let (start, end) = (format::zoned(s.starts_at, tz), format::zoned(s.ends_at, tz));
        let times = SessionTimes {
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            join_opens_minutes_before: s.join_opens_minutes_before,
        };
        let item = AgendaItem {
            id: s.id,
            live: times.is_live(now),
            title: lang.pick(&s.title_en, &s.title_ar).to_owned(),
            time: format::time_range(lang, &start, &end),
            starts_iso: format::rfc3339(&start),
            starts_ms: s.starts_at.saturating_mul(1000),
            ends_ms: s.ends_at.saturating_mul(1000),
            offset_minutes: start.offset().seconds() / 60,
            in_person: s.in_person,
            online: s.online,
        };
        match days.last_mut() {
            Some((date, day)) if *date == start.date() => day.items.push(item),
            _ => days.push((
                start.date(),
                AgendaDay {
                    label: format::day_heading(lang, start.date()),
                    items: vec![item],
                },
            )),
        }
    }
    days.into_iter().map(|(_, day)| day).collect()
}

fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}
