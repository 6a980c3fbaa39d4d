//! Server only: configuration, state, database, page data, HTTP routing, mail.

pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod events;
pub mod format;
pub mod mail;
pub mod router;
pub mod state;

pub use config::Config;
pub use mail::Mailer;
pub use router::router;
pub use state::{AppState, Clock};
