//! Labels and small views shared by the registration pages, the event page
//! and the staff pages.

use leptos::prelude::*;

use super::live::{LiveEventNotice, LiveSeats};
use crate::api::registrations::{Availability, RegistrationInfo};
use crate::domain::{AttendanceMode, InterpretationLanguage, Lang, LiveStream, RegistrationState};
use crate::i18n::*;

pub fn mode_label(lang: Lang, mode: AttendanceMode) -> &'static str {
    let locale = lang.locale();
    match mode {
        AttendanceMode::InPerson => td_string!(locale, register.mode_in_person),
        AttendanceMode::Online => td_string!(locale, register.mode_online),
    }
}

pub fn state_label(lang: Lang, state: RegistrationState) -> &'static str {
    let locale = lang.locale();
    match state {
        RegistrationState::Pending => td_string!(locale, state.pending),
        RegistrationState::Approved => td_string!(locale, state.approved),
        RegistrationState::Waitlisted => td_string!(locale, state.waitlisted),
        RegistrationState::Rejected => td_string!(locale, state.rejected),
        RegistrationState::Withdrawn => td_string!(locale, state.withdrawn),
    }
}

/// What a registration state means for the participant, in a sentence.
pub fn state_body(lang: Lang, state: RegistrationState) -> &'static str {
    let locale = lang.locale();
    match state {
        RegistrationState::Pending => td_string!(locale, participant.pending_body),
        RegistrationState::Approved => td_string!(locale, participant.approved_body),
        RegistrationState::Waitlisted => td_string!(locale, participant.waitlisted_body),
        RegistrationState::Rejected => td_string!(locale, participant.rejected_body),
        RegistrationState::Withdrawn => td_string!(locale, participant.withdrawn_body),
    }
}

pub fn language_label(lang: Lang, language: InterpretationLanguage) -> &'static str {
    let locale = lang.locale();
    match language {
        InterpretationLanguage::Ar => td_string!(locale, lang.ar),
        InterpretationLanguage::En => td_string!(locale, lang.en),
        InterpretationLanguage::Fr => td_string!(locale, lang.fr),
        InterpretationLanguage::Ku => td_string!(locale, lang.ku),
    }
}

/// "12 places left", "Full: waitlist open", "Full".
pub fn seats_text(lang: Lang, left: i64, waitlist: bool) -> String {
    let locale = lang.locale();
    if left > 0 {
        td_string!(
            locale,
            register.seats_left,
            n = lang.digits(&left.to_string())
        )
    } else if waitlist {
        td_string!(locale, register.full_waitlist).to_owned()
    } else {
        td_string!(locale, register.full).to_owned()
    }
}

/// The registration box of the event page: open or not, places per mode, and
/// the way to the form.
#[component]
pub fn RegistrationBox(lang: Lang, slug: String, info: RegistrationInfo) -> impl IntoView {
    let locale = lang.locale();
    let href = format!("/{}/events/{slug}/register", lang.code());
    let open = matches!(info.availability, Availability::Open { .. });
    let status = match &info.availability {
        Availability::Open { until } => td_string!(locale, register.open_until, date = until),
        Availability::NotYet { opens } => td_string!(locale, register.opens_on, date = opens),
        Availability::Closed => td_string!(locale, register.closed).to_owned(),
    };
    let waitlist = info.waitlist;
    let stream = LiveStream::Event(slug.clone()).url();
    let seats = (!info.invitation_only).then(|| {
        view! {
            <ul class="seats">
                {info.seats.into_iter().map(|s| view! {
                    <li>
                        <span class="seats-mode">{mode_label(lang, s.mode)}</span>
                        <LiveSeats lang stream=stream.clone() mode=s.mode left=s.left waitlist/>
                    </li>
                }).collect_view()}
            </ul>
        }
    });
    let how = if info.invitation_only {
        td_string!(locale, register.invitation_note)
    } else if info.requires_approval {
        td_string!(locale, register.approval_note)
    } else {
        td_string!(locale, register.first_come_note)
    };
    view! {
        <section class="registration-box" aria-labelledby="registration-heading">
            <h2 id="registration-heading">{td_string!(locale, register.heading)}</h2>
            <LiveEventNotice lang stream=stream.clone() registration_open=open/>
            <p class="registration-status">{status}</p>
            {seats}
            {open.then(|| view! {
                <p class="registration-how">{how}</p>
                <a class="button" href=href>{td_string!(locale, register.cta)}</a>
            })}
        </section>
    }
}
