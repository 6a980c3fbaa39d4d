//! Every internal address, built in one place: pages, components, handlers,
//! emails and tests ask here instead of writing `/{lang}/…` themselves. The
//! route templates the router serves them under are beside each builder's
//! doc where they differ from the address itself.

use crate::domain::Lang;

fn at(lang: Lang, rest: &str) -> String {
    if rest.is_empty() {
        format!("/{}", lang.code())
    } else {
        format!("/{}/{rest}", lang.code())
    }
}

/// The home page of a language.
/// The site's canonical origin (`scheme://host[:port]` of
/// `LAUSANNE_PUBLIC_URL`), in the context of every page the server renders,
/// for the few links that must be absolute.
#[derive(Clone, Debug, Default)]
pub struct Origin(pub String);

pub fn home(lang: Lang) -> String {
    at(lang, "")
}

pub fn events(lang: Lang) -> String {
    at(lang, "events")
}

pub fn past_events(lang: Lang) -> String {
    at(lang, "events?when=past")
}

pub fn event(lang: Lang, slug: &str) -> String {
    at(lang, &format!("events/{slug}"))
}

/// The registration form; it posts to itself.
pub fn register(lang: Lang, slug: &str) -> String {
    at(lang, &format!("events/{slug}/register"))
}

pub fn registered(lang: Lang, slug: &str) -> String {
    at(lang, &format!("events/{slug}/registered"))
}

/// An event's calendar file (`?lang=` picks the language of its text).
pub fn event_calendar(lang: Lang, slug: &str) -> String {
    format!("/events/{slug}.ics?lang={}", lang.code())
}

/// A participant's private page; its forms post to it.
pub fn private_page(lang: Lang, token: &str) -> String {
    at(lang, &format!("r/{token}"))
}

pub fn private_calendar(lang: Lang, token: &str) -> String {
    format!("{}/calendar.ics", private_page(lang, token))
}

/// Where the private page's question forms post (`action` = `ask`,
/// `withdraw` or `vote`).
pub fn private_questions(lang: Lang, token: &str) -> String {
    format!("{}/questions", private_page(lang, token))
}

/// The private page's questions section.
pub fn private_questions_section(lang: Lang, token: &str) -> String {
    format!("{}#questions", private_page(lang, token))
}

/// Where the event page's question forms post, for a browser that
/// remembers an approved participant (`action` = `ask`, `withdraw` or
/// `vote`).
pub fn reader_questions(lang: Lang, slug: &str) -> String {
    at(lang, &format!("events/{slug}/questions"))
}

/// A session's live question board.
pub fn board(lang: Lang, slug: &str, session: i64) -> String {
    at(lang, &format!("events/{slug}/sessions/{session}/questions"))
}

/// The board for the projector in the room.
pub fn board_room(lang: Lang, slug: &str, session: i64) -> String {
    format!("{}/room", board(lang, slug, session))
}

/// A participant's way into an online session: records attendance, then
/// redirects to the meeting (never the meeting URL itself).
pub fn join(token: &str, session: i64) -> String {
    format!("/join/{token}/{session}")
}

/// Where a participant lands after deleting their data.
/// Joining a session from the event page, on a browser that remembers the
/// participant.
pub fn join_from_device(session: i64) -> String {
    format!("/join/device/{session}")
}

/// "Not you?": this browser forgets what it remembered.
pub fn forget_device(lang: Lang) -> String {
    at(lang, "device/forget")
}

pub fn deleted(lang: Lang) -> String {
    at(lang, "deleted")
}

pub fn privacy(lang: Lang) -> String {
    at(lang, "privacy")
}

pub fn organisation(lang: Lang) -> String {
    at(lang, "organisation")
}

pub fn organisation_thanks(lang: Lang) -> String {
    at(lang, "organisation/thanks")
}

pub fn bulletins(lang: Lang) -> String {
    at(lang, "bulletins")
}

pub fn bulletin(lang: Lang, slug: &str) -> String {
    at(lang, &format!("bulletins/{slug}"))
}

pub fn subscribe(lang: Lang) -> String {
    at(lang, "subscribe")
}

pub fn subscribe_sent(lang: Lang) -> String {
    at(lang, "subscribe/sent")
}

pub fn subscribe_confirm(lang: Lang, token: &str) -> String {
    at(lang, &format!("subscribe/confirm/{token}"))
}

pub fn subscribe_confirmed(lang: Lang) -> String {
    at(lang, "subscribe/confirmed")
}

pub fn unsubscribe(lang: Lang, token: &str) -> String {
    at(lang, &format!("unsubscribe/{token}"))
}

pub fn unsubscribed(lang: Lang) -> String {
    at(lang, "unsubscribed")
}

/// The staff dashboard; the other staff pages are below it.
pub fn staff(lang: Lang) -> String {
    at(lang, "staff")
}

pub fn staff_login(lang: Lang) -> String {
    at(lang, "staff/login")
}

pub fn staff_logout(lang: Lang) -> String {
    at(lang, "staff/logout")
}

