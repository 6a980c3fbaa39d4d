//! Labels and small views shared by the registration pages, the event page
//! and the staff pages.

use leptos::prelude::*;

use super::live::{LiveEventNotice, LiveSeats};
use crate::domain::{Lang, LiveStream};
use crate::dto::registrations::{Availability, RegistrationInfo};
use crate::i18n::*;
use crate::labels::mode_label;

/// The registration box of the event page: open or not, places per mode, and
/// the way to the form.
#[component]
pub fn RegistrationBox(lang: Lang, slug: String, info: RegistrationInfo) -> impl IntoView {
    let locale = lang.locale();
    let href = crate::paths::register(lang, &slug);
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
                {info.seats.into_iter().filter_map(|s| Some((s.mode, s.left?))).map(|(mode, left)| view! {
                    <li>
                        <span class="seats-mode">{mode_label(lang, mode)}</span>
                        <LiveSeats lang stream=stream.clone() event=slug.clone() mode left waitlist/>
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
            // A closed event has no public live stream.
            {(!info.invitation_only).then(|| view! { <LiveEventNotice lang stream=stream.clone() event=slug.clone() registration_open=open/> }.into_any())}
            <p class="registration-status">{status}</p>
            {seats}
            {open.then(|| view! {
                <p class="registration-how">{how}</p>
                <a class="button" href=href>{td_string!(locale, register.cta)}</a>
            })}
        </section>
    }
}
