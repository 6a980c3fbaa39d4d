//! `/{lang}/privacy`: the privacy notice, with the retention periods read
//! from the configuration the purge uses.
//! Server: `api/privacy.rs` → `server/retention.rs`.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::api::privacy::retention_periods;
use crate::components::loaded::Loaded;
use crate::components::locale::use_lang;
use crate::i18n::*;

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let lang = use_lang();
    let locale = lang.locale();
    let policy = Resource::new(|| (), |()| retention_periods());
    view! {
        <Title text=format!("{} · {}", td_string!(locale, privacy.title), td_string!(locale, site.name))/>
        <Meta name="description" content=td_string!(locale, privacy.intro)/>
        <div class="wrap narrow prose">
            <h1>{td_string!(locale, privacy.title)}</h1>
            <p class="lead">{td_string!(locale, privacy.intro)}</p>
            <h2>{td_string!(locale, privacy.who_title)}</h2>
            <p>{td_string!(locale, privacy.who_body)}</p>
            <h2>{td_string!(locale, privacy.what_title)}</h2>
            <p>{td_string!(locale, privacy.what_body)}</p>
            <h2>{td_string!(locale, privacy.protect_title)}</h2>
            <p>{td_string!(locale, privacy.protect_body)}</p>
            <h2 id="retention">{td_string!(locale, privacy.keep_title)}</h2>
            <Loaded resource=policy view=move |policy| view! {
                <ul>
                    <li>{td_string!(locale, privacy.keep_registrations, period = lang.days(policy.registration_days))}</li>
                    <li>{td_string!(locale, privacy.keep_hearing, period = lang.days(policy.hearing_days))}</li>
                    <li>{td_string!(locale, privacy.keep_unconfirmed, period = lang.days(policy.unconfirmed_days))}</li>
                    <li>{td_string!(locale, privacy.keep_mail, period = lang.days(policy.mail_days))}</li>
                    <li>{td_string!(locale, privacy.keep_audit)}</li>
                    <li>{td_string!(locale, privacy.keep_organisations)}</li>
                </ul>
            }/>
            <h2>{td_string!(locale, privacy.rights_title)}</h2>
            <p>{td_string!(locale, privacy.rights_body)}</p>
        </div>
    }
}
