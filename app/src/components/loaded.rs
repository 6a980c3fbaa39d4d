//! One way to show data that comes from the server: wait for it, show it, or
//! explain (in the reader's language) why it could not be shown.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_meta::Title;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::status::set_status;
use crate::components::locale::use_lang;
use crate::components::not_found::NotFound;
use crate::error::AppError;
use crate::i18n::*;

#[component]
pub fn Loaded<T, V>(
    resource: Resource<Result<T, AppError>>,
    view: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    let view = Arc::new(view);
    view! {
        <Suspense fallback=|| view! { <p class="loading" aria-busy="true"></p> }>
            {
                let view = Arc::clone(&view);
                move || {
                    let view = Arc::clone(&view);
                    Suspend::new(async move {
                        match resource.await {
                            Ok(data) => view(data).into_any(),
                            Err(AppError::NotFound) => view! { <NotFound/> }.into_any(),
                            Err(AppError::Unauthorized) => view! { <SignInNotice/> }.into_any(),
                            Err(AppError::Forbidden) => view! { <ForbiddenNotice/> }.into_any(),
                            Err(_) => view! { <ErrorNotice/> }.into_any(),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
fn ErrorNotice() -> impl IntoView {
    set_status(503);
    let locale = use_lang().locale();
    view! {
        <Title text=td_string!(locale, error.title)/>
        <div class="wrap notice notice-error" role="alert">
            <h1>{td_string!(locale, error.title)}</h1>
            <p>{td_string!(locale, error.body)}</p>
        </div>
    }
}

/// A staff page whose session has ended (401), with a way back in.
#[component]
fn SignInNotice() -> impl IntoView {
    set_status(401);
    let lang = use_lang();
    let locale = lang.locale();
    view! {
        <Title text=td_string!(locale, error.unauthorized_title)/>
        <div class="wrap notice notice-error" role="alert">
            <h1>{td_string!(locale, error.unauthorized_title)}</h1>
            <p>{td_string!(locale, error.unauthorized_body)}</p>
            <p><a class="button" href=crate::paths::staff_login(lang)>{td_string!(locale, staff.login_submit)}</a></p>
        </div>
    }
}

/// A staff page that the signed-in role may not see (403).
#[component]
fn ForbiddenNotice() -> impl IntoView {
    set_status(403);
    let lang = use_lang();
    let locale = lang.locale();
    view! {
        <Title text=td_string!(locale, error.forbidden_title)/>
        <div class="wrap notice notice-error" role="alert">
            <h1>{td_string!(locale, error.forbidden_title)}</h1>
            <p>{td_string!(locale, error.forbidden_body)}</p>
            <p><a class="button" href=crate::paths::staff(lang)>{td_string!(locale, staff.dashboard)}</a></p>
        </div>
    }
}
