//! One event: what, when (in the event's zone and the reader's), where,
//! format, interpretation, and the agenda. Closed events show no details.
//! Server: `api/events.rs` → `server/events/pages.rs`; the calendar link is
//! `server/events/http.rs`.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::dto::events::{AgendaDay, EventDetail};

use crate::api::events::get_event;
use crate::components::live::LiveBadge;
use crate::components::loaded::Loaded;
use crate::components::local_time::LocalTime;
use crate::components::locale::use_lang;
use crate::components::registration::RegistrationBox;
use crate::domain::{Lang, LiveStream};
use crate::i18n::*;
use crate::labels::{format_label, kind_label, language_label};

#[component]
pub fn EventPage() -> impl IntoView {
    let lang = use_lang();
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let detail = Resource::new(move || slug.clone(), move |slug| get_event(lang, slug));
    view! { <Loaded resource=detail view=move |detail| view! { <EventView lang detail/> }/> }
}

#[component]
fn EventView(lang: Lang, detail: EventDetail) -> impl IntoView {
    let locale = lang.locale();
    let EventDetail {
        card,
        description,
        interpretation,
        time_zone,
        time_zone_label,
        agenda,
        registration,
    } = detail;
    let slug = card.slug.clone();
    let registration =
        registration.map(|info| view! { <RegistrationBox lang slug=slug.clone() info/> });
    let list_href = crate::paths::events(lang);
    let meta = card
        .summary
        .clone()
        .unwrap_or_else(|| td_string!(locale, event.closed_note).to_owned());
    let separator = if lang == Lang::Ar { "، " } else { ", " };
    let interpretation = if interpretation.is_empty() {
        td_string!(locale, event.no_interpretation).to_owned()
    } else {
        interpretation
            .iter()
            .map(|l| language_label(lang, *l))
            .collect::<Vec<_>>()
            .join(separator)
    };
    let place = card
        .place
        .clone()
        .unwrap_or_else(|| td_string!(locale, event.online_place).to_owned());
    view! {
        <Title text=format!("{} · {}", card.title, td_string!(locale, site.name))/>
        <Meta name="description" content=meta/>
        <article class="wrap event-page">
            <nav class="crumbs"><a href=list_href>{td_string!(locale, event.back)}</a></nav>
            <header class="event-header">
                <p class="event-meta">
                    <span class="tag">{kind_label(lang, card.kind)}</span>
                    {card.closed.then(|| view! { <span class="tag tag-closed">{td_string!(locale, event.closed)}</span> })}
                    {card.live.then(|| view! { <span class="live-badge">{td_string!(locale, live.now)}</span> })}
                </p>
                <h1>{card.title.clone()}</h1>
                {card.summary.clone().map(|s| view! { <p class="lead">{s}</p> })}
            </header>
            {card.ended.then(|| view! { <p class="notice">{td_string!(locale, event.past)}</p> })}
            <dl class="facts">
                <div>
                    <dt>{td_string!(locale, event.when)}</dt>
                    <dd><time datetime=card.starts_iso.clone()>{card.dates.clone()}</time>
                        <span class="tz">{time_zone_label.clone()}</span>
                        <a class="calendar-link" href=crate::paths::event_calendar(lang, &slug) download=format!("{slug}.ics")>
                            {td_string!(locale, event.add_calendar)}
                        </a></dd>
                </div>
                {(!card.closed).then(|| view! {
                    <div>
                        <dt>{td_string!(locale, event.venue)}</dt>
                        <dd>{place}</dd>
                    </div>
                    <div>
                        <dt>{td_string!(locale, event.format)}</dt>
                        <dd>{format_label(lang, card.format)}</dd>
                    </div>
                    <div>
                        <dt>{td_string!(locale, event.interpretation)}</dt>
                        <dd>{interpretation}</dd>
                    </div>
                })}
            </dl>
            {registration}
            {if card.closed {
                view! { <p class="notice notice-closed">{td_string!(locale, event.closed_note)}</p> }.into_any()
            } else {
                view! {
                    <section class="event-about" aria-labelledby="about-heading">
                        <h2 id="about-heading">{td_string!(locale, event.about)}</h2>
                        {description.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                    </section>
                    <Agenda lang agenda time_zone time_zone_label stream=LiveStream::Event(slug.clone()).url()/>
                }.into_any()
            }}
        </article>
    }
}

#[component]
fn Agenda(
    lang: Lang,
    agenda: Vec<AgendaDay>,
    time_zone: String,
    time_zone_label: String,
    stream: String,
) -> impl IntoView {
    let locale = lang.locale();
    let several_days = agenda.len() > 1;
    view! {
        <section class="agenda" aria-labelledby="agenda-heading">
            <h2 id="agenda-heading">{td_string!(locale, event.agenda)}</h2>
            {if agenda.is_empty() {
                view! { <p class="empty">{td_string!(locale, event.no_agenda)}</p> }.into_any()
            } else {
                view! {
                    <p class="agenda-tz">{td_string!(locale, event.agenda_tz, tz = time_zone_label)}</p>
                    {agenda.into_iter().enumerate().map(|(i, day)| {
                        let n = lang.digits(&(i + 1).to_string());
                        let time_zone = time_zone.clone();
                        view! {
                            <h3 class="agenda-day">
                                {several_days.then(|| view! { <span class="day-number">{td_string!(locale, event.day, n = n)}</span> })}
                                {day.label}
                            </h3>
                            <ol class="sessions">
                                {day.items.into_iter().map(|item| view! {
                                    <li class="session">
                                        <div class="session-time">
                                            <time datetime=item.starts_iso>{item.time}</time>
                                            <LocalTime lang starts_ms=item.starts_ms ends_ms=item.ends_ms time_zone=time_zone.clone()/>
                                        </div>
                                        <div class="session-body">
                                            <p class="session-title">
                                                {item.title}" "
                                                <LiveBadge lang stream=stream.clone() session=item.id live=item.live/>
                                            </p>
                                            <p class="session-parts">
                                                {item.in_person.then(|| view! { <span class="part">{td_string!(locale, event.part_in_person)}</span> })}
                                                {item.online.then(|| view! { <span class="part part-online">{td_string!(locale, event.part_online)}</span> })}
                                            </p>
                                        </div>
                                    </li>
                                }).collect_view()}
                            </ol>
                        }
                    }).collect_view()}
                }.into_any()
            }}
        </section>
    }
}
