//! An event in a list.

use leptos::prelude::*;

use super::live::LiveCardStatus;
use crate::domain::{Lang, LiveStream};
use crate::dto::events::EventCard;
use crate::i18n::*;
use crate::labels::{format_label, kind_label};

/// An event in a list; `stream` is the list's live stream, which keeps the
/// card's places and registration state up to date.
/// The live stream of a list of cards: the events that can still change.
pub fn list_stream(cards: &[EventCard]) -> String {
    LiveStream::List(
        cards
            .iter()
            .filter(|c| c.status.is_some())
            .map(|c| c.slug.clone())
            .collect(),
    )
    .url()
}

#[component]
pub fn EventCardView(
    lang: Lang,
    event: EventCard,
    stream: String,
    #[prop(optional)] featured: bool,
) -> impl IntoView {
    let locale = lang.locale();
    let href = crate::paths::event(lang, &event.slug);
    let slug = event.slug.clone();
    // "The Hague, Netherlands · In person and online", or just "Online".
    let place = (!event.closed).then(|| match event.place {
        Some(place) => format!("{place} · {}", format_label(lang, event.format)),
        None => format_label(lang, event.format).to_owned(),
    });
    view! {
        <article class="event-card" class:featured=featured class:closed=event.closed>
            <p class="event-meta">
                <span class="tag">{kind_label(lang, event.kind)}</span>
                {event.closed.then(|| view! { <span class="tag tag-closed">{td_string!(locale, event.closed)}</span> })}
                {event.live.then(|| view! { <span class="live-badge">{td_string!(locale, live.now)}</span> })}
            </p>
            <h3 class="event-title">
                <a href=href>{event.title}</a>
            </h3>
            <p class="event-when">
                <time datetime=event.starts_iso>{event.dates}</time>
            </p>
            {place.map(|place| view! { <p class="event-where">{place}</p> })}
            {event.summary.map(|s| view! { <p class="event-summary">{s}</p> })}
            {event.status.map(|status| view! {
                <LiveCardStatus
                    lang
                    stream
                    event=slug
                    seats=status.seats
                    waitlist=status.waitlist
                    open=status.open
                    not_yet=status.not_yet
                />
            })}
        </article>
    }
}
