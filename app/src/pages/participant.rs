//! The participant's private page `/{lang}/r/{token}`: where the registration
//! stands, the venue once they have a seat in the room, their details to
//! edit, withdrawing, deleting their data, and a calendar file. There are no
//! accounts: the link is the key.
//! Server: `api/registrations.rs` → `server/registrations/pages.rs`; the forms
//! post to `server/registrations/http.rs` (also the calendar file), the join link
//! goes to `server/registrations/join.rs`.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::dto::registrations::PrivateView;
use crate::labels::{join_refusal, language_label, mode_label};

use crate::api::announcements::received_announcements;
use crate::api::hearing::private_feedback;
use crate::api::materials::private_materials;
use crate::api::questions::private_questions;
use crate::api::registrations::private_registration;
use crate::components::form::{Field, FormErrors, GroupError, use_form};
use crate::components::live::{JoinButton, LiveBadge, LiveStatus};
use crate::components::loaded::Loaded;
use crate::components::locale::use_lang;
use crate::components::materials::{Channels, MaterialList};
use crate::components::questions::QuestionsBox;
use crate::domain::registration::limits;
use crate::domain::{AttendanceMode, Lang, LiveStream, RegistrationState};
use crate::i18n::*;

#[component]
pub fn PrivatePage() -> impl IntoView {
    let lang = use_lang();
    let token = use_params_map().with_untracked(|p| p.get("token").unwrap_or_default());
    let (done, join) = use_query_map().with_untracked(|q| (q.get("done"), q.get("join")));
    let registration = Resource::new(
        {
            let token = token.clone();
            move || token.clone()
        },
        move |token| private_registration(lang, token),
    );
    view! {
        <Meta name="robots" content="noindex, nofollow"/>
        <Loaded resource=registration view=move |r| {
            view! { <RegistrationView lang r token=token.clone() done=done.clone() join=join.clone()/> }
        }/>
    }
}

#[component]
fn RegistrationView(
    lang: Lang,
    r: PrivateView,
    token: String,
    done: Option<String>,
    join: Option<String>,
) -> impl IntoView {
    let locale = lang.locale();
    let page = crate::paths::private_page(lang, &token);
    let calendar = crate::paths::private_calendar(lang, &token);
    let event_href = crate::paths::event(lang, &r.event_slug);
    let live = r.state.is_live();
    let done_code = done.clone();
    let done = done.and_then(|d| match d.as_str() {
        "saved" => Some(td_string!(locale, participant.saved)),
        "withdrawn" => Some(td_string!(locale, participant.withdrawn_done)),
        "remembered" => Some(td_string!(locale, device.remembered_done)),
        "forgotten" => Some(td_string!(locale, device.forgotten_done)),
        "reminders_on" => Some(td_string!(locale, reminders.on)),
        "reminders_off" => Some(td_string!(locale, reminders.off)),
        _ => None,
    });
    let join = join.and_then(|why| join_refusal(lang, &why));
    let stream = LiveStream::Participant(token.clone()).url();
    let sessions = (!r.sessions.is_empty()).then(|| {
        view! { <JoinSessions lang r=r.clone() token=token.clone() stream=stream.clone()/> }
    });
    view! {
        <Title text=format!("{} · {}", td_string!(locale, participant.title), r.event_title)/>
        <div class="wrap narrow private-page">
            <p class="private-note" role="note">{td_string!(locale, participant.private_note)}</p>
            <h1>{td_string!(locale, participant.title)}</h1>
            <p class="lead"><a href=event_href>{r.event_title.clone()}</a>" · "{r.dates.clone()}</p>
            {done.map(|text| view! { <p class="notice notice-ok" role="status">{text}</p> })}
            {join.map(|text| view! { <p class="notice" role="status">{text}</p> })}
            {r.just_confirmed.then(|| view! { <p class="notice notice-ok" role="status">{td_string!(locale, participant.email_confirmed)}</p> })}
            {r.event_cancelled.then(|| view! { <p class="notice notice-error" role="status">{td_string!(locale, participant.event_cancelled)}</p> })}
            <section class="status-box" aria-labelledby="status-heading">
                <h2 id="status-heading">{td_string!(locale, participant.status)}</h2>
                <LiveStatus lang stream=stream.clone() state=r.state/>
                {r.reason.clone().map(|reason| view! {
                    <p><strong>{td_string!(locale, participant.reason)}": "</strong>{reason}</p>
                })}
                <dl class="facts">
                    <div>
                        <dt>{td_string!(locale, participant.mode)}</dt>
                        <dd>{mode_label(lang, r.mode)}</dd>
                    </div>
                    {r.venue.clone().map(|venue| view! {
                        <div>
                            <dt>{td_string!(locale, participant.venue)}</dt>
                            <dd>{venue}<br/><small>{td_string!(locale, participant.venue_note)}</small></dd>
                        </div>
                    })}
                </dl>
                {(r.state == RegistrationState::Approved && r.mode == AttendanceMode::Online).then(|| view! {
                    <p class="hint">{td_string!(locale, participant.online_note)}</p>
                })}
                <p><a class="button button-quiet" href=calendar download="registration.ics">{td_string!(locale, participant.calendar)}</a></p>
            </section>
            {r.checkin.clone().map(|pass| view! {
                <section class="status-box checkin-pass" aria-labelledby="pass-heading">
                    <h2 id="pass-heading">{td_string!(locale, checkin.pass_heading)}</h2>
                    <p class="hint">{td_string!(locale, checkin.pass_body)}</p>
                    <div class="qr-code" inner_html=pass.qr_svg></div>
                    <p class="checkin-code" dir="ltr" lang="en"><code>{pass.code}</code></p>
                </section>
            }.into_any())}
            {sessions}
            <Materials lang token=token.clone()/>
            <Announcements lang token=token.clone()/>
            <Feedback lang token=token.clone() done=done_code.clone()/>
            <Questions lang token=token.clone() done=done_code/>
            {(live && !r.event_cancelled).then(|| view! { <Reminders lang on=r.reminders token=token.clone()/> })}
            <RememberDevice lang r=r.clone() action=page.clone()/>
            {live.then(|| view! { <EditForm lang r=r.clone() action=page.clone()/> })}
            {live.then(|| view! {
                <section class="danger-zone" aria-labelledby="withdraw-heading">
                    <h2 id="withdraw-heading">{td_string!(locale, participant.withdraw_title)}</h2>
                    <p>{td_string!(locale, participant.withdraw_body)}</p>
                    <form method="post" action=page.clone()>
                        <input type="hidden" name="action" value="withdraw"/>
                        <button type="submit" class="button button-quiet">{td_string!(locale, participant.withdraw_button)}</button>
                    </form>
                </section>
            })}
            <EraseForm lang action=page/>
        </div>
    }
    // (`into_any`: the page's view type is deep enough as it is.)
    .into_any()
}

