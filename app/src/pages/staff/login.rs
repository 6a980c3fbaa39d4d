//! `/{lang}/staff/login`: the staff sign-in form. The POST is handled by
//! `server::staff::http::login_post`, which renders this page again with a
//! [`LoginForm`] in the context when signing in fails.
//! Server: no server function; the form posts to `server/staff/http.rs`.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::components::locale::use_lang;
use crate::domain::staff::local_next;
use crate::dto::staff::{CodeError, LoginCodeForm, LoginError, LoginForm};
use crate::i18n::*;

#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_lang();
    let locale = lang.locale();
    let form = use_context::<LoginForm>().unwrap_or_else(|| LoginForm {
        next: use_query_map()
            .with_untracked(|q| q.get("next"))
            .filter(|n| local_next(n).is_some())
            .unwrap_or_default(),
        ..LoginForm::default()
    });
    let error = form.error.map(|e| match e {
        LoginError::Missing => td_string!(locale, staff.login_missing),
        LoginError::Invalid => td_string!(locale, staff.login_invalid),
        LoginError::TooMany => td_string!(locale, staff.login_too_many),
    });
    let invalid = error.is_some().then_some("true");
    let described = error.is_some().then_some("login-error");
    view! {
        <Title text=format!("{} · {}", td_string!(locale, staff.login_title), td_string!(locale, site.name))/>
        <Meta name="robots" content="noindex"/>
        <div class="wrap staff-login">
            <h1>{td_string!(locale, staff.login_title)}</h1>
            <p class="lead">{td_string!(locale, staff.login_intro)}</p>
            <form method="post" class="form" novalidate>
                {error.map(|text| view! {
                    <p class="form-error" id="login-error" role="alert">{text}</p>
                })}
                <input type="hidden" name="next" value=form.next/>
                <div class="field">
                    <label for="email">{td_string!(locale, staff.email)}</label>
                    <input
                        id="email"
                        name="email"
                        type="email"
                        dir="ltr"
                        autocomplete="username"
                        required
                        maxlength="254"
                        value=form.email
                        aria-invalid=invalid
                        aria-describedby=described
                    />
                </div>
                <div class="field">
                    <label for="password">{td_string!(locale, staff.password)}</label>
                    <input
                        id="password"
                        name="password"
                        type="password"
                        dir="ltr"
                        autocomplete="current-password"
                        required
                        maxlength="1024"
                        aria-invalid=invalid
                        aria-describedby=described
                    />
                </div>
                <p><button type="submit" class="button">{td_string!(locale, staff.login_submit)}</button></p>
            </form>
        </div>
    }
}

/// `/{lang}/staff/login/code`: the second step of signing in, for an account
/// with two-factor sign-in. The POST is `server::staff::http::login_code_post`.
#[component]
pub fn LoginCodePage() -> impl IntoView {
    let lang = use_lang();
    let locale = lang.locale();
    let form = use_context::<LoginCodeForm>().unwrap_or_default();
    let error = form.error.map(|e| match e {
        CodeError::Wrong => td_string!(locale, account.code_wrong),
    });
    let invalid = error.is_some().then_some("true");
    let described = if error.is_some() {
        "code-hint code-error"
    } else {
        "code-hint"
    };
    view! {
        <Title text=format!("{} · {}", td_string!(locale, account.code_title), td_string!(locale, site.name))/>
        <Meta name="robots" content="noindex"/>
        <div class="wrap staff-login">
            <h1>{td_string!(locale, account.code_title)}</h1>
            <form method="post" class="form" novalidate>
                {error.map(|text| view! {
                    <p class="form-error" id="code-error" role="alert">{text}</p>
                })}
                <div class="field">
                    <label for="code">{td_string!(locale, account.code_label)}</label>
                    <p class="hint" id="code-hint">{td_string!(locale, account.code_hint)}</p>
                    <input id="code" name="code" type="text" dir="ltr" inputmode="numeric"
                        autocomplete="one-time-code" required maxlength="20" autofocus
                        aria-invalid=invalid aria-describedby=described/>
                </div>
                <p><button type="submit" class="button">{td_string!(locale, account.code_submit)}</button></p>
            </form>
        </div>
    }
}
