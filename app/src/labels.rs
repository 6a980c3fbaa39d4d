//! Domain values in words: every function that turns a code (a mode, a state,
//! a kind, a role, an error…) into what the reader sees, in their language.
//! Pages, components, emails and the server's form answers all say it the
//! same way because they all ask here.

use crate::domain::checkin::CheckinRefusal;
use crate::domain::form::FormError;
use crate::domain::report::AccessNeed;
use crate::domain::retention::Purged;
use crate::domain::{
    Area, AttendanceMode, EventFormat, EventKind, EventStatus, FieldError, InterpretationLanguage,
    Lang, OrganisationState, QuestionState, RegistrationState, Role, Visibility,
};
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

/// A kind of accessibility need.
pub fn access_need_label(lang: Lang, need: AccessNeed) -> &'static str {
    let locale = lang.locale();
    match need {
        AccessNeed::Mobility => td_string!(locale, report.need_mobility),
        AccessNeed::Hearing => td_string!(locale, report.need_hearing),
        AccessNeed::Sight => td_string!(locale, report.need_sight),
        AccessNeed::Other => td_string!(locale, report.need_other),
    }
}

/// Where a question stands, for its author.
pub fn question_state_label(lang: Lang, state: QuestionState) -> &'static str {
    let locale = lang.locale();
    match state {
        QuestionState::Pending => td_string!(locale, questions.state_pending),
        QuestionState::Approved => td_string!(locale, questions.state_approved),
        QuestionState::Answering => td_string!(locale, questions.state_answering),
        QuestionState::Answered => td_string!(locale, questions.state_answered),
        QuestionState::Hidden => td_string!(locale, questions.state_hidden),
        QuestionState::Merged => td_string!(locale, questions.state_merged),
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

/// A site language's name, in the reader's language.
pub fn lang_name(lang: Lang, language: Lang) -> &'static str {
    let locale = lang.locale();
    match language {
        Lang::Ar => td_string!(locale, lang.ar),
        Lang::En => td_string!(locale, lang.en),
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

pub fn role_label(lang: Lang, role: Role) -> &'static str {
    let locale = lang.locale();
    match role {
        Role::Admin => td_string!(locale, staff.role_admin),
        Role::Moderator => td_string!(locale, staff.role_moderator),
    }
}

pub fn kind_label(lang: Lang, kind: EventKind) -> &'static str {
    let locale = lang.locale();
    match kind {
        EventKind::PlatformMeeting => td_string!(locale, kind.platform_meeting),
        EventKind::Consultation => td_string!(locale, kind.consultation),
        EventKind::Briefing => td_string!(locale, kind.briefing),
        EventKind::CommunityEvent => td_string!(locale, kind.community_event),
    }
}

pub fn format_label(lang: Lang, format: EventFormat) -> &'static str {
    let locale = lang.locale();
    match format {
        EventFormat::InPerson => td_string!(locale, format.in_person),
        EventFormat::Online => td_string!(locale, format.online),
        EventFormat::Hybrid => td_string!(locale, format.hybrid),
    }
}

pub fn field_error_text(lang: Lang, error: FieldError) -> String {
    let locale = lang.locale();
    match error {
        FieldError::Required => td_string!(locale, form.required).to_owned(),
        FieldError::TooLong { max } => {
            td_string!(locale, form.too_long, max = lang.digits(&max.to_string()))
        }
        FieldError::Invisible => td_string!(locale, form.invisible).to_owned(),
        FieldError::Markup => td_string!(locale, form.markup).to_owned(),
        FieldError::Email => td_string!(locale, form.email).to_owned(),
        FieldError::Url => td_string!(locale, form.url).to_owned(),
        FieldError::Choice => td_string!(locale, form.choice).to_owned(),
        FieldError::NotOffered => td_string!(locale, form.not_offered).to_owned(),
        FieldError::Consent => td_string!(locale, form.consent).to_owned(),
        FieldError::InvitationCode => td_string!(locale, form.invitation_code).to_owned(),
        FieldError::Slug => td_string!(locale, form.slug).to_owned(),
        FieldError::SlugTaken => td_string!(locale, form.slug_taken).to_owned(),
        FieldError::CodeRequired => td_string!(locale, form.code_required).to_owned(),
        FieldError::EmailDomains => td_string!(locale, form.email_domains).to_owned(),
        FieldError::CodeTooShort => td_string!(locale, form.code_too_short).to_owned(),
        FieldError::EndsLongAgo => td_string!(locale, form.ends_long_ago).to_owned(),
        FieldError::DateTime => td_string!(locale, form.date_time).to_owned(),
        FieldError::TimeZone => td_string!(locale, form.time_zone).to_owned(),
        FieldError::NoSuchTime => td_string!(locale, form.no_such_time).to_owned(),
        FieldError::EndBeforeStart => td_string!(locale, form.end_before_start).to_owned(),
        FieldError::ClosesBeforeOpens => td_string!(locale, form.closes_before_opens).to_owned(),
        FieldError::ClosesAfterStart => td_string!(locale, form.closes_after_start).to_owned(),
        FieldError::OpensAfterStart => td_string!(locale, form.opens_after_start).to_owned(),
        FieldError::SessionsOutside => td_string!(locale, form.sessions_outside).to_owned(),
        FieldError::Number { max } => {
            td_string!(locale, form.number, max = lang.digits(&max.to_string()))
        }
        FieldError::BelowTaken { taken } => {
            td_string!(
                locale,
                form.below_taken,
                taken = lang.digits(&taken.to_string())
            )
        }
        FieldError::OutsideEvent => td_string!(locale, form.outside_event).to_owned(),
        FieldError::Https => td_string!(locale, form.https).to_owned(),
        FieldError::Taken => td_string!(locale, form.taken).to_owned(),
        FieldError::Topics => td_string!(locale, form.topics).to_owned(),
        FieldError::ReminderAfterStart => td_string!(locale, form.reminder_after_start).to_owned(),
        FieldError::Channels => td_string!(locale, form.channels).to_owned(),
        FieldError::FileMissing => td_string!(locale, form.file_missing).to_owned(),
        FieldError::FileTooLarge => td_string!(locale, form.file_too_large).to_owned(),
        FieldError::FileKind => td_string!(locale, form.file_kind).to_owned(),
        FieldError::FileLies => td_string!(locale, form.file_lies).to_owned(),
    }
}

