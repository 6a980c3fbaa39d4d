//! Search text normalisation, so that Arabic matches with or without
//! diacritics and with the common letter variants, and Latin text matches
//! regardless of case.

/// Lower-cases, removes Arabic diacritics and tatweel, and folds alef forms
/// (أ إ آ ٱ → ا), taa marbuta (ة → ه) and alef maqsura (ى → ي).
pub fn normalize(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}'))
        .map(|c| match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ة' => 'ه',
            'ى' => 'ي',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Arabic proclitics folded away for search: the article and the
/// conjunctions or prepositions written onto it (`الكتاب`, `والكتاب`,
/// `بالكتاب` all find `كتاب`). Longest first.
const PROCLITICS: [&str; 6] = ["وال", "بال", "كال", "فال", "لل", "ال"];

/// `word` (already [`normalize`]d) without a leading Arabic article, when
/// what is left is a word of at least three letters.
pub fn strip_article(word: &str) -> &str {
    PROCLITICS
        .iter()
        .find_map(|p| {
            word.strip_prefix(p)
                .filter(|rest| rest.chars().count() >= 3)
        })
        .unwrap_or(word)
}

/// The words of `text` as the search index holds them: [`normalize`]d, and
/// each Arabic word with an article also without it.
pub fn index_text(text: &str) -> String {
    let normal = normalize(text);
    let mut out = String::with_capacity(normal.len() * 3 / 2);
    for word in normal
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        out.push_str(word);
        out.push(' ');
        let bare = strip_article(word);
        if bare != word {
            out.push_str(bare);
            out.push(' ');
        }
    }
    out
}

/// The words of a search, as [`index_text`] indexed them: normalised, and
/// without the article (the index holds both forms).
pub fn query_words(typed: &str) -> Vec<String> {
    normalize(typed)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| strip_article(w).to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_fold_on_both_sides() {
        assert_eq!(strip_article("الاستراتيجيه"), "استراتيجيه");
        assert_eq!(strip_article("والاطفال"), "اطفال");
        assert_eq!(strip_article("الم"), "الم", "too short to be an article");
        assert_eq!(index_text("الأطفالُ و Youth"), "الاطفال اطفال و youth ");
        assert_eq!(query_words("بالأطفال"), ["اطفال"]);
    }

    #[test]
    fn folds_arabic_variants_and_case() {
        assert_eq!(normalize("المُساءَلة"), normalize("المساءله"));
        assert_eq!(normalize("إحاطة"), "احاطه");
        assert_eq!(normalize("مستشفى"), "مستشفي");
        assert_eq!(normalize("Gender STRATEGY"), "gender strategy");
    }
}
