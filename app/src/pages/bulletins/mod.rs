//! The bulletin: the archive with its search, one issue, and the mailing
//! list's pages. All rendered on the server; none needs JavaScript.
//! Server: none here (each page names its own).

pub mod archive;
pub mod issue;
pub mod subscribe;

use leptos::prelude::*;

use crate::domain::Lang;
use crate::dto::bulletins::BulletinCard;
use crate::i18n::*;
use crate::labels::{issue_number, only_in, reading_time};

/// The "sample" label on demo issues.
#[component]
pub fn SampleBadge(lang: Lang, sample: bool) -> impl IntoView {
    sample.then(|| {
        view! { <span class="badge badge-sample">{td_string!(lang.locale(), bulletins.sample)}</span> }
    })
}

/// An issue in a list (archive, search results, home page).
#[component]
pub fn BulletinItem(lang: Lang, card: BulletinCard) -> impl IntoView {
    let href = crate::paths::bulletin(card.lang, &card.slug);
    let other = (card.lang != lang)
        .then(|| view! { <span class="badge">{only_in(lang, card.lang)}</span> });
    view! {
        <article class="bulletin-item">
            <p class="kicker">{issue_number(lang, card.number)}" "<SampleBadge lang sample=card.sample/>{other}</p>
            <h3 lang=card.lang.code() dir=card.lang.dir()><a href=href>{card.title.clone()}</a></h3>
            <p class="meta">
                <time datetime=card.date_iso.clone()>{card.date.clone()}</time>
                " · "{reading_time(lang, card.minutes)}
            </p>
            {(!card.summary.is_empty()).then(|| view! {
                <p class="summary" lang=card.lang.code() dir=card.lang.dir()>{card.summary.clone()}</p>
            })}
        </article>
    }
}
