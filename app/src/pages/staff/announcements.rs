//! Announcements to an event's participants (moderators and admins): who
//! gets it (approved, optionally waitlisted too; all, in person or
//! online), the English and Arabic texts, a preview with the number of
//! recipients, then sending; and what was sent before.
//! Server: `api/announcements.rs` → `server/announcements/pages.rs`; the
//! form posts to `server/announcements/http.rs`.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::announcements::staff_announcements_view;
use crate::api::staff::current_staff;
use crate::components::form::{Field, FormErrors, GroupError, use_form};
use crate::components::loaded::Loaded;
use crate::components::locale::use_lang;
use crate::components::staff_nav::StaffNav;
use crate::domain::{AttendanceMode, Lang, Staff};
use crate::dto::announcements::{AnnouncementsPage, Preview};
use crate::error::AppError;
use crate::i18n::*;
use crate::labels::mode_label;

#[component]
pub fn StaffAnnouncementsPage() -> impl IntoView {
    let lang = use_lang();
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let sent = use_query_map().with_untracked(|q| q.get("done"));
    let data = Resource::new(
        move || slug.clone(),
        move |slug| async move {
            let staff = current_staff().await?;
            let page = staff_announcements_view(lang, slug).await?;
            Ok::<_, AppError>((staff, page))
        },
    );
    view! {
        <Meta name="robots" content="noindex, nofollow"/>
        <Loaded resource=data view=move |(staff, a)| view! { <AnnouncementsView lang staff a sent=sent.clone()/> }/>
    }
}

#[component]
fn AnnouncementsView(
    lang: Lang,
    staff: Staff,
    a: AnnouncementsPage,
    sent: Option<String>,
) -> impl IntoView {
    let locale = lang.locale();
    let form = use_form();
    let preview = use_context::<Preview>();
    let chosen_mode = form.value("mode").to_owned();
    let labels = vec![
        ("mode", td_string!(locale, announcements.group)),
        ("body_en", td_string!(locale, announcements.body_en)),
        ("body_ar", td_string!(locale, announcements.body_ar)),
    ];
    let sent = sent.map(|n| {
        view! { <p class="notice notice-ok" role="status">{td_string!(locale, announcements.sent, n = lang.digits(&n))}</p> }
    });
    let preview = preview.map(|p| {
        view! {
            <section class="status-box preview" aria-labelledby="preview-heading">
                <h2 id="preview-heading">{td_string!(locale, announcements.preview_heading)}</h2>
                <p><strong data-recipients=p.recipients>{td_string!(locale, announcements.recipients, n = lang.digits(&p.recipients.to_string()))}</strong></p>
                <h3>{td_string!(locale, announcements.body_en)}</h3>
                <p class="question-text" lang="en" dir="ltr">{p.body_en}</p>
                <h3>{td_string!(locale, announcements.body_ar)}</h3>
                <p class="question-text" lang="ar" dir="rtl">{p.body_ar}</p>
            </section>
        }
    });
    let group = |w: bool, mode: Option<AttendanceMode>| {
        let who = if w {
            td_string!(locale, announcements.approved_and_waitlisted)
        } else {
            td_string!(locale, announcements.approved)
        };
        let how = mode.map_or_else(
            || td_string!(locale, announcements.all_modes),
            |m| mode_label(lang, m),
        );
        format!("{who} · {how}")
    };
    view! {
        <Title text=format!("{} · {}", td_string!(locale, announcements.title), a.event_title)/>
        <StaffNav staff/>
        <div class="wrap staff-page">
            <h1>{td_string!(locale, announcements.title)}" · "{a.event_title.clone()}</h1>
            <p class="hint">{td_string!(locale, announcements.intro)}</p>
            {sent}
            <FormErrors lang labels/>
            {preview}
            <form class="stack-form" method="post" action=crate::paths::staff_announcements(lang, &a.event_slug) novalidate>
                <div class="field">
                    <label for="mode">{td_string!(locale, announcements.group)}</label>
                    <GroupError lang name="mode"/>
                    <select id="mode" name="mode">
                        <option value="all" selected=chosen_mode.is_empty() || chosen_mode == "all">{td_string!(locale, announcements.all_modes)}</option>
                        {AttendanceMode::ALL.iter().map(|m| view! {
                            <option value=m.code() selected=chosen_mode == m.code()>{mode_label(lang, *m)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="choice">
                    <input type="checkbox" id="waitlisted" name="waitlisted" value="yes" checked=form.checked("waitlisted")/>
                    <label for="waitlisted">{td_string!(locale, announcements.also_waitlisted)}</label>
                </div>
                <Field lang name="body_en" label=td_string!(locale, announcements.body_en) max=crate::dto::announcements::MAX_CHARS multiline=true/>
                <Field lang name="body_ar" label=td_string!(locale, announcements.body_ar) max=crate::dto::announcements::MAX_CHARS multiline=true/>
                <p class="hint">{td_string!(locale, announcements.fallback)}</p>
                <p class="actions">
                    <button type="submit" name="action" value="preview" class="button button-quiet">{td_string!(locale, announcements.preview)}</button>
                    " "
                    <button type="submit" name="action" value="send" class="button">{td_string!(locale, announcements.send)}</button>
                </p>
            </form>
            <h2>{td_string!(locale, announcements.past)}</h2>
            {a.sent.is_empty().then(|| view! { <p class="empty">{td_string!(locale, announcements.none)}</p> })}
            <ul class="my-questions">
                {a.sent.into_iter().map(|s| view! {
                    <li class="my-question">
                        <p class="hint">{s.when.clone()}" · "{group(s.waitlisted, s.mode)}" · "{td_string!(locale, announcements.recipients, n = lang.digits(&s.recipients.to_string()))}</p>
                        <p class="question-text" lang="en" dir="auto">{s.body_en}</p>
                        <p class="question-text" lang="ar" dir="auto">{s.body_ar}</p>
                    </li>
                }).collect_view()}
            </ul>
        </div>
    }
}
