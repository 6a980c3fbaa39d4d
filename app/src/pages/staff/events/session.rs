//! The session form (new or edit) of an event's agenda.
//! Server: `api/events_editor.rs` → `server/events_editor/pages.rs`; the form
//! posts to `server/events_editor/http.rs`.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::dto::events_editor::EditorSession;

use crate::api::events_editor::session_for_editor;
use crate::components::form::{Field, FormErrors};
use crate::components::loaded::Loaded;
use crate::components::locale::use_lang;
use crate::components::staff_nav::StaffNav;
use crate::domain::event_form::limits;
use crate::domain::{EventFormat, Lang};
use crate::i18n::*;

use super::fields::{CancelForm, Input, Values};

#[component]
pub fn NewSessionPage() -> impl IntoView {
    let lang = use_lang();
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let data = Resource::new(
        move || slug.clone(),
        move |slug| session_for_editor(lang, slug, None),
    );
    view! {
        <Meta name="robots" content="noindex, nofollow"/>
        <Loaded resource=data view=move |session| view! { <SessionView lang session/> }/>
    }
}

#[component]
pub fn EditSessionPage() -> impl IntoView {
    let lang = use_lang();
    let (slug, id) = use_params_map().with_untracked(|p| {
        (
            p.get("slug").unwrap_or_default(),
            p.get("id").and_then(|id| id.parse::<i64>().ok()),
        )
    });
    let data = Resource::new(
        move || (slug.clone(), id),
        move |(slug, id)| async move {
            match id {
                Some(id) => session_for_editor(lang, slug, Some(id)).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Meta name="robots" content="noindex, nofollow"/>
        <Loaded resource=data view=move |session| view! { <SessionView lang session/> }/>
    }
}

#[component]
fn SessionView(lang: Lang, session: EditorSession) -> impl IntoView {
    let locale = lang.locale();
    let event_href = crate::paths::staff_event(lang, Some(&session.event_slug));
    let action = match session.id {
        Some(id) => crate::paths::staff_session(lang, &session.event_slug, Some(id)),
        None => crate::paths::staff_session(lang, &session.event_slug, None),
    };
    let heading = if session.id.is_some() {
        td_string!(locale, editor.edit_session)
    } else {
        td_string!(locale, editor.new_session)
    };
    let v = Values::new(session.values.clone(), "title_en");
    let labels = vec![
        ("title_en", td_string!(locale, editor.session_title_en)),
        ("title_ar", td_string!(locale, editor.session_title_ar)),
        ("starts_at", td_string!(locale, editor.starts_at)),
        ("ends_at", td_string!(locale, editor.ends_at)),
        ("room", td_string!(locale, editor.room)),
        ("meeting_url", td_string!(locale, editor.meeting_url)),
        (
            "join_minutes_before",
            td_string!(locale, editor.join_minutes_before),
        ),
        ("interpretation", td_string!(locale, editor.interpretation)),
        ("confirm", td_string!(locale, editor.cancel_session_confirm)),
    ];
    let times_hint = td_string!(
        locale,
        editor.session_times_hint,
        zone = session.time_zone.clone(),
        dates = session.event_dates.clone()
    );
    let has_room = session.format.has_venue();
    let has_url = session.format != EventFormat::InPerson;
    let url_required = session.format == EventFormat::Online;
    let cancel = (session.id.is_some() && !session.cancelled).then(|| {
        view! {
            <CancelForm lang action=action.clone()
                title=td_string!(locale, editor.cancel_session_title)
                body=td_string!(locale, editor.cancel_session_body)
                confirm=td_string!(locale, editor.cancel_session_confirm)
                submit=td_string!(locale, editor.cancel_session_submit)/>
        }
    });
    view! {
        <Title text=format!("{heading} · {}", session.event_title)/>
        <StaffNav staff=session.viewer.clone()/>
        <div class="wrap staff-page editor">
            <nav class="crumbs"><a href=format!("{event_href}#agenda")>{session.event_title.clone()}</a></nav>
            <h1>{heading}</h1>
            <p class="lead">{session.event_title.clone()}" · "{session.event_dates.clone()}</p>
            {session.cancelled.then(|| view! { <p class="notice">{td_string!(locale, editor.session_is_cancelled)}</p> })}
            <FormErrors lang labels/>
            <form method="post" action=action.clone() class="stack-form" novalidate>
                <input type="hidden" name="action" value="save"/>
                <Field lang name="title_en" label=td_string!(locale, editor.session_title_en) required=true max=limits::TITLE initial=v.get("title_en")/>
                <Field lang name="title_ar" label=td_string!(locale, editor.session_title_ar) required=true max=limits::TITLE initial=v.get("title_ar")/>
                <p class="hint">{times_hint}</p>
                <Input lang name="starts_at" label=td_string!(locale, editor.starts_at) value=v.get("starts_at")
                    kind="datetime-local" step="1" required=true dir="ltr" max=19/>
                <Input lang name="ends_at" label=td_string!(locale, editor.ends_at) value=v.get("ends_at")
                    kind="datetime-local" step="1" required=true dir="ltr" max=19/>
                {has_room.then(|| view! {
                    <Field lang name="room" label=td_string!(locale, editor.room) max=limits::ROOM initial=v.get("room")/>
                })}
                {has_url.then(|| view! {
                    <Input lang name="meeting_url" label=td_string!(locale, editor.meeting_url) value=v.get("meeting_url")
                        hint=td_string!(locale, editor.meeting_url_hint) kind="url" required=url_required dir="ltr" max=limits::MEETING_URL/>
                })}
                <Input lang name="join_minutes_before" label=td_string!(locale, editor.join_minutes_before)
                    value=v.get("join_minutes_before") hint=td_string!(locale, editor.join_hint) kind="number" max=4/>
                <Field lang name="interpretation" label=td_string!(locale, editor.interpretation) max=400 multiline=true
                    initial=v.get("interpretation") hint=td_string!(locale, editor.interpretation_hint)/>
                <p class="actions"><button type="submit" class="button">{td_string!(locale, editor.save_session)}</button></p>
            </form>
            {cancel}
            <p><a href=format!("{event_href}#agenda")>{td_string!(locale, editor.back_to_event)}</a></p>
        </div>
    }
}
