//! An event in a list.

use leptos::prelude::*;

use crate::api::events::EventCard;
use crate::domain::{EventFormat, EventKind, Lang};
use crate::i18n::*;

pub fn kind_label(lang: Lang, kind: EventKind) -> &'static str {
    let locale = lang.locale();
    match kind {
        EventKind::PlatformMeeting => td_string!(locale, kind.platform_meeting),
        EventKind::Consultation => td_string!(locale, kind.consultation),
        EventKind::Briefing => td_string!(locale, kind.briefing),
        EventKind::CommunityEvent => td_string!(locale, kind.community_event),
    }
}

pub fn format_label(lang: Lang, format: EventFormat) -> &'static str {
    let locale = lang.locale();
    match format {
        EventFormat::InPerson => td_string!(locale, format.in_person),
        EventFormat::Online => td_string!(locale, format.online),
        EventFormat::Hybrid => td_string!(locale, format.hybrid),
    }
}

#[component]
pub fn EventCardView(
    lang: Lang,
    event: EventCard,
    #[prop(optional)] featured: bool,
) -> impl IntoView {
    let locale = lang.locale();
    let href = format!("/{}/events/{}", lang.code(), event.slug);
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
        </article>
    }
}
