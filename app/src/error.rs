//! The error that crosses the wire between server functions and pages, and the sentence a
//! person reads. Internal causes are logged on the server and never sent to the browser.

use crate::domain::registration::{FieldError, RegistrationRefused};
use crate::i18n::Locale;
use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// No public page at this address (unknown, or a draft).
    #[error("not found")]
    NotFound,
    /// The form has mistakes; each names its field. Nothing was stored.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// The stage takes no registration now, and why; the stage's time zone dates the reason.
    #[error("refused: {reason}")]
    Refused {
        reason: RegistrationRefused,
        time_zone: String,
    },
    /// Too many attempts from one address in a short time.
    #[error("too many requests")]
    TooManyRequests,
    /// A state-changing request that came from another site.
    #[error("cross-site request")]
    CrossSite,
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
    pub fn message(&self, locale: Locale) -> String {
        let messages = locale.messages();
        match self {
            AppError::NotFound => messages.not_found_text.to_owned(),
            AppError::Invalid(_) => messages.form_has_errors.to_owned(),
            AppError::Refused { reason, time_zone } => locale.refusal(reason, time_zone),
            AppError::TooManyRequests => messages.error_too_many_requests.to_owned(),
            AppError::CrossSite => messages.error_cross_site.to_owned(),
            AppError::Internal | AppError::Transport(_) => messages.error_internal.to_owned(),
        }
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// The HTTP status that says the same thing.
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Refused { .. } => StatusCode::CONFLICT,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::CrossSite => StatusCode::FORBIDDEN,
            AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Transport(_) => StatusCode::BAD_REQUEST,
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
