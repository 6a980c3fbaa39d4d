//! Server only: configuration, state, database, page data, HTTP routing, mail.

pub mod auth;
pub mod bulletins;
pub mod calendars;
pub mod config;
pub mod crypto;
pub mod db;
pub mod delivery;
pub mod demo;
pub mod error;
pub mod events;
pub mod events_editor;
pub mod extract;
pub mod format;
pub mod forms;
pub mod limits;
pub mod live;
pub mod mail;
pub mod markdown;
pub mod media;
pub mod moderation;
pub mod notices;
pub mod organisations;
pub mod registrations;
pub mod retention;
pub mod router;
pub mod security;
pub mod shell;
pub mod staff;
pub mod state;
pub mod subscriptions;
pub mod token;
pub mod updates;

pub use config::Config;
pub use mail::Mailer;
pub use router::router;
pub use state::{AppState, Clock};