/// The event's online sessions, each with its join button (or when it opens).
#[component]
fn JoinSessions(lang: Lang, r: PrivateView, token: String, stream: String) -> impl IntoView {
    let locale = lang.locale();
    view! {
        <section class="join-sessions" id="agenda" aria-labelledby="join-heading">
            <h2 id="join-heading">{td_string!(locale, join.heading)}</h2>
            <p class="hint">{td_string!(locale, join.intro)}</p>
            <ol class="sessions">
                {r.sessions.into_iter().map(|s| view! {
                    <li class="session" data-session=s.id>
                        <div class="session-body">
                            <p class="session-title">
                                {s.title}" "
                                <LiveBadge lang stream=stream.clone() session=s.id live=s.live/>
                            </p>
                            <p class="session-time">{s.when}</p>
                            <JoinButton
                                lang
                                stream=stream.clone()
                                session=s.id
                                href=crate::paths::join(&token, s.id)
                                can_join=r.can_join
                                join_open=s.join_open
                                opens_ms=s.opens_ms
                                ends_ms=s.ends_ms
                                opens=s.opens
                                event_offset=s.opens_offset
                            />
                            {view! { <Channels lang channels=s.interpretation/> }.into_any()}
                        </div>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

/// After the event: how useful it was, whether they felt safe to speak,
/// what to change (stored without their name or registration).
#[component]
fn Feedback(lang: Lang, token: String, done: Option<String>) -> impl IntoView {
    let locale = lang.locale();
    let action = crate::paths::private_feedback(lang, &token);
    let state = Resource::new(move || token.clone(), private_feedback);
    let thanks = (done.as_deref() == Some("feedback")).then(|| {
        view! { <p class="notice notice-ok" role="status" id="feedback">{td_string!(locale, hearing.feedback_thanks)}</p> }
    });
    view! {
        {thanks}
        <Loaded resource=state view=move |s| s.open.then(|| view! { <FeedbackForm lang action=action.clone()/> })/>
    }
    .into_any()
}

#[component]
fn FeedbackForm(lang: Lang, action: String) -> impl IntoView {
    let locale = lang.locale();
    let form = use_form();
    let scale = move |name: &'static str,
                      legend: &'static str,
                      low: &'static str,
                      high: &'static str| {
        let chosen = form.value(name).to_owned();
        view! {
            <fieldset class="field scale" id=name>
                <legend>{legend}</legend>
                <GroupError lang name/>
                <p class="hint">{format!("1 = {low} · 5 = {high}")}</p>
                <div class="scale-choices">
                    {(1..=5).map(|n| {
                        let id = format!("{name}-{n}");
                        view! {
                            <span class="choice">
                                <input type="radio" name=name id=id.clone() value=n checked=chosen == n.to_string()/>
                                <label for=id>{lang.digits(&n.to_string())}</label>
                            </span>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
        }
    };
    let labels = vec![
        ("usefulness", td_string!(locale, hearing.usefulness)),
        ("safety", td_string!(locale, hearing.safety)),
        ("change", td_string!(locale, hearing.change)),
    ];
    view! {
        <section class="questions-box" id="feedback" aria-labelledby="feedback-heading">
            <h2 id="feedback-heading">{td_string!(locale, hearing.feedback_heading)}</h2>
            <p class="hint">{td_string!(locale, hearing.feedback_intro)}</p>
            <FormErrors lang labels/>
            <form class="stack-form" method="post" action=action novalidate>
                {scale("usefulness", td_string!(locale, hearing.usefulness), td_string!(locale, hearing.not_useful), td_string!(locale, hearing.very_useful))}
                {scale("safety", td_string!(locale, hearing.safety), td_string!(locale, hearing.not_safe), td_string!(locale, hearing.very_safe))}
                <Field lang name="change" label=td_string!(locale, hearing.change) max=crate::domain::hearing::FREE_TEXT multiline=true/>
                <button type="submit" class="button">{td_string!(locale, hearing.feedback_send)}</button>
            </form>
        </section>
    }
}

/// Asking questions, one's own, and voting (`components/questions.rs`).
#[component]
fn Questions(lang: Lang, token: String, done: Option<String>) -> impl IntoView {
    let questions = Resource::new(
        move || token.clone(),
        move |token| private_questions(lang, token),
    );
    view! {
        <Loaded resource=questions view=move |q| view! { <QuestionsBox lang q done=done.clone()/> }/>
    }
    .into_any()
}

#[component]
fn EditForm(lang: Lang, r: PrivateView, action: String) -> impl IntoView {
    let locale = lang.locale();
    let form = use_form();
    let editing = form.values.get("action").is_some_and(|a| a == "edit");
    let chosen = if editing {
        form.value("interpretation").to_owned()
    } else {
        r.interpretation
            .map(|l| l.code().to_owned())
            .unwrap_or_default()
    };
    let labels = vec![
        ("name", td_string!(locale, register.name)),
        ("organisation", td_string!(locale, register.organisation)),
        ("role", td_string!(locale, register.role)),
        (
            "interpretation",
            td_string!(locale, register.interpretation),
        ),
        ("accessibility", td_string!(locale, register.accessibility)),
    ];
    view! {
        <section aria-labelledby="details-heading">
            <h2 id="details-heading">{td_string!(locale, participant.details)}</h2>
            {editing.then(|| view! { <FormErrors lang labels/> })}
            <form class="stack-form" method="post" action=action novalidate>
                <input type="hidden" name="action" value="edit"/>
                <Field lang name="name" label=td_string!(locale, register.name) required=true max=limits::NAME initial=r.name.clone()/>
                <Field lang name="organisation" label=td_string!(locale, register.organisation) required=true max=limits::ORGANISATION initial=r.organisation.clone()/>
                <Field lang name="role" label=td_string!(locale, register.role) required=true max=limits::ROLE initial=r.role.clone()/>
                {(!r.languages.is_empty()).then(|| view! {
                    <div class="field">
                        <label for="interpretation">{td_string!(locale, register.interpretation)}</label>
                        <GroupError lang name="interpretation"/>
                        <select id="interpretation" name="interpretation">
                            <option value="none">{td_string!(locale, register.interpretation_none)}</option>
                            {r.languages.iter().map(|l| view! {
                                <option value=l.code() selected=chosen == l.code()>{language_label(lang, *l)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                })}
                <Field lang name="accessibility" label=td_string!(locale, register.accessibility) max=limits::ACCESSIBILITY multiline=true initial=r.accessibility.clone()/>
                <p class="hint">{td_string!(locale, participant.mode_change)}</p>
                <button type="submit" class="button">{td_string!(locale, participant.save)}</button>
            </form>
        </section>
    }
}

/// What staff announced to this participant, newest first.
#[component]
fn Announcements(lang: Lang, token: String) -> impl IntoView {
    let locale = lang.locale();
    let received = Resource::new(
        move || token.clone(),
        move |token| received_announcements(lang, token),
    );
    view! {
        <Loaded resource=received view=move |list| (!list.is_empty()).then(|| view! {
            <section class="status-box" id="announcements" aria-labelledby="announcements-heading">
                <h2 id="announcements-heading">{td_string!(locale, announcements.received)}</h2>
                <ul class="my-questions">
                    {list.into_iter().map(|a| view! {
                        <li class="my-question">
                            <p class="hint">{a.when}</p>
                            <p class="question-text" dir="auto">{a.text}</p>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })/>
    }
    .into_any()
}

/// The event's materials this participant may download (through this link).
#[component]
fn Materials(lang: Lang, token: String) -> impl IntoView {
    let materials = Resource::new(
        move || token.clone(),
        move |token| private_materials(lang, token),
    );
    view! { <Loaded resource=materials view=move |items| view! { <MaterialList lang items/> }/> }
        .into_any()
}

/// Reminders before the event: on unless turned off here.
#[component]
fn Reminders(lang: Lang, on: bool, token: String) -> impl IntoView {
    let locale = lang.locale();
    view! {
        <section class="device-box" id="reminders" aria-labelledby="reminders-heading">
            <h2 id="reminders-heading">{td_string!(locale, reminders.heading)}</h2>
            <p>{if on { td_string!(locale, reminders.on) } else { td_string!(locale, reminders.off) }}</p>
            <form method="post" action=crate::paths::private_reminders(lang, &token)>
                <input type="hidden" name="reminders" value=if on { "off" } else { "on" }/>
                <button type="submit" class="button button-quiet">
                    {if on { td_string!(locale, reminders.turn_off) } else { td_string!(locale, reminders.turn_on) }}
                </button>
            </form>
        </section>
    }
    .into_any()
}

/// "Remember me on this device": off unless ticked, with what it means in
/// one line; and forgetting every browser that remembers the registration.
#[component]
fn RememberDevice(lang: Lang, r: PrivateView, action: String) -> impl IntoView {
    let locale = lang.locale();
    let form = use_form();
    let asked = form.values.get("action").is_some_and(|a| a == "remember");
    let remember = (!r.remembered_here).then(|| {
        view! {
            <form method="post" action=action.clone()>
                <input type="hidden" name="action" value="remember"/>
                {asked.then(|| view! { <GroupError lang name="remember"/> })}
                <div class="choice">
                    <input type="checkbox" id="remember-device" name="remember" value="yes"/>
                    <label for="remember-device">{td_string!(locale, device.remember_label)}</label>
                </div>
                <p class="hint">{td_string!(locale, device.remember_hint)}</p>
                <button type="submit" class="button button-quiet">{td_string!(locale, device.remember_button)}</button>
            </form>
        }
    });
    let count = lang.digits(&r.remembered_on.to_string());
    let forget = (r.remembered_on > 0).then(|| {
        view! {
            <form method="post" action=action.clone()>
                <input type="hidden" name="action" value="forget_devices"/>
                <p>
                    {if r.remembered_here {
                        td_string!(locale, device.remembered_here, n = count)
                    } else {
                        td_string!(locale, device.remembered_elsewhere, n = count)
                    }}
                </p>
                <button type="submit" class="button button-quiet">{td_string!(locale, device.forget_everywhere)}</button>
            </form>
        }
    });
    view! {
        <section class="device-box" aria-labelledby="device-heading">
            <h2 id="device-heading">{td_string!(locale, device.heading)}</h2>
            {remember}
            {forget}
        </section>
    }
}

#[component]
fn EraseForm(lang: Lang, action: String) -> impl IntoView {
    let locale = lang.locale();
    let form = use_form();
    let asked = form.values.get("action").is_some_and(|a| a == "erase");
    view! {
        <section class="danger-zone" aria-labelledby="erase-heading">
            <h2 id="erase-heading">{td_string!(locale, participant.delete_title)}</h2>
            <p>{td_string!(locale, participant.delete_body)}</p>
            <form method="post" action=action id="confirm">
                <input type="hidden" name="action" value="erase"/>
                {asked.then(|| view! { <GroupError lang name="confirm"/> })}
                <div class="choice">
                    <input type="checkbox" id="confirm-erase" name="confirm" value="yes" required=true/>
                    <label for="confirm-erase">{td_string!(locale, participant.delete_confirm)}</label>
                </div>
                <button type="submit" class="button button-danger">{td_string!(locale, participant.delete_button)}</button>
            </form>
        </section>
    }
}

/// After "delete my data".
#[component]
pub fn DeletedPage() -> impl IntoView {
    let lang = use_lang();
    let locale = lang.locale();
    view! {
        <Title text=td_string!(locale, participant.deleted_title)/>
        <div class="wrap narrow">
            <h1>{td_string!(locale, participant.deleted_title)}</h1>
            <p class="lead">{td_string!(locale, participant.deleted_body)}</p>
            <p><a href=crate::paths::events(lang)>{td_string!(locale, site.events)}</a></p>
        </div>
    }
}
