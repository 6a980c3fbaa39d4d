pub mod list;
pub mod register;
pub mod show;
