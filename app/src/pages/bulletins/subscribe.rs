//! The mailing list's pages: subscribe, "check your email", confirm,
//! unsubscribe. Each link's page shows a button (a POST), so that mail
//! scanners opening links change nothing.
//! Server: `api/bulletins.rs` → `server/subscriptions/pages.rs`; the forms post
//! to `server/subscriptions/http.rs`.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::dto::bulletins::LinkKind;

use crate::api::bulletins::subscription_link;
use crate::components::form::{Field, FormErrors, GroupError, Honeypot, use_form};
use crate::components::loaded::Loaded;
use crate::components::locale::use_lang;
use crate::components::status::set_status;
use crate::domain::Lang;
use crate::i18n::*;

#[component]
pub fn SubscribePage() -> impl IntoView {
    let lang = use_lang();
    let locale = lang.locale();
    let form = use_form();
    let chosen = Lang::parse(form.value("lang")).unwrap_or(lang);
    let labels = vec![
        ("email", td_string!(locale, subscribe.email)),
        ("lang", td_string!(locale, subscribe.language)),
    ];
    view! {
        <Title text=format!("{} · {}", td_string!(locale, subscribe.title), td_string!(locale, site.name))/>
        <Meta name="description" content=td_string!(locale, subscribe.intro)/>
        <div class="wrap narrow">
            <h1>{td_string!(locale, subscribe.title)}</h1>
            <p class="lead">{td_string!(locale, subscribe.intro)}</p>
            <FormErrors lang labels/>
            <form class="stack-form" method="post" action=crate::paths::subscribe(lang) novalidate>
                <Field lang name="email" kind="email" label=td_string!(locale, subscribe.email) required=true max=254 autocomplete="email"/>
                <fieldset class="field" id="lang" class:field-error=form.error_for("lang").is_some()>
                    <legend>{td_string!(locale, subscribe.language)}</legend>
                    <GroupError lang name="lang"/>
                    {[Lang::Ar, Lang::En].into_iter().map(|option| {
                        let id = format!("lang-{}", option.code());
                        view! {
                            <div class="choice">
                                <input type="radio" name="lang" id=id.clone() value=option.code() checked=option == chosen/>
                                <label for=id lang=option.code()>{match option {
                                    Lang::En => "English",
                                    Lang::Ar => "العربية",
                                }}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <p class="privacy">{td_string!(locale, subscribe.privacy)}</p>
                <Honeypot lang/>
                <button type="submit" class="button">{td_string!(locale, subscribe.submit)}</button>
            </form>
        </div>
    }
}

/// A short page: a title and a paragraph.
#[component]
fn Message(title: &'static str, body: &'static str) -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=title/>
        <div class="wrap narrow">
            <h1>{title}</h1>
            <p class="lead">{body}</p>
            <p><a href=crate::paths::bulletins(lang)>{td_string!(lang.locale(), bulletins.title)}</a></p>
        </div>
    }
}

#[component]
pub fn SubscribeSentPage() -> impl IntoView {
    let locale = use_lang().locale();
    view! { <Message title=td_string!(locale, subscribe.sent_title) body=td_string!(locale, subscribe.sent_body)/> }
}

#[component]
pub fn SubscribeConfirmedPage() -> impl IntoView {
    let locale = use_lang().locale();
    view! { <Message title=td_string!(locale, subscribe.confirmed_title) body=td_string!(locale, subscribe.confirmed_body)/> }
}

#[component]
pub fn UnsubscribedPage() -> impl IntoView {
    let locale = use_lang().locale();
    view! { <Message title=td_string!(locale, subscribe.unsubscribed_title) body=td_string!(locale, subscribe.unsubscribed_body)/> }
}

/// `/{lang}/subscribe/confirm/{token}` and `/{lang}/unsubscribe/{token}`.
#[component]
fn LinkPage(kind: LinkKind) -> impl IntoView {
    let lang = use_lang();
    let token = use_params_map().with_untracked(|p| p.get("token").unwrap_or_default());
    let data = Resource::new(
        move || token.clone(),
        move |token| subscription_link(kind, token),
    );
    let path = use_params_map().with_untracked(|p| p.get("token").unwrap_or_default());
    view! {
        <Meta name="robots" content="noindex, nofollow"/>
        <Loaded resource=data view=move |valid| {
            let locale = lang.locale();
            if !valid {
                set_status(404);
                return view! {
                    <Message title=td_string!(locale, subscribe.invalid_title) body=td_string!(locale, subscribe.invalid_body)/>
                }.into_any();
            }
            let (title, body, button, action) = match kind {
                LinkKind::Confirm => (
                    td_string!(locale, subscribe.confirm_title),
                    td_string!(locale, subscribe.confirm_body),
                    td_string!(locale, subscribe.confirm_button),
                    crate::paths::subscribe_confirm(lang, &path),
                ),
                LinkKind::Unsubscribe => (
                    td_string!(locale, subscribe.unsubscribe_title),
                    td_string!(locale, subscribe.unsubscribe_body),
                    td_string!(locale, subscribe.unsubscribe_button),
                    crate::paths::unsubscribe(lang, &path),
                ),
            };
            view! {
                <Title text=title/>
                <div class="wrap narrow">
                    <h1>{title}</h1>
                    <p class="lead">{body}</p>
                    <form method="post" action=action>
                        <button type="submit" class="button">{button}</button>
                    </form>
                </div>
            }.into_any()
        }/>
    }
}

#[component]
pub fn ConfirmPage() -> impl IntoView {
    view! { <LinkPage kind=LinkKind::Confirm/> }
}

#[component]
pub fn UnsubscribePage() -> impl IntoView {
    view! { <LinkPage kind=LinkKind::Unsubscribe/> }
}
