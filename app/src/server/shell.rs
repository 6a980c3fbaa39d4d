//! The HTML document around the page tree, as the router and the form
//! helpers render it: head (stylesheet, hydration script, meta tags), then
//! the app.

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags};

use crate::pages::App;
use crate::server::scripts::{IslandScripts, NavigationScript};

/// The document around the app. `lang` and `dir` are set per page by
/// [`crate::pages`]'s locale layout, not here, so `<html>` carries them once.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    crate::server::security::send_page_policy();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <IslandScripts options/>
                <NavigationScript/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}
