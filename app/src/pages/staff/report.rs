//! The event report (moderators and admins): registrations by state and
//! mode with sign-ups over time, organisations represented, attendance,
//! interpretation, accessibility needs by kind, and what participants asked
//! and told us; "fewer than 5" for every count under 5. Printable (the
//! print stylesheet drops the site's chrome; right to left in Arabic) and
//! exportable as CSV.
//! Server: `api/report.rs` → `server/report/mod.rs`; the CSV is
//! `server/report/http.rs`.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::api::report::event_report;
use crate::api::staff::current_staff;
use crate::components::chart::SignupChart;
use crate::components::loaded::Loaded;
use crate::components::locale::use_lang;
use crate::components::staff_nav::StaffNav;
use crate::domain::{AttendanceMode, Lang, Staff};
use crate::dto::report::{Line, ReportPage, Shown};
use crate::error::AppError;
use crate::i18n::*;
use crate::labels::{access_need_label, language_label, mode_label, state_label};

#[component]
pub fn StaffReportPage() -> impl IntoView {
    let lang = use_lang();
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let data = Resource::new(
        move || slug.clone(),
        move |slug| async move {
            let staff = current_staff().await?;
            let report = event_report(lang, slug).await?;
            Ok::<_, AppError>((staff, report))
        },
    );
    view! {
        <Meta name="robots" content="noindex, nofollow"/>
        <Loaded resource=data view=move |(staff, r)| view! { <ReportView lang staff r/> }/>
    }
}

fn n(lang: Lang, count: Shown) -> String {
    count.map_or_else(
        || td_string!(lang.locale(), hearing.fewer_than_5).to_owned(),
        |n| lang.digits(&n.to_string()),
    )
}

#[component]
fn Lines(lang: Lang, caption: &'static str, lines: Vec<Line>) -> impl IntoView {
    view! {
        <table class="seats-table report-table">
            <caption>{caption}</caption>
            <tbody>
                {lines.into_iter().map(|l| view! { <tr><th scope="row">{l.label}</th><td>{n(lang, l.count)}</td></tr> }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn ReportView(lang: Lang, staff: Staff, r: ReportPage) -> impl IntoView {
    let locale = lang.locale();
    let headline = match r.organisations_phrase {
        Some(p) if p.over => td_string!(
            locale,
            report.headline_over,
            n = lang.digits(&p.n.to_string())
        )
        .to_string(),
        Some(p) => {
            td_string!(locale, report.headline, n = lang.digits(&p.n.to_string())).to_string()
        }
        None => td_string!(locale, report.headline_few).to_owned(),
    };
    let caption = td_string!(
        locale,
        dashboard.chart_caption,
        event = r.event_title.clone()
    )
    .to_string();
    let line = |label: &'static str, count: Shown| Line {
        label: label.to_owned(),
        count,
    };
    let organisations = vec![
        line(td_string!(locale, report.all), r.organisations),
        line(td_string!(locale, report.first_time), r.new_organisations),
        line(
            td_string!(locale, report.returning),
            r.returning_organisations,
        ),
    ];
    let interpretation = r
        .interpretation
        .iter()
        .map(|(l, c)| Line {
            label: language_label(lang, *l).to_owned(),
            count: *c,
        })
        .collect();
    let accessibility = r
        .accessibility
        .iter()
        .map(|(k, c)| Line {
            label: access_need_label(lang, *k).to_owned(),
            count: *c,
        })
        .collect();
    let heard = vec![
        line(
            td_string!(locale, report.questions_asked),
            r.questions_asked,
        ),
        line(
            td_string!(locale, report.questions_answered),
            r.questions_answered,
        ),
        line(td_string!(locale, hearing.priorities), r.priorities),
        line(td_string!(locale, hearing.feedback), r.feedback),
    ];
    view! {
        <Title text=format!("{} · {}", td_string!(locale, report.title), r.event_title)/>
        <div class="no-print"><StaffNav staff/></div>
        <article class="wrap staff-page report">
            <h1>{td_string!(locale, report.title)}" · "{r.event_title.clone()}</h1>
            <p class="lead">{r.dates.clone()}</p>
            <p class="report-headline" data-headline="">{headline}</p>
            <p class="hint no-print">{td_string!(locale, report.intro)}" "
                <a href=crate::paths::staff_report_csv(lang, &r.event_slug) download="">{td_string!(locale, report.csv)}</a>
            </p>
            <h2>{td_string!(locale, report.registrations)}</h2>
            <SignupChart lang points=r.signups.clone() caption/>
            <table class="seats-table report-table">
                <thead><tr>
                    <th scope="col">{td_string!(locale, report.state)}</th>
                    <th scope="col">{mode_label(lang, AttendanceMode::InPerson)}</th>
                    <th scope="col">{mode_label(lang, AttendanceMode::Online)}</th>
                </tr></thead>
                <tbody>
                    {r.states.iter().map(|s| view! {
                        <tr><th scope="row">{state_label(lang, s.state)}</th><td>{n(lang, s.in_person)}</td><td>{n(lang, s.online)}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <h2>{td_string!(locale, report.organisations)}</h2>
            <Lines lang caption=td_string!(locale, report.organisations) lines=organisations/>
            <Lines lang caption=td_string!(locale, report.by_country) lines=r.countries.clone()/>
            <h2>{td_string!(locale, report.attendance)}</h2>
            <Lines lang caption=td_string!(locale, report.attendance) lines=vec![line(td_string!(locale, report.checked_in), r.checked_in)]/>
            <Lines lang caption=td_string!(locale, report.joined) lines=r.joined.clone()/>
            <h2>{td_string!(locale, report.needs)}</h2>
            <Lines lang caption=td_string!(locale, report.interpretation) lines=interpretation/>
            <Lines lang caption=td_string!(locale, report.accessibility) lines=accessibility/>
            <h2>{td_string!(locale, hearing.title)}</h2>
            <Lines lang caption=td_string!(locale, hearing.title) lines=heard/>
        </article>
    }
}
