//! The audit log: every staff decision and every participant action, newest
//! first. Append-only in the database.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::api::staff::{AuditEntries, audit_log};
use crate::components::loaded::Loaded;
use crate::components::staff_nav::StaffNav;
use crate::domain::Lang;
use crate::i18n::*;
use crate::pages::use_lang;

#[component]
pub fn AuditPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), move |()| audit_log(lang));
    view! {
        <Meta name="robots" content="noindex, nofollow"/>
        <Loaded resource=data view=move |log| view! { <AuditView lang log/> }/>
    }
}

#[component]
fn AuditView(lang: Lang, log: AuditEntries) -> impl IntoView {
    let locale = lang.locale();
    view! {
        <Title text=td_string!(locale, audit.title)/>
        <StaffNav staff=log.viewer.clone()/>
        <div class="wrap wide">
            <h1>{td_string!(locale, audit.title)}</h1>
            <table class="queue">
                <thead><tr>
                    <th scope="col">{td_string!(locale, audit.when)}</th>
                    <th scope="col">{td_string!(locale, audit.who)}</th>
                    <th scope="col">{td_string!(locale, audit.what)}</th>
                    <th scope="col">{td_string!(locale, audit.record)}</th>
                    <th scope="col">{td_string!(locale, audit.reason)}</th>
                </tr></thead>
                <tbody>
                    {log.items.into_iter().map(|a| view! {
                        <tr>
                            <td>{a.at}</td>
                            <td>{a.actor}</td>
                            <td><code>{a.action}</code></td>
                            <td dir="ltr">{a.subject}</td>
                            <td>{a.reason.unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
