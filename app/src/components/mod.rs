//! Reusable pieces of pages.

pub mod event_card;
pub mod loaded;
pub mod local_time;
pub mod staff_nav;
pub mod status;
