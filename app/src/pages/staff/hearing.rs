//! What participants told the mechanism about an event: the topics that
//! matter to them and what it should hear (from registrations), and
//! feedback after the event; every count under 5 reads "fewer than 5", and
//! free texts appear once at least 5 have answered, without names (with the
//! organisation only where the participant allowed it). Admins write "what
//! we heard / what we answered" here (the topics are set in the events
//! editor).
//! Server: `api/hearing.rs` → `server/hearing/pages.rs`; the form posts to
//! `server/hearing/http.rs`.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::hearing::staff_hearing_view;
use crate::api::staff::current_staff;
use crate::components::form::{Field, FormErrors, use_form};
use crate::components::loaded::Loaded;
use crate::components::locale::use_lang;
use crate::components::staff_nav::StaffNav;
use crate::domain::{Lang, Staff};
use crate::dto::hearing::{HearingPage, Scale, Shown};
use crate::error::AppError;
use crate::i18n::*;

#[component]
pub fn StaffHearingPage() -> impl IntoView {
    let lang = use_lang();
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let saved = use_query_map().with_untracked(|q| q.get("done").is_some());
    let data = Resource::new(
        move || slug.clone(),
        move |slug| async move {
            let staff = current_staff().await?;
            let page = staff_hearing_view(lang, slug).await?;
            Ok::<_, AppError>((staff, page))
        },
    );
    view! {
        <Meta name="robots" content="noindex, nofollow"/>
        <Loaded resource=data view=move |(staff, h)| view! { <HearingView lang staff h saved/> }/>
    }
}

/// A count, or "fewer than 5".
fn count(lang: Lang, n: Shown) -> String {
    match n {
        Some(n) => lang.digits(&n.to_string()),
        None => td_string!(lang.locale(), hearing.fewer_than_5).to_owned(),
    }
}

#[component]
fn ScaleTable(lang: Lang, caption: &'static str, scale: Scale) -> impl IntoView {
    view! {
        <table class="seats-table scale-table">
            <caption>{caption}</caption>
            <thead><tr>{(1..=5).map(|n| view! { <th scope="col">{lang.digits(&n.to_string())}</th> }).collect_view()}</tr></thead>
            <tbody><tr>{scale.counts.iter().map(|c| view! { <td>{count(lang, *c)}</td> }).collect_view()}</tr></tbody>
        </table>
    }
}

#[component]
fn HearingView(lang: Lang, staff: Staff, h: HearingPage, saved: bool) -> impl IntoView {
    let locale = lang.locale();
    let texts = if h.texts.is_empty() {
        view! { <p class="hint">{td_string!(locale, hearing.texts_wait)}</p> }.into_any()
    } else {
        view! {
            <ul class="heard-texts">
                {h.texts.iter().map(|t| view! {
                    <li>
                        <p dir="auto">{t.text.clone()}</p>
                        {t.organisation.clone().map(|o| view! { <p class="hint">"— "{o}</p> })}
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let changes = if h.changes.is_empty() {
        view! { <p class="hint">{td_string!(locale, hearing.texts_wait)}</p> }.into_any()
    } else {
        view! { <ul class="heard-texts">{h.changes.iter().map(|c| view! { <li><p dir="auto">{c.clone()}</p></li> }).collect_view()}</ul> }.into_any()
    };
    let admin_form = h.admin.then(|| view! { <AdminForm lang h=h.clone()/> });
    view! {
        <Title text=format!("{} · {}", td_string!(locale, hearing.title), h.event_title)/>
        <StaffNav staff/>
        <div class="wrap staff-page">
            <h1>{td_string!(locale, hearing.title)}" · "{h.event_title.clone()}</h1>
            <p class="hint">{td_string!(locale, hearing.intro)}</p>
            {saved.then(|| view! { <p class="notice notice-ok" role="status">{td_string!(locale, questions.staff_done)}</p> })}
            <h2>{td_string!(locale, hearing.priorities)}</h2>
            <p>{td_string!(locale, hearing.answers)}" "<strong data-count="priorities">{count(lang, h.priorities)}</strong></p>
            <table class="seats-table topics-table">
                <thead><tr><th scope="col">{td_string!(locale, hearing.topic)}</th><th scope="col">{td_string!(locale, hearing.count)}</th></tr></thead>
                <tbody>
                    {h.topics.iter().map(|t| view! { <tr><th scope="row">{t.title.clone()}</th><td>{count(lang, t.count)}</td></tr> }).collect_view()}
                </tbody>
            </table>
            <h3>{td_string!(locale, hearing.hear)}</h3>
            {texts}
            <h2>{td_string!(locale, hearing.feedback)}</h2>
            <p>{td_string!(locale, hearing.answers)}" "<strong data-count="feedback">{count(lang, h.feedback)}</strong></p>
            <ScaleTable lang caption=td_string!(locale, hearing.usefulness) scale=h.usefulness.clone()/>
            <ScaleTable lang caption=td_string!(locale, hearing.safety) scale=h.safety.clone()/>
            <h3>{td_string!(locale, hearing.change)}</h3>
            {changes}
            {admin_form}
        </div>
    }
}

/// Admins: the event's topics, and what the mechanism heard and answered.
#[component]
fn AdminForm(lang: Lang, h: HearingPage) -> impl IntoView {
    let locale = lang.locale();
    let form = use_form();
    let submitted = form.error.is_some();
    let value = |name: &str, current: &str| {
        if submitted {
            form.value(name).to_owned()
        } else {
            current.to_owned()
        }
    };
    let labels = vec![
        ("heard_en", td_string!(locale, hearing.heard_en)),
        ("heard_ar", td_string!(locale, hearing.heard_ar)),
        ("heard_bulletin", td_string!(locale, hearing.heard_bulletin)),
    ];
    view! {
        <h2>{td_string!(locale, hearing.admin_heading)}</h2>
        <p><a href=crate::paths::staff_event(lang, Some(&h.event_slug))>{td_string!(locale, hearing.topics_in_editor)}</a></p>
        <FormErrors lang labels/>
        <form class="stack-form" method="post" action=crate::paths::staff_hearing(lang, &h.event_slug) novalidate>
            <Field lang name="heard_en" label=td_string!(locale, hearing.heard_en) hint=td_string!(locale, hearing.heard_hint)
                max=20_000 multiline=true initial=value("heard_en", &h.heard_en)/>
            <Field lang name="heard_ar" label=td_string!(locale, hearing.heard_ar) hint=td_string!(locale, hearing.heard_hint)
                max=20_000 multiline=true initial=value("heard_ar", &h.heard_ar)/>
            <Field lang name="heard_bulletin" label=td_string!(locale, hearing.heard_bulletin) hint=td_string!(locale, hearing.heard_bulletin_hint)
                max=120 initial=value("heard_bulletin", &h.heard_bulletin)/>
            <button type="submit" class="button">{td_string!(locale, hearing.save)}</button>
        </form>
    }
}
