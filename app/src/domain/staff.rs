//! Staff accounts: who may do what. Participants have no accounts.

use serde::{Deserialize, Serialize};

/// A staff role. An admin may do everything a moderator may.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Moderator,
    Admin,
}

impl Role {
    pub const ALL: [Role; 2] = [Role::Admin, Role::Moderator];

    pub fn parse(code: &str) -> Option<Self> {
        match code.trim() {
            "admin" => Some(Self::Admin),
            "moderator" => Some(Self::Moderator),
            _ => None,
        }
    }

    /// The code stored in the database and used on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Moderator => "moderator",
        }
    }

    fn rank(self) -> u8 {
        match self {
            Self::Moderator => 1,
            Self::Admin => 2,
        }
    }

    /// Whether someone with this role may do what `needed` may do.
    pub fn can(self, needed: Role) -> bool {
        self.rank() >= needed.rank()
    }

    pub fn is_admin(self) -> bool {
        self == Self::Admin
    }
}

/// A signed-in staff member, as the server knows them for one request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
}

/// `next` after signing in, only when it is a path on this site: starting
/// with one `/` (not `//`, not `/\`), without control characters.
pub fn local_next(next: &str) -> Option<&str> {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c.is_whitespace())
        && next.len() <= 2048;
    local.then_some(next)
}

stored_as_code!(Role);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
        assert!(Role::Admin.can(Role::Moderator));
        assert!(Role::Admin.can(Role::Admin));
        assert!(Role::Moderator.can(Role::Moderator));
        assert!(!Role::Moderator.can(Role::Admin));
    }

    #[test]
    fn next_must_be_local() {
        assert_eq!(local_next("/en/staff/users"), Some("/en/staff/users"));
        assert_eq!(local_next("/en/staff?x=1"), Some("/en/staff?x=1"));
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example/",
            "evil",
            "",
            "/en/\nstaff",
        ] {
            assert_eq!(local_next(bad), None, "{bad:?}");
        }
    }
}
