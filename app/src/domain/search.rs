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

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn folds_arabic_variants_and_case() {
        assert_eq!(normalize("المُساءَلة"), normalize("المساءله"));
        assert_eq!(normalize("إحاطة"), "احاطه");
        assert_eq!(normalize("مستشفى"), "مستشفي");
        assert_eq!(normalize("Gender STRATEGY"), "gender strategy");
    }
}
