//! Check-in at the door (moderators and admins), made for a phone: today's
//! count, live on every staff device; a search by name, organisation or
//! code (typed, or scanned with the camera where the browser can); one tap
//! to check someone in, and undo.
//! Server: `api/checkin.rs` → `server/checkin/pages.rs`; the buttons post
//! to `server/checkin/http.rs`; the count follows `/live?checkin=<slug>`.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::checkin::staff_checkin_view;
use crate::api::staff::current_staff;
use crate::components::live::LiveCheckins;
use crate::components::loaded::Loaded;
use crate::components::locale::use_lang;
use crate::components::scanner::CodeScanner;
use crate::components::staff_nav::StaffNav;
use crate::domain::checkin::CheckinRefusal;
use crate::domain::{Lang, LiveStream, Staff};
use crate::dto::checkin::{Arrival, CheckinPage};
use crate::error::AppError;
use crate::i18n::*;
use crate::labels::{checkin_refusal, mode_label, state_label};

/// What the last tap did (`?done=` or `?refused=`), and on whom (`?r=`).
#[derive(Clone, Debug, Default)]
struct Outcome {
    done: Option<String>,
    refused: Option<CheckinRefusal>,
    registration: Option<i64>,
}

#[component]
pub fn StaffCheckinPage() -> impl IntoView {
    let lang = use_lang();
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let (query, outcome) = use_query_map().with_untracked(|q| {
        (
            q.get("q").unwrap_or_default(),
            Outcome {
                done: q.get("done"),
                refused: q.get("refused").and_then(|c| CheckinRefusal::parse(&c)),
                registration: q.get("r").and_then(|r| r.parse().ok()),
            },
        )
    });
    let data = Resource::new(
        move || (slug.clone(), query.clone()),
        move |(slug, query)| async move {
            let staff = current_staff().await?;
            let page = staff_checkin_view(lang, slug, query).await?;
            Ok::<_, AppError>((staff, page))
        },
    );
    view! {
        <Meta name="robots" content="noindex, nofollow"/>
        <Loaded resource=data view=move |(staff, c)| view! { <CheckinView lang staff c outcome=outcome.clone()/> }/>
    }
}

#[component]
fn CheckinView(lang: Lang, staff: Staff, c: CheckinPage, outcome: Outcome) -> impl IntoView {
    let locale = lang.locale();
    let action = crate::paths::staff_checkin(lang, &c.event_slug);
    let notice = match (outcome.done.as_deref(), outcome.refused.or(c.refusal)) {
        (_, Some(why)) => Some(view! { <p class="notice notice-error" role="alert">{checkin_refusal(lang, why)}</p> }.into_any()),
        (Some("in"), None) => Some(view! { <p class="notice notice-ok" role="status">{td_string!(locale, checkin.done_in)}</p> }.into_any()),
        (Some("undone"), None) => Some(view! { <p class="notice" role="status">{td_string!(locale, checkin.done_undone)}</p> }.into_any()),
        _ => None,
    };
    let searched = !c.query.is_empty();
    let none_found = (searched && c.arrivals.is_empty() && c.refusal.is_none())
        .then(|| view! { <p class="empty">{td_string!(locale, checkin.none_found)}</p> });
    // Boxed (`into_any`): the page's view type is too deep for the release
    // build otherwise.
    let search = view! {
        <form class="checkin-search" id="checkin-search" method="get" action=action.clone() role="search">
            <label for="checkin-q">{td_string!(locale, checkin.search)}</label>
            <div class="search-row">
                <input id="checkin-q" name="q" type="search" value=c.query.clone() autocomplete="off" spellcheck="false" enterkeyhint="search" maxlength="100"/>
                <button type="submit" class="button">{td_string!(locale, checkin.find)}</button>
            </div>
            <CodeScanner lang/>
        </form>
    }
    .into_any();
    let query = c.query.clone();
    let arrivals = view! {
        <ul class="arrivals">
            {c.arrivals.into_iter().map(|a| {
                let acted = outcome.registration == Some(a.registration);
                view! { <ArrivalRow lang a action=action.clone() query=query.clone() acted/> }
            }).collect_view()}
        </ul>
    }
    .into_any();
    let live = view! {
        <LiveCheckins lang stream=LiveStream::Checkin(c.event_slug.clone()).url() arrived=c.arrived expected=c.expected/>
    }
    .into_any();
    view! {
        <Title text=format!("{} · {}", td_string!(locale, checkin.title), c.event_title)/>
        <StaffNav staff/>
        <div class="wrap narrow staff-page checkin-page">
            <h1>{td_string!(locale, checkin.title)}</h1>
            <p class="lead">{c.event_title.clone()}" · "{td_string!(locale, checkin.today, day = c.today.clone())}</p>
            {live}
            {notice}
            {search}
            <p class="hint">{td_string!(locale, checkin.intro)}</p>
            {none_found}
            {arrivals}
        </div>
    }
    .into_any()
}

#[component]
fn ArrivalRow(lang: Lang, a: Arrival, action: String, query: String, acted: bool) -> impl IntoView {
    let locale = lang.locale();
    let button = |label: &'static str, value: &'static str, class: &'static str| {
        view! {
            <form method="post" action=action.clone() class="checkin-action">
                <input type="hidden" name="registration" value=a.registration/>
                <input type="hidden" name="q" value=query.clone()/>
                <button type="submit" name="action" value=value class=class>{label}</button>
            </form>
        }
    };
    let act = match (a.refusal, &a.checked_in) {
        (Some(why), _) => view! { <p class="checkin-refused">{checkin_refusal(lang, why)}</p> }.into_any(),
        (None, Some(at)) => view! {
            <p class="checkin-done">{td_string!(locale, checkin.checked_in_at, time = at.clone())}</p>
            {button(td_string!(locale, checkin.undo), "undo", "button button-quiet")}
        }
        .into_any(),
        (None, None) => button(td_string!(locale, checkin.check_in), "in", "button button-big").into_any(),
    };
    view! {
        <li class="arrival" class:arrival-acted=acted class:arrival-in=a.checked_in.is_some() data-registration=a.registration>
            <p class="arrival-name" dir="auto">{a.name.clone()}</p>
            <p class="hint"><span dir="auto">{a.organisation.clone()}</span>" · "{state_label(lang, a.state)}" · "{mode_label(lang, a.mode)}</p>
            {act}
        </li>
    }
}
