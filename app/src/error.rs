//! The one error type that server functions return. Internal causes are
//! logged on the server and never sent to the browser.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    /// The record does not exist, or the reader may not know that it does.
    #[error("not found")]
    NotFound,
    /// The request needs a signed-in staff member, and there is none.
    #[error("sign-in required")]
    Unauthorized,
    /// The signed-in staff member's role does not allow this.
    #[error("forbidden")]
    Forbidden,
    /// Something failed on our side; the details are in the server log.
    #[error("internal error")]
    Internal,
    /// The request could not be sent or understood (network, encoding).
    #[error("request failed: {0}")]
    Request(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        Self::Request(value.to_string())
    }
}
