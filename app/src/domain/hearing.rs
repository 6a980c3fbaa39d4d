//! What participants tell the mechanism besides their questions: the topics
//! that matter to them (at registration), what it should hear, and how the
//! event went (feedback); and the rule that keeps small groups unidentifiable
//! in every count staff see.

use std::collections::BTreeMap;

use super::form::{self, FieldError, ticked};

/// Topics an event may list.
pub const MAX_TOPICS: usize = 12;
/// A topic's title, in characters (each language).
pub const TOPIC_CHARS: usize = 100;
/// "What should the mechanism hear", and "what to change", in characters.
pub const FREE_TEXT: usize = 2000;
/// Counts below this are never shown exactly.
pub const SMALLEST_SHOWN: i64 = 5;

/// A count as staff may see it: `None` for "fewer than 5" (0 included), so
/// that a small group cannot be picked out.
pub fn shown(count: i64) -> Option<i64> {
    (count >= SMALLEST_SHOWN).then_some(count)
}

/// An event's topics as the editor takes them: one per line, the English
/// title, a vertical bar, the Arabic title (`Detention | الاحتجاز`).
pub fn parse_topics(raw: &str) -> Result<Vec<(String, String)>, FieldError> {
    let mut topics = Vec::new();
    for line in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (en, ar) = line.split_once('|').ok_or(FieldError::Topics)?;
        let en = form::line(en, TOPIC_CHARS)?;
        let ar = form::line(ar, TOPIC_CHARS)?;
        if ar.contains('|') {
            return Err(FieldError::Topics);
        }
        topics.push((en, ar));
    }
    if topics.len() > MAX_TOPICS {
        return Err(FieldError::Topics);
    }
    Ok(topics)
}

/// The editor's text for `topics` (what [`parse_topics`] reads back).
pub fn topics_text(topics: &[(String, String)]) -> String {
    topics
        .iter()
        .map(|(en, ar)| format!("{en} | {ar}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a registration says about priorities (all optional).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PriorityAnswer {
    /// Ids of the event's topics that matter to the participant.
    pub topics: Vec<i64>,
    /// What the mechanism should hear.
    pub text: Option<String>,
    /// "You may attribute this to my organisation".
    pub attribute: bool,
}

impl PriorityAnswer {
    pub fn is_empty(&self) -> bool {
        self.topics.is_empty() && self.text.is_none()
    }

    /// Reads `topics` (ids among `offered`, repeated fields joined by
    /// commas), `hear` and `attribute`.
    pub fn parse(
        fields: &BTreeMap<String, String>,
        offered: &[i64],
    ) -> Result<Self, BTreeMap<String, FieldError>> {
        let mut errors = BTreeMap::new();
        let mut topics = Vec::new();
        for code in fields
            .get("topics")
            .map_or("", String::as_str)
            .split(',')
            .filter(|c| !c.is_empty())
        {
            match code.parse::<i64>().ok().filter(|id| offered.contains(id)) {
                Some(id) if !topics.contains(&id) => topics.push(id),
                Some(_) => {}
                None => {
                    errors.insert("topics".to_owned(), FieldError::Choice);
                }
            }
        }
        let text = form::optional_text(
            fields.get("hear").map_or("", String::as_str),
            FREE_TEXT,
            true,
        )
        .map_err(|e| errors.insert("hear".to_owned(), e))
        .ok()
        .filter(|t| !t.is_empty());
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self {
            topics,
            attribute: text.is_some() && ticked(fields, "attribute"),
            text,
        })
    }
}

/// Feedback after the event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedbackAnswer {
    /// How useful the event was, 1 to 5.
    pub usefulness: i64,
    /// "Did you feel safe to speak", 1 to 5.
    pub safety: i64,
    /// What to change.
    pub change: Option<String>,
}

