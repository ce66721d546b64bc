//! The JSON API's errors: one typed enum, mapped from `AppError` and from bodies axum could not
//! read, and one body shape for all of them: `{"error": code, "message": sentence}`, plus
//! `fields` (invalid input) or `reason` (refused registration). Internal causes are logged where
//! they happen (see `AppError`) and never reach the client.
//!
//! The sentences about HTTP itself (a body that is not JSON, too large…) are written here, one
//! `match` on the locale each, like the emails' words: they exist only for the API. Sentences
//! a person also meets on the pages (field errors, refusals, rate limits) come from `i18n`.

use app::domain::edition_form::EditionFieldError;
use app::domain::lineup_form::{Part, PieceError};
use app::domain::registration::{FieldError, RegistrationRefused};
use app::domain::stage_form::StageFieldError;
use app::error::AppError;
use app::i18n::Locale;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDateTime;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// Seconds a rate-limited client should wait: the limits count per minute.
const RETRY_AFTER_SECONDS: &str = "60";

/// Everything the API can answer instead of what was asked.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// No published edition or stage at this address, or no such endpoint.
    NotFound,
    /// The body was read but some fields are wrong; each names its field. Nothing was stored.
    Invalid(Vec<InvalidField>),
    /// The stage takes no registration now; for "not yet open", the opening time on the stage's
    /// clock and the name of its time zone.
    Refused {
        reason: RegistrationRefused,
        opens_local: Option<NaiveDateTime>,
        time_zone: String,
    },
    TooManyRequests,
    CrossSite,
    /// No valid credentials (a login session, later a token).
    Unauthorized,
    /// `If-Match` names a version that is no longer the stored one.
    Stale,
    /// Credentials that do not reach this object.
    Forbidden,
    /// The body is not JSON at all.
    MalformedJson,
    /// The body is JSON, but not an object.
    NotAnObject,
    /// `Content-Type` is not `application/json`.
    UnsupportedMediaType,
    PayloadTooLarge,
    /// The body could not be read for another reason (a broken upload).
    BadRequest,
    MethodNotAllowed,
    /// Something failed on the server; the cause is in the log.
    Internal,
}

/// One wrong field of a request body.
#[derive(Debug, Clone, PartialEq)]
pub enum InvalidField {
    /// A rule of the registration form (the same ones the page applies).
    Form(FieldError),
    /// `language` is neither `fr` nor `en`.
    UnknownLanguage,
    /// The field has the wrong JSON type (a number where a string belongs…).
    WrongType { field: String },
    /// A rule of the stage form (the same ones the workspace applies).
    Stage(StageFieldError),
    /// A rule of the edition form.
    Edition(EditionFieldError),
    /// A rule of a line-up's piece, named like `projects[1].funding_goal_eur`.
    Lineup(PieceError),
    /// A scan names neither a `code` nor a `registration`, or both.
    ScanTarget,
    /// A scan's client-made `id` is empty or too long.
    ScanId,
}

/// The API's name of a line-up field, from its name in the line-up page's forms.
fn lineup_field(error: &PieceError) -> String {
    let list = match error.part {
        Part::Speaker => "speakers",
        Part::Project => "projects",
        Part::Item => "programme",
    };
    let field = match error.error.field(error.part) {
        "pitch" => "description",
        "funding_goal" => "funding_goal_eur",
        "skills" => "skills_wanted",
        "duration" => "duration_minutes",
        "speaker" => "speakers",
        "project" => "projects",
        same => same,
    };
    format!("{list}[{}].{field}", error.index)
}

impl InvalidField {
    pub fn field(&self) -> String {
        match self {
            InvalidField::Form(error) => error.field().to_owned(),
            InvalidField::UnknownLanguage => "language".to_owned(),
            InvalidField::WrongType { field } => field.clone(),
            InvalidField::Stage(error) => error.field().to_owned(),
            InvalidField::Edition(error) => error.field().to_owned(),
            InvalidField::Lineup(error) => lineup_field(error),
            InvalidField::ScanTarget => "code".to_owned(),
            InvalidField::ScanId => "id".to_owned(),
        }
    }

