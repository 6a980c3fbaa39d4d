//! The serialisable types that pages show and server functions return, by
//! area. They depend only on `domain`: services build them, pages read them.

pub mod announcements;
pub mod bulletins;
pub mod checkin;
pub mod events;
pub mod events_editor;
pub mod hearing;
pub mod materials;
pub mod questions;
pub mod registrations;
pub mod report;
pub mod staff;
