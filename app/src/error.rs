//! The error that crosses the wire between server functions and pages, and the sentence a
//! person reads. Internal causes are logged on the server and never sent to the browser.

use crate::domain::registration::{FieldError, RegistrationRefused};
use crate::i18n::Locale;
use chrono::NaiveDateTime;
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
    /// The stage takes no registration now, and why. For "not yet open", `opens_local` is the
    /// opening time on the stage's clock, converted on the server (`AppError::refused`): the
    /// browser client carries no time-zone database.
    #[error("refused: {reason}")]
    Refused {
        reason: RegistrationRefused,
        opens_local: Option<NaiveDateTime>,
        /// The stage's time zone, as its name is shown (`Europe/Paris`).
        time_zone: String,
    },
    /// Too many attempts from one address in a short time.
    #[error("too many requests")]
    TooManyRequests,
    /// The workspace needs a login, and this request has none (or it expired).
    #[error("signed out")]
    SignedOut,
    /// The person is signed in, but their roles do not reach this.
    #[error("forbidden")]
    Forbidden,
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
            AppError::Refused {
                reason,
                opens_local,
                time_zone,
            } => locale.refusal(reason, *opens_local, time_zone),
            AppError::TooManyRequests => messages.error_too_many_requests.to_owned(),
            AppError::CrossSite => messages.error_cross_site.to_owned(),
            AppError::SignedOut => messages.error_signed_out.to_owned(),
            AppError::Forbidden => messages.error_forbidden.to_owned(),
            AppError::Internal | AppError::Transport(_) => messages.error_internal.to_owned(),
        }
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// Why a stage in `zone` takes no registration now, with its opening time already on the
    /// stage's clock: converting needs the IANA database, which stays on the server.
    pub fn refused(reason: RegistrationRefused, zone: chrono_tz::Tz) -> Self {
        let opens_local = match &reason {
            RegistrationRefused::NotYetOpen { opens_at } => {
                Some(opens_at.with_timezone(&zone).naive_local())
            }
            _ => None,
        };
        AppError::Refused {
            reason,
            opens_local,
            time_zone: zone.name().to_owned(),
        }
    }

    /// The HTTP status that says the same thing.
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Refused { .. } => StatusCode::CONFLICT,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::CrossSite => StatusCode::FORBIDDEN,
            AppError::SignedOut => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
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

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn a_refusal_crosses_the_wire_with_the_opening_time_on_the_stage_clock() {
        let reason = RegistrationRefused::NotYetOpen {
            opens_at: Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap(),
        };
        let error = AppError::refused(reason, chrono_tz::Europe::Paris);
        let AppError::Refused {
            opens_local,
            time_zone,
            ..
        } = &error
        else {
            panic!("not a refusal: {error:?}");
        };
        assert_eq!(
            opens_local.map(|t| t.to_string()).as_deref(),
            Some("2026-12-01 09:00:00")
        );
        assert_eq!(time_zone, "Europe/Paris");
        // What the browser reads back is what the server sent, and reads the same.
        let json = serde_json::to_string(&error).unwrap();
        let read: AppError = serde_json::from_str(&json).unwrap();
        assert_eq!(read, error);
        assert_eq!(
            read.message(Locale::Fr),
            "Les inscriptions ouvriront le mardi 1er décembre 2026 à 9\u{a0}h\u{a0}00 (heure de Paris)."
        );
        let closed = AppError::refused(RegistrationRefused::Closed, chrono_tz::Europe::Paris);
        assert!(matches!(
            closed,
            AppError::Refused {
                opens_local: None,
                ..
            }
        ));
    }
}
