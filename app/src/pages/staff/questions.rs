//! An event's questions, for moderators and admins: approve, highlight the
//! one being answered, mark answered, hide with a reason for the author,
//! merge duplicates (their votes add up), and add a translation so each
//! shows in both languages. Anonymous questions say so and nothing more.
//! Server: `api/questions.rs` → `server/questions/pages.rs`; the forms post
//! to `server/questions/http.rs`.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::questions::moderation_questions;
use crate::api::staff::current_staff;
use crate::components::form::{textarea_text, use_form};
use crate::components::loaded::Loaded;
use crate::components::locale::use_lang;
use crate::components::staff_nav::StaffNav;
use crate::domain::question::{MAX_CHARS, MAX_REASON};
use crate::domain::{Lang, QuestionState, Staff};
use crate::dto::questions::{StaffQuestion, StaffQuestions};
use crate::error::AppError;
use crate::i18n::*;
use crate::labels::{field_error_text, form_error_text, question_state_label};

#[component]
pub fn StaffQuestionsPage() -> impl IntoView {
    let lang = use_lang();
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let done = use_query_map().with_untracked(|q| q.get("done"));
    let data = Resource::new(
        move || slug.clone(),
        move |slug| async move {
            let staff = current_staff().await?;
            let questions = moderation_questions(lang, slug).await?;
            Ok::<_, AppError>((staff, questions))
        },
    );
    view! {
        <Meta name="robots" content="noindex, nofollow"/>
        <Loaded resource=data view=move |(staff, q)| view! { <QuestionsView lang staff q done=done.clone()/> }/>
    }
}

#[component]
fn QuestionsView(
    lang: Lang,
    staff: Staff,
    q: StaffQuestions,
    done: Option<String>,
) -> impl IntoView {
    let locale = lang.locale();
    let form = use_form();
    let action = crate::paths::staff_questions(lang, &q.event_slug);
    let error = form.error.map(
        |e| view! { <p class="notice notice-error" role="alert">{form_error_text(lang, e)}</p> },
    );
    let done = done.map(|_| view! { <p class="notice notice-ok" role="status">{td_string!(locale, questions.staff_done)}</p> });
    let boards = q
        .sessions
        .iter()
        .map(|s| {
            view! {
                <li>
                    <a href=crate::paths::board(lang, &q.event_slug, s.id)>{s.title.clone()}</a>" · "
                    <a href=crate::paths::board_room(lang, &q.event_slug, s.id)>{td_string!(locale, questions.room_link)}</a>
                </li>
            }
        })
        .collect_view();
    let pending = q
        .questions
        .iter()
        .filter(|x| x.state == QuestionState::Pending)
        .count();
    let others = q.questions.clone();
    let items = q
        .questions
        .into_iter()
        .map(|item| view! { <Item lang item action=action.clone() others=others.clone()/> })
        .collect_view();
    view! {
        <Title text=format!("{} · {}", td_string!(locale, questions.staff_title), q.event_title)/>
        <StaffNav staff/>
        <div class="wrap staff-page">
            <h1>{td_string!(locale, questions.staff_title)}" · "{q.event_title.clone()}</h1>
            <p class="hint">{td_string!(locale, questions.staff_intro)}</p>
            <p>{td_string!(locale, questions.pending_count)}" "<strong>{lang.digits(&pending.to_string())}</strong></p>
            {error}
            {done}
            <h2>{td_string!(locale, questions.boards)}</h2>
            <ul>{boards}</ul>
            <ol class="staff-questions">{items}</ol>
        </div>
    }
}

