//! Domain types and rules, shared by server and browser. No I/O here.

/// A closed set of values with stable codes, stored in the database and sent
/// in forms and URLs.
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code stored in the database and used in URLs.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

pub mod bulletin;
pub mod email;
pub mod event;
pub mod event_form;
pub mod form;
pub mod live;
pub mod locale;
pub mod organisation;
pub mod registration;
pub mod retention;
pub mod search;
pub mod session;
pub mod staff;
pub mod subscriber;
#[cfg(feature = "ssr")]
pub mod time_zone;

pub use bulletin::{BulletinForm, BulletinSlug};
pub use email::Email;
pub use event::{EventFilter, EventFormat, EventKind, EventSlug, InterpretationLanguage, When};
pub use event_form::{EventForm, EventStatus, SessionForm, Visibility};
pub use form::{FieldError, FormState};
pub use live::{LiveMessage, LiveStream};
pub use locale::Lang;
pub use organisation::{Area, OrganisationForm, OrganisationState};
pub use registration::{AttendanceMode, Decision, RegistrationForm, RegistrationState};
pub use session::{JoinWindow, SessionTimes};
pub use staff::{Role, Staff};
pub use subscriber::{SubscribeForm, SubscriberSource};
