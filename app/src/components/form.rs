//! Form fields that show again what was typed and, next to the field, what is
//! wrong with it; and the summary of errors at the top of a rejected form.
//! A rejected form is rendered on the server with a [`FormState`] in context.

use leptos::prelude::*;

use crate::domain::form::HONEYPOT;
use crate::domain::{FormState, Lang};
use crate::i18n::*;
use crate::labels::{field_error_text, form_error_text};

/// The submitted form being shown again, if any.
pub fn use_form() -> FormState {
    use_context::<FormState>().unwrap_or_default()
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
        // Leptos writes a textarea's text children unescaped, so typed
        // `</textarea>` would end the field and the rest would be live markup.
        let text = textarea_text(&value);
        view! {
            <textarea id=name name=name rows="4" maxlength=max required=required
                aria-describedby=described aria-invalid=invalid inner_html=text></textarea>
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

/// `value` as the text of a `<textarea>`: `&` and `<` escaped, which is all
/// that raw text needs (the parser ends the element only at `</textarea`).
pub fn textarea_text(value: &str) -> String {
    let mut text = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => text.push_str("&amp;"),
            '<' => text.push_str("&lt;"),
            c => text.push(c),
        }
    }
    text
}

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

/// The error of a group of radio buttons or checkboxes (inside its fieldset).
#[component]
pub fn GroupError(lang: Lang, name: &'static str) -> impl IntoView {
    let error = use_form().error_for(name);
    error.map(|e| {
        view! { <p class="error" id=format!("{name}-error")>{field_error_text(lang, e)}</p> }
    })
}
