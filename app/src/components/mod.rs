//! Reusable pieces of pages.

pub mod chart;
pub mod event_card;
pub mod form;
pub mod live;
pub mod loaded;
pub mod local_time;
pub mod locale;
pub mod materials;
pub mod not_found;
pub mod questions;
pub mod registration;
pub mod scanner;
pub mod staff_nav;
pub mod status;
