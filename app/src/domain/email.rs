//! An email address that has been checked once, at the edge. Strict enough
//! to refuse what would confuse a person reading it (hidden or reordering
//! characters), lenient enough for every address people really have.

use std::fmt;

use email_address::EmailAddress;
use serde::{Deserialize, Serialize};

/// The longest address SMTP can carry (RFC 5321 path limit).
pub const MAX_LEN: usize = 254;
const MAX_LOCAL_LEN: usize = 64;

/// A syntactically sane email address: trimmed, with a lowercase domain.
/// [`Email::parse`] is the only way to make one.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Email(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("the email address is empty")]
    Empty,
    #[error("the email address is too long")]
    TooLong,
    #[error("the email address is not valid")]
    Invalid,
}

impl Email {
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(EmailError::Empty);
        }
        if input.len() > MAX_LEN {
            return Err(EmailError::TooLong);
        }
        if input.chars().any(is_forbidden) {
            return Err(EmailError::Invalid);
        }
        let (local, domain) = input.split_once('@').ok_or(EmailError::Invalid)?;
        if domain.contains('@') || local.is_empty() || local.len() > MAX_LOCAL_LEN {
            return Err(EmailError::Invalid);
        }
        let dotted_ok =
            |part: &str| !part.starts_with('.') && !part.ends_with('.') && !part.contains("..");
        if !dotted_ok(local) || !dotted_ok(domain) || !domain.contains('.') {
            return Err(EmailError::Invalid);
        }
        let domain_ok = domain.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || !c.is_ascii())
        });
        if !domain_ok || mixes_scripts(local) || domain.split('.').any(mixes_scripts) {
            return Err(EmailError::Invalid);
        }
        // What the mail transport (lettre) checks before it sends: anything
        // it would refuse (`a,b@x.org`) is refused here, while the person can
        // still correct it, not after their private link failed to go out.
        let deliverable = EmailAddress::is_valid_local_part(local)
            && idna::domain_to_ascii(domain)
                .is_ok_and(|ascii| EmailAddress::is_valid_domain(&ascii));
        if !deliverable {
            return Err(EmailError::Invalid);
        }
        Ok(Self(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Data from the wire is parsed again, so a bad address cannot sneak in.
impl<'de> Deserialize<'de> for Email {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// Latin letters next to letters of another script in one part of an
/// address: the shape of a look-alike (`exаmple` with a Cyrillic `а`).
/// Addresses wholly in Arabic script (or any one script) are fine.
fn mixes_scripts(part: &str) -> bool {
    part.chars().any(|c| c.is_ascii_alphabetic())
        && part.chars().any(|c| c.is_alphabetic() && !c.is_ascii())
}

/// Whitespace, control characters, and the invisible characters that can
/// make an address look like another one: bidirectional controls, zero-width
/// characters, the byte-order mark, soft hyphen.
fn is_forbidden(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{3164}'
                | '\u{FEFF}'
                | '\u{FFA0}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> String {
        Email::parse(input)
            .unwrap_or_else(|e| panic!("{input:?}: {e}"))
            .into_inner()
    }

    #[test]
    fn accepts_and_normalises() {
        assert_eq!(
            ok("  Amal.Haddad@Example.ORG \n"),
            "Amal.Haddad@example.org"
        );
        assert_eq!(ok("a+tag@sub.example.co.uk"), "a+tag@sub.example.co.uk");
        assert_eq!(ok("o'brien@example.ie"), "o'brien@example.ie");
        assert_eq!(ok("مستخدم@مثال.سوريا"), "مستخدم@مثال.سوريا");
        assert_eq!(ok("x@xn--mgbtf8fl.com"), "x@xn--mgbtf8fl.com");
    }

    #[test]
    fn refuses_bad_shapes() {
        for bad in [
            "",
            "   ",
            "plain",
            "@example.org",
            "a@",
            "a@@example.org",
            "a@b@example.org",
            "a@localhost",
            "a@.example.org",
            "a@example.org.",
            "a@example..org",
            ".a@example.org",
            "a.@example.org",
            "a..b@example.org",
            "a@-example.org",
            "a@exa_mple.org",
            "a b@example.org",
            "a@exam ple.org",
            "amal@exаmple.org",
            "аmal@example.org",
            "amal@example.оrg",
            "a,b@x.org",
            "a(b)@x.org",
            "a:b@x.org",
            "a;b@x.org",
            "a[b]@x.org",
            "a\\b@x.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn refuses_hidden_characters() {
        for bad in [
            "a\u{200B}b@example.org",
            "ab@exa\u{200D}mple.org",
            "ab@example.org\u{202E}gro",
            "a\u{2066}b@example.org",
            "a\u{0007}@example.org",
            "a\u{FEFF}@example.org",
            "a\u{00A0}b@example.org",
            "a\u{061C}b@example.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn length_limits() {
        let domain = "example.org";
        let local = "a".repeat(64);
        assert!(Email::parse(&format!("{local}@{domain}")).is_ok());
        assert!(Email::parse(&format!("a{local}@{domain}")).is_err());
        let long_domain = format!("{}.org", "d".repeat(250));
        assert_eq!(
            Email::parse(&format!("a@{long_domain}")),
            Err(EmailError::TooLong)
        );
    }

    #[test]
    fn deserialising_parses() {
        let email: Email = serde_json::from_str(r#"" a@Example.org""#).unwrap();
        assert_eq!(email.as_str(), "a@example.org");
        assert!(serde_json::from_str::<Email>(r#""nope""#).is_err());
    }
}
