//! The moderation queue: filter sign-ups, then approve, waitlist or reject
//! them one by one or in bulk, with a reason. Plain forms and native controls,
//! so it works from the keyboard (and without JavaScript): Tab to a row's
//! checkbox, Space to tick it, and the bulk buttons act on every ticked row.
//! Server: `api/staff.rs` → `server/moderation/pages.rs`; the form posts to
//! `server/moderation/http.rs`.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::dto::staff::{Affiliation, Queue, QueueFilter, QueueItem};

use crate::api::staff::moderation_queue;
use crate::components::form::{Field, FormErrors, use_form};
use crate::components::loaded::Loaded;
use crate::components::locale::use_lang;
use crate::components::staff_nav::StaffNav;
use crate::domain::registration::limits;
use crate::domain::{AttendanceMode, Lang, RegistrationState};
use crate::i18n::*;
use crate::labels::{language_label, mode_label, state_label};

#[component]
pub fn ModerationPage() -> impl IntoView {
    let lang = use_lang();
    let (filter, flash, back) = use_query_map().with_untracked(|q| {
        let filter = QueueFilter {
            event: q.get("event").filter(|e| !e.is_empty()),
            mode: q.get("mode").as_deref().and_then(AttendanceMode::parse),
            state: q.get("state").as_deref().and_then(RegistrationState::parse),
            confirmed: match q.get("confirmed").as_deref() {
                Some("yes") => Some(true),
                Some("no") => Some(false),
                _ => None,
            },
        };
        let flash = Flash {
            done: q.get("done").and_then(|n| n.parse().ok()),
            full: q
                .get("full")
                .and_then(|n| n.parse().ok())
                .filter(|n| *n > 0),
        };
        (filter, flash, filter_query(q))
    });
    let data = Resource::new(
        move || filter.clone(),
        move |filter| moderation_queue(lang, filter),
    );
    view! {
        <Meta name="robots" content="noindex, nofollow"/>
        <Loaded resource=data view=move |queue| {
            view! { <QueueView lang queue flash=flash.clone() back=back.clone()/> }
        }/>
    }
}

