//! `POST` a registration. Thin: read the JSON, pick the language, call `Desk::register` (the
//! one code path the page's form also takes), and answer with its receipt. No rule lives here.

use super::editions::{EDITION_SLUG, STAGE_SLUG};
use super::error::{ApiError, ApiFailure, ErrorBody, InvalidField};
use super::json::ApiJson;
use super::request_locale;
use crate::routes::registration::desk;
use crate::state::AppState;
use app::api::registration::ClientAddress;
use app::domain::registration::{RegistrationForm, RegistrationStatus};
use app::i18n::Locale;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::openapi::schema::{Object, ObjectBuilder, SchemaType, Type};
use utoipa::ToSchema;

// The schema states every rule the server checks (`RegistrationForm::parse`, `Email::parse`,
// `text::required`/`optional`, `Locale::from_code`), so that a request it allows is never
// refused as invalid (422); `tests/it/api_v1.rs` generates bodies from the served document
// and checks just that. Lengths count characters, as the server does after trimming: a raw
// length within `maxLength` is within it once trimmed. The `pattern`s are anchored and use
// only what ECMA-262 and Rust's `regex` share (`\uXXXX`, classes, `\s`); where the two differ
// (ECMA's `\s` also holds U+FEFF, Rust's also U+0085), both readings admit only what the
// server accepts.

/// A registration for a stage. Missing text fields count as empty and a missing `consent` as
/// `false`, so that the answer names every field to correct at once.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({
    "name": "Camille Durand",
    "email": "camille@example.org",
    "organisation": "Les Petits Débrouillards",
    "consent": true,
    "language": "en"
}))]
pub struct NewRegistration {
    /// The person's name: at most 120 characters, with at least one that is not a space
    /// (spaces at either end are dropped), no control character other than tab, line feed
    /// and carriage return, and none of the invisible characters that reorder or hide text
    /// (bidirectional marks, overrides and isolates, zero-width space, word joiner, byte order
    /// mark).
    #[serde(default)]
    #[schema(
        required = true,
        min_length = 1,
        max_length = 120,
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]*$",
        example = "Camille Durand"
    )]
    pub name: String,
    /// Where the private links are sent; one registration per address and stage, compared
    /// without regard to case. At most 254 characters, of which at most 64 before the `@`.
    ///
    /// The server's rule cannot be written exactly as one regular expression, so `pattern` is
    /// as close as one gets while admitting only addresses the server accepts: a local part of
    /// ASCII letters, digits and ``!#$%&'*+/=?^_`{|}~-``, with single dots between up to four
    /// parts of at most 15 characters (two dots in a row are no address: the mailer refuses
    /// them); a domain of at least two labels of ASCII letters, digits and inner hyphens (at most 63
    /// each), separated by single dots. The server also accepts some addresses outside it
    /// (non-ASCII letters in the domain, for one).
    #[serde(default)]
    #[schema(
        required = true,
        format = Email,
        min_length = 5,
        max_length = 254,
        pattern = r"^(?:[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,64}|[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,15}(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,15}){1,3})@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$",
        example = "camille@example.org"
    )]
    pub email: String,
    /// Optional: at most 120 characters, no control character other than tab, line feed and
    /// carriage return, and no invisible character that reorders or hides text (as for
    /// `name`). Blank counts as absent.
    #[serde(default)]
    #[schema(
        max_length = 120,
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]*$",
        example = "Les Petits Débrouillards"
    )]
    pub organisation: Option<String>,
    /// Must be `true`: the person accepts that Étape keeps these details for the event.
    #[serde(default)]
    #[schema(required = true, schema_with = consent_schema)]
    pub consent: bool,
    /// `fr` or `en`: the language of the emails and of this answer's messages. Defaults to
    /// the request's `Accept-Language`, else French.
    #[serde(default)]
    #[schema(schema_with = language_schema)]
    pub language: Option<String>,
}

/// `consent`'s schema: a boolean that must be `true`. utoipa has no attribute for a field's
/// `enum`, hence this function (and `language_schema`).
fn consent_schema() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Boolean)
        .enum_values(Some([true]))
        .description(Some(
            "Must be `true`: the person accepts that Étape keeps these details for the event.",
        ))
        .examples([true])
        .build()
}

/// `language`'s schema: `fr`, `en` or `null` (`Locale::from_code`'s codes).
fn language_schema() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some([json!("fr"), json!("en"), Value::Null]))
        .description(Some(
            "`fr` or `en`: the language of the emails and of this answer's messages. Defaults \
to the request's `Accept-Language`, else French.",
        ))
        .examples(["fr"])
        .build()
}

/// What registering did.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019385c4-2f4e-7cc2-9d5a-4c1f0a3b9e21",
    "status": "confirmed",
    "already_registered": false,
    "manage_url": "https://etape.example.org/registrations/…",
    "ticket_url": "https://etape.example.org/tickets/…"
}))]
pub struct RegistrationReceipt {
    /// The new registration's id. Absent when the address was already registered: whoever
    /// typed it may not own it, so nothing about that registration is said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Where the new registration stands. Absent when the address was already registered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<RegistrationState>,
    /// True when this address was already registered for the stage: nothing was created,
    /// and the private links were emailed to that address again instead of being returned.
    pub already_registered: bool,
    /// With `already_registered`: what happened, in the request's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The private "my registration" page (see, cancel). Only in a 201 answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manage_url: Option<String>,
    /// The private ticket page. Only in a 201 answer, and only with a seat whose address
    /// needs no confirming.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket_url: Option<String>,
    /// Only in a 201 answer, on a stage that asks to confirm the address (its
    /// `confirm_email_minutes`): the seat or place is held until this instant (RFC 3339, UTC),
    /// then given back unless the link emailed to the address is followed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub confirm_by: Option<chrono::DateTime<chrono::Utc>>,
}

