//! Organising through the API, with a personal API token (`Authorization: Bearer …`, made in
//! the workspace): create and change editions and stages. The token acts with its owner's
//! roles and goes through the same actions as the workspace's forms
//! (`app::api::workspace::{actions, stages}`), so a script meets the same rules, the same
//! reach and the same emails to registrants. Out of reach answers 404 (a draft one may not
//! see) or 403, never the data.

use super::error::{ApiError, ApiFailure, InvalidField};
use super::json::ApiJson;
use super::request_locale;
use crate::state::AppState;
use app::api::workspace::actions::{self, EditionRefused};
use app::api::workspace::stages::{self, StageRefused};
use app::api::workspace::SignedIn;
use app::domain::edition_form::EditionForm;
use app::domain::stage_form::StageForm;
use app::i18n::Locale;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An organisation named in a request: a stage's co-organiser or an edition's partner.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct OrganisationInput {
    pub name: String,
    /// Its website, `https://…`.
    pub website: Option<String>,
    /// Its logo's address, `https://…` (partners only).
    pub logo_url: Option<String>,
}

/// An edition as a script sends it. Missing fields count as blank.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct EditionInput {
    pub name: String,
    /// The page's address; blank: made from the name. Fixed once the edition is published.
    pub slug: String,
    pub number: Option<i64>,
    /// `YYYY-MM-DD`.
    #[schema(example = "2027-10-04")]
    pub starts_on: String,
    #[schema(example = "2027-10-10")]
    pub ends_on: String,
    pub theme: String,
    /// Markdown.
    pub description: String,
    pub partners: Vec<OrganisationInput>,
}

/// A stage as a script sends it: times on the stage's own clock. Missing fields count as blank.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct StageInput {
    /// The page's address; blank: made from the city. Fixed once the stage is published.
    pub slug: String,
    pub city: String,
    pub venue_name: String,
    pub venue_address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// An IANA time zone.
    #[schema(example = "Europe/Paris")]
    pub time_zone: String,
    /// `YYYY-MM-DDTHH:MM`, local to the stage.
    #[schema(example = "2027-10-07T18:30")]
    pub starts: String,
    #[schema(example = "2027-10-07T22:00")]
    pub ends: String,
    pub theme: String,
    /// Markdown.
    pub description: String,
    pub capacity: Option<i64>,
    /// Blank: open now; local to the stage.
    pub registration_opens: String,
    /// Blank: close when the stage starts.
    pub registration_closes: String,
    pub co_organisers: Vec<OrganisationInput>,
    /// Against fake sign-ups: minutes (10 to 10080) a registrant has to follow the emailed
    /// link before their seat goes back; absent or null: no confirmation asked.
    #[schema(example = 60)]
    pub confirm_email_minutes: Option<i64>,
}

/// What an edition or a stage was stored as.
#[derive(Debug, Serialize, ToSchema)]
pub struct Stored {
    pub edition: String,
    /// For a stage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// Registrants told of a new time or place (a stage's update).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emails: Option<usize>,
}

