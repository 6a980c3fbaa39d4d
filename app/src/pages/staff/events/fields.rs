//! The editor forms' fields: what was stored or typed, and one input,
//! choice or tick box with its error next to it.
//! Server: none (parts of the forms above).

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::components::form::{GroupError, use_form};
use crate::domain::{FormState, Lang};
use crate::i18n::*;
use crate::labels::field_error_text;

/// The value a control shows: what was posted if this form was posted,
/// else the current data.
#[derive(Clone)]
pub struct Values {
    posted: bool,
    form: FormState,
    initial: BTreeMap<String, String>,
}

impl Values {
    pub fn new(initial: BTreeMap<String, String>, marker: &str) -> Self {
        let form = use_form();
        Self {
            posted: form.values.contains_key(marker),
            form,
            initial,
        }
    }

    pub fn get(&self, name: &str) -> String {
        if self.posted {
            self.form.value(name).to_owned()
        } else {
            self.initial.get(name).cloned().unwrap_or_default()
        }
    }

    pub fn ticked(&self, name: &str) -> bool {
        if self.posted {
            self.form.checked(name)
        } else {
            self.initial.contains_key(name)
        }
    }

    pub fn has(&self, name: &str, code: &str) -> bool {
        self.get(name).split(',').any(|c| c.trim() == code)
    }
}

/// A labelled input with a type, step or list the shared `Field` lacks.
#[component]
pub fn Input(
    lang: Lang,
    name: &'static str,
    label: &'static str,
    value: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] list: Option<&'static str>,
    #[prop(optional)] step: Option<&'static str>,
    #[prop(optional)] dir: Option<&'static str>,
    #[prop(default = 200)] max: usize,
) -> impl IntoView {
    let error = use_form().error_for(name);
    let hint_id = format!("{name}-hint");
    let error_id = format!("{name}-error");
    let described = [
        hint.as_ref().map(|_| hint_id.clone()),
        error.map(|_| error_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let described = (!described.is_empty()).then_some(described);
    let optional = (!required).then(|| {
        view! { <span class="optional">" ("{td_string!(lang.locale(), form.optional)}")"</span> }
    });
    view! {
        <div class="field" class:field-error=error.is_some()>
            <label for=name>{label}{optional}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            {error.map(|e| view! { <p class="error" id=error_id>{field_error_text(lang, e)}</p> })}
            <input id=name name=name type=kind value=value required=required maxlength=max
                list=list step=step dir=dir autocomplete="off"
                aria-describedby=described aria-invalid=error.map(|_| "true")/>
        </div>
    }
}

/// A labelled `<select>` of codes.
#[component]
pub fn Choice(
    lang: Lang,
    name: &'static str,
    label: &'static str,
    options: Vec<(&'static str, &'static str)>,
    selected: String,
) -> impl IntoView {
    let error = use_form().error_for(name);
    view! {
        <div class="field" class:field-error=error.is_some()>
            <label for=name>{label}</label>
            {error.map(|e| view! { <p class="error" id=format!("{name}-error")>{field_error_text(lang, e)}</p> })}
            <select id=name name=name aria-invalid=error.map(|_| "true")>
                {options.into_iter().map(|(code, text)| view! {
                    <option value=code selected=selected == code>{text}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
pub fn Tick(name: &'static str, label: &'static str, checked: bool) -> impl IntoView {
    view! {
        <div class="choice">
            <input type="checkbox" id=name name=name value="on" checked=checked/>
            <label for=name>{label}</label>
        </div>
    }
}

/// A confirmed destructive action (cancel an event or a session).
#[component]
pub fn CancelForm(
    lang: Lang,
    action: String,
    title: &'static str,
    body: &'static str,
    confirm: &'static str,
    submit: &'static str,
) -> impl IntoView {
    let form = use_form();
    let error = form.error_for("confirm");
    view! {
        <section class="danger-zone" aria-labelledby="cancel-heading">
            <h2 id="cancel-heading">{title}</h2>
            <p>{body}</p>
            <form method="post" action=action novalidate>
                <input type="hidden" name="action" value="cancel"/>
                <fieldset class="field" id="confirm" class:field-error=error.is_some()>
                    <legend class="visually-hidden">{title}</legend>
                    <GroupError lang name="confirm"/>
                    <div class="choice">
                        <input type="checkbox" id="confirm-box" name="confirm" value="yes" required=true/>
                        <label for="confirm-box">{confirm}</label>
                    </div>
                </fieldset>
                <p><button type="submit" class="button button-danger">{submit}</button></p>
            </form>
        </section>
    }
}
