//! The language of the page being rendered.

use leptos::prelude::*;

use crate::domain::Lang;

/// The page's language, provided by the locale layout from the path.
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or(Lang::En)
}
