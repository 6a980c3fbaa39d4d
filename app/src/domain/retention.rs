//! How long personal data is kept: what the privacy notice states, from the
//! same configuration the purge reads.

use serde::{Deserialize, Serialize};

/// Days personal data is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionPolicy {
    /// Registrations and attendance, after the event ends.
    pub registration_days: u32,
    /// Questions, votes, priorities and feedback, after the event ends.
    pub hearing_days: u32,
    /// Subscribers who never confirm, after the last confirmation email.
    pub unconfirmed_days: u32,
    /// Emails, after they are delivered.
    pub mail_days: u32,
}

/// What one purge deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub registrations: u64,
    pub attendance: u64,
    pub subscribers: u64,
    pub emails: u64,
    /// Questions, votes, priorities and feedback.
    pub hearing: u64,
}

impl Purged {
    /// The audit entry's reason: counts only, never who.
    pub fn code(&self) -> String {
        format!(
            "registrations:{} attendance:{} subscribers:{} emails:{} hearing:{}",
            self.registrations, self.attendance, self.subscribers, self.emails, self.hearing
        )
    }

    /// Reads [`Purged::code`] back (for the audit page).
    pub fn parse(code: &str) -> Option<Self> {
        let mut purged = Self::default();
        for part in code.split(' ') {
            let (name, n) = part.split_once(':')?;
            let n = n.parse().ok()?;
            match name {
                "registrations" => purged.registrations = n,
                "attendance" => purged.attendance = n,
                "subscribers" => purged.subscribers = n,
                "emails" => purged.emails = n,
                "hearing" => purged.hearing = n,
                _ => return None,
            }
        }
        Some(purged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audit_code_round_trips() {
        let purged = Purged {
            registrations: 12,
            attendance: 3,
            subscribers: 1,
            emails: 40,
            hearing: 9,
        };
        // Entries written before questions and feedback existed still read.
        assert_eq!(
            Purged::parse("registrations:1 attendance:0 subscribers:0 emails:2").map(|p| p.hearing),
            Some(0)
        );
        assert_eq!(Purged::parse(&purged.code()), Some(purged));
        assert_eq!(Purged::parse("a moderator's words"), None);
    }
}
