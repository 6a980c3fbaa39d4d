//! Private manage tokens: 128 random bits, given to the participant once (in
//! the confirmation email) and stored only as a SHA-256 hash.

use sha2::{Digest, Sha256};

use crate::error::AppError;

/// A token as it appears in a private link: 32 lowercase hex digits.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// A fresh token from the operating system's random source.
    pub fn generate() -> Result<Self, AppError> {
        let bytes = random_bytes::<16>()?;
        Ok(Self(bytes.iter().map(|b| format!("{b:02x}")).collect()))
    }

    /// A token from a URL; anything malformed is simply not found.
    pub fn parse(raw: &str) -> Option<Self> {
        (raw.len() == 32 && raw.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
            .then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the database keeps.
    pub fn hash(&self) -> Vec<u8> {
        Sha256::digest(self.0.as_bytes()).to_vec()
    }
}

/// `N` bytes from the operating system's random source.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], AppError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|error| {
        tracing::error!(%error, "no randomness");
        AppError::Internal
    })?;
    Ok(bytes)
}

/// Crockford's base 32 (for codes copied from paper).
pub use crate::domain::checkin::CROCKFORD;

/// A random code of `groups` groups of `size` [`CROCKFORD`] characters (5
/// bits each), joined by hyphens: `K7QM-4XPA-9RTD`.
pub fn grouped_code(groups: usize, size: usize) -> Result<String, AppError> {
    let bytes = random_bytes::<32>()?;
    if groups * size > bytes.len() {
        return Err(AppError::Internal);
    }
    let letters: Vec<char> = bytes[..groups * size]
        .iter()
        .map(|b| char::from(CROCKFORD[usize::from(b % 32)]))
        .collect();
    Ok(letters
        .chunks(size)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-"))
}

/// A fresh invitation code for a closed event: three groups of four (60
/// bits), e.g. `K7QM-4XPA-9RTD`.
pub fn invitation_code() -> Result<String, AppError> {
    grouped_code(3, 4)
}

// Never printed by accident.
impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::Token;

    #[test]
    fn tokens_are_random_hex_and_hash_stably() {
        let a = Token::generate().expect("random");
        let b = Token::generate().expect("random");
        assert_ne!(a, b);
        assert_eq!(Token::parse(a.as_str()), Some(a.clone()));
        assert_eq!(a.hash(), Token::parse(a.as_str()).expect("valid").hash());
        assert_eq!(a.hash().len(), 32);
        assert!(Token::parse("ABCDEF0123456789abcdef0123456789").is_none());
        assert!(Token::parse("abc").is_none());
        assert_eq!(format!("{a:?}"), "Token(…)");
        let code = super::invitation_code().expect("random");
        assert_eq!(code.len(), 14);
        assert!(code.split('-').all(|g| g.len() == 4));
        assert_ne!(code, super::invitation_code().expect("random"));
    }
}
