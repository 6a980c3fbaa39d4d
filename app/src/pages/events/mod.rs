//! The public event pages: the list, one event, and its registration form.
//! Server: none here (each page names its own).

pub mod list;
pub mod register;
pub mod show;
