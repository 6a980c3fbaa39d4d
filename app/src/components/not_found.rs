//! The 404 page: in the language of the path when there is one, otherwise
//! in both languages.

use leptos::prelude::*;
use leptos_meta::{Html, Title};

use crate::components::status::set_status;
use crate::domain::Lang;
use crate::i18n::*;

#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    // Inside a language's layout we are already in its <main>; outside, this
    // page stands alone and speaks both languages.
    let inside_layout = use_context::<Lang>();
    let langs = inside_layout.map_or_else(|| Lang::ALL.to_vec(), |lang| vec![lang]);
    let first = langs[0];
    let sections = langs
        .into_iter()
        .map(|lang| {
            let locale = lang.locale();
            view! {
                <section lang=lang.code() dir=lang.dir()>
                    <h1>{td_string!(locale, not_found.title)}</h1>
                    <p>{td_string!(locale, not_found.body)}</p>
                    <p>
                        <a class="button" href=crate::paths::home(lang)>
                            {td_string!(locale, not_found.home)}
                        </a>
                    </p>
                </section>
            }
        })
        .collect_view();
    view! {
        <Title text=td_string!(first.locale(), not_found.title)/>
        {match inside_layout {
            Some(_) => view! { <div class="wrap not-found">{sections}</div> }.into_any(),
            None => view! {
                <Html attr:lang=first.code() attr:dir=first.dir()/>
                <main id="main" class="page wrap not-found">{sections}</main>
            }
            .into_any(),
        }}
    }
}
