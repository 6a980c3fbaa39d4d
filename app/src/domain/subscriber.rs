//! The mailing list: an address and the language it reads, added only after
//! the address confirms (double opt-in).

use std::collections::BTreeMap;

use super::form::{Errors, FieldError};
use super::{Email, Lang};

code_enum! {
    /// How an address came to the list.
    SubscriberSource {
        Form = "form",
        Organisation = "organisation",
    }
}

/// The subscribe form, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubscribeForm {
    pub email: Email,
    pub lang: Lang,
}

impl SubscribeForm {
    pub fn parse(fields: &BTreeMap<String, String>) -> Result<Self, BTreeMap<String, FieldError>> {
        let mut errors = Errors::default();
        let get = |name: &str| fields.get(name).map_or("", String::as_str);
        let email = errors.take(
            "email",
            match get("email").trim() {
                "" => Err(FieldError::Required),
                raw => Email::parse(raw).map(Some).map_err(|_| FieldError::Email),
            },
        );
        let lang = errors.take(
            "lang",
            Lang::parse(get("lang").trim())
                .map(Some)
                .ok_or(FieldError::Choice),
        );
        errors.finish(())?;
        match (email, lang) {
            (Some(email), Some(lang)) => Ok(Self { email, lang }),
            _ => Err(BTreeMap::from([("email".to_owned(), FieldError::Required)])),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_an_address_and_a_language() {
        let ok = SubscribeForm::parse(&BTreeMap::from([
            ("email".to_owned(), " Amal@Example.ORG ".to_owned()),
            ("lang".to_owned(), "ar".to_owned()),
        ]))
        .expect("valid");
        assert_eq!(ok.lang, Lang::Ar);
        let errors = SubscribeForm::parse(&BTreeMap::from([
            ("email".to_owned(), "nope".to_owned()),
            ("lang".to_owned(), "fr".to_owned()),
        ]))
        .expect_err("invalid");
        assert_eq!(errors.get("email"), Some(&FieldError::Email));
        assert_eq!(errors.get("lang"), Some(&FieldError::Choice));
    }
}
