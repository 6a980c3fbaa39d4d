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

        stored_as_code!($name);
    };
}

/// Stores a value with `code()`/`parse()` as its code in a text column, so
/// that rows carry the domain type itself. A stored code that does not parse
/// is a decoding error (the query fails, and is logged as an internal error),
/// never a silent default.
macro_rules! stored_as_code {
    ($name:ident) => {
        stored_as_code!($name, ::sqlx::Sqlite);
        stored_as_code!($name, ::sqlx::Postgres);
    };
    ($name:ident, $db:path) => {
        #[cfg(feature = "ssr")]
        impl ::sqlx::Type<$db> for $name {
            fn type_info() -> <$db as ::sqlx::Database>::TypeInfo {
                <str as ::sqlx::Type<$db>>::type_info()
            }

            fn compatible(ty: &<$db as ::sqlx::Database>::TypeInfo) -> bool {
                <str as ::sqlx::Type<$db>>::compatible(ty)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'q> ::sqlx::Encode<'q, $db> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut <$db as ::sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<::sqlx::encode::IsNull, ::sqlx::error::BoxDynError> {
                let code: &'q str = self.code();
                <&str as ::sqlx::Encode<'q, $db>>::encode_by_ref(&code, buf)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'r> ::sqlx::Decode<'r, $db> for $name {
            fn decode(
                value: <$db as ::sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, ::sqlx::error::BoxDynError> {
                let code = <&str as ::sqlx::Decode<'r, $db>>::decode(value)?;
                Self::parse(code).ok_or_else(|| {
                    format!(concat!("not a stored ", stringify!($name), ": {:?}"), code).into()
                })
            }
        }
    };
}

pub mod bulletin;
pub mod checkin;
pub mod email;
pub mod event;
pub mod event_form;
pub mod form;
pub mod hearing;
pub mod live;
pub mod locale;
pub mod material;
pub mod organisation;
pub mod question;
pub mod registration;
pub mod report;
pub mod retention;
pub mod search;
pub mod session;
pub mod session_form;
pub mod staff;
pub mod subscriber;
#[cfg(feature = "ssr")]
pub mod time_zone;
pub mod wall_clock;

pub use bulletin::{BulletinForm, BulletinSlug};
pub use email::Email;
pub use event::{EventFilter, EventFormat, EventKind, EventSlug, InterpretationLanguage, When};
pub use event_form::{EventForm, EventStatus, Visibility};
pub use form::{FieldError, FormState};
pub use live::{LiveMessage, LiveStream};
pub use locale::Lang;
pub use organisation::{Area, OrganisationForm, OrganisationState};
pub use question::{QuestionAction, QuestionState};
pub use registration::{AttendanceMode, Decision, RegistrationForm, RegistrationState};
pub use session::{JoinWindow, SessionTimes};
pub use session_form::{MeetingUrl, SessionForm};
pub use staff::{Role, Staff};
pub use subscriber::{SubscribeForm, SubscriberSource};
pub use wall_clock::LocalDateTime;
