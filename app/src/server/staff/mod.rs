//! The staff forms (plain HTML forms, no JavaScript needed): sign in, sign
//! out, add a user; and the data of the users page. A form with a problem is
//! answered with its page rendered again, the problem next to the field and
//! what was typed kept (never a password).

pub mod http;
pub mod pages;