    fn message(&self, locale: Locale) -> String {
        match (self, locale) {
            (InvalidField::Form(error), _) => locale.field_error(error),
            (InvalidField::Stage(error), _) => locale.stage_field_error(error),
            (InvalidField::Edition(error), _) => locale.edition_field_error(error),
            (InvalidField::Lineup(error), _) => locale.lineup_field_error(&error.error),
            (InvalidField::ScanTarget, Locale::Fr) => {
                "Envoyez soit « code » (le texte du QR code), soit « registration ».".to_owned()
            }
            (InvalidField::ScanTarget, Locale::En) => {
                "Send either \"code\" (the QR code's text) or \"registration\".".to_owned()
            }
            (InvalidField::ScanId, Locale::Fr) => {
                "L'identifiant du scan fait de 1 à 100 caractères.".to_owned()
            }
            (InvalidField::ScanId, Locale::En) => {
                "The scan's id has 1 to 100 characters.".to_owned()
            }
            (InvalidField::UnknownLanguage, Locale::Fr) => {
                "Langue inconnue\u{a0}: indiquez « fr » ou « en ».".to_owned()
            }
            (InvalidField::UnknownLanguage, Locale::En) => {
                "Unknown language: use \"fr\" or \"en\".".to_owned()
            }
            (InvalidField::WrongType { .. }, Locale::Fr) => {
                "Ce champ n'a pas le bon type (voir le document OpenAPI).".to_owned()
            }
            (InvalidField::WrongType { .. }, Locale::En) => {
                "This field has the wrong type (see the OpenAPI document).".to_owned()
            }
        }
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        match error {
            AppError::NotFound => ApiError::NotFound,
            AppError::Invalid(fields) => {
                ApiError::Invalid(fields.into_iter().map(InvalidField::Form).collect())
            }
            AppError::Refused {
                reason,
                opens_local,
                time_zone,
            } => ApiError::Refused {
                reason,
                opens_local,
                time_zone,
            },
            AppError::TooManyRequests => ApiError::TooManyRequests,
            AppError::CrossSite => ApiError::CrossSite,
            AppError::SignedOut => ApiError::Unauthorized,
            AppError::Forbidden => ApiError::Forbidden,
            AppError::Internal => ApiError::Internal,
            AppError::Transport(cause) => {
                tracing::error!(%cause, "a server function error reached the JSON API");
                ApiError::Internal
            }
        }
    }
}

/// Why a stage refuses registrations, as the API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RefusalReason {
    NotPublished,
    StageCancelled,
    NotYetOpen,
    Closed,
}

impl From<&RegistrationRefused> for RefusalReason {
    fn from(refused: &RegistrationRefused) -> Self {
        match refused {
            RegistrationRefused::NotPublished => RefusalReason::NotPublished,
            RegistrationRefused::StageCancelled => RefusalReason::StageCancelled,
            RegistrationRefused::NotYetOpen { .. } => RefusalReason::NotYetOpen,
            RegistrationRefused::Closed => RefusalReason::Closed,
        }
    }
}

