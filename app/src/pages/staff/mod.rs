//! Staff pages: sign-in, dashboard, moderation, organisations, audit log,
//! users, the bulletin editor, the events and sessions editor. Rendered on
//! the server only; the forms are plain HTML forms that work without
//! JavaScript, each handled by its area's `server/<area>/http.rs`.
//! Server: none here (each page names its own).

pub mod account;
pub mod announcements;
pub mod audit;
pub mod bulletins;
pub mod checkin;
pub mod dashboard;
pub mod events;
pub mod hearing;
pub mod login;
pub mod materials;
pub mod moderation;
pub mod organisations;
pub mod questions;
pub mod report;
pub mod users;
