//! A stage's line-up through the API, as one document: speakers, projects and the programme
//! that presents them (by their position in the lists). `GET` answers anyone for a public
//! stage and a draft's organisers with their API token; `PUT` replaces the whole line-up with
//! the same rules as the workspace's line-up page (`domain::lineup_form::whole_lineup`). The
//! document carries its `version` (also the `ETag`); a `PUT` with `If-Match` is refused with
//! 412 when someone changed the line-up since, so a script never overwrites an organiser.

use super::error::{ApiError, ApiFailure, InvalidField};
use super::json::ApiJson;
use super::request_locale;
use crate::state::AppState;
use app::api::workspace::lineup::{self, LineupRead, ReplaceRefused, SentLineup};
use app::api::workspace::SignedIn;
use app::domain::lineup_form::PieceForm;
use app::domain::stage_form::local_input;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The largest line-up document a `PUT` reads: bios and descriptions of a full evening.
pub const LINEUP_BODY_LIMIT: usize = 256 * 1024;

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct SpeakerDocument {
    pub name: String,
    /// What they do ("Directrice, La Ruche").
    pub role: String,
    /// Markdown.
    pub bio: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ProjectDocument {
    pub name: String,
    /// The organisation carrying the project.
    pub holder: String,
    /// Markdown.
    pub description: String,
    /// The project's own site, `https://…`.
    pub link: Option<String>,
    /// Whole euros, above 0. A project needs funding, skills, or both.
    pub funding_goal_eur: Option<i64>,
    /// What the money would pay for (only with a funding goal).
    pub funding_use: Option<String>,
    /// Each skill without commas.
    pub skills_wanted: Vec<String>,
    /// What the skilled volunteers would do (only with skills wanted).
    pub skills_use: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ProgrammeItemDocument {
    /// `YYYY-MM-DDTHH:MM`, on the stage's clock (`time_zone`), within the stage's hours.
    #[schema(example = "2027-10-07T18:30")]
    pub starts: String,
    #[schema(example = 30)]
    pub duration_minutes: Option<i64>,
    /// `keynote`, `pitch`, `talk`, `panel`, `networking` or `break`.
    #[schema(example = "talk")]
    pub kind: String,
    pub title: String,
    /// Positions (from 0) in `speakers` of the people it presents.
    pub speakers: Vec<usize>,
    /// Positions (from 0) in `projects` of the projects it presents.
    pub projects: Vec<usize>,
}

/// A whole line-up as a script sends it. Missing fields count as blank.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct LineupInput {
    pub speakers: Vec<SpeakerDocument>,
    pub projects: Vec<ProjectDocument>,
    /// In time order once stored.
    pub programme: Vec<ProgrammeItemDocument>,
}

/// A stage's line-up as stored: what a `PUT` takes, with its version and the stage's clock.
#[derive(Debug, Serialize, ToSchema)]
pub struct LineupDocument {
    /// Send it back as `If-Match` to replace only this version.
    pub version: String,
    /// The IANA zone of the programme's times.
    pub time_zone: String,
    #[serde(flatten)]
    pub lineup: LineupInput,
}

impl From<&LineupInput> for SentLineup {
    fn from(input: &LineupInput) -> Self {
        let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        SentLineup {
            speakers: input
                .speakers
                .iter()
                .map(|s| PieceForm {
                    name: s.name.clone(),
                    role: s.role.clone(),
                    bio: s.bio.clone(),
                    ..PieceForm::default()
                })
                .collect(),
            projects: input
                .projects
                .iter()
                .map(|p| PieceForm {
                    name: p.name.clone(),
                    holder: p.holder.clone(),
                    pitch: p.description.clone(),
                    link: p.link.clone().unwrap_or_default(),
                    funding_goal: number(p.funding_goal_eur),
                    funding_use: p.funding_use.clone().unwrap_or_default(),
                    skills: p.skills_wanted.join("\n"),
                    skills_use: p.skills_use.clone().unwrap_or_default(),
                    ..PieceForm::default()
                })
                .collect(),
            items: input
                .programme
                .iter()
                .map(|i| PieceForm {
                    starts: i.starts.clone(),
                    duration: number(i.duration_minutes),
                    kind: i.kind.clone(),
                    title: i.title.clone(),
                    speakers: i.speakers.clone(),
                    projects: i.projects.clone(),
                    ..PieceForm::default()
                })
                .collect(),
        }
    }
}

impl From<LineupRead> for LineupDocument {
    fn from(read: LineupRead) -> Self {
        let zone = read.stage.zone();
        let lineup = read.lineup;
        LineupDocument {
            version: read.version,
            time_zone: read.stage.time_zone.clone(),
            lineup: LineupInput {
                speakers: lineup
                    .speakers
                    .into_iter()
                    .map(|s| SpeakerDocument {
                        name: s.name,
                        role: s.title.unwrap_or_default(),
                        bio: s.bio.unwrap_or_default(),
                    })
                    .collect(),
                projects: lineup
                    .projects
                    .into_iter()
                    .map(|p| ProjectDocument {
                        name: p.name,
                        holder: p.holder,
                        description: p.pitch,
                        link: p.link,
                        funding_goal_eur: p.funding_goal_eur.map(i64::from),
                        funding_use: p.funding_use,
                        skills_wanted: p.skills_wanted,
                        skills_use: p.skills_use,
                    })
                    .collect(),
                programme: lineup
                    .programme
                    .into_iter()
                    .map(|scheduled| ProgrammeItemDocument {
                        starts: local_input(
                            scheduled.item.starts_at.with_timezone(&zone).naive_local(),
                        ),
                        duration_minutes: Some(i64::from(scheduled.item.duration_minutes)),
                        kind: scheduled.item.kind.as_str().to_owned(),
                        title: scheduled.item.title,
                        speakers: scheduled.speakers,
                        projects: scheduled.projects,
                    })
                    .collect(),
            },
        }
    }
}

/// The document with its version as `ETag`.
fn with_etag(document: LineupDocument) -> Response {
    let etag = HeaderValue::from_str(&format!("\"{}\"", document.version));
    let mut response = Json(document).into_response();
    if let Ok(etag) = etag {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
}

/// The version an `If-Match` header asks for; `None` without one, or for `*` (any version).
fn expected_version(headers: &HeaderMap) -> Option<String> {
    let raw = headers.get(header::IF_MATCH)?.to_str().ok()?.trim();
    if raw == "*" {
        return None;
    }
    Some(
        raw.trim_start_matches("W/")
            .trim_matches('"')
            .trim()
            .to_owned(),
    )
}

#[utoipa::path(
    get,
    path = "/api/v1/editions/{edition}/stages/{stage}/lineup",
    tag = "programme",
    summary = "A stage's line-up: speakers, projects and the programme",
    description = "Anyone may read a public stage's line-up; a draft's only with an API token of its organisers.",
    params(
        ("edition" = String, Path, description = super::editions::EDITION_SLUG, example = "social-good-week-demo",
            min_length = 1, max_length = 64, pattern = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"),
        ("stage" = String, Path, description = super::editions::STAGE_SLUG, example = "lyon",
            min_length = 1, max_length = 64, pattern = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"),
    ),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The line-up; its version is also the `ETag`", body = LineupDocument),
        (status = 401, description = "An API token that is not (or no longer) valid", body = super::error::ErrorBody),
        (status = 404, description = "No such stage, or a draft the request may not see", body = super::error::ErrorBody),
    )
)]
pub async fn get_lineup(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiFailure> {
    let locale = request_locale(&headers);
    let Ok(Path((edition, stage))) = path else {
        return Err(ApiError::NotFound.in_locale(locale));
    };
    let person = if headers.contains_key(header::AUTHORIZATION) {
        Some(super::organising::organiser(&state, &headers, locale).await?)
    } else {
        None
    };
    let read = lineup::read_lineup(&state.db, person.as_ref(), &edition, &stage)
        .await
        .map_err(|error| ApiError::from(error).in_locale(locale))?;
    Ok(with_etag(read.into()))
}

#[utoipa::path(
    put,
    path = "/api/v1/editions/{edition}/stages/{stage}/lineup",
    tag = "organising",
    summary = "Replace a stage's whole line-up (its organisers)",
    description = "The same rules as the workspace's line-up page. With `If-Match: \"VERSION\"`, \
only if nobody changed the line-up since that version was read.",
    params(
        ("edition" = String, Path, description = super::editions::EDITION_SLUG, example = "social-good-week-demo",
            min_length = 1, max_length = 64, pattern = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"),
        ("stage" = String, Path, description = super::editions::STAGE_SLUG, example = "lyon",
            min_length = 1, max_length = 64, pattern = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"),
        ("If-Match" = Option<String>, Header, description = "The `version` (or `ETag`) read before"),
    ),
    request_body = LineupInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Stored; the line-up as it now reads", body = LineupDocument),
        (status = 401, description = "No valid API token", body = super::error::ErrorBody),
        (status = 403, description = "Out of the token's reach, or a cancelled stage", body = super::error::ErrorBody),
        (status = 404, description = "No such stage, or one the token may not see", body = super::error::ErrorBody),
        (status = 412, description = "The line-up changed since the `If-Match` version: read it again", body = super::error::ErrorBody),
        (status = 422, description = "Pieces to correct, each named like `projects[1].funding_goal_eur`", body = super::error::ErrorBody),
    )
)]
pub async fn put_lineup(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<LineupInput>,
) -> Result<Response, ApiFailure> {
    let locale = request_locale(&headers);
    let Ok(Path((edition, stage))) = path else {
        return Err(ApiError::NotFound.in_locale(locale));
    };
    let person: SignedIn = super::organising::organiser(&state, &headers, locale).await?;
    let expected = expected_version(&headers);
    let now = chrono::Utc::now();
    let sent = SentLineup::from(&input);
    let stored = lineup::replace_lineup(
        &state.db,
        &person,
        &edition,
        &stage,
        &sent,
        expected.as_deref(),
        now,
    )
    .await
    .map_err(|refused| {
        match refused {
            ReplaceRefused::Invalid(errors) => {
                ApiError::Invalid(errors.into_iter().map(InvalidField::Lineup).collect())
            }
            ReplaceRefused::Stale => ApiError::Stale,
            ReplaceRefused::Error(error) => ApiError::from(error),
        }
        .in_locale(locale)
    })?;
    Ok(with_etag(stored.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_names_a_version_or_any() {
        let mut headers = HeaderMap::new();
        assert_eq!(expected_version(&headers), None);
        headers.insert(header::IF_MATCH, HeaderValue::from_static("\"0a1b\""));
        assert_eq!(expected_version(&headers).as_deref(), Some("0a1b"));
        headers.insert(header::IF_MATCH, HeaderValue::from_static("W/\"0a1b\""));
        assert_eq!(expected_version(&headers).as_deref(), Some("0a1b"));
        headers.insert(header::IF_MATCH, HeaderValue::from_static("*"));
        assert_eq!(expected_version(&headers), None);
    }
}
