//! `/{lang}/staff/account`: one's own account: change the password, see and
//! end one's sessions, set up two-factor sign-in. The forms post to
//! `server/staff/account.rs`, which renders this page again with an
//! [`AccountForm`] in the context.
//! Server: `api/staff.rs` → `server/staff/pages.rs`.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::api::staff::my_account;
use crate::components::loaded::Loaded;
use crate::components::locale::use_lang;
use crate::components::staff_nav::StaffNav;
use crate::domain::{Lang, Role};
use crate::dto::staff::{AccountData, AccountForm, PasswordError, TotpEnrol};
use crate::i18n::*;

#[component]
pub fn AccountPage() -> impl IntoView {
    let lang = use_lang();
    let locale = lang.locale();
    let data = Resource::new(move || lang, my_account);
    let form = use_context::<AccountForm>().unwrap_or_default();
    let done = use_query_map().with_untracked(|q| q.get("done"));
    view! {
        <Title text=format!("{} · {}", td_string!(locale, account.title), td_string!(locale, site.name))/>
        <Meta name="robots" content="noindex"/>
        <Loaded resource=data view=move |data| view! { <AccountView lang data form=form.clone() done=done.clone()/> }/>
    }
}

#[component]
fn AccountView(
    lang: Lang,
    data: AccountData,
    form: AccountForm,
    done: Option<String>,
) -> impl IntoView {
    let locale = lang.locale();
    let done = done.and_then(|d| match d.as_str() {
        "password" => Some(td_string!(locale, account.done_password)),
        "sessions" => Some(td_string!(locale, account.done_sessions)),
        "totp_removed" => Some(td_string!(locale, account.done_totp_removed)),
        _ => None,
    });
    let temporary = data.must_change_password;
    let nav = (!temporary).then(|| view! { <StaffNav staff=data.me.clone()/> }.into_any());
    let rest = (!temporary).then(|| {
        view! {
            <Sessions lang data=data.clone()/>
            <TwoFactor lang data=data.clone() form=form.clone()/>
        }
        .into_any()
    });
    view! {
        {nav}
        <div class="wrap staff-page">
            <h1>{td_string!(locale, account.title)}</h1>
            {done.map(|text| view! { <p class="notice notice-ok" role="status">{text}</p> })}
            {temporary.then(|| view! { <p class="notice" role="status">{td_string!(locale, account.must_change)}</p> })}
            <Password lang temporary error=form.password_error/>
            {rest}
        </div>
    }
    .into_any()
}

#[component]
fn Password(lang: Lang, temporary: bool, error: Option<PasswordError>) -> impl IntoView {
    let locale = lang.locale();
    let message = error.map(|e| match e {
        PasswordError::Current => td_string!(locale, account.error_current),
        PasswordError::TooShort => td_string!(locale, account.error_short),
        PasswordError::TooLong => td_string!(locale, account.error_long),
        PasswordError::Common => td_string!(locale, account.error_common),
        PasswordError::Mismatch => td_string!(locale, account.error_mismatch),
    });
    let described = message.is_some().then_some("password-error");
    view! {
        <section aria-labelledby="password-heading">
            <h2 id="password-heading">{td_string!(locale, account.password_heading)}</h2>
            <form method="post" class="form" novalidate>
                <input type="hidden" name="action" value="password"/>
                {message.map(|text| view! { <p class="form-error" id="password-error" role="alert">{text}</p> })}
                {(!temporary).then(|| view! {
                    <div class="field">
                        <label for="current">{td_string!(locale, account.current_password)}</label>
                        <input id="current" name="current" type="password" dir="ltr" required maxlength="1024"
                            autocomplete="current-password" aria-describedby=described/>
                    </div>
                })}
                <div class="field">
                    <label for="new">{td_string!(locale, account.new_password)}</label>
                    <p class="hint" id="new-hint">{td_string!(locale, account.new_hint)}</p>
                    <input id="new" name="new" type="password" dir="ltr" required minlength="12" maxlength="1024"
                        autocomplete="new-password" aria-describedby="new-hint"/>
                </div>
                <div class="field">
                    <label for="again">{td_string!(locale, account.new_again)}</label>
                    <input id="again" name="again" type="password" dir="ltr" required maxlength="1024"
                        autocomplete="new-password"/>
                </div>
                <p><button type="submit" class="button">{td_string!(locale, account.password_submit)}</button></p>
            </form>
        </section>
    }
}

