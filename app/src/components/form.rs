//! Form fields that show again what was typed and, next to the field, what is
//! wrong with it; and the summary of errors at the top of a rejected form.
//! A rejected form is rendered on the server with a [`FormState`] in context.

use leptos::prelude::*;

use crate::domain::form::{FormError, HONEYPOT};
use crate::domain::{FieldError, FormState, Lang};
use crate::i18n::*;

/// The submitted form being shown again, if any.
pub fn use_form() -> FormState {
    use_context::<FormState>().unwrap_or_default()
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
    }
}

/// At the top of a rejected form: what went wrong, with a link to each field
/// that needs attention.
#[component]
pub fn FormErrors(
    lang: Lang,
    #[prop(into)] labels: Vec<(&'static str, &'static str)>,
) -> impl IntoView {
    let form = use_form();
    let error = form.error?;
    let items = labels
        .into_iter()
        .filter_map(|(name, label)| {
            form.error_for(name).map(|e| {
                view! {
                    <li><a href=format!("#{name}")>{label}": "{field_error_text(lang, e)}</a></li>
                }
            })
        })
        .collect_view();
    Some(view! {
        <div class="notice notice-error form-errors" role="alert" tabindex="-1" id="form-errors">
            <p>{form_error_text(lang, error)}</p>
            <ul>{items}</ul>
        </div>
    })
}

/// A labelled text input (or textarea) with its hint and error.
#[component]
pub fn Field(
    lang: Lang,
    name: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] required: bool,
    max: usize,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] multiline: bool,
    /// The value shown when no form was submitted (an edit form's current data).
    #[prop(optional, into)]
    initial: Option<String>,
) -> impl IntoView {
    let form = use_form();
    let value = form
        .values
        .get(name)
        .cloned()
        .or(initial)
        .unwrap_or_default();
    let error = form.error_for(name);
    let hint_id = format!("{name}-hint");
    let error_id = format!("{name}-error");
    let described = [
        hint.map(|_| hint_id.clone()),
        error.map(|_| error_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let described = (!described.is_empty()).then_some(described);
    let invalid = error.map(|_| "true");
    let optional = (!required).then(|| {
        view! { <span class="optional">" ("{td_string!(lang.locale(), form.optional)}")"</span> }
    });
    let control = if multiline {
        view! {
            <textarea id=name name=name rows="4" maxlength=max required=required
                aria-describedby=described aria-invalid=invalid>{value}</textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=name name=name type=kind value=value maxlength=max required=required
                autocomplete=autocomplete aria-describedby=described aria-invalid=invalid/>
        }
        .into_any()
    };
    view! {
        <div class="field" class:field-error=error.is_some()>
            <label for=name>{label}{optional}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            {error.map(|e| view! { <p class="error" id=error_id>{field_error_text(lang, e)}</p> })}
            {control}
        </div>
    }
}

/// The error of a group of radio buttons or checkboxes (inside its fieldset).
/// A field people neither see nor fill in (it sits off screen, is hidden from
/// assistive technology and skipped by Tab); form-filling robots fill it in,
/// and the server then stores nothing. Instead of a third-party CAPTCHA.
#[component]
pub fn Honeypot(lang: Lang) -> impl IntoView {
    let locale = lang.locale();
    view! {
        <div class="honeypot" aria-hidden="true">
            <label>
                {td_string!(locale, form.honeypot)}
                <input type="text" name=HONEYPOT value="" tabindex="-1" autocomplete="off"/>
            </label>
        </div>
    }
}

#[component]
pub fn GroupError(lang: Lang, name: &'static str) -> impl IntoView {
    let error = use_form().error_for(name);
    error.map(|e| {
        view! { <p class="error" id=format!("{name}-error")>{field_error_text(lang, e)}</p> }
    })
}
