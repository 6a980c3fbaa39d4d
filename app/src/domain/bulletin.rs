//! The bulletin: numbered issues in English and Arabic, written in Markdown
//! by staff. Parsing the editor's form is the only way to get a
//! [`BulletinForm`]; rendering and sanitising happen on the server.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Lang;
use super::event::EventSlug;
use super::form::{self, Errors, FieldError};

pub mod limits {
    pub const TITLE: usize = 200;
    pub const SUMMARY: usize = 600;
    pub const BODY: usize = 60_000;
    pub const NUMBER: i64 = 100_000;
}

/// Words a reader reads in a minute (a common estimate for both languages).
pub const WORDS_PER_MINUTE: i64 = 200;

/// The address of an issue, the same in both languages (`/en/bulletins/<slug>`
/// and `/ar/bulletins/<slug>`): lowercase ASCII letters, digits and hyphens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulletinSlug(String);

impl BulletinSlug {
    pub fn parse(raw: &str) -> Option<Self> {
        EventSlug::parse(raw).map(|s| Self(s.as_str().to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One language's version of an issue, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Version {
    pub title: String,
    pub summary: String,
    /// Markdown.
    pub body: String,
}

impl Version {
    pub fn exists(&self) -> bool {
        !self.title.is_empty()
    }
}

/// What the editor's form sends, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulletinForm {
    pub number: i64,
    pub slug: BulletinSlug,
    pub en: Version,
    pub ar: Version,
}

impl BulletinForm {
    pub fn version(&self, lang: Lang) -> &Version {
        match lang {
            Lang::En => &self.en,
            Lang::Ar => &self.ar,
        }
    }

    /// A language version needs a title and a body; an issue needs at least
    /// one language.
    pub fn parse(fields: &BTreeMap<String, String>) -> Result<Self, BTreeMap<String, FieldError>> {
        let mut errors = Errors::default();
        let get = |name: &str| fields.get(name).map_or("", String::as_str);
        let number = errors.take(
            "number",
            match get("number").trim() {
                "" => Err(FieldError::Required),
                raw => raw
                    .parse::<i64>()
                    .ok()
                    .filter(|n| (1..=limits::NUMBER).contains(n))
                    .ok_or(FieldError::Choice),
            },
        );
        let slug = errors.take(
            "slug",
            match get("slug").trim() {
                "" => Err(FieldError::Required),
                raw => BulletinSlug::parse(raw).map(Some).ok_or(FieldError::Choice),
            },
        );
        let version = |lang: &str, errors: &mut Errors| {
            let field = |name: &str| format!("{name}_{lang}");
            let title = errors.take(
                &field("title"),
                form::optional_text(get(&field("title")), limits::TITLE, false).and_then(|t| {
                    if t.contains(['<', '>']) {
                        Err(FieldError::Markup)
                    } else {
                        Ok(t)
                    }
                }),
            );
            let summary = errors.take(
                &field("summary"),
                form::optional_text(get(&field("summary")), limits::SUMMARY, true),
            );
            let body = errors.take(
                &field("body"),
                form::optional_text(get(&field("body")), limits::BODY, true),
            );
            if title.is_empty() && !body.is_empty() {
                errors.take::<()>(&field("title"), Err(FieldError::Required));
            }
            if !title.is_empty() && body.is_empty() {
                errors.take::<()>(&field("body"), Err(FieldError::Required));
            }
            Version {
                title,
                summary,
                body,
            }
        };
        let en = version("en", &mut errors);
        let ar = version("ar", &mut errors);
        if !en.exists() && !ar.exists() {
            errors.take::<()>("title_en", Err(FieldError::Required));
        }
        errors.finish(())?;
        let Some(slug) = slug else {
            return Err(BTreeMap::from([("slug".to_owned(), FieldError::Required)]));
        };
        Ok(Self {
            number,
            slug,
            en,
            ar,
        })
    }
}

/// The words in a text (for reading time): runs of letters or digits.
pub fn word_count(text: &str) -> i64 {
    let count = text
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '\u{2019}')
        .filter(|w| !w.is_empty())
        .count();
    i64::try_from(count).unwrap_or(i64::MAX)
}

/// Minutes to read `words`, at least one.
pub fn reading_minutes(words: i64) -> i64 {
    ((words + WORDS_PER_MINUTE - 1) / WORDS_PER_MINUTE).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn one_language_is_enough_and_each_needs_title_and_body() {
        let ok = BulletinForm::parse(&fields(&[
            ("number", "3"),
            ("slug", "issue-3"),
            ("title_ar", "النشرة"),
            ("body_ar", "نص"),
        ]))
        .expect("Arabic only is an issue");
        assert!(!ok.en.exists() && ok.ar.exists());

        let errors = BulletinForm::parse(&fields(&[
            ("number", "0"),
            ("slug", "Bad Slug"),
            ("title_en", "Title"),
            ("body_ar", "نص"),
        ]))
        .expect_err("refused");
        assert_eq!(errors.get("number"), Some(&FieldError::Choice));
        assert_eq!(errors.get("slug"), Some(&FieldError::Choice));
        assert_eq!(errors.get("body_en"), Some(&FieldError::Required));
        assert_eq!(errors.get("title_ar"), Some(&FieldError::Required));

        let errors = BulletinForm::parse(&fields(&[("number", "1"), ("slug", "x")]))
            .expect_err("empty issue");
        assert_eq!(errors.get("title_en"), Some(&FieldError::Required));
    }

    #[test]
    fn reading_time() {
        assert_eq!(word_count("The IIIM's bulletin — مرحبا بكم!"), 5);
        assert_eq!(reading_minutes(0), 1);
        assert_eq!(reading_minutes(200), 1);
        assert_eq!(reading_minutes(201), 2);
    }
}
