//! Materials to download, and a session's interpretation channels.

use leptos::prelude::*;

use crate::domain::Lang;
use crate::domain::material::Channel;
use crate::dto::materials::MaterialLink;
use crate::i18n::*;
use crate::labels::language_label;

/// "Interpretation: Arabic — 2 · English — Floor", beside a join button.
#[component]
pub fn Channels(lang: Lang, channels: Vec<Channel>) -> impl IntoView {
    let locale = lang.locale();
    (!channels.is_empty()).then(|| {
        let list = channels
            .iter()
            .map(|c| format!("{} — {}", language_label(lang, c.language), c.channel))
            .collect::<Vec<_>>()
            .join(" · ");
        view! {
            <p class="channels"><strong>{td_string!(locale, materials.interpretation)}": "</strong><span dir="auto">{list}</span></p>
        }
    })
}

/// Materials as links that download (type and size beside each).
#[component]
pub fn MaterialList(lang: Lang, items: Vec<MaterialLink>) -> impl IntoView {
    let locale = lang.locale();
    (!items.is_empty()).then(|| {
        view! {
            <section class="materials" aria-labelledby="materials-heading">
                <h2 id="materials-heading">{td_string!(locale, materials.heading)}</h2>
                <ul>
                    {items.into_iter().map(|m| view! {
                        <li>
                            <a href=m.href download rel="nofollow"><span dir="auto">{m.title}</span></a>
                            " "<small class="hint">"("{m.kind.label()}{if lang == Lang::Ar { "، " } else { ", " }}{m.size}")"</small>
                            {m.session.map(|s| view! { " "<small class="hint" dir="auto">"· "{s}</small> })}
                            {m.private.then(|| view! { " "<small class="badge">{td_string!(locale, materials.for_participants)}</small> })}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}
