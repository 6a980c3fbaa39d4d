//! Lausanne Platform: everything that both the server and the browser compile.

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod api;
pub mod components;
pub mod domain;
pub mod error;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

pub use error::AppError;
pub use pages::{App, shell};
