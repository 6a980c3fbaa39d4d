//! The audit log: every staff decision and every participant action, newest
//! first. Append-only in the database.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::api::staff::{AuditEntries, audit_log};
use crate::components::loaded::Loaded;
use crate::components::registration::state_label;
use crate::components::staff_nav::{StaffNav, role_label};
use crate::domain::retention::Purged;
use crate::domain::{Lang, RegistrationState, Role};
use crate::i18n::*;
use crate::pages::use_lang;

/// The audit log's codes (actors, actions, record kinds) in the reader's
/// language; a code without a name is shown as it is.
fn code_label(lang: Lang, code: &str) -> &str {
    let locale = lang.locale();
    match code {
        "staff" => td_string!(locale, audit.actor_staff),
        "participant" => td_string!(locale, audit.actor_participant),
        "system" => td_string!(locale, audit.actor_system),
        "registered" => td_string!(locale, audit.action_registered),
        "edited" => td_string!(locale, audit.action_edited),
        "withdrew" => td_string!(locale, audit.action_withdrew),
        "erased" => td_string!(locale, audit.action_erased),
        "promoted" => td_string!(locale, audit.action_promoted),
        "approved" => td_string!(locale, audit.action_approved),
        "waitlisted" => td_string!(locale, audit.action_waitlisted),
        "rejected" => td_string!(locale, audit.action_rejected),
        "organisation_sent" => td_string!(locale, audit.action_organisation_sent),
        "verified" => td_string!(locale, audit.action_verified),
        "declined" => td_string!(locale, audit.action_declined),
        "user_created" => td_string!(locale, audit.action_user_created),
        "event_created" => td_string!(locale, audit.action_event_created),
        "event_updated" => td_string!(locale, audit.action_event_updated),
        "event_published" => td_string!(locale, audit.action_event_published),
        "event_cancelled" => td_string!(locale, audit.action_event_cancelled),
        "session_added" => td_string!(locale, audit.action_session_added),
        "session_updated" => td_string!(locale, audit.action_session_updated),
        "session_cancelled" => td_string!(locale, audit.action_session_cancelled),
        "registration" => td_string!(locale, audit.subject_registration),
        "organisation" => td_string!(locale, audit.subject_organisation),
        "user" => td_string!(locale, audit.subject_user),
        "event" => td_string!(locale, audit.subject_event),
        "session" => td_string!(locale, audit.subject_session),
        "bulletin_created" => td_string!(locale, audit.action_bulletin_created),
        "bulletin_saved" => td_string!(locale, audit.action_bulletin_saved),
        "bulletin_published" => td_string!(locale, audit.action_bulletin_published),
        "bulletin_unpublished" => td_string!(locale, audit.action_bulletin_unpublished),
        "media_uploaded" => td_string!(locale, audit.action_media_uploaded),
        "subscription_requested" => td_string!(locale, audit.action_subscription_requested),
        "subscription_confirmed" => td_string!(locale, audit.action_subscription_confirmed),
        "unsubscribed" => td_string!(locale, audit.action_unsubscribed),
        "bulletin" => td_string!(locale, audit.subject_bulletin),
        "media" => td_string!(locale, audit.subject_media),
        "subscriber" => td_string!(locale, audit.subject_subscriber),
        "purged" => td_string!(locale, audit.action_purged),
        "retention" => td_string!(locale, audit.subject_retention),
        other => other,
    }
}

/// A reason as written by a moderator, a state or role recorded as a code,
/// or what a scheduled purge deleted.
fn reason_label(lang: Lang, action: &str, reason: &str) -> String {
    let purged = (action == "purged")
        .then(|| Purged::parse(reason))
        .flatten();
    if let Some(purged) = purged {
        let n = |count: u64| lang.digits(&count.to_string());
        td_string!(
            lang.locale(),
            audit.purged,
            registrations = n(purged.registrations),
            attendance = n(purged.attendance),
            subscribers = n(purged.subscribers),
            emails = n(purged.emails)
        )
        .to_string()
    } else if let Some(state) = RegistrationState::parse(reason) {
        state_label(lang, state).to_owned()
    } else if let Some(role) = Role::parse(reason) {
        role_label(lang, role).to_owned()
    } else {
        reason.to_owned()
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), move |()| audit_log(lang));
    view! {
        <Meta name="robots" content="noindex, nofollow"/>
        <Loaded resource=data view=move |log| view! { <AuditView lang log/> }/>
    }
}

#[component]
fn AuditView(lang: Lang, log: AuditEntries) -> impl IntoView {
    let locale = lang.locale();
    view! {
        <Title text=td_string!(locale, audit.title)/>
        <StaffNav staff=log.viewer.clone()/>
        <div class="wrap wide">
            <h1>{td_string!(locale, audit.title)}</h1>
            <table class="queue">
                <thead><tr>
                    <th scope="col">{td_string!(locale, audit.when)}</th>
                    <th scope="col">{td_string!(locale, audit.who)}</th>
                    <th scope="col">{td_string!(locale, audit.what)}</th>
                    <th scope="col">{td_string!(locale, audit.record)}</th>
                    <th scope="col">{td_string!(locale, audit.reason)}</th>
                </tr></thead>
                <tbody>
                    {log.items.into_iter().map(|a| {
                        let actor = a.actor_name.clone().unwrap_or_else(|| code_label(lang, &a.actor).to_owned());
                        let subject = format!("{} {}", code_label(lang, &a.subject_type), lang.digits(&format!("#{}", a.subject_id)));
                        let reason = a.reason.as_deref().map(|r| reason_label(lang, &a.action, r));
                        view! {
                            <tr>
                                <td>{a.at}</td>
                                <td>{actor}</td>
                                <td>{code_label(lang, &a.action).to_owned()}</td>
                                <td>{subject}</td>
                                <td>{reason}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
