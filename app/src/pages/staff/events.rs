//! The events and sessions editor (admins only): the list of every event,
//! the event form with its agenda, and the session form. Plain HTML forms
//! handled by `server::events_editor::http`; a rejected form comes back
//! with what was typed and each error next to its field.
//! Server: `api/events_editor.rs` → `server/events_editor/pages.rs`; the forms
//! post to `server/events_editor/http.rs`.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::dto::events_editor::{EditorEvent, EditorEvents, EditorSession};
use crate::labels::{status_label, visibility_label};

use crate::api::events_editor::{event_for_editor, events_for_editor, session_for_editor};
use crate::components::form::{Field, FormErrors, GroupError, use_form};
use crate::components::loaded::Loaded;
use crate::components::locale::use_lang;
use crate::components::staff_nav::StaffNav;
use crate::domain::event_form::{COMMON_TIME_ZONES, limits};
use crate::domain::{
    EventFormat, EventKind, EventStatus, FormState, InterpretationLanguage, Lang, Visibility,
};
use crate::i18n::*;
use crate::labels::field_error_text;
use crate::labels::language_label;
use crate::labels::{format_label, kind_label};

fn base(lang: Lang) -> String {
    crate::paths::staff_events(lang)
}

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
    let base = base(lang);
    let empty = events.items.is_empty();
    view! {
        <Title text=td_string!(locale, editor.title)/>
        <StaffNav staff=events.viewer.clone()/>
        <div class="wrap wide staff-page">
            <h1>{td_string!(locale, editor.title)}</h1>
            <p>{td_string!(locale, editor.intro)}</p>
            <p><a class="button" href=format!("{base}/new")>{td_string!(locale, editor.new_event)}</a></p>
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
                        let edit = format!("{base}/{}/edit", e.slug);
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

/// The value a control shows: what was posted if this form was posted,
/// else the current data.
#[derive(Clone)]
struct Values {
    posted: bool,
    form: FormState,
    initial: BTreeMap<String, String>,
}

impl Values {
    fn new(initial: BTreeMap<String, String>, marker: &str) -> Self {
        let form = use_form();
        Self {
            posted: form.values.contains_key(marker),
            form,
            initial,
        }
    }

    fn get(&self, name: &str) -> String {
        if self.posted {
            self.form.value(name).to_owned()
        } else {
            self.initial.get(name).cloned().unwrap_or_default()
        }
    }

    fn ticked(&self, name: &str) -> bool {
        if self.posted {
            self.form.checked(name)
        } else {
            self.initial.contains_key(name)
        }
    }

    fn has(&self, name: &str, code: &str) -> bool {
        self.get(name).split(',').any(|c| c.trim() == code)
    }
}

/// A labelled input with a type, step or list the shared `Field` lacks.
#[component]
fn Input(
    lang: Lang,
    name: &'static str,
    label: &'static str,
    value: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] list: Option<&'static str>,
    #[prop(optional)] step: Option<&'static str>,
    #[prop(optional)] dir: Option<&'static str>,
    #[prop(default = 200)] max: usize,
) -> impl IntoView {
    let error = use_form().error_for(name);
    let hint_id = format!("{name}-hint");
    let error_id = format!("{name}-error");
    let described = [
        hint.as_ref().map(|_| hint_id.clone()),
        error.map(|_| error_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let described = (!described.is_empty()).then_some(described);
    let optional = (!required).then(|| {
        view! { <span class="optional">" ("{td_string!(lang.locale(), form.optional)}")"</span> }
    });
    view! {
        <div class="field" class:field-error=error.is_some()>
            <label for=name>{label}{optional}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            {error.map(|e| view! { <p class="error" id=error_id>{field_error_text(lang, e)}</p> })}
            <input id=name name=name type=kind value=value required=required maxlength=max
                list=list step=step dir=dir autocomplete="off"
                aria-describedby=described aria-invalid=error.map(|_| "true")/>
        </div>
    }
}

/// A labelled `<select>` of codes.
#[component]
fn Choice(
    lang: Lang,
    name: &'static str,
    label: &'static str,
    options: Vec<(&'static str, &'static str)>,
    selected: String,
) -> impl IntoView {
    let error = use_form().error_for(name);
    view! {
        <div class="field" class:field-error=error.is_some()>
            <label for=name>{label}</label>
            {error.map(|e| view! { <p class="error" id=format!("{name}-error")>{field_error_text(lang, e)}</p> })}
            <select id=name name=name aria-invalid=error.map(|_| "true")>
                {options.into_iter().map(|(code, text)| view! {
                    <option value=code selected=selected == code>{text}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn Tick(name: &'static str, label: &'static str, checked: bool) -> impl IntoView {
    view! {
        <div class="choice">
            <input type="checkbox" id=name name=name value="on" checked=checked/>
            <label for=name>{label}</label>
        </div>
    }
}

/// A confirmed destructive action (cancel an event or a session).
#[component]
fn CancelForm(
    lang: Lang,
    action: String,
    title: &'static str,
    body: &'static str,
    confirm: &'static str,
    submit: &'static str,
) -> impl IntoView {
    let form = use_form();
    let error = form.error_for("confirm");
    view! {
        <section class="danger-zone" aria-labelledby="cancel-heading">
            <h2 id="cancel-heading">{title}</h2>
            <p>{body}</p>
            <form method="post" action=action novalidate>
                <input type="hidden" name="action" value="cancel"/>
                <fieldset class="field" id="confirm" class:field-error=error.is_some()>
                    <legend class="visually-hidden">{title}</legend>
                    <GroupError lang name="confirm"/>
                    <div class="choice">
                        <input type="checkbox" id="confirm-box" name="confirm" value="yes" required=true/>
                        <label for="confirm-box">{confirm}</label>
                    </div>
                </fieldset>
                <p><button type="submit" class="button button-danger">{submit}</button></p>
            </form>
        </section>
    }
}

// ---------------------------------------------------------------------------
// The event form

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
    let base = base(lang);
    let heading = if event.slug.is_some() {
        td_string!(locale, editor.edit_event)
    } else {
        td_string!(locale, editor.new_event)
    };
    let action = match &event.slug {
        Some(slug) => format!("{base}/{slug}/edit"),
        None => format!("{base}/new"),
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
            <nav class="crumbs"><a href=base.clone()>{td_string!(locale, editor.title)}</a></nav>
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
                    <Input lang name="invitation_code" label=td_string!(locale, editor.invitation_code)
                        value=v.get("invitation_code") hint=td_string!(locale, editor.invitation_code_hint)
                        dir="ltr" max=limits::INVITATION_CODE/>
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
    let sessions_base = format!("{}/{slug}/sessions", base(lang));
    let empty = event.sessions.is_empty();
    view! {
        <section id="agenda" aria-labelledby="agenda-heading">
            <h2 id="agenda-heading">{td_string!(locale, editor.agenda)}</h2>
            <p class="hint">{td_string!(locale, editor.agenda_hint)}</p>
            {empty.then(|| view! { <p>{td_string!(locale, editor.no_sessions)}</p> })}
            <ul class="editor-agenda">
                {event.sessions.into_iter().map(|s| {
                    let href = format!("{sessions_base}/{}", s.id);
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
            <p><a class="button" href=format!("{sessions_base}/new")>{td_string!(locale, editor.add_session)}</a></p>
        </section>
    }
}

// ---------------------------------------------------------------------------
// The session form

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
    let event_href = format!("{}/{}/edit", base(lang), session.event_slug);
    let action = match session.id {
        Some(id) => format!("{}/{}/sessions/{id}", base(lang), session.event_slug),
        None => format!("{}/{}/sessions/new", base(lang), session.event_slug),
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
                <p class="actions"><button type="submit" class="button">{td_string!(locale, editor.save_session)}</button></p>
            </form>
            {cancel}
            <p><a href=format!("{event_href}#agenda")>{td_string!(locale, editor.back_to_event)}</a></p>
        </div>
    }
}