#[component]
fn Sessions(lang: Lang, data: AccountData) -> impl IntoView {
    let locale = lang.locale();
    view! {
        <section aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">{td_string!(locale, account.sessions_heading)}</h2>
            <p class="hint">{td_string!(locale, account.sessions_hint)}</p>
            <table class="staff-table">
                <thead>
                    <tr>
                        <th scope="col">{td_string!(locale, account.browser)}</th>
                        <th scope="col">{td_string!(locale, account.started)}</th>
                        <th scope="col">{td_string!(locale, account.last_seen)}</th>
                        <th scope="col"><span class="visually-hidden">{td_string!(locale, account.end)}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {data.sessions.into_iter().map(|s| {
                        let id = s.id.clone();
                        view! {
                        <tr data-session=id>
                            <td>{s.browser}{s.current.then(|| view! { " "<span class="tag tag-ok">{td_string!(locale, account.this_session)}</span> })}</td>
                            <td>{s.started}</td>
                            <td>{s.last_seen}</td>
                            <td>
                                <form method="post">
                                    <input type="hidden" name="action" value="end_session"/>
                                    <input type="hidden" name="id" value=s.id/>
                                    <button type="submit" class="button button-small button-quiet">{td_string!(locale, account.end)}</button>
                                </form>
                            </td>
                        </tr>
                    }}).collect_view()}
                </tbody>
            </table>
            <form method="post">
                <input type="hidden" name="action" value="end_others"/>
                <button type="submit" class="button button-quiet">{td_string!(locale, account.end_others)}</button>
            </form>
        </section>
    }
}

#[component]
fn TwoFactor(lang: Lang, data: AccountData, form: AccountForm) -> impl IntoView {
    let locale = lang.locale();
    let codes = (!form.recovery_codes.is_empty()).then(|| {
        view! {
            <div class="notice notice-success" role="status">
                <p>{td_string!(locale, account.recovery_once)}</p>
                <ol class="recovery-codes" dir="ltr">
                    {form.recovery_codes.iter().map(|c| view! { <li><code>{c.clone()}</code></li> }).collect_view()}
                </ol>
            </div>
        }
    });
    let body = match (data.totp, form.enrol) {
        (_, Some(enrol)) => view! { <Enrol lang enrol code_error=form.code_error/> }.into_any(),
        (true, None) => {
            let remove = (data.me.role == Role::Moderator).then(|| view! {
                <form method="post">
                    <input type="hidden" name="action" value="totp_remove"/>
                    <button type="submit" class="button button-quiet">{td_string!(locale, account.totp_remove)}</button>
                </form>
            });
            view! {
                <p>{td_string!(locale, account.totp_on)}</p>
                <p class="hint">{td_string!(locale, account.recovery_left, n = lang.digits(&data.recovery_codes_left.to_string()))}</p>
                {remove}
            }
            .into_any()
        }
        (false, None) => {
            let why = if data.me.role == Role::Admin {
                td_string!(locale, account.totp_admin)
            } else {
                td_string!(locale, account.totp_offer)
            };
            view! {
                <p>{why}</p>
                <form method="post">
                    <input type="hidden" name="action" value="totp_start"/>
                    <button type="submit" class="button">{td_string!(locale, account.totp_start)}</button>
                </form>
            }
            .into_any()
        }
    };
    view! {
        <section aria-labelledby="totp-heading">
            <h2 id="totp-heading">{td_string!(locale, account.totp_heading)}</h2>
            {codes}
            {body}
        </section>
    }
}

#[component]
fn Enrol(lang: Lang, enrol: TotpEnrol, code_error: bool) -> impl IntoView {
    let locale = lang.locale();
    let described = if code_error {
        "enrol-code-hint enrol-code-error"
    } else {
        "enrol-code-hint"
    };
    view! {
        <ol class="steps">
            <li>{td_string!(locale, account.enrol_scan)}</li>
            <li>{td_string!(locale, account.enrol_type)}</li>
        </ol>
        <div class="qr-code" inner_html=enrol.qr_svg></div>
        <p>{td_string!(locale, account.enrol_secret)}" "<code class="secret" dir="ltr" id="totp-secret">{enrol.secret}</code></p>
        <form method="post" class="form" novalidate>
            <input type="hidden" name="action" value="totp_confirm"/>
            {code_error.then(|| view! { <p class="form-error" id="enrol-code-error" role="alert">{td_string!(locale, account.code_wrong)}</p> })}
            <div class="field">
                <label for="enrol-code">{td_string!(locale, account.code_label)}</label>
                <p class="hint" id="enrol-code-hint">{td_string!(locale, account.enrol_code_hint)}</p>
                <input id="enrol-code" name="code" type="text" dir="ltr" inputmode="numeric"
                    autocomplete="one-time-code" required maxlength="6"
                    aria-invalid=code_error.then_some("true") aria-describedby=described/>
            </div>
            <p><button type="submit" class="button">{td_string!(locale, account.enrol_submit)}</button></p>
        </form>
    }
}
