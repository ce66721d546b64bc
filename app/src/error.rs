//! The error that crosses the wire between server functions and pages, and the sentence a
//! person reads. Internal causes are logged on the server and never sent to the browser.

use crate::i18n::Locale;
use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// No public page at this address (unknown, or a draft).
    #[error("not found")]
    NotFound,
    /// Something failed on the server; the cause is in the server's log.
    #[error("internal error")]
    Internal,
    /// The request never reached our code in one piece (network, encoding).
    #[error("transport: {0}")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

impl AppError {
    /// What to tell the person, in their language.
    pub fn message(&self, locale: Locale) -> &'static str {
        let messages = locale.messages();
        match self {
            AppError::NotFound => messages.not_found_text,
            AppError::Internal | AppError::Transport(_) => messages.error_internal,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<crate::db::DbError> for AppError {
    fn from(error: crate::db::DbError) -> Self {
        match error {
            crate::db::DbError::NotFound => AppError::NotFound,
            other => {
                tracing::error!(error = %other, cause = ?std::error::Error::source(&other), "storage failed");
                AppError::Internal
            }
        }
    }
}
