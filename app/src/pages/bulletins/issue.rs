//! `/{lang}/bulletins/{slug}`: one issue, laid out for reading (and
//! printing). An issue missing in the reader's language says so and links to
//! the other.
//! Server: `api/bulletins.rs` → `server/bulletins/pages.rs`.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use super::SampleBadge;

use crate::api::bulletins::get_bulletin;
use crate::components::loaded::Loaded;
use crate::components::locale::use_lang;
use crate::domain::Lang;
use crate::dto::bulletins::{BulletinIssue, Neighbour};
use crate::i18n::*;
use crate::labels::{issue_number, only_in, reading_time};

#[component]
pub fn BulletinPage() -> impl IntoView {
    let lang = use_lang();
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let data = Resource::new(move || slug.clone(), move |slug| get_bulletin(lang, slug));
    view! { <Loaded resource=data view=move |issue| view! { <IssueView lang issue/> }/> }
}

#[component]
fn IssueView(lang: Lang, issue: BulletinIssue) -> impl IntoView {
    let locale = lang.locale();
    let card = issue.card;
    let shown = card.lang;
    let other_href = crate::paths::bulletin(lang.other(), &card.slug);
    let body = match issue.html {
        Some(html) => view! { <div class="prose" inner_html=html></div> }.into_any(),
        None => view! {
            <div class="notice" role="note">
                <p>{match lang {
                    Lang::En => td_string!(locale, bulletins.missing_en),
                    Lang::Ar => td_string!(locale, bulletins.missing_ar),
                }}</p>
                <p><a href=other_href.clone() hreflang=shown.code() lang=shown.code() rel="alternate">
                    {match shown {
                        Lang::En => td_string!(locale, bulletins.read_en),
                        Lang::Ar => td_string!(locale, bulletins.read_ar),
                    }}
                </a></p>
            </div>
        }
        .into_any(),
    };
    let neighbour = move |n: Neighbour, rel: &'static str, label: &'static str| {
        view! {
            <a class=format!("issue-nav-{rel}") rel=rel href=crate::paths::bulletin(n.lang, &n.slug)>
                <span class="issue-nav-label">{label}" · "{issue_number(lang, n.number)}</span>
                <span class="issue-nav-title" lang=n.lang.code() dir=n.lang.dir()>{n.title}</span>
            </a>
        }
    };
    view! {
        <Title text=format!("{} · {}", card.title, td_string!(locale, bulletins.title))/>
        {(!card.summary.is_empty()).then(|| view! { <Meta name="description" content=card.summary.clone()/> })}
        <article class="reader">
            <header class="reader-head">
                <p class="kicker">
                    <a href=crate::paths::bulletins(lang)>{td_string!(locale, bulletins.title)}</a>
                    " · "{issue_number(lang, card.number)}" "<SampleBadge lang sample=card.sample/>
                    {(shown != lang).then(|| view! { " "<span class="badge">{only_in(lang, shown)}</span> })}
                </p>
                <h1 lang=shown.code() dir=shown.dir()>{card.title.clone()}</h1>
                {(!card.summary.is_empty()).then(|| view! {
                    <p class="standfirst" lang=shown.code() dir=shown.dir()>{card.summary.clone()}</p>
                })}
                <p class="meta">
                    <time datetime=card.date_iso.clone()>{card.date.clone()}</time>
                    " · "{reading_time(lang, card.minutes)}
                </p>
            </header>
            {body}
            <nav class="issue-nav" aria-label=td_string!(locale, bulletins.nav_label)>
                {issue.previous.map(|n| neighbour(n, "prev", td_string!(locale, bulletins.previous)))}
                {issue.next.map(|n| neighbour(n, "next", td_string!(locale, bulletins.next)))}
            </nav>
            <aside class="reader-subscribe">
                <p>{td_string!(locale, bulletins.subscribe_cta)}" "
                    <a href=crate::paths::subscribe(lang)>{td_string!(locale, bulletins.subscribe)}</a>
                </p>
            </aside>
        </article>
    }
}
