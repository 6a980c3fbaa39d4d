//! `/{lang}/staff/users` (admins only): the staff accounts, and a form that
//! adds one and shows its generated password once. The POST is handled by
//! `server::staff::http::add_user_post`, which renders this page again with an
//! [`AddUserForm`] in the context.
//! Server: `api/staff.rs` → `server/staff/pages.rs`; the form posts to `server/staff/http.rs`.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::dto::staff::{
    AddUserError, AddUserForm, UserAction, UserActionError, UserItem, UsersData,
};
use leptos_router::hooks::use_query_map;

use crate::api::staff::list_users;
use crate::components::loaded::Loaded;
use crate::components::locale::use_lang;
use crate::components::staff_nav::StaffNav;
use crate::domain::{Lang, Role};
use crate::i18n::*;
use crate::labels::role_label;

#[component]
pub fn UsersPage() -> impl IntoView {
    let lang = use_lang();
    let locale = lang.locale();
    let data = Resource::new(move || lang, list_users);
    let form = use_context::<AddUserForm>().unwrap_or_default();
    let action = use_context::<UserAction>().unwrap_or_default();
    let done = use_query_map().with_untracked(|q| q.get("done").is_some());
    view! {
        <Title text=format!("{} · {}", td_string!(locale, staff.users), td_string!(locale, site.name))/>
        <Meta name="robots" content="noindex"/>
        <Loaded resource=data view=move |data| view! { <UsersView lang data form=form.clone() action=action.clone() done/> }/>
    }
}

#[component]
fn UsersView(
    lang: Lang,
    data: UsersData,
    form: AddUserForm,
    action: UserAction,
    done: bool,
) -> impl IntoView {
    let locale = lang.locale();
    let UsersData { me, users } = data;
    let created = form.created.clone();
    let refused = action.error.map(|e| match e {
        UserActionError::LastAdmin => td_string!(locale, staff.user_last_admin),
        UserActionError::Invalid => td_string!(locale, staff.user_action_invalid),
    });
    view! {
        <StaffNav staff=me/>
        <div class="wrap staff-page">
            <h1>{td_string!(locale, staff.users)}</h1>
            {done.then(|| view! { <p class="notice notice-ok" role="status">{td_string!(locale, staff.user_done)}</p> })}
            {refused.map(|text| view! { <p class="notice notice-error" role="alert">{text}</p> })}
            {action.reset.map(|r| view! {
                <div class="notice notice-success" role="status">
                    <p>{td_string!(locale, staff.user_reset_done, email = r.email)}</p>
                    <p><code class="secret" dir="ltr">{r.password}</code></p>
                </div>
            })}
            {created.map(|c| view! {
                <div class="notice notice-success" role="status">
                    <p>{td_string!(locale, staff.user_created, email = c.email)}</p>
                    <p>{td_string!(locale, staff.password_once)}</p>
                    <p><code class="secret" dir="ltr">{c.password}</code></p>
                </div>
            })}
            <div class="table-scroll">
            <table class="staff-table">
                <thead>
                    <tr>
                        <th scope="col">{td_string!(locale, staff.email)}</th>
                        <th scope="col">{td_string!(locale, staff.name)}</th>
                        <th scope="col">{td_string!(locale, staff.role)}</th>
                        <th scope="col">{td_string!(locale, staff.created)}</th>
                        <th scope="col">{td_string!(locale, staff.user_last_sign_in)}</th>
                        <th scope="col">{td_string!(locale, staff.user_two_factor)}</th>
                        <th scope="col">{td_string!(locale, staff.user_actions)}</th>
                    </tr>
                </thead>
                <tbody>
                    {users.into_iter().map(|u| view! { <UserRow lang u/> }).collect_view()}
                </tbody>
            </table>
            </div>
            <AddUser lang form/>
        </div>
    }
}

