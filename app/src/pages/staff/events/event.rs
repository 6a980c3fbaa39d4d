//! The event form (new or edit), with its agenda of sessions.
//! Server: `api/events_editor.rs` → `server/events_editor/pages.rs`; the form
//! posts to `server/events_editor/http.rs`.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::dto::events_editor::EditorEvent;
use crate::labels::{format_label, kind_label, language_label, status_label, visibility_label};

use crate::api::events_editor::event_for_editor;
use crate::components::form::{Field, FormErrors, GroupError, use_form};
use crate::components::loaded::Loaded;
use crate::components::locale::use_lang;
use crate::components::staff_nav::StaffNav;
use crate::domain::event_form::{COMMON_TIME_ZONES, limits};
use crate::domain::{
    EventFormat, EventKind, EventStatus, FieldError, InterpretationLanguage, Lang, Visibility,
};
use crate::i18n::*;

use super::fields::{CancelForm, Choice, Input, Tick, Values};
use super::flash;

#[component]
pub fn NewEventPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), move |()| event_for_editor(lang, None));
    view! {
        <Meta name="robots" content="noindex, nofollow"/>
        <Loaded resource=data view=move |event| view! { <EventView lang event/> }/>
    }
}

#[component]
pub fn EditEventPage() -> impl IntoView {
    let lang = use_lang();
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let data = Resource::new(
        move || slug.clone(),
        move |slug| event_for_editor(lang, Some(slug)),
    );
    view! {
        <Meta name="robots" content="noindex, nofollow"/>
        <Loaded resource=data view=move |event| view! { <EventView lang event/> }/>
    }
}