impl FeedbackAnswer {
    pub fn parse(fields: &BTreeMap<String, String>) -> Result<Self, BTreeMap<String, FieldError>> {
        let mut errors = BTreeMap::new();
        let mut scale = |name: &str| {
            let value = fields.get(name).map_or("", String::as_str);
            match value.parse::<i64>() {
                Ok(n) if (1..=5).contains(&n) => n,
                _ => {
                    let error = if value.is_empty() {
                        FieldError::Required
                    } else {
                        FieldError::Choice
                    };
                    errors.insert(name.to_owned(), error);
                    0
                }
            }
        };
        let usefulness = scale("usefulness");
        let safety = scale("safety");
        let change = form::optional_text(
            fields.get("change").map_or("", String::as_str),
            FREE_TEXT,
            true,
        )
        .map_err(|e| errors.insert("change".to_owned(), e))
        .ok()
        .filter(|t| !t.is_empty());
        if errors.is_empty() {
            Ok(Self {
                usefulness,
                safety,
                change,
            })
        } else {
            Err(errors)
        }
    }
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
    fn small_counts_are_never_shown() {
        for n in 0..5 {
            assert_eq!(shown(n), None);
        }
        assert_eq!(shown(5), Some(5));
        assert_eq!(shown(120), Some(120));
    }

    #[test]
    fn topics_are_bilingual_lines() {
        assert_eq!(
            parse_topics("Detention | الاحتجاز\n\n  Missing persons|المفقودون  "),
            Ok(vec![
                ("Detention".to_owned(), "الاحتجاز".to_owned()),
                ("Missing persons".to_owned(), "المفقودون".to_owned()),
            ])
        );
        assert_eq!(parse_topics(""), Ok(vec![]));
        assert_eq!(parse_topics("Only English"), Err(FieldError::Topics));
        assert_eq!(parse_topics("a | b | c"), Err(FieldError::Topics));
        assert_eq!(parse_topics(" | عربي"), Err(FieldError::Required));
        assert_eq!(parse_topics("<b>x</b> | y"), Err(FieldError::Markup));
        assert_eq!(parse_topics(&"a | b\n".repeat(13)), Err(FieldError::Topics));
        let topics = parse_topics("A | أ\nB | ب").unwrap_or_default();
        assert_eq!(parse_topics(&topics_text(&topics)), Ok(topics));
    }

    #[test]
    fn priorities_are_optional_and_only_offered_topics() {
        assert_eq!(
            PriorityAnswer::parse(&fields(&[]), &[1, 2]),
            Ok(PriorityAnswer::default())
        );
        let answer = PriorityAnswer::parse(
            &fields(&[
                ("topics", "2,1,2"),
                ("hear", " Justice first "),
                ("attribute", "yes"),
            ]),
            &[1, 2],
        );
        assert_eq!(
            answer,
            Ok(PriorityAnswer {
                topics: vec![2, 1],
                text: Some("Justice first".to_owned()),
                attribute: true,
            })
        );
        assert!(PriorityAnswer::parse(&fields(&[("topics", "3")]), &[1, 2]).is_err());
        assert!(PriorityAnswer::parse(&fields(&[("hear", "a\u{202E}b")]), &[]).is_err());
        // Nothing to attribute without words.
        let bare = PriorityAnswer::parse(&fields(&[("attribute", "yes")]), &[]);
        assert_eq!(bare.map(|a| a.attribute), Ok(false));
    }

    #[test]
    fn feedback_needs_both_scales() {
        let ok = FeedbackAnswer::parse(&fields(&[("usefulness", "5"), ("safety", "1")]));
        assert_eq!(
            ok.map(|f| (f.usefulness, f.safety, f.change)),
            Ok((5, 1, None))
        );
        for bad in [
            &[("usefulness", "6"), ("safety", "1")][..],
            &[("safety", "3")],
            &[("usefulness", "x"), ("safety", "0")],
        ] {
            assert!(FeedbackAnswer::parse(&fields(bad)).is_err(), "{bad:?}");
        }
    }
}