#[component]
fn UserRow(lang: Lang, u: UserItem) -> impl IntoView {
    let locale = lang.locale();
    let action = crate::paths::staff_user(lang, u.id);
    let button = move |name: &'static str,
                       label: &'static str,
                       extra: Option<(&'static str, &'static str)>| {
        view! {
            <form method="post" action=action.clone() class="inline-form">
                <input type="hidden" name="action" value=name/>
                {extra.map(|(k, v)| view! { <input type="hidden" name=k value=v/> })}
                <button type="submit" class="button button-small button-quiet">{label}</button>
            </form>
        }
    };
    let role_change = match u.role {
        Role::Admin => button(
            "role",
            td_string!(locale, staff.user_make_moderator),
            Some(("role", "moderator")),
        ),
        Role::Moderator => button(
            "role",
            td_string!(locale, staff.user_make_admin),
            Some(("role", "admin")),
        ),
    };
    let toggle = if u.disabled {
        button("enable", td_string!(locale, staff.user_enable), None)
    } else {
        button("disable", td_string!(locale, staff.user_disable), None)
    };
    view! {
        <tr class:disabled=u.disabled data-user=u.email.clone()>
            <td dir="ltr">{u.email.clone()}</td>
            <td>{u.name}{u.disabled.then(|| view! { " "<span class="tag">{td_string!(locale, staff.user_disabled_tag)}</span> })}</td>
            <td>{role_label(lang, u.role)}</td>
            <td><time datetime=u.created_iso>{u.created}</time></td>
            <td>{u.last_sign_in.unwrap_or_else(|| td_string!(locale, staff.user_never).to_owned())}</td>
            <td>{if u.totp { td_string!(locale, staff.user_two_factor_on) } else { td_string!(locale, staff.user_two_factor_off) }}</td>
            <td class="row-actions">
                {toggle}
                {role_change}
                {button("reset", td_string!(locale, staff.user_reset), None)}
                {button("end_sessions", td_string!(locale, staff.user_end_sessions), None)}
            </td>
        </tr>
    }
    .into_any()
}

#[component]
fn AddUser(lang: Lang, form: AddUserForm) -> impl IntoView {
    let locale = lang.locale();
    // After an account is made the form starts empty again.
    let (email, name, role) = if form.created.is_some() {
        (String::new(), String::new(), String::new())
    } else {
        (form.email, form.name, form.role)
    };
    let email_error = form.email_error.map(|e| match e {
        AddUserError::Invalid => td_string!(locale, staff.email_invalid),
        AddUserError::Duplicate => td_string!(locale, staff.email_taken),
    });
    let name_error = form
        .name_error
        .then(|| td_string!(locale, staff.name_invalid));
    let role_error = form
        .role_error
        .then(|| td_string!(locale, staff.role_invalid));
    let chosen = Role::parse(&role).unwrap_or(Role::Moderator);
    view! {
        <section class="staff-add" aria-labelledby="add-heading">
            <h2 id="add-heading">{td_string!(locale, staff.add_user)}</h2>
            <p>{td_string!(locale, staff.add_user_hint)}</p>
            <form method="post" class="form" novalidate>
                <div class="field">
                    <label for="new-email">{td_string!(locale, staff.email)}</label>
                    <input id="new-email" name="email" type="email" dir="ltr" required maxlength="254"
                        autocomplete="off" value=email
                        aria-invalid=email_error.is_some().then_some("true")
                        aria-describedby=email_error.is_some().then_some("new-email-error")/>
                    {email_error.map(|t| view! { <p class="field-error" id="new-email-error">{t}</p> })}
                </div>
                <div class="field">
                    <label for="new-name">{td_string!(locale, staff.name)}</label>
                    <input id="new-name" name="name" type="text" required maxlength="100"
                        autocomplete="off" value=name
                        aria-invalid=name_error.is_some().then_some("true")
                        aria-describedby=name_error.is_some().then_some("new-name-error")/>
                    {name_error.map(|t| view! { <p class="field-error" id="new-name-error">{t}</p> })}
                </div>
                <div class="field">
                    <label for="new-role">{td_string!(locale, staff.role)}</label>
                    <select id="new-role" name="role"
                        aria-invalid=role_error.is_some().then_some("true")
                        aria-describedby=role_error.is_some().then_some("new-role-error")>
                        {Role::ALL.into_iter().map(|r| view! {
                            <option value=r.code() selected=r == chosen>{role_label(lang, r)}</option>
                        }).collect_view()}
                    </select>
                    {role_error.map(|t| view! { <p class="field-error" id="new-role-error">{t}</p> })}
                </div>
                <p><button type="submit" class="button">{td_string!(locale, staff.add_user_submit)}</button></p>
            </form>
        </section>
    }
}
