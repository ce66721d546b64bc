//! Reading a JSON body so that no input can make the API answer anything but its own error
//! shape: axum's `Json` reads the bytes and checks the content type, and its `JsonRejection`
//! becomes an `ApiError`; the value is then read into the request type with the path of the
//! first wrong field, so the 422 can name it (`email`, or `programme[2].duration_minutes`).

use super::error::{ApiError, ApiFailure, InvalidField};
use super::request_locale;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::Json;
use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;

/// A JSON object body read into `T`, or an `ApiFailure` in the request's language.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiFailure;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let locale = request_locale(request.headers());
        let Json(value) = Json::<serde_json::Value>::from_request(request, state)
            .await
            .map_err(|rejection| ApiError::from(rejection).in_locale(locale))?;
        if !value.is_object() {
            return Err(ApiError::NotAnObject.in_locale(locale));
        }
        serde_path_to_error::deserialize(value)
            .map(ApiJson)
            .map_err(|error| {
                // The whole path (`projects[1].funding_goal_eur`) when the body has a named field.
                let named = error
                    .path()
                    .iter()
                    .any(|segment| matches!(segment, Segment::Map { .. }));
                let field = named.then(|| error.path().to_string());
                match field {
                    Some(field) => ApiError::Invalid(vec![InvalidField::WrongType { field }]),
                    None => ApiError::NotAnObject,
                }
                .in_locale(locale)
            })
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType,
            JsonRejection::JsonSyntaxError(_) | JsonRejection::JsonDataError(_) => {
                ApiError::MalformedJson
            }
            JsonRejection::BytesRejection(bytes)
                if bytes.status() == StatusCode::PAYLOAD_TOO_LARGE =>
            {
                ApiError::PayloadTooLarge
            }
            _ => ApiError::BadRequest,
        }
    }
}
