//! The audit log: every staff decision and every participant action, newest
//! first. Append-only in the database.
//! Server: `api/staff.rs` → `server/moderation/pages.rs`.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::dto::staff::AuditEntries;
use crate::labels::{audit_code_label, audit_reason_label};

use crate::api::staff::audit_log;
use crate::components::loaded::Loaded;
use crate::components::locale::use_lang;
use crate::components::staff_nav::StaffNav;
use crate::domain::Lang;
use crate::i18n::*;

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
                    {log.items.into_iter().map(|a| {
                        let actor = a.actor_name.clone().unwrap_or_else(|| audit_code_label(lang, &a.actor).to_owned());
                        let subject = format!("{} {}", audit_code_label(lang, &a.subject_type), lang.digits(&format!("#{}", a.subject_id)));
                        let reason = a.reason.as_deref().map(|r| audit_reason_label(lang, &a.action, r));
                        view! {
                            <tr>
                                <td>{a.at}</td>
                                <td>{actor}</td>
                                <td>{audit_code_label(lang, &a.action).to_owned()}</td>
                                <td>{subject}</td>
                                <td>{reason}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
