//! `GET /{lang}/staff/events/{slug}/report.csv` (moderators and admins):
//! the report's numbers as section, item, count ("fewer than 5" under 5).

use axum::Router;
use axum::extract::{Path, State};

use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::dto::report::Shown;
use crate::i18n::*;
use crate::labels::{access_need_label, language_label, mode_label, state_label};
use crate::server::AppState;
use crate::server::auth::RequireStaff;
use crate::server::extract::PathLang;

use crate::server::moderation::{csv_cell, csv_file};

pub async fn csv(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    _staff: RequireStaff,
    Path((_, slug)): Path<(String, String)>,
) -> Response {
    let report = match super::page(&state, lang, &slug).await {
        Ok(report) => report,
        Err(error) => return error.into_response(),
    };
    let locale = lang.locale();
    let fewer = td_string!(locale, hearing.fewer_than_5);
    let n = |count: Shown| count.map_or_else(|| fewer.to_owned(), |n| n.to_string());
    let mut lines = vec![
        [
            td_string!(locale, report.section),
            td_string!(locale, report.item),
            td_string!(locale, hearing.count),
        ]
        .map(csv_cell)
        .join(","),
    ];
    let mut row = |section: &str, item: &str, count: String| {
        lines.push([section, item, &count].map(csv_cell).join(","));
    };
    let registrations = td_string!(locale, report.registrations);
    for s in &report.states {
        for (mode, count) in [
            (crate::domain::AttendanceMode::InPerson, s.in_person),
            (crate::domain::AttendanceMode::Online, s.online),
        ] {
            let item = format!(
                "{} · {}",
                state_label(lang, s.state),
                mode_label(lang, mode)
            );
            row(registrations, &item, n(count));
        }
    }
    let organisations = td_string!(locale, report.organisations);
    row(
        organisations,
        td_string!(locale, report.all),
        n(report.organisations),
    );
    row(
        organisations,
        td_string!(locale, report.first_time),
        n(report.new_organisations),
    );
    row(
        organisations,
        td_string!(locale, report.returning),
        n(report.returning_organisations),
    );
    for c in &report.countries {
        row(organisations, &c.label, n(c.count));
    }
    row(
        td_string!(locale, report.attendance),
        td_string!(locale, report.checked_in),
        n(report.checked_in),
    );
    for j in &report.joined {
        row(td_string!(locale, report.joined), &j.label, n(j.count));
    }
    for (l, count) in &report.interpretation {
        row(
            td_string!(locale, report.interpretation),
            language_label(lang, *l),
            n(*count),
        );
    }
    for (need, count) in &report.accessibility {
        row(
            td_string!(locale, report.accessibility),
            access_need_label(lang, *need),
            n(*count),
        );
    }
    let heard = td_string!(locale, hearing.title);
    row(
        heard,
        td_string!(locale, report.questions_asked),
        n(report.questions_asked),
    );
    row(
        heard,
        td_string!(locale, report.questions_answered),
        n(report.questions_answered),
    );
    row(
        heard,
        td_string!(locale, hearing.priorities),
        n(report.priorities),
    );
    row(
        heard,
        td_string!(locale, hearing.feedback),
        n(report.feedback),
    );
    csv_file(&format!("{}-report.csv", report.event_slug), &lines)
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/{lang}/staff/events/{slug}/report.csv", get(csv))
}
