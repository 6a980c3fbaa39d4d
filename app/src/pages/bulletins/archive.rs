//! `/{lang}/bulletins`: every issue, newest first, and search across both
//! languages (`?q=`).
//! Server: `api/bulletins.rs` → `server/bulletins/pages.rs` (the search is a GET).

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::use_query_map;

use super::BulletinItem;
use crate::api::bulletins::bulletin_archive;
use crate::components::loaded::Loaded;
use crate::components::locale::use_lang;
use crate::domain::Lang;
use crate::dto::bulletins::Archive;
use crate::i18n::*;

#[component]
pub fn BulletinsPage() -> impl IntoView {
    let lang = use_lang();
    let locale = lang.locale();
    let query = use_query_map().with_untracked(|q| q.get("q"));
    let data = Resource::new(move || query.clone(), move |q| bulletin_archive(lang, q));
    view! {
        <Title text=format!("{} · {}", td_string!(locale, bulletins.title), td_string!(locale, site.name))/>
        <Meta name="description" content=td_string!(locale, bulletins.intro)/>
        <Link rel="alternate" type_="application/atom+xml" href=format!("/feeds/bulletins.{}.atom", lang.code())
            title=td_string!(locale, bulletins.feed)/>
        <Loaded resource=data view=move |archive| view! { <ArchiveView lang archive/> }/>
    }
}

#[component]
fn ArchiveView(lang: Lang, archive: Archive) -> impl IntoView {
    let locale = lang.locale();
    let action = crate::paths::bulletins(lang);
    let searched = archive.query.clone();
    let count = archive.items.len();
    view! {
        <div class="wrap bulletins">
            <header class="bulletins-head">
                <h1>{td_string!(locale, bulletins.title)}</h1>
                <p class="lead">{td_string!(locale, bulletins.intro)}</p>
                <p class="bulletins-links">
                    <a class="button" href=crate::paths::subscribe(lang)>{td_string!(locale, bulletins.subscribe)}</a>
                    " "
                    <a href=format!("/feeds/bulletins.{}.atom", lang.code())>{td_string!(locale, bulletins.feed)}</a>
                </p>
            </header>
            <form class="search-form" method="get" action=action.clone() role="search">
                <label for="q">{td_string!(locale, bulletins.search_label)}</label>
                <div class="search-row">
                    <input id="q" name="q" type="search" maxlength="200" value=searched.clone().unwrap_or_default()/>
                    <button type="submit" class="button">{td_string!(locale, bulletins.search)}</button>
                </div>
            </form>
            {searched.map(|q| view! {
                <p class="search-status" role="status">
                    {if count == 0 {
                        td_string!(locale, bulletins.no_results, query = q.clone())
                    } else {
                        td_string!(locale, bulletins.results, count = lang.digits(&count.to_string()), query = q.clone())
                    }}
                    " "<a href=action.clone()>{td_string!(locale, bulletins.all)}</a>
                </p>
            })}
            {(archive.query.is_none() && count == 0).then(|| view! {
                <p class="empty">{td_string!(locale, bulletins.empty)}</p>
            })}
            <h2 class="visually-hidden">{td_string!(locale, bulletins.list_heading)}</h2>
            <div class="bulletin-list">
                {archive.items.into_iter().map(|card| view! { <BulletinItem lang card/> }).collect_view()}
            </div>
        </div>
    }
}
