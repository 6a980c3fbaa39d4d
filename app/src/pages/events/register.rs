//! The registration form of an event, and the "check your email" page after
//! it. The form is a plain HTML form: it works without JavaScript, and a
//! rejected submission comes back with everything typed and the errors next
//! to the fields.
//! Server: `api/registrations.rs` → `server/registrations/pages.rs`; the form
//! posts to `server/registrations/http.rs`.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::dto::registrations::{Availability, RegisterPage};

use crate::api::registrations::registration_form;
use crate::components::form::{Field, FormErrors, GroupError, Honeypot, use_form};
use crate::components::loaded::Loaded;
use crate::components::locale::use_lang;
use crate::domain::Lang;
use crate::domain::registration::limits;
use crate::i18n::*;
use crate::labels::{language_label, mode_label, seats_text};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let lang = use_lang();
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let page = Resource::new(
        move || slug.clone(),
        move |slug| registration_form(lang, slug),
    );
    view! { <Loaded resource=page view=move |page| view! { <RegisterView lang page/> }/> }
}

#[component]
fn RegisterView(lang: Lang, page: RegisterPage) -> impl IntoView {
    let locale = lang.locale();
    let event_href = crate::paths::event(lang, &page.slug);
    let action = crate::paths::register(lang, &page.slug);
    let open = matches!(page.info.availability, Availability::Open { .. });
    view! {
        <Title text=format!("{} · {}", td_string!(locale, register.title), page.title)/>
        <Meta
            name="description"
            content=td_string!(locale, register.description, event = page.title.clone(), dates = page.dates.clone())
        />
        <div class="wrap narrow">
            <nav class="crumbs"><a href=event_href>{page.title.clone()}</a></nav>
            <h1>{td_string!(locale, register.title)}</h1>
            <p class="lead">{page.title.clone()}" · "{page.dates.clone()}</p>
            {if open {
                view! { <RegisterForm lang page action/> }.into_any()
            } else {
                let message = match &page.info.availability {
                    Availability::NotYet { opens } => td_string!(locale, register.opens_on, date = opens),
                    _ => td_string!(locale, register.closed).to_owned(),
                };
                view! { <p class="notice">{message}</p> }.into_any()
            }}
        </div>
    }
}