#[component]
fn EventView(lang: Lang, event: EditorEvent) -> impl IntoView {
    let locale = lang.locale();
    let heading = if event.slug.is_some() {
        td_string!(locale, editor.edit_event)
    } else {
        td_string!(locale, editor.new_event)
    };
    let action = match &event.slug {
        Some(slug) => crate::paths::staff_event(lang, Some(slug)),
        None => crate::paths::staff_event(lang, None),
    };
    let public = (event.status == Some(EventStatus::Published))
        .then(|| event.slug.as_ref().map(|s| crate::paths::event(lang, s)))
        .flatten();
    let title = if event.title.is_empty() {
        heading.to_owned()
    } else {
        format!("{heading}: {}", event.title)
    };
    let v = Values::new(event.values.clone(), "slug");
    let labels = vec![
        ("slug", td_string!(locale, editor.slug)),
        ("kind", td_string!(locale, editor.kind)),
        ("format", td_string!(locale, editor.format)),
        ("visibility", td_string!(locale, editor.visibility)),
        ("title_en", td_string!(locale, editor.title_en)),
        ("title_ar", td_string!(locale, editor.title_ar)),
        ("summary_en", td_string!(locale, editor.summary_en)),
        ("summary_ar", td_string!(locale, editor.summary_ar)),
        ("description_en", td_string!(locale, editor.description_en)),
        ("description_ar", td_string!(locale, editor.description_ar)),
        ("city_en", td_string!(locale, editor.city_en)),
        ("city_ar", td_string!(locale, editor.city_ar)),
        ("country_en", td_string!(locale, editor.country_en)),
        ("country_ar", td_string!(locale, editor.country_ar)),
        ("venue", td_string!(locale, editor.venue)),
        ("time_zone", td_string!(locale, editor.time_zone)),
        ("starts_at", td_string!(locale, editor.starts_at)),
        ("ends_at", td_string!(locale, editor.ends_at)),
        (
            "registration_opens_at",
            td_string!(locale, editor.registration_opens_at),
        ),
        (
            "registration_closes_at",
            td_string!(locale, editor.registration_closes_at),
        ),
        (
            "seats_in_person",
            td_string!(locale, editor.seats_in_person),
        ),
        ("seats_online", td_string!(locale, editor.seats_online)),
        ("interpretation", td_string!(locale, editor.interpretation)),
        ("topics", td_string!(locale, hearing.topics_field)),
        (
            "remind_first_hours",
            td_string!(locale, reminders.first_hours),
        ),
        (
            "remind_second_hours",
            td_string!(locale, reminders.second_hours),
        ),
        (
            "invitation_code",
            td_string!(locale, editor.invitation_code),
        ),
        ("confirm", td_string!(locale, editor.cancel_confirm)),
    ];
    let kinds = EventKind::ALL
        .iter()
        .map(|k| (k.code(), kind_label(lang, *k)))
        .collect::<Vec<_>>();
    let formats = EventFormat::ALL
        .iter()
        .map(|f| (f.code(), format_label(lang, *f)))
        .collect::<Vec<_>>();
    let visibilities = Visibility::ALL
        .iter()
        .map(|x| (x.code(), visibility_label(lang, *x)))
        .collect::<Vec<_>>();
    let buttons = match event.status {
        None => view! {
            <button type="submit" class="button" name="action" value="draft">{td_string!(locale, editor.save_draft)}</button>
            " "
            <button type="submit" class="button" name="action" value="publish">{td_string!(locale, editor.publish)}</button>
        }
        .into_any(),
        Some(EventStatus::Draft) => view! {
            <button type="submit" class="button" name="action" value="save">{td_string!(locale, editor.save_draft)}</button>
            " "
            <button type="submit" class="button" name="action" value="publish">{td_string!(locale, editor.save_and_publish)}</button>
        }
        .into_any(),
        Some(_) => view! {
            <button type="submit" class="button" name="action" value="save">{td_string!(locale, editor.save)}</button>
        }
        .into_any(),
    };
    let agenda = event
        .slug
        .clone()
        .map(|slug| view! { <Agenda lang slug event=event.clone()/> });
    let cancel = match (&event.slug, event.status) {
        (Some(_), Some(EventStatus::Draft | EventStatus::Published)) => Some(view! {
            <CancelForm lang action=action.clone()
                title=td_string!(locale, editor.cancel_title)
                body=td_string!(locale, editor.cancel_body)
                confirm=td_string!(locale, editor.cancel_confirm)
                submit=td_string!(locale, editor.cancel_submit)/>
        }),
        _ => None,
    };
    view! {
        <Title text=title.clone()/>
        <StaffNav staff=event.viewer.clone()/>
        <div class="wrap staff-page editor">
            <nav class="crumbs"><a href=crate::paths::staff_events(lang)>{td_string!(locale, editor.title)}</a></nav>
            <h1>{title}</h1>
            {event.status.map(|s| view! {
                <p><span class=format!("state state-{}", s.code())>{status_label(lang, s)}</span>
                {public.map(|href| view! { " · " <a href=href>{td_string!(locale, editor.public_page)}</a> })}</p>
            })}
            {flash(lang).map(|text| view! { <p class="notice notice-success" role="status">{text}</p> })}
            <FormErrors lang labels/>
            <form method="post" action=action.clone() class="stack-form" novalidate>
                <fieldset>
                    <legend>{td_string!(locale, editor.section_event)}</legend>
                    <Input lang name="slug" label=td_string!(locale, editor.slug) value=v.get("slug")
                        hint=td_string!(locale, editor.slug_hint) required=true dir="ltr" max=80/>
                    <Choice lang name="kind" label=td_string!(locale, editor.kind) options=kinds selected=v.get("kind")/>
                    <Choice lang name="format" label=td_string!(locale, editor.format) options=formats selected=v.get("format")/>
                    <Choice lang name="visibility" label=td_string!(locale, editor.visibility) options=visibilities selected=v.get("visibility")/>
                </fieldset>
                <fieldset>
                    <legend>{td_string!(locale, editor.section_texts)}</legend>
                    <Field lang name="title_en" label=td_string!(locale, editor.title_en) required=true max=limits::TITLE initial=v.get("title_en")/>
                    <Field lang name="title_ar" label=td_string!(locale, editor.title_ar) required=true max=limits::TITLE initial=v.get("title_ar")/>
                    <Field lang name="summary_en" label=td_string!(locale, editor.summary_en) max=limits::SUMMARY multiline=true initial=v.get("summary_en")/>
                    <Field lang name="summary_ar" label=td_string!(locale, editor.summary_ar) max=limits::SUMMARY multiline=true initial=v.get("summary_ar")/>
                    <Field lang name="description_en" label=td_string!(locale, editor.description_en) max=limits::DESCRIPTION multiline=true initial=v.get("description_en")/>
                    <Field lang name="description_ar" label=td_string!(locale, editor.description_ar) max=limits::DESCRIPTION multiline=true initial=v.get("description_ar")/>
                </fieldset>
                <fieldset>
                    <legend>{td_string!(locale, editor.section_place)}</legend>
                    <Field lang name="city_en" label=td_string!(locale, editor.city_en) max=limits::PLACE initial=v.get("city_en")/>
                    <Field lang name="city_ar" label=td_string!(locale, editor.city_ar) max=limits::PLACE initial=v.get("city_ar")/>
                    <Field lang name="country_en" label=td_string!(locale, editor.country_en) max=limits::PLACE initial=v.get("country_en")/>
                    <Field lang name="country_ar" label=td_string!(locale, editor.country_ar) max=limits::PLACE initial=v.get("country_ar")/>
                    <Field lang name="venue" label=td_string!(locale, editor.venue) hint=td_string!(locale, editor.venue_hint)
                        max=limits::VENUE multiline=true initial=v.get("venue")/>
                </fieldset>
                <fieldset>
                    <legend>{td_string!(locale, editor.section_time)}</legend>
                    <Input lang name="time_zone" label=td_string!(locale, editor.time_zone) value=v.get("time_zone")
                        hint=td_string!(locale, editor.time_zone_hint) required=true list="time-zones" dir="ltr" max=limits::TIME_ZONE/>
                    <datalist id="time-zones">
                        {COMMON_TIME_ZONES.iter().map(|z| view! { <option value=*z></option> }).collect_view()}
                    </datalist>
                    <Input lang name="starts_at" label=td_string!(locale, editor.starts_at) value=v.get("starts_at")
                        kind="datetime-local" step="1" required=true dir="ltr" max=19/>
                    <Input lang name="ends_at" label=td_string!(locale, editor.ends_at) value=v.get("ends_at")
                        kind="datetime-local" step="1" required=true dir="ltr" max=19/>
                    {(use_form().error_for("ends_at") == Some(FieldError::EndsLongAgo)).then(|| view! {
                        <div class="choice">
                            <input type="checkbox" id="confirm_past" name="confirm_past" value="yes"/>
                            <label for="confirm_past">{td_string!(locale, editor.confirm_past)}</label>
                        </div>
                    })}
                </fieldset>
                <fieldset>
                    <legend>{td_string!(locale, editor.section_registration)}</legend>
                    <Input lang name="registration_opens_at" label=td_string!(locale, editor.registration_opens_at)
                        value=v.get("registration_opens_at") hint=td_string!(locale, editor.registration_hint)
                        kind="datetime-local" step="1" dir="ltr" max=19/>
                    <Input lang name="registration_closes_at" label=td_string!(locale, editor.registration_closes_at)
                        value=v.get("registration_closes_at") kind="datetime-local" step="1" dir="ltr" max=19/>
                    <Input lang name="seats_in_person" label=td_string!(locale, editor.seats_in_person)
                        value=v.get("seats_in_person") hint=td_string!(locale, editor.seats_hint) kind="number" max=6/>
                    <Input lang name="seats_online" label=td_string!(locale, editor.seats_online)
                        value=v.get("seats_online") kind="number" max=6/>
                    <Tick name="waitlist" label=td_string!(locale, editor.waitlist) checked=v.ticked("waitlist")/>
                    <Tick name="requires_approval" label=td_string!(locale, editor.requires_approval) checked=v.ticked("requires_approval")/>
                    <fieldset class="field" id="interpretation" class:field-error=use_form().error_for("interpretation").is_some()>
                        <legend>{td_string!(locale, editor.interpretation)}</legend>
                        <GroupError lang name="interpretation"/>
                        {InterpretationLanguage::ALL.iter().map(|l| {
                            let id = format!("interpretation-{}", l.code());
                            view! {
                                <div class="choice">
                                    <input type="checkbox" id=id.clone() name="interpretation" value=l.code()
                                        checked=v.has("interpretation", l.code())/>
                                    <label for=id>{language_label(lang, *l)}</label>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                    <Input lang name="remind_first_hours" label=td_string!(locale, reminders.first_hours)
                        value=v.get("remind_first_hours") hint=td_string!(locale, reminders.hours_hint) kind="number" max=3/>
                    <Input lang name="remind_second_hours" label=td_string!(locale, reminders.second_hours)
                        value=v.get("remind_second_hours") hint=td_string!(locale, reminders.hours_hint) kind="number" max=3/>
                    <Field lang name="topics" label=td_string!(locale, hearing.topics_field) hint=td_string!(locale, hearing.topics_hint)
                        max=2400 multiline=true initial=v.get("topics")/>
                    <Input lang name="invitation_code" label=td_string!(locale, editor.invitation_code)
                        value=v.get("invitation_code") hint=td_string!(locale, editor.invitation_code_hint)
                        dir="ltr" max=limits::INVITATION_CODE/>
                    // Posts the form as it stands and shows it again with a fresh code.
                    <p><button type="submit" name="action" value="generate_code" class="button button-quiet">
                        {td_string!(locale, editor.generate_code)}
                    </button></p>
                </fieldset>
                <p class="actions">{buttons}</p>
            </form>
            {agenda}
            {cancel}
        </div>
    }
}

/// The event's sessions, with links to edit each and to add one.
#[component]
fn Agenda(lang: Lang, slug: String, event: EditorEvent) -> impl IntoView {
    let locale = lang.locale();
    let empty = event.sessions.is_empty();
    view! {
        <section id="agenda" aria-labelledby="agenda-heading">
            <h2 id="agenda-heading">{td_string!(locale, editor.agenda)}</h2>
            <p class="hint">{td_string!(locale, editor.agenda_hint)}</p>
            {empty.then(|| view! { <p>{td_string!(locale, editor.no_sessions)}</p> })}
            <ul class="editor-agenda">
                {event.sessions.into_iter().map(|s| {
                    let href = crate::paths::staff_session(lang, &slug, Some(s.id));
                    view! {
                        <li class:cancelled=s.cancelled>
                            <a href=href>{s.title}</a>
                            " · "{s.when}
                            {s.room.map(|r| view! { " · "{td_string!(locale, editor.room)}": "{r} })}
                            {s.online.then(|| view! { " · "{td_string!(locale, editor.online)} })}
                            {s.cancelled.then(|| view! { " · "<span class="state state-cancelled">{td_string!(locale, editor.session_cancelled)}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p><a class="button" href=crate::paths::staff_session(lang, &slug, None)>{td_string!(locale, editor.add_session)}</a></p>
        </section>
    }
}
