//! A participant's questions, on their private page and (for a browser
//! that remembers them) the event page: asking (anonymously if they
//! choose), their own questions with how each stands, and the boards with
//! a vote on each. Plain forms: they work without JavaScript.

use leptos::prelude::*;

use crate::components::form::{FormErrors, GroupError, use_form};
use crate::domain::question::MAX_CHARS;
use crate::domain::{Lang, QuestionState};
use crate::dto::questions::{MyQuestion, ParticipantQuestions, SessionBoard};
use crate::i18n::*;
use crate::labels::{field_error_text, question_state_label};

#[component]
pub fn QuestionsBox(lang: Lang, q: ParticipantQuestions, done: Option<String>) -> impl IntoView {
    let locale = lang.locale();
    let done = done.and_then(|d| match d.as_str() {
        "asked" => Some(td_string!(locale, questions.asked_done)),
        "withdrawn" => Some(td_string!(locale, questions.withdrawn_done)),
        "voted" => Some(td_string!(locale, questions.voted_done)),
        _ => None,
    });
    let form = use_form();
    let can_ask = q.may_take_part && !q.open_sessions.is_empty();
    // Errors of a vote or withdrawal, or of asking when there is no form
    // to ask with (the ask form shows its own).
    let other_error = form
        .error
        .filter(|_| !can_ask || form.values.get("action").is_some_and(|a| a != "ask"))
        .map(|e| view! { <p class="notice notice-error" role="alert">{crate::labels::form_error_text(lang, e)}</p> });
    let ask = can_ask.then(|| view! { <AskForm lang q=q.clone()/> });
    let not_yet = (!q.may_take_part)
        .then(|| view! { <p class="hint">{td_string!(locale, questions.only_approved)}</p> });
    let mine = (!q.mine.is_empty()).then(|| {
        view! {
            <h3>{td_string!(locale, questions.mine)}</h3>
            <ul class="my-questions">
                {q.mine.iter().cloned().map(|m| view! { <Mine lang m action=q.action.clone()/> }).collect_view()}
            </ul>
        }
    });
    let boards = q
        .boards
        .iter()
        .cloned()
        .map(|b| view! { <VoteList lang b action=q.action.clone() voted=q.voted.clone() slug=q.event_slug.clone()/> })
        .collect_view();
    view! {
        <section class="questions-box" id="questions" aria-labelledby="questions-heading">
            <h2 id="questions-heading">{td_string!(locale, questions.heading)}</h2>
            {done.map(|text| view! { <p class="notice notice-ok" role="status">{text}</p> })}
            {other_error}
            {not_yet}
            {ask}
            {mine}
            {boards}
        </section>
    }
    .into_any()
}

#[component]
fn AskForm(lang: Lang, q: ParticipantQuestions) -> impl IntoView {
    let locale = lang.locale();
    let form = use_form();
    let asking = form.values.get("action").is_some_and(|a| a == "ask");
    let typed = if asking {
        form.value("question").to_owned()
    } else {
        String::new()
    };
    let chosen = if asking {
        form.value("session").to_owned()
    } else {
        String::new()
    };
    let anonymous = !asking || form.checked("anonymous");
    let error = form.error_for("question").filter(|_| asking);
    let labels = vec![
        ("question", td_string!(locale, questions.question)),
        ("session", td_string!(locale, questions.session)),
    ];
    view! {
        {asking.then(|| view! { <FormErrors lang labels/> })}
        <form class="stack-form ask-form" method="post" action=q.action.clone() novalidate>
            <input type="hidden" name="action" value="ask"/>
            <div class="field">
                <label for="question-session">{td_string!(locale, questions.session)}</label>
                {asking.then(|| view! { <GroupError lang name="session"/> })}
                <select id="question-session" name="session">
                    {q.open_sessions.iter().map(|s| view! {
                        <option value=s.id selected=chosen == s.id.to_string()>{format!("{} · {}", s.title, s.when)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field" class:field-error=error.is_some()>
                <label for="question">{td_string!(locale, questions.question)}</label>
                <p class="hint" id="question-hint">{td_string!(locale, questions.question_hint)}</p>
                {error.map(|e| view! { <p class="error" id="question-error">{field_error_text(lang, e)}</p> })}
                <textarea id="question" name="question" rows="4" maxlength=MAX_CHARS dir="auto"
                    aria-describedby="question-hint" aria-invalid=error.map(|_| "true")
                    inner_html=crate::components::form::textarea_text(&typed)></textarea>
            </div>
            <div class="choice">
                <input type="checkbox" id="question-anonymous" name="anonymous" value="yes" checked=anonymous/>
                <label for="question-anonymous">{td_string!(locale, questions.anonymous)}</label>
            </div>
            <p class="hint">{td_string!(locale, questions.anonymous_hint)}</p>
            <button type="submit" class="button">{td_string!(locale, questions.ask)}</button>
        </form>
    }
}

#[component]
fn Mine(lang: Lang, m: MyQuestion, action: String) -> impl IntoView {
    let locale = lang.locale();
    view! {
        <li class="my-question" data-question=m.id>
            <p class="question-text" dir="auto">{m.text.clone()}</p>
            <p class="hint">
                {m.session.clone()}" · "
                <span class=format!("question-state question-{}", m.state.code())>{question_state_label(lang, m.state)}</span>
                {m.anonymous.then(|| view! { " · "{td_string!(locale, questions.asked_anonymously)} })}
                {m.state.on_board().then(|| view! { " · "{td_string!(locale, questions.votes)}" "{lang.digits(&m.votes.to_string())} })}
            </p>
            {m.reason.clone().filter(|_| m.state == QuestionState::Hidden).map(|reason| view! {
                <p><strong>{td_string!(locale, participant.reason)}": "</strong><span dir="auto">{reason}</span></p>
            })}
            <form method="post" action=action>
                <input type="hidden" name="action" value="withdraw"/>
                <input type="hidden" name="question" value=m.id/>
                <button type="submit" class="link-button">{td_string!(locale, questions.withdraw)}</button>
            </form>
        </li>
    }
}

/// A session's board with a vote button on each question not yet answered.
#[component]
fn VoteList(
    lang: Lang,
    b: SessionBoard,
    action: String,
    voted: Vec<i64>,
    slug: String,
) -> impl IntoView {
    let locale = lang.locale();
    let board_href = crate::paths::board(lang, &slug, b.session.id);
    view! {
        <h3>{b.session.title.clone()}</h3>
        <p class="hint"><a href=board_href>{td_string!(locale, questions.board_link)}</a></p>
        <ol class="board">
            {b.questions.into_iter().map(|q| {
                let vote = (q.state != QuestionState::Answered).then(|| {
                    if voted.contains(&q.id) {
                        view! { <p class="voted">{td_string!(locale, questions.voted)}</p> }.into_any()
                    } else {
                        view! {
                            <form method="post" action=action.clone() class="vote-form">
                                <input type="hidden" name="action" value="vote"/>
                                <input type="hidden" name="question" value=q.id/>
                                <button type="submit" class="button button-quiet">{td_string!(locale, questions.vote)}</button>
                            </form>
                        }.into_any()
                    }
                });
                view! {
                    <li class="question" class:question-answering=q.state == QuestionState::Answering data-question=q.id>
                        <p class="question-text" dir="auto">{q.text_in(lang).to_owned()}</p>
                        <p class="question-votes">{td_string!(locale, questions.votes)}" "<strong>{lang.digits(&q.votes.to_string())}</strong></p>
                        {vote}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
