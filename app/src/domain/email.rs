//! An email address as we accept it: one line, one `@`, a dotted domain, no
//! invisible or look-alike tricks. Deliverability is proven by the link we
//! send, not by parsing.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    /// Trims, lower-cases the domain, and accepts only plain addresses:
    /// printable characters without spaces, quotes or angle brackets; a
    /// domain of ASCII letters, digits, hyphens and dots (internationalised
    /// domains in their `xn--` form), with at least one dot.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        if raw.is_empty() || raw.len() > Self::MAX_LEN {
            return None;
        }
        let (local, domain) = raw.split_once('@')?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        let domain = domain.to_ascii_lowercase();
        let labels_ok = domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
        let domain_ok = domain.contains('.') && labels_ok;
        (local_ok && domain_ok).then(|| Self(format!("{local}@{domain}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::Email;

    #[test]
    fn accepts_plain_addresses() {
        let email = Email::parse("  Amal.K+events@Example.ORG ").expect("valid");
        assert_eq!(email.as_str(), "Amal.K+events@example.org");
        assert!(Email::parse("x@xn--mgbh0fb.xn--kgbechtv").is_some());
    }

    #[test]
    fn refuses_look_alikes_and_tricks() {
        for bad in [
            "",
            "plain",
            "a@b",
            "a@@b.org",
            "a b@c.org",
            "a@b..org",
            ".a@b.org",
            "a@-b.org",
            "\"a\"@b.org",
            "a@b.org\nBcc: x@y.org",
            "amal@exаmple.org", // Cyrillic 'а'
            "amal\u{200B}@example.org",
            "amal@example.org\u{202E}",
            "<a@b.org>",
        ] {
            assert!(Email::parse(bad).is_none(), "{bad:?} was accepted");
        }
        assert!(Email::parse(&format!("{}@b.org", "a".repeat(65))).is_none());
    }
}
