//! Domain types and rules, shared by server and browser. No I/O here.

pub mod email;
pub mod event;
pub mod locale;
pub mod search;
pub mod staff;

pub use email::Email;
pub use event::{EventFilter, EventFormat, EventKind, EventSlug, InterpretationLanguage, When};
pub use locale::Lang;
pub use staff::{Role, Staff};
