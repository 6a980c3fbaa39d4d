//! Vetting organisations: what they told us, and verify or decline.
//! Server: `api/staff.rs` → `server/moderation/pages.rs`; the form posts to
//! `server/moderation/http.rs`.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::dto::staff::{OrganisationItem, Organisations};
use crate::labels::{area_label, field_error_text, vetting_label};

use crate::api::staff::staff_organisations;
use crate::components::form::{FormErrors, use_form};
use crate::components::loaded::Loaded;
use crate::components::locale::use_lang;
use crate::components::staff_nav::StaffNav;
use crate::domain::{Lang, OrganisationState};
use crate::i18n::*;

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    let lang = use_lang();
    let done = use_query_map().with_untracked(|q| q.get("done").is_some());
    let data = Resource::new(|| (), move |()| staff_organisations(lang));
    view! {
        <Meta name="robots" content="noindex, nofollow"/>
        <Loaded resource=data view=move |o| view! { <OrganisationsView lang o done/> }/>
    }
}

#[component]
fn OrganisationsView(lang: Lang, o: Organisations, done: bool) -> impl IntoView {
    let locale = lang.locale();
    let action = crate::paths::staff_organisations(lang);
    view! {
        <Title text=td_string!(locale, vetting.title)/>
        <StaffNav staff=o.viewer.clone()/>
        <div class="wrap">
            <h1>{td_string!(locale, vetting.title)}</h1>
            {done.then(|| view! { <p class="notice notice-ok" role="status">{td_string!(locale, vetting.done)}</p> })}
            <FormErrors lang labels=Vec::new()/>
            {if o.items.is_empty() {
                view! { <p class="empty">{td_string!(locale, vetting.empty)}</p> }.into_any()
            } else {
                view! {
                    <form method="post" action=action>
                        <ul class="org-list">
                            {o.items.into_iter().map(|item| view! { <Item lang item/> }).collect_view()}
                        </ul>
                    </form>
                }.into_any()
            }}
        </div>
    }
}

#[component]
fn Item(lang: Lang, item: OrganisationItem) -> impl IntoView {
    let locale = lang.locale();
    let id = item.id;
    let state_class = format!("state state-{}", item.state.code());
    let areas = item
        .areas
        .iter()
        .map(|a| area_label(lang, *a))
        .collect::<Vec<_>>()
        .join(if lang == Lang::Ar { "، " } else { ", " });
    view! {
        <li class="panel">
            <h2>{item.name.clone()}" "<span class=state_class>{vetting_label(lang, item.state)}</span></h2>
            <p class="small">{item.country.clone()}" · "{areas}" · "{item.sent.clone()}</p>
            <p>{item.description.clone()}</p>
            <p class="small"><span dir="ltr">{item.contact_email.clone()}</span>
                {item.website.clone().map(|w| view! { " · "<span dir="ltr">{w}</span> })}
                {item.mailing_list.then(|| view! { " · "{td_string!(locale, vetting.mailing_list)} })}
            </p>
            <DomainsField lang id domains=item.email_domains.clone()/>
            <div class="row-actions">
                <button type="submit" name="one" value=format!("verified:{id}") class="button button-small"
                    disabled=item.state == OrganisationState::Verified>{td_string!(locale, vetting.verify)}</button>
                <button type="submit" name="one" value=format!("declined:{id}") class="button button-small button-danger"
                    disabled=item.state == OrganisationState::Declined>{td_string!(locale, vetting.decline)}</button>
            </div>
        </li>
    }
}

/// The email domains organisation `id` vouches for, with its own button.
#[component]
fn DomainsField(lang: Lang, id: i64, domains: String) -> impl IntoView {
    let locale = lang.locale();
    let name = format!("domains:{id}");
    let form = use_form();
    let error = form.error_for(&name);
    let value = form.values.get(&name).cloned().unwrap_or(domains);
    let (hint_id, error_id) = (format!("domains-{id}-hint"), format!("domains-{id}-error"));
    let described = if error.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        hint_id.clone()
    };
    view! {
        <div class="field" class:field-error=error.is_some()>
            <label for=name.clone()>{td_string!(locale, vetting.domains)}</label>
            <p class="hint" id=hint_id>{td_string!(locale, vetting.domains_hint)}</p>
            {error.map(|e| view! { <p class="error" id=error_id>{field_error_text(lang, e)}</p> })}
            <input type="text" id=name.clone() name=name value=value dir="ltr" maxlength="600"
                aria-describedby=described aria-invalid=error.map(|_| "true")/>
            <button type="submit" name="one" value=format!("domains:{id}") class="button button-small button-quiet">
                {td_string!(locale, vetting.save_domains)}
            </button>
        </div>
    }
}
