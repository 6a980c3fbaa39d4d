//! Domain types and rules, shared by server and browser. No I/O here.

pub mod event;
pub mod locale;
pub mod search;

pub use event::{EventFilter, EventFormat, EventKind, EventSlug, InterpretationLanguage, When};
pub use locale::Lang;
