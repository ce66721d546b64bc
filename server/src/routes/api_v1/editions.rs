//! `GET` the public programme: editions, an edition with its stages, a stage with its seats.
//! The data comes from `app::api::programme` (the pages' loaders and cache); this file only
//! turns those views into the API's versioned JSON. Drafts never appear: the loaders skip them.

use super::error::{ApiError, ApiFailure, RefusalReason};
use super::request_locale;
use crate::startup::AppState;
use app::api::programme::{load_edition, load_editions, load_stage, load_stage_seats};
use app::api::views::{EditionCard, StageCard};
use app::domain::edition::Phase;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// The published editions.
#[derive(Debug, Serialize, ToSchema)]
pub struct EditionList {
    /// The most recent first.
    pub editions: Vec<EditionSummary>,
}

/// An edition as the list shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EditionSummary {
    /// The edition's address segment, e.g. `social-good-week-2026`.
    pub slug: String,
    pub name: String,
    /// 1 for the first edition, then 2, 3…
    pub number: u32,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub theme: String,
    pub phase: EditionPhase,
    /// The edition's public page.
    pub url: String,
}

/// Where an edition stands relative to today (the server's UTC date).
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EditionPhase {
    Upcoming,
    Running,
    Past,
}

/// An edition with its public stages.
#[derive(Debug, Serialize, ToSchema)]
pub struct EditionDetail {
    #[serde(flatten)]
    pub edition: EditionSummary,
    pub description: String,
    pub partners: Vec<Partner>,
    /// Published and cancelled stages, never drafts.
    pub stages: Vec<StageSummary>,
}

/// A national partner of an edition.
#[derive(Debug, Serialize, ToSchema)]
pub struct Partner {
    pub name: String,
    pub website: Option<String>,
}

/// A stage as an edition lists it.
#[derive(Debug, Serialize, ToSchema)]
pub struct StageSummary {
    /// The stage's address segment within its edition, e.g. `lyon`.
    pub slug: String,
    pub city: String,
    pub city_slug: String,
    /// The venue's name.
    pub venue: String,
    /// Start, in the stage's time zone, with its UTC offset (RFC 3339).
    pub starts_at: DateTime<FixedOffset>,
    /// End, in the stage's time zone, with its UTC offset (RFC 3339).
    pub ends_at: DateTime<FixedOffset>,
    /// The stage's IANA time zone, e.g. `Europe/Paris`.
    pub time_zone: String,
    pub theme: String,
    pub status: StageStatus,
    /// The stage's public page.
    pub url: String,
}

/// Whether a public stage takes place.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StageStatus {
    Published,
    Cancelled,
}

/// One stage with its seats and registration window.
#[derive(Debug, Serialize, ToSchema)]
pub struct StageDetail {
    #[serde(flatten)]
    pub stage: StageSummary,
    pub edition: EditionSummary,
    pub venue_address: String,
    pub description: String,
    /// Seats; beyond them, registrations join the waiting list.
    pub capacity: u32,
    pub registrations: RegistrationCounts,
    /// Whether `POST …/registrations` would be accepted now (a full stage still takes
    /// registrations, on its waiting list).
    pub registration_open: bool,
    /// When `registration_open` is false, why: the same code as a refused registration's `reason`.
    pub registration_refused: Option<RefusalReason>,
    pub registration_opens_at: DateTime<FixedOffset>,
    pub registration_closes_at: DateTime<FixedOffset>,
}

/// How many registrations a stage has now.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationCounts {
    /// Registrations with a seat.
    pub confirmed: u32,
    /// Registrations on the waiting list.
    pub waiting: u32,
}

