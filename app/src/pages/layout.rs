//! The frame around every page of one language: `lang`/`dir`, header with
//! navigation and language switch, footer.
//! Server: none (static).

use leptos::prelude::*;
use leptos_meta::{Html, Link};
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_location, use_params_map};

use crate::components::not_found::NotFound;
use crate::domain::Lang;
use crate::i18n::*;

#[component]
pub fn LocaleLayout() -> impl IntoView {
    let params = use_params_map();
    // Each page is rendered whole on the server, in one language (switching
    // fetches the other language's page, see `LangSwitch`).
    let lang = params.with_untracked(|p| p.get("lang").as_deref().and_then(Lang::parse));
    let Some(lang) = lang else {
        return view! { <NotFound/> }.into_any();
    };
    provide_context(lang);
    let locale = lang.locale();
    view! {
        <Html attr:lang=lang.code() attr:dir=lang.dir()/>
        <Alternates lang/>
        <a class="skip" href="#main">{td_string!(locale, site.skip)}</a>
        <SiteHeader lang/>
        <main id="main" class="page" tabindex="-1">
            <Outlet/>
        </main>
        // Where client-side navigation announces the new page's title (and
        // says when one could not be loaded): kept across navigations.
        <p
            id="nav-status"
            class="nav-status"
            aria-live="polite"
            aria-atomic="true"
            data-failed=td_string!(locale, site.nav_failed)
            data-retry=td_string!(locale, site.nav_retry)
        ></p>
        <SiteFooter lang/>
    }
    .into_any()
}

#[component]
fn SiteHeader(lang: Lang) -> impl IntoView {
    let locale = lang.locale();
    let home = crate::paths::home(lang);
    let events = crate::paths::events(lang);
    let organisation = crate::paths::organisation(lang);
    let bulletins = crate::paths::bulletins(lang);
    view! {
        <header class="site-header">
            <div class="wrap header-row">
                <a class="brand" href=home.clone()>
                    <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true" width="32" height="32">
                        <circle cx="16" cy="16" r="15" fill="currentColor" opacity="0.12"/>
                        <path d="M8 21c3-7 13-7 16 0M11 13.5a5 5 0 0 1 10 0" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round"/>
                    </svg>
                    <span class="brand-name">{td_string!(locale, site.name)}</span>
                </a>
                <nav class="site-nav" aria-label=td_string!(locale, site.nav_label)>
                    <a href=home>{td_string!(locale, site.home)}</a>
                    <a href=events>{td_string!(locale, site.events)}</a>
                    <a href=bulletins>{td_string!(locale, bulletins.title)}</a>
                    <a href=organisation>{td_string!(locale, organisation.nav)}</a>
                </nav>
                <LangSwitch lang/>
            </div>
        </header>
    }
}

/// The page in both languages, for search engines: `hreflang` alternates
/// with absolute addresses, English as the default.
#[component]
fn Alternates(lang: Lang) -> impl IntoView {
    let origin = use_context::<crate::paths::Origin>().unwrap_or_default().0;
    let here = use_location().pathname.get_untracked();
    // Private links and staff pages are for no search engine.
    if matches!(here.split('/').nth(2), Some("r" | "staff")) {
        return None;
    }
    let (en, ar) = match lang {
        Lang::En => (here.clone(), Lang::Ar.switch_path(&here)),
        Lang::Ar => (Lang::En.switch_path(&here), here.clone()),
    };
    Some(view! {
        <Link rel="alternate" hreflang="en" href=format!("{origin}{en}")/>
        <Link rel="alternate" hreflang="ar" href=format!("{origin}{ar}")/>
        <Link rel="alternate" hreflang="x-default" href=format!("{origin}{en}")/>
    })
}

/// A link to the same page in the other language. Client-side navigation
/// fetches it like any page, whole and in the new language, `lang` and
/// `dir` included.
#[component]
fn LangSwitch(lang: Lang) -> impl IntoView {
    let location = use_location();
    let other = lang.other();
    let path = other.switch_path(&location.pathname.get_untracked());
    let search = location.search.get_untracked();
    let href = if search.is_empty() {
        path
    } else {
        format!("{path}?{search}")
    };
    view! {
        <a
            class="lang-switch"
            href=href
            hreflang=other.code()
            lang=other.code()
            dir=other.dir()
            title=td_string!(lang.locale(), site.switch_label)
        >
            {td_string!(lang.locale(), site.switch_to)}
        </a>
    }
}

#[component]
fn SiteFooter(lang: Lang) -> impl IntoView {
    let locale = lang.locale();
    view! {
        <footer class="site-footer">
            <div class="wrap">
                <p>{td_string!(locale, site.footer_about)}</p>
                <p class="safe">
                    {td_string!(locale, site.footer_safe)}
                    " "
                    <a href=crate::paths::privacy(lang)>{td_string!(locale, privacy.link)}</a>
                </p>
            </div>
        </footer>
    }
}
