//! "Tell us about your organisation": organisations introduce themselves
//! (staff vet them) and may join the mailing list. A plain form that works
//! without JavaScript.
//! Server: no server function; the form posts to `server/organisations/http.rs`.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::components::form::{Field, FormErrors, GroupError, Honeypot, use_form};
use crate::components::locale::use_lang;
use crate::domain::Area;
use crate::domain::organisation::limits;
use crate::i18n::*;
use crate::labels::area_label;

#[component]
pub fn OrganisationPage() -> impl IntoView {
    let lang = use_lang();
    let locale = lang.locale();
    let form = use_form();
    let action = crate::paths::organisation(lang);
    let chosen: Vec<String> = form.value("areas").split(',').map(str::to_owned).collect();
    let labels = vec![
        ("name", td_string!(locale, organisation.name)),
        ("country", td_string!(locale, organisation.country)),
        ("areas", td_string!(locale, organisation.areas)),
        ("description", td_string!(locale, organisation.description)),
        (
            "contact_email",
            td_string!(locale, organisation.contact_email),
        ),
        ("website", td_string!(locale, organisation.website)),
        ("consent", td_string!(locale, register.privacy_title)),
    ];
    view! {
        <Title text=format!("{} · {}", td_string!(locale, organisation.title), td_string!(locale, site.name))/>
        <Meta name="description" content=td_string!(locale, organisation.intro)/>
        <div class="wrap narrow">
            <h1>{td_string!(locale, organisation.title)}</h1>
            <p class="lead">{td_string!(locale, organisation.intro)}</p>
            <FormErrors lang labels/>
            <form class="stack-form" method="post" action=action novalidate>
                <Field lang name="name" label=td_string!(locale, organisation.name) required=true max=limits::NAME autocomplete="organization"/>
                <Field lang name="country" label=td_string!(locale, organisation.country)
                    hint=td_string!(locale, organisation.country_hint) required=true max=limits::COUNTRY/>
                <fieldset class="field" id="areas" class:field-error=form.error_for("areas").is_some()>
                    <legend>{td_string!(locale, organisation.areas)}</legend>
                    <GroupError lang name="areas"/>
                    <div class="choices-grid">
                        {Area::ALL.iter().map(|area| {
                            let id = format!("area-{}", area.code());
                            let checked = chosen.iter().any(|c| c == area.code());
                            view! {
                                <div class="choice">
                                    <input type="checkbox" name="areas" id=id.clone() value=area.code() checked=checked/>
                                    <label for=id>{area_label(lang, *area)}</label>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
                <Field lang name="description" label=td_string!(locale, organisation.description)
                    hint=td_string!(locale, organisation.description_hint) required=true max=limits::DESCRIPTION multiline=true/>
                <Field lang name="contact_email" kind="email" label=td_string!(locale, organisation.contact_email)
                    hint=td_string!(locale, organisation.contact_email_hint) required=true max=254 autocomplete="email"/>
                <Field lang name="website" label=td_string!(locale, organisation.website)
                    hint=td_string!(locale, organisation.website_hint) max=limits::WEBSITE autocomplete="url"/>
                <div class="choice">
                    <input type="checkbox" id="mailing_list" name="mailing_list" value="yes" checked=form.checked("mailing_list")/>
                    <label for="mailing_list">{td_string!(locale, organisation.mailing_list)}</label>
                </div>
                <fieldset class="field consent" id="consent" class:field-error=form.error_for("consent").is_some()>
                    <legend>{td_string!(locale, register.privacy_title)}</legend>
                    <p class="privacy">{td_string!(locale, organisation.privacy_body)}</p>
                    <GroupError lang name="consent"/>
                    <div class="choice">
                        <input type="checkbox" id="consent-box" name="consent" value="yes" checked=form.checked("consent") required=true/>
                        <label for="consent-box">{td_string!(locale, organisation.consent)}</label>
                    </div>
                </fieldset>
                <Honeypot lang/>
                <button type="submit" class="button">{td_string!(locale, organisation.submit)}</button>
            </form>
        </div>
    }
}

#[component]
pub fn OrganisationThanksPage() -> impl IntoView {
    let lang = use_lang();
    let locale = lang.locale();
    view! {
        <Title text=td_string!(locale, organisation.thanks_title)/>
        <div class="wrap narrow">
            <h1>{td_string!(locale, organisation.thanks_title)}</h1>
            <p class="lead">{td_string!(locale, organisation.thanks_body)}</p>
            <p><a href=crate::paths::events(lang)>{td_string!(locale, site.events)}</a></p>
        </div>
    }
}
