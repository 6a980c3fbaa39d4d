//! The events and sessions editor (admins only): the list of every event,
//! the event form with its agenda, and the session form. Plain HTML forms
//! handled by `server::events_editor::http`; a rejected form comes back
//! with what was typed and each error next to its field.
//! Server: `api/events_editor.rs` → `server/events_editor/pages.rs`; the forms
//! post to `server/events_editor/http.rs`.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::dto::events_editor::EditorEvents;
use crate::labels::{format_label, status_label};

use crate::api::events_editor::events_for_editor;
use crate::components::loaded::Loaded;
use crate::components::locale::use_lang;
use crate::components::staff_nav::StaffNav;
use crate::domain::{EventStatus, Lang, Visibility};
use crate::i18n::*;

mod event;
mod fields;
mod session;

pub use event::{EditEventPage, NewEventPage};
pub use session::{EditSessionPage, NewSessionPage};

/// `done=…` after a saved form.
fn flash(lang: Lang) -> Option<&'static str> {
    let locale = lang.locale();
    let done = use_query_map().with_untracked(|q| q.get("done"));
    match done.as_deref() {
        Some("saved") => Some(td_string!(locale, editor.saved)),
        Some("cancelled") => Some(td_string!(locale, editor.cancelled_notice)),
        Some("session_saved") => Some(td_string!(locale, editor.session_saved)),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// The list

#[component]
pub fn EventsPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), move |()| events_for_editor(lang));
    view! {
        <Meta name="robots" content="noindex, nofollow"/>
        <Loaded resource=data view=move |events| view! { <EventsView lang events/> }/>
    }
}

#[component]
fn EventsView(lang: Lang, events: EditorEvents) -> impl IntoView {
    let locale = lang.locale();
    let empty = events.items.is_empty();
    view! {
        <Title text=td_string!(locale, editor.title)/>
        <StaffNav staff=events.viewer.clone()/>
        <div class="wrap wide staff-page">
            <h1>{td_string!(locale, editor.title)}</h1>
            <p>{td_string!(locale, editor.intro)}</p>
            <p><a class="button" href=crate::paths::staff_event(lang, None)>{td_string!(locale, editor.new_event)}</a></p>
            {empty.then(|| view! { <p>{td_string!(locale, editor.none)}</p> })}
            <table class="queue editor-events">
                <thead><tr>
                    <th scope="col">{td_string!(locale, editor.col_event)}</th>
                    <th scope="col">{td_string!(locale, editor.col_dates)}</th>
                    <th scope="col">{td_string!(locale, editor.col_format)}</th>
                    <th scope="col">{td_string!(locale, editor.col_status)}</th>
                    <th scope="col"><span class="visually-hidden">{td_string!(locale, editor.edit)}</span></th>
                </tr></thead>
                <tbody>
                    {events.items.into_iter().map(|e| {
                        let edit = crate::paths::staff_event(lang, Some(&e.slug));
                        let public = (e.status == EventStatus::Published)
                            .then(|| crate::paths::event(lang, &e.slug));
                        let closed = (e.visibility == Visibility::Closed)
                            .then(|| view! { " · " {td_string!(locale, editor.closed)} });
                        view! {
                            <tr class:ended=e.ended>
                                <td><a href=edit.clone()>{e.title}</a>" "<code dir="ltr">{e.slug}</code></td>
                                <td>{e.dates}{e.ended.then(|| view! { " (" {td_string!(locale, editor.ended)} ")" })}</td>
                                <td>{format_label(lang, e.format)}{closed}</td>
                                <td><span class=format!("state state-{}", e.status.code())>{status_label(lang, e.status)}</span></td>
                                <td>
                                    <a href=edit>{td_string!(locale, editor.edit)}</a>
                                    {public.map(|href| view! { " · " <a href=href>{td_string!(locale, editor.public_page)}</a> })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

// ---------------------------------------------------------------------------
// Small form parts the shared `Field` does not cover.

// ---------------------------------------------------------------------------
// The event form

// ---------------------------------------------------------------------------
// The session form
