//! Server only: configuration, state, database, page data, HTTP routing.

pub mod auth;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod events;
pub mod format;
pub mod router;
pub mod staff;
pub mod state;

pub use config::Config;
pub use router::router;
pub use state::{AppState, Clock};
