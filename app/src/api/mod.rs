//! Server functions, grouped by area. Each returns data already shaped and
//! filtered for the reader: what a viewer may not see never leaves the server.

pub mod announcements;
pub mod bulletins;
pub mod checkin;
pub mod events;
pub mod events_editor;
pub mod hearing;
pub mod materials;
pub mod privacy;
pub mod questions;
pub mod registrations;
pub mod report;
pub mod staff;