#[component]
fn RegisterForm(lang: Lang, page: RegisterPage, action: String) -> impl IntoView {
    let locale = lang.locale();
    let form = use_form();
    let info = page.info;
    let modes = info.seats.clone();
    let chosen_mode = form.value("mode").to_owned();
    let single_mode = modes.len() == 1;
    let chosen_language = form.value("interpretation").to_owned();
    let labels = vec![
        ("name", td_string!(locale, register.name)),
        ("organisation", td_string!(locale, register.organisation)),
        ("role", td_string!(locale, register.role)),
        ("email", td_string!(locale, register.email)),
        ("mode", td_string!(locale, register.mode)),
        (
            "interpretation",
            td_string!(locale, register.interpretation),
        ),
        ("accessibility", td_string!(locale, register.accessibility)),
        ("topics", td_string!(locale, hearing.topics_legend)),
        ("hear", td_string!(locale, hearing.hear)),
        (
            "invitation_code",
            td_string!(locale, register.invitation_code),
        ),
        ("consent", td_string!(locale, register.privacy_title)),
    ];
    let waitlist = info.waitlist;
    view! {
        <FormErrors lang labels/>
        <p>{td_string!(locale, register.intro, period = lang.days(page.retention_days))}</p>
        <form class="stack-form" method="post" action=action novalidate>
            <Field lang name="name" label=td_string!(locale, register.name) required=true max=limits::NAME autocomplete="name"/>
            <Field lang name="organisation" label=td_string!(locale, register.organisation)
                hint=td_string!(locale, register.organisation_hint) required=true max=limits::ORGANISATION autocomplete="organization"/>
            <Field lang name="role" label=td_string!(locale, register.role)
                hint=td_string!(locale, register.role_hint) required=true max=limits::ROLE autocomplete="organization-title"/>
            <Field lang name="email" kind="email" label=td_string!(locale, register.email)
                hint=td_string!(locale, register.email_hint) required=true max=254 autocomplete="email"/>
            <fieldset class="field" id="mode" class:field-error=form.error_for("mode").is_some()>
                <legend>{td_string!(locale, register.mode)}</legend>
                <GroupError lang name="mode"/>
                {modes.into_iter().map(|s| {
                    let id = format!("mode-{}", s.mode.code());
                    let checked = chosen_mode == s.mode.code() || single_mode;
                    view! {
                        <div class="choice">
                            <input type="radio" name="mode" id=id.clone() value=s.mode.code() checked=checked/>
                            <label for=id>
                                {mode_label(lang, s.mode)}
                                {s.left.map(|left| view! { <span class="choice-note">{seats_text(lang, left, waitlist)}</span> })}
                            </label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            {(!page.languages.is_empty()).then(|| view! {
                <div class="field" class:field-error=form.error_for("interpretation").is_some()>
                    <label for="interpretation">{td_string!(locale, register.interpretation)}</label>
                    <GroupError lang name="interpretation"/>
                    <select id="interpretation" name="interpretation">
                        <option value="none">{td_string!(locale, register.interpretation_none)}</option>
                        {page.languages.iter().map(|l| view! {
                            <option value=l.code() selected=chosen_language == l.code()>{language_label(lang, *l)}</option>
                        }).collect_view()}
                    </select>
                </div>
            })}
            <Field lang name="accessibility" label=td_string!(locale, register.accessibility)
                hint=td_string!(locale, register.accessibility_hint) max=limits::ACCESSIBILITY multiline=true/>
            <Priorities lang topics=page.topics.clone()/>
            {info.invitation_only.then(|| view! {
                <Field lang name="invitation_code" label=td_string!(locale, register.invitation_code)
                    hint=td_string!(locale, register.invitation_code_hint) required=true max=limits::INVITATION_CODE autocomplete="off"/>
            })}
            <ConsentBox lang retention_days=page.retention_days/>
            <p class="mode-note">{
                if info.requires_approval { td_string!(locale, register.approval_note) }
                else { td_string!(locale, register.first_come_note) }
            }</p>
            <Honeypot lang/>
            <button type="submit" class="button">{td_string!(locale, register.submit)}</button>
        </form>
    }
}

/// Optional: which of the event's topics matter, what the mechanism should
/// hear, and whether those words may carry the organisation's name.
#[component]
fn Priorities(lang: Lang, topics: Vec<(i64, String)>) -> impl IntoView {
    let locale = lang.locale();
    let form = use_form();
    let chosen: Vec<String> = form.value("topics").split(',').map(str::to_owned).collect();
    let topics = (!topics.is_empty()).then(|| {
        view! {
            <fieldset class="field" id="topics" class:field-error=form.error_for("topics").is_some()>
                <legend>{td_string!(locale, hearing.topics_legend)}<span class="optional">" ("{td_string!(locale, form.optional)}")"</span></legend>
                <GroupError lang name="topics"/>
                {topics.into_iter().map(|(id, title)| {
                    let key = format!("topic-{id}");
                    view! {
                        <div class="choice">
                            <input type="checkbox" name="topics" id=key.clone() value=id checked=chosen.contains(&id.to_string())/>
                            <label for=key>{title}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
        }
    });
    view! {
        {topics}
        <Field lang name="hear" label=td_string!(locale, hearing.hear)
            hint=td_string!(locale, hearing.hear_hint) max=crate::domain::hearing::FREE_TEXT multiline=true/>
        <div class="choice">
            <input type="checkbox" id="attribute" name="attribute" value="yes" checked=form.checked("attribute")/>
            <label for="attribute">{td_string!(locale, hearing.attribute)}</label>
        </div>
    }
}

/// The privacy notice and the consent to it.
#[component]
fn ConsentBox(lang: Lang, retention_days: u32) -> impl IntoView {
    let locale = lang.locale();
    let days = lang.days(retention_days);
    let form = use_form();
    let checked = form.checked("consent");
    view! {
        <fieldset class="field consent" id="consent" class:field-error=form.error_for("consent").is_some()>
            <legend>{td_string!(locale, register.privacy_title)}</legend>
            <p class="privacy">
                {td_string!(locale, register.privacy_body, days = days)}
                " "
                <a href=crate::paths::privacy(lang)>{td_string!(locale, privacy.read_more)}</a>
            </p>
            <GroupError lang name="consent"/>
            <div class="choice">
                <input type="checkbox" id="consent-box" name="consent" value="yes" checked=checked required=true/>
                <label for="consent-box">{td_string!(locale, register.consent)}</label>
            </div>
        </fieldset>
    }
}

/// After registering: the private link is in the email, nowhere else, so this
/// page says the same whoever registered.
#[component]
pub fn RegisteredPage() -> impl IntoView {
    let lang = use_lang();
    let locale = lang.locale();
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let event_href = crate::paths::event(lang, &slug);
    view! {
        <Title text=td_string!(locale, register.sent_title)/>
        <Meta name="description" content=td_string!(locale, register.sent_body)/>
        <div class="wrap narrow">
            <h1>{td_string!(locale, register.sent_title)}</h1>
            <p class="lead">{td_string!(locale, register.sent_body)}</p>
            <p>{td_string!(locale, register.sent_spam)}</p>
            <p><a href=event_href>{td_string!(locale, register.back_to_event)}</a></p>
        </div>
    }
}