/// The body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "error": "invalid",
    "message": "Some fields need correcting.",
    "fields": {"email": "This is not a valid email address (for example: name@example.org)."}
}))]
pub struct ErrorBody {
    /// A stable code: `not_found`, `invalid`, `registration_refused`, `too_many_requests`,
    /// `cross_site`, `unauthorized`, `forbidden`, `stale`, `malformed_json`, `not_an_object`,
    /// `unsupported_media_type`, `payload_too_large`, `bad_request`, `method_not_allowed` or
    /// `internal`.
    pub error: &'static str,
    /// A sentence for a person, in the request's language.
    pub message: String,
    /// With `invalid`: a sentence for each wrong field, by field name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
    /// With `registration_refused`: why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<RefusalReason>,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Invalid(_) | ApiError::NotAnObject => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Refused { .. } => StatusCode::CONFLICT,
            ApiError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            ApiError::CrossSite | ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Stale => StatusCode::PRECONDITION_FAILED,
            ApiError::MalformedJson | ApiError::BadRequest => StatusCode::BAD_REQUEST,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::NotFound => "not_found",
            ApiError::Invalid(_) => "invalid",
            ApiError::Refused { .. } => "registration_refused",
            ApiError::TooManyRequests => "too_many_requests",
            ApiError::CrossSite => "cross_site",
            ApiError::Unauthorized => "unauthorized",
            ApiError::Stale => "stale",
            ApiError::Forbidden => "forbidden",
            ApiError::MalformedJson => "malformed_json",
            ApiError::NotAnObject => "not_an_object",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::PayloadTooLarge => "payload_too_large",
            ApiError::BadRequest => "bad_request",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::Internal => "internal",
        }
    }

    /// The sentence for a person, in `locale`.
    fn message(&self, locale: Locale) -> String {
        match self {
            ApiError::NotFound => AppError::NotFound.message(locale),
            ApiError::Invalid(_) => AppError::Invalid(Vec::new()).message(locale),
            ApiError::Refused {
                reason,
                opens_local,
                time_zone,
            } => locale.refusal(reason, *opens_local, time_zone),
            ApiError::TooManyRequests => AppError::TooManyRequests.message(locale),
            ApiError::CrossSite => AppError::CrossSite.message(locale),
            ApiError::Unauthorized => AppError::SignedOut.message(locale),
            ApiError::Forbidden => AppError::Forbidden.message(locale),
            ApiError::Internal => AppError::Internal.message(locale),
            ApiError::Stale => match locale {
                Locale::Fr => {
                    "Le programme a changé depuis que vous l'avez lu\u{a0}: relisez-le, puis renvoyez-le."
                }
                Locale::En => "The line-up changed since you read it: read it again, then resend it.",
            }
            .to_owned(),
            ApiError::MalformedJson => match locale {
                Locale::Fr => "Le corps de la requête n'est pas du JSON valide.",
                Locale::En => "The request body is not valid JSON.",
            }
            .to_owned(),
            ApiError::NotAnObject => match locale {
                Locale::Fr => "Le corps de la requête doit être un objet JSON.",
                Locale::En => "The request body must be a JSON object.",
            }
            .to_owned(),
            ApiError::UnsupportedMediaType => match locale {
                Locale::Fr => {
                    "Envoyez le corps en JSON, avec l'en-tête « Content-Type: application/json »."
                }
                Locale::En => {
                    "Send the body as JSON, with the header \"Content-Type: application/json\"."
                }
            }
            .to_owned(),
            ApiError::PayloadTooLarge => match locale {
                Locale::Fr => {
                    "Le corps de la requête est trop long (16 Kio au plus, 256 Kio pour un programme)."
                }
                Locale::En => {
                    "The request body is too large (16 KiB at most, 256 KiB for a line-up)."
                }
            }
            .to_owned(),
            ApiError::BadRequest => match locale {
                Locale::Fr => "Le corps de la requête n'a pas pu être lu.",
                Locale::En => "The request body could not be read.",
            }
            .to_owned(),
            ApiError::MethodNotAllowed => match locale {
                Locale::Fr => "Cette adresse n'accepte pas cette méthode HTTP.",
                Locale::En => "This address does not accept this HTTP method.",
            }
            .to_owned(),
        }
    }

    /// The body a client receives.
    pub fn body(&self, locale: Locale) -> ErrorBody {
        ErrorBody {
            error: self.code(),
            message: self.message(locale),
            fields: match self {
                ApiError::Invalid(fields) => Some(
                    fields
                        .iter()
                        .map(|field| (field.field(), field.message(locale)))
                        .collect(),
                ),
                _ => None,
            },
            reason: match self {
                ApiError::Refused { reason, .. } => Some(reason.into()),
                _ => None,
            },
        }
    }

    /// This error as an answer in `locale`.
    pub fn in_locale(self, locale: Locale) -> ApiFailure {
        ApiFailure {
            error: self,
            locale,
        }
    }
}

/// An error with the language to tell it in: what handlers and extractors answer.
#[derive(Debug)]
pub struct ApiFailure {
    pub error: ApiError,
    pub locale: Locale,
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        let mut response =
            (self.error.status(), Json(self.error.body(self.locale))).into_response();
        if self.error == ApiError::TooManyRequests {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_static(RETRY_AFTER_SECONDS),
            );
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::registration::EmailError;

    #[test]
    fn every_wrong_field_is_named_with_its_sentence() {
        let error = ApiError::Invalid(vec![
            InvalidField::Form(FieldError::Email(EmailError::Invalid)),
            InvalidField::Form(FieldError::ConsentMissing),
            InvalidField::UnknownLanguage,
        ]);
        let body = error.body(Locale::En);
        let fields = body.fields.expect("fields");
        assert_eq!(
            fields.keys().collect::<Vec<_>>(),
            ["consent", "email", "language"]
        );
        assert!(fields["email"].contains("not a valid email address"));
        assert_eq!(body.error, "invalid");
    }

    #[test]
    fn a_refusal_gives_its_reason_as_a_code() {
        let error = ApiError::from(AppError::refused(
            RegistrationRefused::Closed,
            chrono_tz::Europe::Paris,
        ));
        assert_eq!(error.status(), StatusCode::CONFLICT);
        let body = serde_json::to_value(error.body(Locale::Fr)).unwrap();
        assert_eq!(body["error"], "registration_refused");
        assert_eq!(body["reason"], "closed");
        assert!(body.get("fields").is_none());
    }

    #[test]
    fn a_rate_limited_answer_says_when_to_retry() {
        let response = ApiError::TooManyRequests
            .in_locale(Locale::Fr)
            .into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "60");
    }
}
