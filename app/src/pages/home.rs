//! The home page: what the Platform is, the next event, what comes after.
//! Server: `api/events.rs` → `server/events/pages.rs`; `api/bulletins.rs` →
//! `server/bulletins/pages.rs`.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::api::bulletins::latest_bulletin;
use crate::api::events::upcoming_events;
use crate::components::event_card::{EventCardView, list_stream};
use crate::components::live::LiveListNotice;
use crate::components::loaded::Loaded;
use crate::components::locale::use_lang;
use crate::i18n::*;
use crate::pages::bulletins::BulletinItem;

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    let locale = lang.locale();
    let upcoming = Resource::new(move || lang, |lang| upcoming_events(lang, 4));
    let bulletin = Resource::new(move || lang, latest_bulletin);
    let events_href = crate::paths::events(lang);
    let past_href = crate::paths::past_events(lang);
    view! {
        <Title text=td_string!(locale, home.title)/>
        <Meta name="description" content=td_string!(locale, home.description)/>
        <section class="hero">
            <div class="wrap">
                <h1>{td_string!(locale, home.hero_title)}</h1>
                <p class="lead">{td_string!(locale, home.hero_body)}</p>
                <p><a class="button" href=events_href>{td_string!(locale, home.browse)}</a></p>
            </div>
        </section>
        <div class="wrap home-grid">
            <section class="home-events" aria-labelledby="upcoming-heading">
                <Loaded resource=upcoming view=move |events| {
                    let stream = list_stream(&events);
                    let notice = view! {
                        <LiveListNotice lang stream=stream.clone() href=crate::paths::home(lang) kind=None format=None/>
                    };
                    let mut events = events.into_iter();
                    let next = events.next();
                    let rest: Vec<_> = events.collect();
                    let rest_stream = stream.clone();
                    view! {
                        {notice}
                        {match next {
                            Some(event) => view! {
                                <h2 id="upcoming-heading">{td_string!(locale, home.next)}</h2>
                                <EventCardView lang event stream featured=true/>
                            }.into_any(),
                            None => view! {
                                <h2 id="upcoming-heading">{td_string!(locale, home.upcoming)}</h2>
                                <p class="empty">{td_string!(locale, home.none_upcoming)}</p>
                            }.into_any(),
                        }}
                        {(!rest.is_empty()).then(|| view! {
                            <h2>{td_string!(locale, home.upcoming)}</h2>
                            <div class="card-list">
                                {rest.into_iter().map(|event| view! { <EventCardView lang event stream=rest_stream.clone()/> }).collect_view()}
                            </div>
                        })}
                    }
                }/>
                <p><a href=past_href.clone()>{td_string!(locale, home.all_events)}</a></p>
            </section>
            <div class="home-side">
            <section class="home-bulletin" aria-labelledby="bulletin-heading">
                <h2 id="bulletin-heading">{td_string!(locale, bulletins.latest)}</h2>
                <Loaded resource=bulletin view=move |card| match card {
                    Some(card) => view! { <BulletinItem lang card/> }.into_any(),
                    None => view! { <p class="empty">{td_string!(locale, bulletins.empty)}</p> }.into_any(),
                }/>
                <p><a href=crate::paths::bulletins(lang)>{td_string!(locale, bulletins.all_issues)}</a>
                    " · "<a href=crate::paths::subscribe(lang)>{td_string!(locale, bulletins.subscribe)}</a></p>
            </section>
            <section class="about" aria-labelledby="about-heading">
                <h2 id="about-heading">{td_string!(locale, home.about_title)}</h2>
                <p>{td_string!(locale, home.about_origin)}</p>
                <p>{td_string!(locale, home.about_biannual)}</p>
                <p>{td_string!(locale, home.about_inclusion)}</p>
                <p>{td_string!(locale, home.about_hybrid)}</p>
            </section>
            </div>
        </div>
    }
}
