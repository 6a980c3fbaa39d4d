//! How internal failures become [`AppError`]: logged here, hidden from users;
//! and how an [`AppError`] becomes a plain HTTP response.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::Request(_) => StatusCode::BAD_REQUEST,
            AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// For plain handlers: the status and a short text, never internal causes.
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let text = match &self {
            AppError::Request(_) => "bad request".to_owned(),
            other => other.to_string(),
        };
        (self.status(), text).into_response()
    }
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::RowNotFound => AppError::NotFound,
            other => {
                tracing::error!(error = %other, "database error");
                AppError::Internal
            }
        }
    }
}