fn lines(organisations: &[OrganisationInput]) -> String {
    organisations
        .iter()
        .map(|o| {
            [
                Some(o.name.as_str()),
                o.website.as_deref(),
                o.logo_url.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl From<EditionInput> for EditionForm {
    fn from(input: EditionInput) -> Self {
        EditionForm {
            partners: lines(&input.partners),
            name: input.name,
            slug: input.slug,
            number: input.number.map(|n| n.to_string()).unwrap_or_default(),
            starts_on: input.starts_on,
            ends_on: input.ends_on,
            theme: input.theme,
            description: input.description,
        }
    }
}

impl From<StageInput> for StageForm {
    fn from(input: StageInput) -> Self {
        let number = |n: Option<f64>| n.map(|n| n.to_string()).unwrap_or_default();
        StageForm {
            co_organisers: lines(&input.co_organisers),
            latitude: number(input.latitude),
            longitude: number(input.longitude),
            capacity: input.capacity.map(|n| n.to_string()).unwrap_or_default(),
            confirm_email_minutes: input
                .confirm_email_minutes
                .map(|n| n.to_string())
                .unwrap_or_default(),
            slug: input.slug,
            city: input.city,
            venue_name: input.venue_name,
            venue_address: input.venue_address,
            time_zone: input.time_zone,
            starts: input.starts,
            ends: input.ends,
            theme: input.theme,
            description: input.description,
            registration_opens: input.registration_opens,
            registration_closes: input.registration_closes,
        }
    }
}

/// The person the request's API token acts for.
pub(super) async fn organiser(
    state: &AppState,
    headers: &HeaderMap,
    locale: Locale,
) -> Result<SignedIn, ApiFailure> {
    SignedIn::from_bearer(&state.db, headers, chrono::Utc::now())
        .await
        .map_err(|error| ApiError::from(error).in_locale(locale))
}

fn edition_refused(refused: EditionRefused, locale: Locale) -> ApiFailure {
    match refused {
        EditionRefused::Invalid(errors) => {
            ApiError::Invalid(errors.into_iter().map(InvalidField::Edition).collect())
        }
        EditionRefused::Error(error) => ApiError::from(error),
    }
    .in_locale(locale)
}

fn stage_refused(refused: StageRefused, locale: Locale) -> ApiFailure {
    match refused {
        StageRefused::Invalid(errors) => {
            ApiError::Invalid(errors.into_iter().map(InvalidField::Stage).collect())
        }
        StageRefused::Error(error) => ApiError::from(error),
    }
    .in_locale(locale)
}

#[utoipa::path(
    post,
    path = "/api/v1/editions",
    tag = "organising",
    summary = "Create an edition, as a draft (platform administrators)",
    request_body = EditionInput,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Stored as a draft", body = Stored),
        (status = 401, description = "No valid API token", body = super::error::ErrorBody),
        (status = 403, description = "The token's owner may not create editions", body = super::error::ErrorBody),
        (status = 422, description = "Fields to correct, each named", body = super::error::ErrorBody),
    )
)]
pub async fn create_edition(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<EditionInput>,
) -> Result<(StatusCode, Json<Stored>), ApiFailure> {
    let locale = request_locale(&headers);
    let person = organiser(&state, &headers, locale).await?;
    let slug = actions::create_edition(&state.db, &person, &input.into())
        .await
        .map_err(|refused| edition_refused(refused, locale))?;
    Ok((
        StatusCode::CREATED,
        Json(Stored {
            edition: slug,
            stage: None,
            emails: None,
        }),
    ))
}

#[utoipa::path(
    put,
    path = "/api/v1/editions/{edition}",
    tag = "organising",
    summary = "Change an edition (its admins), partners included",
    params(
        ("edition" = String, Path, description = super::editions::EDITION_SLUG, example = "social-good-week-demo",
            min_length = 1, max_length = 64, pattern = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"),
    ),
    request_body = EditionInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Stored", body = Stored),
        (status = 401, description = "No valid API token", body = super::error::ErrorBody),
        (status = 403, description = "Out of the token's reach", body = super::error::ErrorBody),
        (status = 404, description = "No such edition, or one the token may not see", body = super::error::ErrorBody),
        (status = 422, description = "Fields to correct, each named", body = super::error::ErrorBody),
    )
)]
pub async fn update_edition(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<EditionInput>,
) -> Result<Json<Stored>, ApiFailure> {
    let locale = request_locale(&headers);
    let Ok(Path(edition)) = path else {
        return Err(ApiError::NotFound.in_locale(locale));
    };
    let person = organiser(&state, &headers, locale).await?;
    let slug = actions::save_edition(&state.db, &person, &edition, &input.into())
        .await
        .map_err(|refused| edition_refused(refused, locale))?;
    Ok(Json(Stored {
        edition: slug,
        stage: None,
        emails: None,
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/editions/{edition}/stages",
    tag = "organising",
    summary = "Add a stage to an edition, as a draft (its admins)",
    params(
        ("edition" = String, Path, description = super::editions::EDITION_SLUG, example = "social-good-week-demo",
            min_length = 1, max_length = 64, pattern = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"),
    ),
    request_body = StageInput,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Stored as a draft", body = Stored),
        (status = 401, description = "No valid API token", body = super::error::ErrorBody),
        (status = 403, description = "Out of the token's reach", body = super::error::ErrorBody),
        (status = 404, description = "No such edition, or one the token may not see", body = super::error::ErrorBody),
        (status = 422, description = "Fields to correct, each named", body = super::error::ErrorBody),
    )
)]
pub async fn create_stage(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<StageInput>,
) -> Result<(StatusCode, Json<Stored>), ApiFailure> {
    let locale = request_locale(&headers);
    let Ok(Path(edition)) = path else {
        return Err(ApiError::NotFound.in_locale(locale));
    };
    let person = organiser(&state, &headers, locale).await?;
    let now = chrono::Utc::now();
    let slug = stages::create_stage(&state.db, &person, &edition, &input.into(), now)
        .await
        .map_err(|refused| stage_refused(refused, locale))?;
    Ok((
        StatusCode::CREATED,
        Json(Stored {
            edition,
            stage: Some(slug),
            emails: None,
        }),
    ))
}

#[utoipa::path(
    put,
    path = "/api/v1/editions/{edition}/stages/{stage}",
    tag = "organising",
    summary = "Change a stage (its organisers); a new time or place tells its registrants",
    params(
        ("edition" = String, Path, description = super::editions::EDITION_SLUG, example = "social-good-week-demo",
            min_length = 1, max_length = 64, pattern = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"),
        ("stage" = String, Path, description = super::editions::STAGE_SLUG, example = "lyon",
            min_length = 1, max_length = 64, pattern = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"),
    ),
    request_body = StageInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Stored; `emails` registrants were told", body = Stored),
        (status = 401, description = "No valid API token", body = super::error::ErrorBody),
        (status = 403, description = "Out of the token's reach, or a cancelled stage", body = super::error::ErrorBody),
        (status = 404, description = "No such stage, or one the token may not see", body = super::error::ErrorBody),
        (status = 422, description = "Fields to correct, each named", body = super::error::ErrorBody),
    )
)]
pub async fn update_stage(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<StageInput>,
) -> Result<Json<Stored>, ApiFailure> {
    let locale = request_locale(&headers);
    let Ok(Path((edition, stage))) = path else {
        return Err(ApiError::NotFound.in_locale(locale));
    };
    let person = organiser(&state, &headers, locale).await?;
    let desk = state.desk(None);
    let now = chrono::Utc::now();
    let (slug, emails) = stages::save_stage(&desk, &person, &edition, &stage, &input.into(), now)
        .await
        .map_err(|refused| stage_refused(refused, locale))?;
    Ok(Json(Stored {
        edition,
        stage: Some(slug),
        emails: Some(emails),
    }))
}