/// The filter as a query string, carried through a decision so the moderator
/// comes back to the same view. Only plain values pass.
fn filter_query(q: &leptos_router::params::ParamsMap) -> String {
    ["event", "mode", "state", "confirmed"]
        .into_iter()
        .filter_map(|k| q.get(k).map(|v| (k, v)))
        .filter(|(_, v)| {
            !v.is_empty()
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

#[derive(Clone, Default)]
struct Flash {
    done: Option<usize>,
    full: Option<usize>,
}

#[component]
fn QueueView(lang: Lang, queue: Queue, flash: Flash, back: String) -> impl IntoView {
    let locale = lang.locale();
    let action = crate::paths::staff_registrations(lang);
    let flash_view = view! {
        {flash.done.map(|n| view! { <p class="notice notice-ok" role="status">{td_string!(locale, moderation.done, n = lang.digits(&n.to_string()))}</p> })}
        {flash.full.map(|n| view! { <p class="notice notice-error" role="alert">{td_string!(locale, moderation.full, n = lang.digits(&n.to_string()))}</p> })}
        <FormErrors lang labels=vec![
            ("ids", td_string!(locale, moderation.select)),
            ("decision", td_string!(locale, moderation.actions)),
            ("reason", td_string!(locale, moderation.reason)),
        ]/>
    };
    let count = queue.items.len();
    let form = use_form();
    let ticked: Vec<String> = form.value("ids").split(',').map(str::to_owned).collect();
    view! {
        <Title text=td_string!(locale, moderation.title)/>
        <StaffNav staff=queue.viewer.clone()/>
        <div class="wrap wide">
            <h1>{td_string!(locale, moderation.title)}</h1>
            <Filters lang filter=queue.filter.clone() events=queue.events.clone()/>
            {flash_view}
            <p>{td_string!(locale, moderation.count, n = lang.digits(&count.to_string()))}</p>
            {if queue.items.is_empty() {
                view! { <p class="empty">{td_string!(locale, moderation.empty)}</p> }.into_any()
            } else {
                view! {
                    <form method="post" action=action class="queue-form">
                        <input type="hidden" name="back" value=back/>
                        <table class="queue">
                            <caption class="visually-hidden">{td_string!(locale, moderation.title)}</caption>
                            <thead><tr>
                                <th scope="col"><span class="visually-hidden">{td_string!(locale, moderation.select)}</span></th>
                                <th scope="col">{td_string!(locale, moderation.participant)}</th>
                                <th scope="col">{td_string!(locale, moderation.event)}</th>
                                <th scope="col">{td_string!(locale, moderation.attendance)}</th>
                                <th scope="col">{td_string!(locale, moderation.state)}</th>
                                <th scope="col">{td_string!(locale, moderation.actions)}</th>
                            </tr></thead>
                            <tbody>
                                {queue.items.into_iter().map(|item| {
                                    let ticked = ticked.contains(&item.id.to_string());
                                    view! { <Row lang item ticked/> }
                                }).collect_view()}
                            </tbody>
                        </table>
                        <fieldset class="bulk">
                            <legend>{td_string!(locale, moderation.bulk)}</legend>
                            <Field lang name="reason" label=td_string!(locale, moderation.reason)
                                hint=td_string!(locale, moderation.reason_hint) max=limits::REASON multiline=true/>
                            <div class="bulk-buttons">
                                <button type="submit" name="decision" value="approve" class="button">{td_string!(locale, moderation.approve_selected)}</button>
                                <button type="submit" name="decision" value="waitlist" class="button button-quiet">{td_string!(locale, moderation.waitlist_selected)}</button>
                                <button type="submit" name="decision" value="reject" class="button button-danger">{td_string!(locale, moderation.reject_selected)}</button>
                            </div>
                        </fieldset>
                    </form>
                }.into_any()
            }}
        </div>
    }
}

#[component]
fn Row(lang: Lang, item: QueueItem, ticked: bool) -> impl IntoView {
    let locale = lang.locale();
    let id = item.id;
    let check_id = format!("select-{id}");
    let state_class = format!("state state-{}", item.state.code());
    let live = item.state != RegistrationState::Withdrawn;
    view! {
        <tr data-state=item.state.code()>
            <td><input type="checkbox" name="ids" value=id.to_string() id=check_id.clone() disabled=!live checked=ticked
                aria-label=format!("{} {}", td_string!(locale, moderation.select), item.name)/></td>
            <td>
                <label for=check_id class="participant-name">{item.name.clone()}</label>
                <div class="small">
                    {item.organisation.clone()}
                    {match item.affiliation.clone() {
                        Affiliation::Verified => Some(view! { <span class="tag tag-ok">{td_string!(locale, moderation.verified)}</span> }.into_any()),
                        Affiliation::Claims(name) => Some(view! {
                            <span class="tag" title=td_string!(locale, moderation.claims_hint)>
                                {td_string!(locale, moderation.claims, name = name)}
                            </span>
                        }.into_any()),
                        Affiliation::Unknown => None,
                    }}
                    " · "{item.role.clone()}
                </div>
                <div class="small">
                    <span dir="ltr">{item.email.clone()}</span>" "
                    {if item.email_confirmed {
                        view! { <span class="tag tag-ok">{td_string!(locale, moderation.confirmed)}</span> }.into_any()
                    } else {
                        view! { <span class="tag">{td_string!(locale, moderation.unconfirmed)}</span> }.into_any()
                    }}
                </div>
                {(!item.accessibility.is_empty()).then(|| view! {
                    <div class="small">{td_string!(locale, register.accessibility)}": "{item.accessibility.clone()}</div>
                })}
                <div class="small muted">{item.registered.clone()}</div>
            </td>
            <td>{item.event_title.clone()}</td>
            <td>
                {mode_label(lang, item.mode)}
                {item.interpretation.map(|l| {
                    view! { <div class="small">{td_string!(locale, register.interpretation)}": "{language_label(lang, l)}</div> }
                })}
            </td>
            <td>
                <span class=state_class>{state_label(lang, item.state)}</span>
                {item.reason.clone().map(|r| view! { <div class="small">{r}</div> })}
            </td>
            <td class="row-actions">
                {live.then(|| view! {
                    <button type="submit" name="one" value=format!("approve:{id}") class="button button-small"
                        disabled=item.state == RegistrationState::Approved>{td_string!(locale, moderation.approve)}</button>
                    <button type="submit" name="one" value=format!("waitlist:{id}") class="button button-small button-quiet"
                        disabled=item.state == RegistrationState::Waitlisted>{td_string!(locale, moderation.waitlist)}</button>
                    <button type="submit" name="one" value=format!("reject:{id}") class="button button-small button-danger"
                        disabled=item.state == RegistrationState::Rejected>{td_string!(locale, moderation.reject)}</button>
                })}
            </td>
        </tr>
    }
}

#[component]
fn Filters(
    lang: Lang,
    filter: QueueFilter,
    events: Vec<crate::dto::staff::EventChoice>,
) -> impl IntoView {
    let locale = lang.locale();
    let action = crate::paths::staff_registrations(lang);
    let state_options = RegistrationState::ALL.iter().map(|s| {
        view! { <option value=s.code() selected=filter.state == Some(*s)>{state_label(lang, *s)}</option> }
    }).collect_view();
    let mode_options = AttendanceMode::ALL.iter().map(|m| {
        view! { <option value=m.code() selected=filter.mode == Some(*m)>{mode_label(lang, *m)}</option> }
    }).collect_view();
    let chosen_event = filter.event.clone().unwrap_or_default();
    view! {
        <form class="filters" method="get" action=action aria-label=td_string!(locale, moderation.filters)>
            <div class="field">
                <label for="f-event">{td_string!(locale, moderation.event)}</label>
                <select id="f-event" name="event">
                    <option value="">{td_string!(locale, events.any)}</option>
                    {events.into_iter().map(|e| {
                        let selected = e.slug == chosen_event;
                        view! { <option value=e.slug selected=selected>{e.title}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-mode">{td_string!(locale, moderation.attendance)}</label>
                <select id="f-mode" name="mode">
                    <option value="">{td_string!(locale, events.any)}</option>
                    {mode_options}
                </select>
            </div>
            <div class="field">
                <label for="f-state">{td_string!(locale, moderation.state)}</label>
                <select id="f-state" name="state">
                    <option value="">{td_string!(locale, events.any)}</option>
                    {state_options}
                </select>
            </div>
            <div class="field">
                <label for="f-confirmed">{td_string!(locale, moderation.email)}</label>
                <select id="f-confirmed" name="confirmed">
                    <option value="">{td_string!(locale, events.any)}</option>
                    <option value="yes" selected=filter.confirmed == Some(true)>{td_string!(locale, moderation.confirmed)}</option>
                    <option value="no" selected=filter.confirmed == Some(false)>{td_string!(locale, moderation.unconfirmed)}</option>
                </select>
            </div>
            <button type="submit" class="button">{td_string!(locale, moderation.apply)}</button>
        </form>
    }
}