/// Where a registration stands.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationState {
    /// A seat is kept for this person.
    Confirmed,
    /// The stage is full; the person is on the waiting list and gets an email with a seat.
    Waitlisted,
    Cancelled,
}

impl From<RegistrationStatus> for RegistrationState {
    fn from(status: RegistrationStatus) -> Self {
        match status {
            RegistrationStatus::Confirmed => RegistrationState::Confirmed,
            RegistrationStatus::Waitlisted => RegistrationState::Waitlisted,
            RegistrationStatus::Cancelled => RegistrationState::Cancelled,
        }
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/editions/{edition}/stages/{stage}/registrations",
    tag = "registrations",
    summary = "Register for a stage",
    description = "Registers a person for a stage: a seat while one is free, else the waiting \
list. Requires `Content-Type: application/json` and a body of at most 16 KiB.\n\n\
A new registration answers **201** with its private links, `manage_url` and (with a seat) \
`ticket_url`, and the same links are emailed. They are private: anyone who has them can see \
the ticket or cancel the registration.\n\n\
An address already registered for the stage answers **200** with `already_registered: true`, \
a `message`, and nothing about that registration (no id, no status, no links): whoever typed \
the address may not be its owner, so the links are emailed to that address again instead. Once \
registrations have closed, a registered address gets the same refusal as any other.\n\n\
Messages are in the body's `language`, else the `Accept-Language` language, else French. \
Requests are rate-limited per client address (429 with `Retry-After`).",
    params(
        ("edition" = String, Path, description = EDITION_SLUG, example = "social-good-week-demo",
            min_length = 1, max_length = 64, pattern = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"),
        ("stage" = String, Path, description = STAGE_SLUG, example = "lyon",
            min_length = 1, max_length = 64, pattern = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"),
    ),
    request_body(content = NewRegistration, content_type = "application/json"),
    responses(
        (status = 201, description = "Registered: a seat, or a place on the waiting list", body = RegistrationReceipt),
        (status = 200, description = "Already registered with this address; the links were emailed again", body = RegistrationReceipt,
            example = json!({"already_registered": true, "message": "This address is already registered for this stage: its links are on their way to it by email."})),
        (status = 400, description = "The body is not JSON (`malformed_json`) or could not be read", body = ErrorBody),
        (status = 404, description = "No public stage at this address", body = ErrorBody),
        (status = 409, description = "The stage takes no registration now (`registration_refused`, with a `reason`)", body = ErrorBody,
            example = json!({"error": "registration_refused", "reason": "closed", "message": "Registrations for this stage are closed."})),
        (status = 413, description = "The body is larger than 16 KiB", body = ErrorBody),
        (status = 415, description = "The body is not sent as `application/json`", body = ErrorBody),
        (status = 422, description = "Some fields are wrong (`invalid`, each named in `fields`), or the body is not an object", body = ErrorBody),
        (status = 429, description = "Too many registrations from this address; see `Retry-After`", body = ErrorBody,
            headers(("Retry-After" = u32, description = "Seconds to wait"))),
    )
)]
pub async fn register(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    client: Option<Extension<ClientAddress>>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<NewRegistration>,
) -> Result<Response, ApiFailure> {
    let requested = request_locale(&headers);
    let Ok(Path((edition, stage))) = path else {
        return Err(ApiError::NotFound.in_locale(requested));
    };
    let form = RegistrationForm {
        name: request.name,
        email: request.email,
        organisation: request.organisation,
        consent: request.consent,
    };
    let locale = match request.language.as_deref() {
        None => requested,
        Some(code) => match Locale::from_code(code) {
            Some(locale) => locale,
            None => {
                // Name every wrong field at once, as the form does: the others by the
                // domain's own checks.
                let mut fields = vec![InvalidField::UnknownLanguage];
                if let Err(errors) = form.parse() {
                    fields.extend(errors.into_iter().map(InvalidField::Form));
                }
                return Err(ApiError::Invalid(fields).in_locale(requested));
            }
        },
    };
    let receipt = desk(&state, client)
        .register(&edition, &stage, &form, locale, chrono::Utc::now())
        .await
        .map_err(|error| ApiError::from(error).in_locale(locale))?;
    let status = if receipt.already_registered {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    let body = RegistrationReceipt {
        id: receipt.id,
        status: receipt.status.map(Into::into),
        already_registered: receipt.already_registered,
        message: receipt
            .already_registered
            .then(|| locale.messages().already_registered.to_owned()),
        manage_url: receipt.manage_url,
        ticket_url: receipt.ticket_url,
        confirm_by: receipt.confirm_by,
    };
    // The links are secrets: no cache may keep them.
    Ok((status, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response())
}