pub fn staff_registrations(lang: Lang) -> String {
    at(lang, "staff/registrations")
}

pub fn staff_organisations(lang: Lang) -> String {
    at(lang, "staff/organisations")
}

pub fn staff_audit(lang: Lang) -> String {
    at(lang, "staff/audit")
}

pub fn staff_users(lang: Lang) -> String {
    at(lang, "staff/users")
}

/// Actions on one staff account (admins).
pub fn staff_user(lang: Lang, id: i64) -> String {
    at(lang, &format!("staff/users/{id}"))
}

/// The second step of signing in: the code from the authenticator app.
pub fn staff_login_code(lang: Lang) -> String {
    at(lang, "staff/login/code")
}

/// One's own account: password, sessions, two-factor sign-in.
pub fn staff_account(lang: Lang) -> String {
    at(lang, "staff/account")
}

pub fn staff_bulletins(lang: Lang) -> String {
    at(lang, "staff/bulletins")
}

/// The bulletin editor: an existing issue, or a new one (`None`).
pub fn staff_bulletin(lang: Lang, id: Option<i64>) -> String {
    match id {
        Some(id) => at(lang, &format!("staff/bulletins/{id}")),
        None => at(lang, "staff/bulletins/new"),
    }
}

/// Where the bulletin editor uploads an image (admins only).
pub fn staff_media_upload(lang: Lang) -> String {
    at(lang, "staff/bulletins/media")
}

pub fn staff_events(lang: Lang) -> String {
    at(lang, "staff/events")
}

/// An event's questions, for moderators and admins; its forms post to it.
pub fn staff_questions(lang: Lang, slug: &str) -> String {
    at(lang, &format!("staff/events/{slug}/questions"))
}

/// The event report, and its CSV.
pub fn staff_report(lang: Lang, slug: &str) -> String {
    at(lang, &format!("staff/events/{slug}/report"))
}

pub fn staff_report_csv(lang: Lang, slug: &str) -> String {
    at(lang, &format!("staff/events/{slug}/report.csv"))
}

/// Materials of an event (admins); the forms post to it.
pub fn staff_materials(lang: Lang, slug: &str) -> String {
    at(lang, &format!("staff/events/{slug}/materials"))
}

/// Removing a material.
pub fn staff_material_delete(lang: Lang, slug: &str, id: i64) -> String {
    at(lang, &format!("staff/events/{slug}/materials/{id}/delete"))
}

/// A public material.
pub fn material(id: i64) -> String {
    format!("/materials/{id}")
}

/// A material through a participant's private link.
pub fn private_material(lang: Lang, token: &str, id: i64) -> String {
    format!("{}/materials/{id}", private_page(lang, token))
}

/// Check-in at an event's door; the buttons post to it.
pub fn staff_checkin(lang: Lang, slug: &str) -> String {
    at(lang, &format!("staff/events/{slug}/check-in"))
}

/// Announcements to an event's participants; the form posts to it.
pub fn staff_announcements(lang: Lang, slug: &str) -> String {
    at(lang, &format!("staff/events/{slug}/announcements"))
}

/// What participants told the mechanism about an event (priorities,
/// feedback), and the admins' topics and summary; its form posts to it.
pub fn staff_hearing(lang: Lang, slug: &str) -> String {
    at(lang, &format!("staff/events/{slug}/hearing"))
}

/// Where the private page's reminders switch posts.
pub fn private_reminders(lang: Lang, token: &str) -> String {
    format!("{}/reminders", private_page(lang, token))
}

/// Where the private page's feedback form posts.
pub fn private_feedback(lang: Lang, token: &str) -> String {
    format!("{}/feedback", private_page(lang, token))
}

/// The event editor: an existing event, or a new one (`None`).
pub fn staff_event(lang: Lang, slug: Option<&str>) -> String {
    match slug {
        Some(slug) => at(lang, &format!("staff/events/{slug}/edit")),
        None => at(lang, "staff/events/new"),
    }
}

/// The session editor: an existing session, or a new one (`None`).
pub fn staff_session(lang: Lang, event: &str, id: Option<i64>) -> String {
    match id {
        Some(id) => at(lang, &format!("staff/events/{event}/sessions/{id}")),
        None => at(lang, &format!("staff/events/{event}/sessions/new")),
    }
}

/// The approved participants of an event, as CSV (admins only).
pub fn participants_csv(lang: Lang, slug: &str) -> String {
    at(lang, &format!("staff/events/{slug}/participants.csv"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(home(Lang::Ar), "/ar");
        assert_eq!(register(Lang::En, "lp-2021"), "/en/events/lp-2021/register");
        assert_eq!(staff_bulletin(Lang::En, None), "/en/staff/bulletins/new");
        assert_eq!(
            staff_session(Lang::Ar, "x", Some(3)),
            "/ar/staff/events/x/sessions/3"
        );
        assert_eq!(join("abc", 7), "/join/abc/7");
        assert_eq!(event_calendar(Lang::Ar, "x"), "/events/x.ics?lang=ar");
    }
}