#[utoipa::path(
    get,
    path = "/api/v1/editions",
    tag = "programme",
    summary = "List the published editions",
    responses(
        (status = 200, description = "The published editions, the most recent first", body = EditionList),
    )
)]
pub async fn list_editions(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<EditionList>, ApiFailure> {
    let cards = load_editions(&state.db, &state.programme, Utc::now().date_naive())
        .await
        .map_err(|error| ApiError::from(error).in_locale(request_locale(&headers)))?;
    Ok(Json(EditionList {
        editions: cards
            .into_iter()
            .map(|card| edition_summary(&state, card))
            .collect(),
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/editions/{edition}",
    tag = "programme",
    summary = "One edition with its stages",
    params(("edition" = String, Path, description = "The edition's slug")),
    responses(
        (status = 200, description = "The edition and its published and cancelled stages", body = EditionDetail),
        (status = 404, description = "No published edition with this slug", body = super::error::ErrorBody),
    )
)]
pub async fn get_edition(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Json<EditionDetail>, ApiFailure> {
    let locale = request_locale(&headers);
    let Ok(Path(slug)) = path else {
        return Err(ApiError::NotFound.in_locale(locale));
    };
    let view = load_edition(
        &state.db,
        &state.programme,
        &state.links,
        &slug,
        Utc::now().date_naive(),
    )
    .await
    .map_err(|error| ApiError::from(error).in_locale(locale))?;
    let edition_slug = view.card.slug.clone();
    Ok(Json(EditionDetail {
        edition: edition_summary(&state, view.card),
        description: view.description,
        partners: view
            .partners
            .into_iter()
            .map(|partner| Partner {
                name: partner.name,
                website: partner.website,
            })
            .collect(),
        stages: view
            .stages
            .into_iter()
            .map(|card| stage_summary(&state, &edition_slug, card))
            .collect(),
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/editions/{edition}/stages/{stage}",
    tag = "programme",
    summary = "One stage with its capacity and registrations",
    params(
        ("edition" = String, Path, description = "The edition's slug"),
        ("stage" = String, Path, description = "The stage's slug"),
    ),
    responses(
        (status = 200, description = "The stage, its seats and its registration window", body = StageDetail),
        (status = 404, description = "No public stage at this address", body = super::error::ErrorBody),
    )
)]
pub async fn get_stage(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
) -> Result<Json<StageDetail>, ApiFailure> {
    let locale = request_locale(&headers);
    let Ok(Path((edition, stage))) = path else {
        return Err(ApiError::NotFound.in_locale(locale));
    };
    let failed = |error| ApiError::from(error).in_locale(locale);
    let view = load_stage(
        &state.db,
        &state.programme,
        &state.links,
        &edition,
        &stage,
        Utc::now(),
    )
    .await
    .map_err(failed)?;
    let seats = load_stage_seats(&state.db, &state.programme, &edition, &stage)
        .await
        .map_err(failed)?;
    let time_zone = view.card.time_zone.clone();
    let in_zone = |instant: DateTime<Utc>| match app::domain::stage::parse_time_zone(&time_zone) {
        Ok(zone) => instant.with_timezone(&zone).fixed_offset(),
        Err(_) => instant.fixed_offset(),
    };
    Ok(Json(StageDetail {
        stage: stage_summary(&state, &view.edition.slug, view.card),
        edition: edition_summary(&state, view.edition),
        venue_address: view.venue_address,
        description: view.description,
        capacity: seats.capacity,
        registrations: RegistrationCounts {
            confirmed: seats.confirmed,
            waiting: seats.waitlisted,
        },
        registration_open: view.registration_open,
        registration_refused: view.registration_refused.as_ref().map(RefusalReason::from),
        registration_opens_at: in_zone(seats.registration_opens_at),
        registration_closes_at: in_zone(seats.registration_closes_at),
    }))
}

fn edition_summary(state: &AppState, card: EditionCard) -> EditionSummary {
    EditionSummary {
        url: state.links.absolute(&format!("/{}", card.slug)),
        slug: card.slug,
        name: card.name,
        number: card.number,
        starts_on: card.starts_on,
        ends_on: card.ends_on,
        theme: card.theme,
        phase: match card.phase {
            Phase::Upcoming => EditionPhase::Upcoming,
            Phase::Running => EditionPhase::Running,
            Phase::Past => EditionPhase::Past,
        },
    }
}

fn stage_summary(state: &AppState, edition_slug: &str, card: StageCard) -> StageSummary {
    StageSummary {
        url: state
            .links
            .absolute(&format!("/{edition_slug}/{}", card.slug)),
        starts_at: with_offset(card.starts, &card.time_zone),
        ends_at: with_offset(card.ends, &card.time_zone),
        slug: card.slug,
        city: card.city,
        city_slug: card.city_slug,
        venue: card.venue_name,
        time_zone: card.time_zone,
        theme: card.theme,
        status: if card.cancelled {
            StageStatus::Cancelled
        } else {
            StageStatus::Published
        },
    }
}

/// A wall-clock time of the stage, with the offset its zone has then. The views hold local
/// times (converted from stored UTC instants), so every local time exists; in the hour a
/// clock goes back, the earlier of the two instants is taken.
fn with_offset(local: NaiveDateTime, time_zone: &str) -> DateTime<FixedOffset> {
    app::domain::stage::parse_time_zone(time_zone)
        .ok()
        .and_then(|zone| {
            zone.from_local_datetime(&local)
                .earliest()
                .map(|at| at.fixed_offset())
        })
        .unwrap_or_else(|| local.and_utc().fixed_offset())
}

#[cfg(test)]
mod tests {
    use super::with_offset;
    use chrono::NaiveDate;

    #[test]
    fn a_local_time_carries_its_zone_offset_for_that_date() {
        let winter = NaiveDate::from_ymd_opt(2026, 12, 30)
            .unwrap()
            .and_hms_opt(18, 30, 0)
            .unwrap();
        let summer = NaiveDate::from_ymd_opt(2026, 6, 30)
            .unwrap()
            .and_hms_opt(18, 30, 0)
            .unwrap();
        assert_eq!(
            with_offset(winter, "Europe/Paris").to_rfc3339(),
            "2026-12-30T18:30:00+01:00"
        );
        assert_eq!(
            with_offset(summer, "Europe/Paris").to_rfc3339(),
            "2026-06-30T18:30:00+02:00"
        );
    }
}
