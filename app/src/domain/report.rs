//! The event report's rules: accessibility needs counted by kind (never
//! listed by person), and numbers said the way the programme says them
//! ("representatives of over 20 NGOs attending").

use serde::{Deserialize, Serialize};

code_enum! {
    /// A kind of accessibility need, read from what participants wrote.
    AccessNeed {
        Mobility = "mobility",
        Hearing = "hearing",
        Sight = "sight",
        Other = "other",
    }
}

/// The kinds of need a participant's words name (`Other` when they name
/// none of the known ones); nothing for empty words.
pub fn needs_in(text: &str) -> Vec<AccessNeed> {
    let text = text.trim().to_lowercase();
    if text.is_empty() {
        return Vec::new();
    }
    let words: &[(AccessNeed, &[&str])] = &[
        (
            AccessNeed::Mobility,
            &[
                "wheelchair",
                "step-free",
                "step free",
                "ramp",
                "lift",
                "elevator",
                "mobility",
                "كرسي",
                "مصعد",
                "منحدر",
                "حركة",
            ],
        ),
        (
            AccessNeed::Hearing,
            &[
                "caption",
                "hearing",
                "sign language",
                "deaf",
                "subtitle",
                "سمع",
                "الإشارة",
                "ترجمة نصية",
                "أصم",
            ],
        ),
        (
            AccessNeed::Sight,
            &[
                "screen reader",
                "large print",
                "braille",
                "blind",
                "sight",
                "vision",
                "بصر",
                "برايل",
                "قارئ الشاشة",
                "كفيف",
            ],
        ),
    ];
    let mut found: Vec<AccessNeed> = words
        .iter()
        .filter(|(_, keys)| keys.iter().any(|k| text.contains(k)))
        .map(|(need, _)| *need)
        .collect();
    if found.is_empty() {
        found.push(AccessNeed::Other);
    }
    found
}

/// How a count of organisations reads in the programme's words: `None`
/// under 5 ("fewer than 5"); from 10 on, "over" the tens below it (23 →
/// over 20; 20 → 20); otherwise exact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phrased {
    pub over: bool,
    pub n: i64,
}

pub fn phrased(count: i64) -> Option<Phrased> {
    if count < super::hearing::SMALLEST_SHOWN {
        None
    } else if count >= 10 && count % 10 != 0 {
        Some(Phrased {
            over: true,
            n: count - count % 10,
        })
    } else {
        Some(Phrased {
            over: false,
            n: count,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_are_counted_by_kind() {
        assert_eq!(needs_in(""), vec![]);
        assert_eq!(
            needs_in("Step-free access please"),
            vec![AccessNeed::Mobility]
        );
        assert_eq!(
            needs_in("كرسي متحرك وترجمة نصية"),
            vec![AccessNeed::Mobility, AccessNeed::Hearing]
        );
        assert_eq!(needs_in("A quiet room"), vec![AccessNeed::Other]);
    }

    #[test]
    fn numbers_read_as_the_programme_says_them() {
        assert_eq!(phrased(4), None);
        assert_eq!(phrased(7), Some(Phrased { over: false, n: 7 }));
        assert_eq!(phrased(20), Some(Phrased { over: false, n: 20 }));
        assert_eq!(phrased(23), Some(Phrased { over: true, n: 20 }));
        assert_eq!(phrased(101), Some(Phrased { over: true, n: 100 }));
    }
}
