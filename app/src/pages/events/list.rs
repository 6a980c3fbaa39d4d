//! The events list: upcoming or past, filtered by kind and format, searched.
//! The filter form is a plain GET form, so it works without JavaScript.
//! Server: `api/events.rs` → `server/events/pages.rs` (the filters are a GET).

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_location, use_query_map};

use crate::dto::events::EventList;

use crate::api::events::list_events;
use crate::components::event_card::{EventCardView, list_stream};
use crate::components::live::LiveListNotice;
use crate::components::loaded::Loaded;
use crate::components::locale::use_lang;
use crate::domain::{EventFilter, EventFormat, EventKind, Lang, When};
use crate::i18n::*;
use crate::labels::{format_label, kind_label};

#[component]
pub fn EventsPage() -> impl IntoView {
    let lang = use_lang();
    let locale = lang.locale();
    // Pages are rendered on the server and never re-rendered in the browser
    // (islands), so the filter is read once, not tracked.
    let filter = use_query_map().with_untracked(|q| {
        EventFilter::from_params(
            q.get_str("when"),
            q.get_str("kind"),
            q.get_str("format"),
            q.get_str("q"),
        )
    });
    let heading = match filter.when {
        When::Upcoming => td_string!(locale, events.heading_upcoming),
        When::Past => td_string!(locale, events.heading_past),
    };
    let list = Resource::new(
        move || filter.clone(),
        move |filter| list_events(lang, filter),
    );
    view! {
        <Title text=format!("{heading} · {}", td_string!(locale, site.name))/>
        <Meta name="description" content=td_string!(locale, events.description)/>
        <div class="wrap">
            <h1>{heading}</h1>
            <Loaded resource=list view=move |list| view! { <Filters lang filter=list.filter.clone()/> <Results lang list/> }/>
        </div>
    }
}

#[component]
fn Filters(lang: Lang, filter: EventFilter) -> impl IntoView {
    let locale = lang.locale();
    let action = crate::paths::events(lang);
    let reset = action.clone();
    view! {
        <form class="filters" method="get" action=action role="search" aria-label=td_string!(locale, events.filters)>
            <fieldset class="when">
                <legend>{td_string!(locale, events.when)}</legend>
                {[When::Upcoming, When::Past].into_iter().map(|w| {
                    let label = match w {
                        When::Upcoming => td_string!(locale, events.upcoming),
                        When::Past => td_string!(locale, events.past),
                    };
                    view! {
                        <label class="choice">
                            <input type="radio" name="when" value=w.code() checked=filter.when == w/>
                            {label}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <label class="field">
                <span>{td_string!(locale, events.kind)}</span>
                <select name="kind">
                    <option value="" selected=filter.kind.is_none()>{td_string!(locale, events.any)}</option>
                    {EventKind::ALL.iter().map(|k| view! {
                        <option value=k.code() selected=filter.kind == Some(*k)>{kind_label(lang, *k)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{td_string!(locale, events.format)}</span>
                <select name="format">
                    <option value="" selected=filter.format.is_none()>{td_string!(locale, events.any)}</option>
                    {EventFormat::ALL.iter().map(|f| view! {
                        <option value=f.code() selected=filter.format == Some(*f)>{format_label(lang, *f)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="field field-grow">
                <span>{td_string!(locale, events.search)}</span>
                <input
                    type="search"
                    name="q"
                    value=filter.query.clone().unwrap_or_default()
                    maxlength=EventFilter::MAX_QUERY_CHARS
                    placeholder=td_string!(locale, events.search_hint)
                />
            </label>
            <div class="actions">
                <button type="submit" class="button">{td_string!(locale, events.apply)}</button>
                <a href=reset class="reset">{td_string!(locale, events.reset)}</a>
            </div>
        </form>
    }
}

#[component]
fn Results(lang: Lang, list: EventList) -> impl IntoView {
    let locale = lang.locale();
    let count = lang.digits(&list.events.len().to_string());
    let stream = list_stream(&list.events);
    // Upcoming events, unsearched: a newly published one belongs here.
    let notice = (list.filter.when == When::Upcoming && list.filter.query.is_none()).then(|| {
        let location = use_location();
        let (path, search) = (
            location.pathname.get_untracked(),
            location.search.get_untracked(),
        );
        let href = if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        };
        view! {
            <LiveListNotice
                lang
                stream=stream.clone()
                href
                kind=list.filter.kind
                format=list.filter.format
            />
        }
    });
    view! {
        {notice}
        {list.filter.ignored.then(|| view! {
            <p class="notice" role="status">{td_string!(locale, events.ignored)}</p>
        })}
        // The heading of the cards (each an `h3`) under the page's `h1`.
        <h2 class="result-count">{td_string!(locale, events.count, count = count)}</h2>
        {if list.events.is_empty() {
            view! { <p class="empty">{td_string!(locale, events.none)}</p> }.into_any()
        } else {
            view! {
                <div class="card-list">
                    {list.events.into_iter().map(|event| view! { <EventCardView lang event stream=stream.clone()/> }).collect_view()}
                </div>
            }.into_any()
        }}
    }
}
