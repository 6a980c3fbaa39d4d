//! Staff pages: sign-in, dashboard, moderation, organisations, audit log, users. Rendered on the server only; the
//! forms are plain HTML forms that work without JavaScript, handled by
//! `server::staff`.

pub mod audit;
pub mod bulletins;
pub mod dashboard;
pub mod login;
pub mod moderation;
pub mod organisations;
pub mod users;
