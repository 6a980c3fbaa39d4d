//! The bulletin: the archive with its search, one issue, and the mailing
//! list's pages. All rendered on the server; none needs JavaScript.

pub mod archive;
pub mod issue;
pub mod subscribe;

use leptos::prelude::*;

use crate::api::bulletins::BulletinCard;
use crate::domain::Lang;
use crate::i18n::*;

/// "No. 3" in the reader's digits.
pub fn issue_number(lang: Lang, number: i64) -> String {
    td_string!(
        lang.locale(),
        bulletins.number,
        number = lang.digits(&number.to_string())
    )
}

pub fn reading_time(lang: Lang, minutes: i64) -> String {
    td_string!(
        lang.locale(),
        bulletins.minutes,
        minutes = lang.digits(&minutes.to_string())
    )
}

/// The "sample" label on demo issues.
#[component]
pub fn SampleBadge(lang: Lang, sample: bool) -> impl IntoView {
    sample.then(|| {
        view! { <span class="badge badge-sample">{td_string!(lang.locale(), bulletins.sample)}</span> }
    })
}

/// "Only in English" next to an issue shown in the other language.
pub fn only_in(lang: Lang, shown: Lang) -> &'static str {
    let locale = lang.locale();
    match shown {
        Lang::En => td_string!(locale, bulletins.only_en),
        Lang::Ar => td_string!(locale, bulletins.only_ar),
    }
}

/// An issue in a list (archive, search results, home page).
#[component]
pub fn BulletinItem(lang: Lang, card: BulletinCard) -> impl IntoView {
    let href = format!("/{}/bulletins/{}", card.lang.code(), card.slug);
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
