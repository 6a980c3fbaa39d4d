//! One event: what, when (in the event's zone and the reader's), where,
//! format, interpretation, and the agenda. Closed events show no details.
//! Server: `api/events.rs` → `server/events/pages.rs`; the calendar link is
//! `server/events/http.rs`.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::dto::events::{AgendaDay, EventDetail};
use crate::dto::registrations::{Availability, JoinSession, ReaderView};
use crate::error::AppError;

use crate::api::events::get_event;
use crate::api::hearing::event_heard;
use crate::api::questions::reader_questions;
use crate::api::registrations::event_reader;
use crate::components::live::{JoinButton, LiveBadge};
use crate::components::loaded::Loaded;
use crate::components::local_time::LocalTime;
use crate::components::locale::use_lang;
use crate::components::materials::{Channels, MaterialList};
use crate::components::questions::QuestionsBox;
use crate::components::registration::RegistrationBox;
use crate::domain::{Lang, LiveStream};
use crate::i18n::*;
use crate::labels::{
    format_label, join_refusal, kind_label, language_label, mode_label, state_body, state_label,
};

#[component]
pub fn EventPage() -> impl IntoView {
    let lang = use_lang();
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    // Why a join from this page did not lead to the meeting.
    let (refused, done) = use_query_map().with_untracked(|q| (q.get("join"), q.get("done")));
    // The event as anyone sees it, and the reader's own registration when
    // their browser remembers it (that page is theirs alone).
    let detail = Resource::new(
        move || slug.clone(),
        move |slug| async move {
            let detail = get_event(lang, slug.clone()).await?;
            let reader = event_reader(lang, slug.clone()).await?;
            let questions = reader_questions(lang, slug.clone()).await?;
            let heard = event_heard(lang, slug).await?;
            Ok::<_, AppError>((detail, reader, questions, heard))
        },
    );
    view! {
        <Loaded resource=detail view=move |(detail, reader, questions, heard)| view! {
            <EventView lang detail reader refused=refused.clone()/>
            {heard.map(|h| view! { <HeardBox lang h/> }.into_any())}
            // (`into_any`: the page's view type is deep enough as it is.)
            {questions.map(|q| view! { <div class="wrap"><QuestionsBox lang q done=done.clone()/></div> }.into_any())}
        }/>
    }
}

/// "What we heard / what we answered", written by admins after the event.
#[component]
fn HeardBox(lang: Lang, h: crate::dto::hearing::HeardSummary) -> impl IntoView {
    let locale = lang.locale();
    view! {
        <section class="wrap heard-box" aria-labelledby="heard-heading">
            <h2 id="heard-heading">{td_string!(locale, hearing.heard_heading)}</h2>
            <div class="prose" inner_html=h.html></div>
            {h.bulletin.map(|(href, title)| view! {
                <p>{td_string!(locale, hearing.heard_bulletin_link)}" "<a href=href>{title}</a></p>
            })}
        </section>
    }
}

/// The reader's own registration, on a browser that remembers it: where it
/// stands, and a way to make the browser forget.
#[component]
fn ReaderBox(
    lang: Lang,
    reader: ReaderView,
    slug: String,
    refused: Option<String>,
) -> impl IntoView {
    let locale = lang.locale();
    let refused = refused.and_then(|why| join_refusal(lang, &why));
    view! {
        <section class="status-box reader-box" aria-labelledby="reader-heading">
            <h2 id="reader-heading">{td_string!(locale, device.yours)}</h2>
            {refused.map(|text| view! { <p class="notice" role="status">{text}</p> })}
            <p>
                <span class=format!("state state-{}", reader.state.code()) data-state=reader.state.code()>
                    {state_label(lang, reader.state)}
                </span>
                " · "{mode_label(lang, reader.mode)}
            </p>
            <p>{state_body(lang, reader.state)}</p>
            <form method="post" action=crate::paths::forget_device(lang)>
                <input type="hidden" name="event" value=slug/>
                <button type="submit" class="link-button">{td_string!(locale, device.not_you)}</button>
            </form>
        </section>
    }
}