pub fn form_error_text(lang: Lang, error: FormError) -> &'static str {
    let locale = lang.locale();
    match error {
        FormError::Fields => td_string!(locale, form.summary),
        FormError::RegistrationNotOpen => td_string!(locale, form.not_open),
        FormError::RegistrationClosed => td_string!(locale, form.closed),
        FormError::Full => td_string!(locale, form.full),
        FormError::BadRequest => td_string!(locale, form.bad_request),
        FormError::CrossSite => td_string!(locale, form.cross_site),
        FormError::TooLarge => td_string!(locale, form.too_large),
        FormError::TooManyAttempts => td_string!(locale, form.too_many),
        FormError::BadCredentials => td_string!(locale, form.bad_credentials),
        FormError::CheckAgain => td_string!(locale, form.check_again),
        FormError::NotApproved => td_string!(locale, questions.not_approved),
        FormError::NoSuchQuestion => td_string!(locale, questions.no_such),
        FormError::FeedbackClosed => td_string!(locale, hearing.feedback_closed),
    }
}

pub fn status_label(lang: Lang, status: EventStatus) -> &'static str {
    let locale = lang.locale();
    match status {
        EventStatus::Draft => td_string!(locale, editor.status_draft),
        EventStatus::Published => td_string!(locale, editor.status_published),
        EventStatus::Cancelled => td_string!(locale, editor.status_cancelled),
    }
}

pub fn visibility_label(lang: Lang, visibility: Visibility) -> &'static str {
    let locale = lang.locale();
    match visibility {
        Visibility::Public => td_string!(locale, editor.visibility_public),
        Visibility::Closed => td_string!(locale, editor.visibility_closed),
    }
}

pub fn vetting_label(lang: Lang, state: OrganisationState) -> &'static str {
    let locale = lang.locale();
    match state {
        OrganisationState::Pending => td_string!(locale, vetting.pending),
        OrganisationState::Verified => td_string!(locale, vetting.verified),
        OrganisationState::Declined => td_string!(locale, vetting.declined),
    }
}

pub fn area_label(lang: Lang, area: Area) -> &'static str {
    let locale = lang.locale();
    match area {
        Area::ChildrenYouth => td_string!(locale, organisation.area_children_youth),
        Area::Gender => td_string!(locale, organisation.area_gender),
        Area::Detention => td_string!(locale, organisation.area_detention),
        Area::Survivors => td_string!(locale, organisation.area_survivors),
        Area::Lgbtq => td_string!(locale, organisation.area_lgbtq),
        Area::Documentation => td_string!(locale, organisation.area_documentation),
        Area::Other => td_string!(locale, organisation.area_other),
    }
}

/// "No. 3" in the reader's digits.
pub fn issue_number(lang: Lang, number: i64) -> String {
    td_string!(
        lang.locale(),
        bulletins.number,
        number = lang.digits(&number.to_string())
    )
}

pub fn reading_time(lang: Lang, minutes: i64) -> String {
    td_string!(
        lang.locale(),
        bulletins.minutes,
        minutes = lang.digits(&minutes.to_string())
    )
}

