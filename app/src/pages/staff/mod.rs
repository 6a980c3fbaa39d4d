//! Staff pages: sign-in, dashboard, users. Rendered on the server only; the
//! forms are plain HTML forms that work without JavaScript, handled by
//! `server::staff`.

pub mod dashboard;
pub mod login;
pub mod users;
