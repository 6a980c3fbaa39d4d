//! The integration tests, in one binary (one link, one copy of the app):
//! each module boots the real server on 127.0.0.1:0 with a fresh SQLite file
//! and drives it over HTTP, or runs the `lausanne` binary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

mod abuse;
mod announcements;
mod authorisation;
mod bad_input;
mod bulletins;
mod capacity;
mod checkin;
mod cli;
mod closed_and_bad_input;
mod devices;
mod encryption;
mod events_editor;
mod headers;
mod hearing;
mod live;
mod logs;
mod mail;
mod materials;
mod outage;
mod page_cache;
mod postgres_schema;
mod properties;
mod public_pages;
mod questions;
mod registrations;
mod reminders;
mod report;
mod retention;
mod review;
mod staff_accounts;
mod staff_auth;