/// "Only in English" next to an issue shown in the other language.
pub fn only_in(lang: Lang, shown: Lang) -> &'static str {
    let locale = lang.locale();
    match shown {
        Lang::En => td_string!(locale, bulletins.only_en),
        Lang::Ar => td_string!(locale, bulletins.only_ar),
    }
}

/// The audit log's codes (actors, actions, record kinds) in the reader's
/// language; a code without a name is shown as it is.
pub fn audit_code_label(lang: Lang, code: &str) -> &str {
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
        "organisation_domains" => td_string!(locale, audit.action_organisation_domains),
        "declined" => td_string!(locale, audit.action_declined),
        "user_created" => td_string!(locale, audit.action_user_created),
        "user_disabled" => td_string!(locale, audit.action_user_disabled),
        "user_enabled" => td_string!(locale, audit.action_user_enabled),
        "role_changed" => td_string!(locale, audit.action_role_changed),
        "password_reset" => td_string!(locale, audit.action_password_reset),
        "password_changed" => td_string!(locale, audit.action_password_changed),
        "sessions_ended" => td_string!(locale, audit.action_sessions_ended),
        "two_factor_enrolled" => td_string!(locale, audit.action_two_factor_enrolled),
        "two_factor_removed" => td_string!(locale, audit.action_two_factor_removed),
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
        "announced" => td_string!(locale, audit.action_announced),
        "checked_in" => td_string!(locale, audit.action_checked_in),
        "material_added" => td_string!(locale, audit.action_material_added),
        "material_removed" => td_string!(locale, audit.action_material_removed),
        "checkin_undone" => td_string!(locale, audit.action_checkin_undone),
        "question_approved" => td_string!(locale, audit.action_question_approved),
        "question_answering" => td_string!(locale, audit.action_question_answering),
        "question_answered" => td_string!(locale, audit.action_question_answered),
        "question_hidden" => td_string!(locale, audit.action_question_hidden),
        "question_merged" => td_string!(locale, audit.action_question_merged),
        "question_translated" => td_string!(locale, audit.action_question_translated),
        "subscription_requested" => td_string!(locale, audit.action_subscription_requested),
        "subscription_confirmed" => td_string!(locale, audit.action_subscription_confirmed),
        "unsubscribed" => td_string!(locale, audit.action_unsubscribed),
        "bulletin" => td_string!(locale, audit.subject_bulletin),
        "question" => td_string!(locale, audit.subject_question),
        "media" => td_string!(locale, audit.subject_media),
        "subscriber" => td_string!(locale, audit.subject_subscriber),
        "purged" => td_string!(locale, audit.action_purged),
        "retention" => td_string!(locale, audit.subject_retention),
        other => other,
    }
}

/// A reason as written by a moderator, a state or role recorded as a code,
/// or what a scheduled purge deleted.
pub fn audit_reason_label(lang: Lang, action: &str, reason: &str) -> String {
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
            emails = n(purged.emails),
            hearing = n(purged.hearing)
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

/// Why a join link led back here (`?join=…`).
pub fn join_refusal(lang: Lang, why: &str) -> Option<&'static str> {
    let locale = lang.locale();
    Some(match why {
        "unknown" => td_string!(locale, join.refused_unknown),
        "cancelled" => td_string!(locale, join.refused_cancelled),
        "event_cancelled" => td_string!(locale, join.refused_event_cancelled),
        "not_entitled" => td_string!(locale, join.refused_not_entitled),
        "early" => td_string!(locale, join.refused_early),
        "over" => td_string!(locale, join.refused_over),
        _ => return None,
    })
}

/// Why someone cannot be checked in at the door.
pub fn checkin_refusal(lang: Lang, why: CheckinRefusal) -> &'static str {
    let locale = lang.locale();
    match why {
        CheckinRefusal::UnknownCode => td_string!(locale, checkin.refused_unknown_code),
        CheckinRefusal::OtherEvent => td_string!(locale, checkin.refused_other_event),
        CheckinRefusal::Pending => td_string!(locale, checkin.refused_pending),
        CheckinRefusal::Waitlisted => td_string!(locale, checkin.refused_waitlisted),
        CheckinRefusal::Rejected => td_string!(locale, checkin.refused_rejected),
        CheckinRefusal::Withdrawn => td_string!(locale, checkin.refused_withdrawn),
        CheckinRefusal::OnlineOnly => td_string!(locale, checkin.refused_online_only),
        CheckinRefusal::AlreadyIn => td_string!(locale, checkin.refused_already_in),
        CheckinRefusal::NotIn => td_string!(locale, checkin.refused_not_in),
        CheckinRefusal::EventOver => td_string!(locale, checkin.refused_event_over),
        CheckinRefusal::TooEarly => td_string!(locale, checkin.refused_too_early),
    }
}