#[component]
fn Item(
    lang: Lang,
    item: StaffQuestion,
    action: String,
    others: Vec<StaffQuestion>,
) -> impl IntoView {
    let locale = lang.locale();
    let form = use_form();
    let this = form.value("question") == item.id.to_string();
    let error = |name: &str| form.error_for(name).filter(|_| this);
    let reason_error = error("reason");
    let translation_error = error("translation");
    let into_error = error("into");
    let typed = |name: &str| {
        if this {
            form.value(name).to_owned()
        } else {
            String::new()
        }
    };
    let translation = if this && form.value("action") == "translate" {
        typed("translation")
    } else {
        item.translation.clone().unwrap_or_default()
    };
    let id = item.id;
    let button = |value: &'static str, label: &'static str| {
        view! {
            <form method="post" action=action.clone() class="inline-form">
                <input type="hidden" name="question" value=id/>
                <input type="hidden" name="action" value=value/>
                <button type="submit" class="button button-quiet">{label}</button>
            </form>
        }
    };
    let state = item.state;
    let actions = (state != QuestionState::Merged).then(|| view! {
        {(!matches!(state, QuestionState::Approved)).then(|| button("approve", td_string!(locale, questions.approve)))}
        {(state != QuestionState::Answering && state != QuestionState::Hidden).then(|| button("answering", td_string!(locale, questions.answering)))}
        {matches!(state, QuestionState::Approved | QuestionState::Answering).then(|| button("answered", td_string!(locale, questions.answered)))}
    });
    let targets: Vec<StaffQuestion> = others
        .into_iter()
        .filter(|o| {
            o.id != id
                && o.session_id == item.session_id
                && !matches!(o.state, QuestionState::Hidden | QuestionState::Merged)
        })
        .collect();
    let merge = (state != QuestionState::Merged && !targets.is_empty()).then(|| view! {
        <form method="post" action=action.clone() class="inline-form">
            <input type="hidden" name="question" value=id/>
            <input type="hidden" name="action" value="merge"/>
            <label for=format!("into-{id}")>{td_string!(locale, questions.merge_into)}</label>
            {into_error.map(|e| view! { <p class="error">{field_error_text(lang, e)}</p> })}
            <select id=format!("into-{id}") name="into">
                {targets.into_iter().map(|t| {
                    let text: String = t.text.chars().take(80).collect();
                    view! { <option value=t.id>{format!("#{} · {text}", t.id)}</option> }
                }).collect_view()}
            </select>
            <button type="submit" class="button button-quiet">{td_string!(locale, questions.merge)}</button>
        </form>
    });
    let hide = (state != QuestionState::Hidden && state != QuestionState::Merged).then(|| view! {
        <form method="post" action=action.clone() class="stack-form">
            <input type="hidden" name="question" value=id/>
            <input type="hidden" name="action" value="hide"/>
            <div class="field" class:field-error=reason_error.is_some()>
                <label for=format!("reason-{id}")>{td_string!(locale, questions.hide_reason)}</label>
                {reason_error.map(|e| view! { <p class="error">{field_error_text(lang, e)}</p> })}
                <input id=format!("reason-{id}") name="reason" maxlength=MAX_REASON value=typed("reason") dir="auto"/>
            </div>
            <button type="submit" class="button button-quiet">{td_string!(locale, questions.hide)}</button>
        </form>
    });
    let other_lang = item.lang.other();
    view! {
        <li class="staff-question" id=format!("q-{id}") data-question=id>
            <p class="hint">
                {format!("#{id} · ")}{item.session.clone()}" · "
                <span class=format!("question-state question-{}", state.code())>{question_state_label(lang, state)}</span>
                " · "{td_string!(locale, questions.votes)}" "{lang.digits(&item.votes.to_string())}
                " · "{item.asked_at.clone()}
            </p>
            <p class="question-text" lang=item.lang.code() dir="auto">{item.text.clone()}</p>
            <p class="asked-by">
                {match item.asked_by.clone() {
                    Some(who) => view! { <span>{td_string!(locale, questions.asked_by)}" "{who}</span> }.into_any(),
                    None => view! { <span class="anonymous">{td_string!(locale, questions.anonymous_author)}</span> }.into_any(),
                }}
            </p>
            {item.merged_into.map(|into| view! { <p class="hint">{td_string!(locale, questions.merged_into)}{format!(" #{into}")}</p> })}
            {item.reason.clone().filter(|_| state == QuestionState::Hidden).map(|r| view! { <p class="hint">{td_string!(locale, participant.reason)}": "<span dir="auto">{r}</span></p> })}
            <div class="question-actions">{actions}</div>
            {merge}
            <form method="post" action=action.clone() class="stack-form">
                <input type="hidden" name="question" value=id/>
                <input type="hidden" name="action" value="translate"/>
                <div class="field" class:field-error=translation_error.is_some()>
                    <label for=format!("translation-{id}")>{td_string!(locale, questions.translation)}" ("{crate::labels::lang_name(lang, other_lang)}")"</label>
                    {translation_error.map(|e| view! { <p class="error">{field_error_text(lang, e)}</p> })}
                    <textarea id=format!("translation-{id}") name="translation" rows="2" maxlength=MAX_CHARS
                        lang=other_lang.code() dir=other_lang.dir() inner_html=textarea_text(&translation)></textarea>
                </div>
                <button type="submit" class="button button-quiet">{td_string!(locale, questions.save_translation)}</button>
            </form>
            {hide}
        </li>
    }
}