#[component]
fn EventView(
    lang: Lang,
    detail: EventDetail,
    reader: Option<ReaderView>,
    refused: Option<String>,
) -> impl IntoView {
    let locale = lang.locale();
    let EventDetail {
        card,
        description,
        interpretation,
        time_zone_label,
        agenda,
        registration,
        materials,
    } = detail;
    let slug = card.slug.clone();
    let registration_open = registration
        .as_ref()
        .is_some_and(|info| matches!(info.availability, Availability::Open { .. }));
    let registration =
        registration.map(|info| view! { <RegistrationBox lang slug=slug.clone() info/> });
    let joins = reader.as_ref().map(|r| (r.can_join, r.sessions.clone()));
    // Without a remembered browser: the way back to one's own link is the
    // form itself (the same neutral answer, by email, as registering).
    let link_again = (reader.is_none() && registration_open).then(|| {
        view! {
            <p class="hint link-again">
                <strong>{td_string!(locale, device.already)}</strong>" "
                <a href=crate::paths::register(lang, &slug)>{td_string!(locale, device.send_link)}</a>
            </p>
        }
    });
    let reader = reader
        .map(|reader| view! { <ReaderBox lang reader slug=slug.clone() refused=refused.clone()/> });
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
            {reader}
            {registration}
            {link_again}
            {if card.closed {
                view! { <p class="notice notice-closed">{td_string!(locale, event.closed_note)}</p> }.into_any()
            } else {
                view! {
                    <section class="event-about" aria-labelledby="about-heading">
                        <h2 id="about-heading">{td_string!(locale, event.about)}</h2>
                        {description.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                    </section>
                    <Agenda lang agenda time_zone_label stream=LiveStream::Event(slug.clone()).url() joins slug=slug.clone()/>
                    {view! { <MaterialList lang items=materials/> }.into_any()}
                }.into_any()
            }}
        </article>
    }
}

#[component]
fn Agenda(
    lang: Lang,
    agenda: Vec<AgendaDay>,
    time_zone_label: String,
    stream: String,
    /// The reader's join buttons (a browser that remembers them): whether
    /// they may join, and the online sessions.
    joins: Option<(bool, Vec<JoinSession>)>,
    slug: String,
) -> impl IntoView {
    let locale = lang.locale();
    let several_days = agenda.len() > 1;
    let (can_join, joins) = joins.unwrap_or_default();
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
                        view! {
                            <h3 class="agenda-day">
                                {several_days.then(|| view! { <span class="day-number">{td_string!(locale, event.day, n = n)}</span> })}
                                {day.label}
                            </h3>
                            <ol class="sessions">
                                {day.items.into_iter().map(|item| {
                                    let join = joins.iter().find(|s| s.id == item.id).cloned().map(|s| view! {
                                        <div class="join-state-box">
                                            <JoinButton
                                                lang
                                                stream=stream.clone()
                                                session=s.id
                                                href=crate::paths::join_from_device(s.id)
                                                can_join
                                                join_open=s.join_open
                                                opens_ms=s.opens_ms
                                                ends_ms=s.ends_ms
                                                opens=s.opens
                                                event_offset=s.opens_offset
                                            />
                                            {view! { <Channels lang channels=s.interpretation/> }.into_any()}
                                        </div>
                                    });
                                    view! {
                                    <li class="session">
                                        <div class="session-time">
                                            <time datetime=item.starts_iso>{item.time}</time>
                                            <LocalTime lang starts_ms=item.starts_ms ends_ms=item.ends_ms event_offset=item.offset_minutes/>
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
                                            {join}
                                            <p class="session-board">
                                                <a href=crate::paths::board(lang, &slug, item.id)>{td_string!(locale, questions.board_link)}</a>
                                            </p>
                                        </div>
                                    </li>
                                    }
                                }).collect_view()}
                            </ol>
                        }
                    }).collect_view()}
                }.into_any()
            }}
        </section>
    }
}
