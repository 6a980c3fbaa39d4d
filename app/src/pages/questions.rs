//! A session's live question board (`…/sessions/<id>/questions`), and its
//! room view for the projector (`…/questions/room`): the approved questions
//! with their votes, the one being answered highlighted, updated over the
//! live stream. A browser that remembers an approved participant gets vote
//! buttons (plain forms).
//! Server: `api/questions.rs` → `server/questions/pages.rs`; votes post to
//! `server/questions/http.rs`.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::questions::session_board;
use crate::components::form::use_form;
use crate::components::live::QuestionBoard;
use crate::components::loaded::Loaded;
use crate::components::locale::use_lang;
use crate::domain::{Lang, LiveStream};
use crate::dto::questions::BoardPage as Board;
use crate::i18n::*;
use crate::labels::form_error_text;

fn board_resource(lang: Lang) -> Resource<Result<Board, crate::error::AppError>> {
    let (slug, session) = use_params_map().with_untracked(|p| {
        (
            p.get("slug").unwrap_or_default(),
            p.get("session").and_then(|s| s.parse::<i64>().ok()),
        )
    });
    Resource::new(
        move || (slug.clone(), session),
        move |(slug, session)| async move {
            match session {
                Some(session) => session_board(lang, slug, session).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    )
}

#[component]
pub fn BoardPage() -> impl IntoView {
    let lang = use_lang();
    let board = board_resource(lang);
    let done = use_query_map().with_untracked(|q| q.get("done"));
    view! {
        <Loaded resource=board view=move |b| view! { <BoardView lang b done=done.clone()/> }/>
    }
}

#[component]
fn BoardView(lang: Lang, b: Board, done: Option<String>) -> impl IntoView {
    let locale = lang.locale();
    let form = use_form();
    let event_href = crate::paths::event(lang, &b.event_slug);
    let room_href = crate::paths::board_room(lang, &b.event_slug, b.session.id);
    let stream = LiveStream::Board(b.session.id).url();
    let heading = format!(
        "{} · {}",
        td_string!(locale, questions.board_title),
        b.session.title
    );
    let notice = form.error.map(
        |e| view! { <p class="notice notice-error" role="alert">{form_error_text(lang, e)}</p> },
    );
    let voted = (done.as_deref() == Some("voted"))
        .then(|| view! { <p class="notice notice-ok" role="status">{td_string!(locale, questions.voted_done)}</p> });
    view! {
        <Title text=format!("{heading} · {}", b.event_title)/>
        <Meta name="description" content=td_string!(locale, questions.board_intro)/>
        <div class="wrap board-page">
            <nav class="crumbs"><a href=event_href>{b.event_title.clone()}</a></nav>
            <h1>{heading}</h1>
            <p class="lead">{b.session.when.clone()}</p>
            <p class="hint">{td_string!(locale, questions.board_intro)}</p>
            {notice}
            {voted}
            <QuestionBoard lang stream questions=b.questions voter=b.voter session=b.session.id room=false/>
            <p><a class="button button-quiet" href=room_href>{td_string!(locale, questions.room_link)}</a></p>
        </div>
    }
}

/// The board on the projector: large type, readable from the back of the
/// room, right to left in Arabic.
#[component]
pub fn RoomPage() -> impl IntoView {
    let lang = use_lang();
    let board = board_resource(lang);
    view! {
        <Loaded resource=board view=move |b| {
            let locale = lang.locale();
            let stream = LiveStream::Board(b.session.id).url();
            view! {
                <Title text=format!("{} · {}", td_string!(locale, questions.board_title), b.session.title)/>
                <Meta name="robots" content="noindex"/>
                <div class="room-view">
                    <h1 class="room-title">{b.session.title.clone()}</h1>
                    <QuestionBoard lang stream questions=b.questions voter=None session=b.session.id room=true/>
                </div>
            }
        }/>
    }
}
