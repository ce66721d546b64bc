//! The public JSON API, version 1, under `/api/v1`: the programme to read, and registering.
//!
//! **API Boundary:** these paths and the JSON shapes of `editions.rs`, `registrations.rs`,
//! `organising.rs`, `lineup.rs` and `error.rs` are a contract with other sites and apps. They are separate types from the
//! pages' views (`app::api::views`), which change freely; add fields here, never rename or
//! remove them. The OpenAPI document at `/api/v1/openapi.json` is generated from these types
//! and the handlers' `#[utoipa::path]` annotations.
//!
//! Handlers are thin: reads go through `app::api::programme`, registering through
//! `Desk::register`. Every answer that is not a success is an `ApiError` with one body shape,
//! and no input, however malformed, gets a 500.

pub mod checkins;
pub mod editions;
pub mod error;
pub mod json;
pub mod lineup;
pub mod organising;
pub mod registrations;

use crate::state::AppState;
use app::i18n::Locale;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderMap};
use axum::response::IntoResponse;
use axum::routing::{any, get, post};
use axum::{Json, Router};
use error::{ApiError, ApiFailure};
use utoipa::OpenApi;

/// The largest request body the API reads; a registration is well under 1 KiB.
pub const BODY_LIMIT: usize = 16 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Étape public API",
        version = "1.0.0",
        description = "The programme of Étape's editions and stages, and registering for a \
stage. Errors share one shape: `{\"error\": code, \"message\": sentence}`, with `fields` for \
invalid input and `reason` for a refused registration. Messages follow `Accept-Language` \
(French or English; French by default).",
        license(name = "AGPL-3.0-or-later"),
    ),
    paths(
        editions::list_editions,
        editions::get_edition,
        editions::get_stage,
        registrations::register,
        organising::create_edition,
        organising::update_edition,
        organising::create_stage,
        organising::update_stage,
        lineup::get_lineup,
        lineup::put_lineup,
        checkins::check_in,
        checkins::door_state,
        openapi_json,
    ),
    modifiers(&BearerToken),
    components(schemas(error::ErrorBody, error::RefusalReason)),
    tags(
        (name = "programme", description = "Published editions and their stages"),
        (name = "registrations", description = "Registering for a stage"),
        (name = "organising", description = "Creating and changing editions and stages, with a personal API token made in the workspace"),
        (name = "door", description = "Checking tickets in at a stage's doors, with a door link's secret"),
        (name = "meta", description = "This document"),
    )
)]
pub struct ApiDoc;

/// The security schemes: `bearer`, a personal API token made and revoked in the workspace, and
/// `door`, a door link's secret.
struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A personal API token (`etape_…`), made and revoked at /workspace/tokens; \
                         it acts with its owner's roles.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "door",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A door link's secret (`door_…`, made with `etape door-link create`): it \
                         checks tickets in at one stage's door and nothing else.",
                    ))
                    .build(),
            ),
        );
    }
}

/// `/api/v1/...`, with its own 404 and 405 answers in the API's error shape.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route(
            "/openapi.json",
            get(openapi_json).fallback(method_not_allowed),
        )
        .route(
            "/editions",
            get(editions::list_editions)
                .post(organising::create_edition)
                .fallback(method_not_allowed),
        )
        .route(
            "/editions/{edition}",
            get(editions::get_edition)
                .put(organising::update_edition)
                .fallback(method_not_allowed),
        )
        .route(
            "/editions/{edition}/stages",
            post(organising::create_stage).fallback(method_not_allowed),
        )
        .route(
            "/editions/{edition}/stages/{stage}",
            get(editions::get_stage)
                .put(organising::update_stage)
                .fallback(method_not_allowed),
        )
        .route(
            "/editions/{edition}/stages/{stage}/lineup",
            get(lineup::get_lineup)
                .put(lineup::put_lineup)
                .fallback(method_not_allowed)
                .layer(DefaultBodyLimit::max(lineup::LINEUP_BODY_LIMIT)),
        )
        .route(
            "/checkins",
            post(checkins::check_in).fallback(method_not_allowed),
        )
        .route(
            "/door",
            get(checkins::door_state).fallback(method_not_allowed),
        )
        .route(
            "/editions/{edition}/stages/{stage}/registrations",
            post(registrations::register).fallback(method_not_allowed),
        )
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state);
    // `nest` hands the inner router only paths below `/api/v1/`; the prefix itself would
    // otherwise reach the pages' HTML 404.
    Router::new()
        .route("/api/v1", any(not_found))
        .route("/api/v1/", any(not_found))
        .nest("/api/v1", api)
}

/// The language of an API answer: `Accept-Language`, else French. Cookies play no part.
pub fn request_locale(headers: &HeaderMap) -> Locale {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .map(Locale::from_accept_language)
        .unwrap_or(Locale::Fr)
}

#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "meta",
    summary = "This API's OpenAPI 3 document",
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json")),
)]
async fn openapi_json() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}

async fn not_found(headers: HeaderMap) -> ApiFailure {
    ApiError::NotFound.in_locale(request_locale(&headers))
}

async fn method_not_allowed(headers: HeaderMap) -> ApiFailure {
    ApiError::MethodNotAllowed.in_locale(request_locale(&headers))
}
