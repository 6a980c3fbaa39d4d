//! Check-in at the door: the short code a participant shows (also drawn as
//! a QR code), and why someone cannot be checked in.
//!
//! A code is eight characters of Crockford's base 32 (no I, L, O or U, so
//! nothing reads as another), shown as `ABCD-EFGH`: 40 bits of a keyed hash
//! of the registration (`server::checkin`), so it names nobody and cannot
//! be guessed from another. Typed codes forgive case, spaces, dashes and
//! the letters people mistake for digits.

use serde::{Deserialize, Serialize};

use super::{AttendanceMode, RegistrationState};

/// Crockford's base 32: no I, L, O or U.
pub const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Characters in a code, without its dash.
pub const CODE_LEN: usize = 8;

/// A check-in code, always in its canonical form (`ABCDEFGH`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CheckinCode(String);

impl CheckinCode {
    /// The code of five bytes of a keyed hash.
    pub fn from_bytes(bytes: [u8; 5]) -> Self {
        let bits = bytes.iter().fold(0_u64, |n, b| (n << 8) | u64::from(*b));
        let code = (0..CODE_LEN)
            .rev()
            .map(|i| char::from(CROCKFORD[usize::try_from((bits >> (i * 5)) & 31).unwrap_or(0)]))
            .collect();
        Self(code)
    }

    /// A code as someone typed or scanned it, or `None` when it cannot be one.
    pub fn parse(text: &str) -> Option<Self> {
        let mut code = String::with_capacity(CODE_LEN);
        for c in text.chars() {
            let c = match c.to_ascii_uppercase() {
                ' ' | '-' | '\u{a0}' => continue,
                'O' => '0',
                'I' | 'L' => '1',
                c if c.is_ascii() && CROCKFORD.contains(&(c as u8)) => c,
                _ => return None,
            };
            code.push(c);
        }
        (code.len() == CODE_LEN).then_some(Self(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `ABCD-EFGH`, as the private page shows it.
    pub fn display(&self) -> String {
        format!("{}-{}", &self.0[..4], &self.0[4..])
    }
}

/// Why a registration cannot be checked in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckinRefusal {
    /// No registration has this code.
    UnknownCode,
    /// The code belongs to another event's registration.
    OtherEvent,
    Pending,
    Waitlisted,
    Rejected,
    Withdrawn,
    /// Approved, but to attend online.
    OnlineOnly,
    /// Already checked in today.
    AlreadyIn,
    /// Nobody is checked in today: nothing to undo.
    NotIn,
    /// The event is cancelled, or over.
    EventOver,
    /// Check-in opens the day before the event starts.
    TooEarly,
}

impl CheckinRefusal {
    pub const ALL: [Self; 11] = [
        Self::UnknownCode,
        Self::OtherEvent,
        Self::Pending,
        Self::Waitlisted,
        Self::Rejected,
        Self::Withdrawn,
        Self::OnlineOnly,
        Self::AlreadyIn,
        Self::NotIn,
        Self::EventOver,
        Self::TooEarly,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::UnknownCode => "unknown_code",
            Self::OtherEvent => "other_event",
            Self::Pending => "pending",
            Self::Waitlisted => "waitlisted",
            Self::Rejected => "rejected",
            Self::Withdrawn => "withdrawn",
            Self::OnlineOnly => "online_only",
            Self::AlreadyIn => "already_in",
            Self::NotIn => "not_in",
            Self::EventOver => "event_over",
            Self::TooEarly => "too_early",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Why a registration in `state` attending in `mode` may not be checked
    /// in, if it may not.
    pub fn of(state: RegistrationState, mode: AttendanceMode) -> Option<Self> {
        match (state, mode) {
            (RegistrationState::Approved, AttendanceMode::InPerson) => None,
            (RegistrationState::Approved, AttendanceMode::Online) => Some(Self::OnlineOnly),
            (RegistrationState::Pending, _) => Some(Self::Pending),
            (RegistrationState::Waitlisted, _) => Some(Self::Waitlisted),
            (RegistrationState::Rejected, _) => Some(Self::Rejected),
            (RegistrationState::Withdrawn, _) => Some(Self::Withdrawn),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_however_typed() {
        let code = CheckinCode::from_bytes([0xff, 0, 0x12, 0x34, 0x56]);
        assert_eq!(code.as_str().len(), CODE_LEN);
        let shown = code.display();
        assert_eq!(shown.len(), CODE_LEN + 1);
        assert_eq!(CheckinCode::parse(&shown), Some(code.clone()));
        assert_eq!(
            CheckinCode::parse(&format!(" {} ", shown.to_lowercase())),
            Some(code)
        );
        assert_eq!(
            CheckinCode::parse("abcd-efgO").map(|c| c.display()),
            Some("ABCD-EFG0".to_owned())
        );
        assert_eq!(CheckinCode::parse("ABCD-EFG"), None);
        assert_eq!(CheckinCode::parse("ABCD-EFGHJ"), None);
        assert_eq!(CheckinCode::parse("ABCD-EFGU"), None);
        assert_eq!(CheckinCode::parse("<script>"), None);
        assert_eq!(CheckinCode::parse("ابجد-هوزح"), None);
    }

    #[test]
    fn only_approved_in_person_participants_come_in() {
        use AttendanceMode::{InPerson, Online};
        assert_eq!(
            CheckinRefusal::of(RegistrationState::Approved, InPerson),
            None
        );
        assert_eq!(
            CheckinRefusal::of(RegistrationState::Approved, Online),
            Some(CheckinRefusal::OnlineOnly)
        );
        assert_eq!(
            CheckinRefusal::of(RegistrationState::Waitlisted, InPerson),
            Some(CheckinRefusal::Waitlisted)
        );
        for r in CheckinRefusal::ALL {
            assert_eq!(CheckinRefusal::parse(r.code()), Some(r));
        }
    }
}
