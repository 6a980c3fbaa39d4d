//! The staff dashboard: for each coming event, what waits for review, the
//! seats taken and left per mode, and sign-ups over time.
//! Server: `api/staff.rs` → `server/moderation/pages.rs`; the CSV link is
//! `server/moderation/http.rs`.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::dto::staff::{Dashboard, EventLoad};

use crate::api::staff::staff_dashboard;
use crate::components::chart::SignupChart;
use crate::components::loaded::Loaded;
use crate::components::locale::use_lang;
use crate::components::staff_nav::StaffNav;
use crate::domain::{Lang, Role};
use crate::i18n::*;
use crate::labels::mode_label;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), move |()| staff_dashboard(lang));
    view! {
        <Meta name="robots" content="noindex, nofollow"/>
        <Loaded resource=data view=move |d| view! { <DashboardView lang d/> }/>
    }
}

#[component]
fn DashboardView(lang: Lang, d: Dashboard) -> impl IntoView {
    let locale = lang.locale();
    let admin = d.viewer.role == Role::Admin;
    let queue = format!("{}?state=pending", crate::paths::staff_registrations(lang));
    let organisations = crate::paths::staff_organisations(lang);
    view! {
        <Title text=td_string!(locale, dashboard.title)/>
        <StaffNav staff=d.viewer.clone()/>
        <div class="wrap">
            <h1>{td_string!(locale, dashboard.title)}</h1>
            <p class="dashboard-summary">
                <a href=queue>{td_string!(locale, dashboard.review_queue)}</a>
                " · "
                <a href=organisations>{td_string!(locale, dashboard.organisations_pending, n = lang.digits(&d.organisations_pending.to_string()))}</a>
            </p>
            {if d.events.is_empty() {
                view! { <p class="empty">{td_string!(locale, dashboard.no_events)}</p> }.into_any()
            } else {
                view! {
                    <div class="dashboard-grid">
                        {d.events.into_iter().map(|e| view! { <EventPanel lang e admin/> }).collect_view()}
                    </div>
                }.into_any()
            }}
        </div>
    }
}

#[component]
fn EventPanel(lang: Lang, e: EventLoad, admin: bool) -> impl IntoView {
    let locale = lang.locale();
    let _code = lang.code();
    let pending_href = format!(
        "{}?event={}&state=pending",
        crate::paths::staff_registrations(lang),
        e.slug
    );
    let export = crate::paths::participants_csv(lang, &e.slug);
    let caption = td_string!(locale, dashboard.chart_caption, event = e.title.clone());
    view! {
        <section class="panel" aria-label=e.title.clone()>
            <h2><a href=crate::paths::event(lang, &e.slug)>{e.title.clone()}</a></h2>
            <p class="panel-dates">{e.dates.clone()}</p>
            <p><a class="pending-count" href=pending_href>
                {td_string!(locale, dashboard.pending, n = lang.digits(&e.pending.to_string()))}
            </a></p>
            <table class="seats-table">
                <thead><tr>
                    <th scope="col">{td_string!(locale, dashboard.mode)}</th>
                    <th scope="col">{td_string!(locale, dashboard.taken)}</th>
                    <th scope="col">{td_string!(locale, dashboard.left)}</th>
                    <th scope="col">{td_string!(locale, dashboard.waitlisted)}</th>
                </tr></thead>
                <tbody>
                    {e.modes.iter().map(|m| view! {
                        <tr>
                            <th scope="row">{mode_label(lang, m.mode)}</th>
                            <td>{lang.digits(&format!("{}/{}", m.approved, m.capacity))}</td>
                            <td>{lang.digits(&(m.capacity - m.approved).max(0).to_string())}</td>
                            <td>{lang.digits(&m.waitlisted.to_string())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <SignupChart lang points=e.signups caption/>
            <p>
                <a href=crate::paths::staff_questions(lang, &e.slug)>{td_string!(locale, questions.staff_title)}</a>" · "
                <a href=crate::paths::staff_hearing(lang, &e.slug)>{td_string!(locale, hearing.title)}</a>" · "
                <a href=crate::paths::staff_materials(lang, &e.slug)>{td_string!(locale, materials.link)}</a>" · "
                <a href=crate::paths::staff_checkin(lang, &e.slug)>{td_string!(locale, checkin.link)}</a>" · "
                <a href=crate::paths::staff_announcements(lang, &e.slug)>{td_string!(locale, announcements.title)}</a>" · "
                <a href=crate::paths::staff_report(lang, &e.slug)>{td_string!(locale, report.title)}</a>
            </p>
            {admin.then(|| view! { <p><a class="button button-quiet" href=export download="">{td_string!(locale, dashboard.export)}</a></p> })}
        </section>
    }
}
