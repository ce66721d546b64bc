//! `GET` the public programme: editions, an edition with its stages, a stage with its seats.
//! The data is the stored records, read through `app::api::programme`'s cache (`cached_editions`,
//! `cached_edition`, `cached_stage`), which never holds a draft; this file turns them into the
//! API's versioned JSON. It does not go through the pages' views: those hold wall-clock times,
//! and in the hour a clock goes back one wall-clock time is two instants. Each stored UTC
//! instant goes out on its stage's clock instead, with the offset its zone has at that instant.

use super::error::{ApiError, ApiFailure, RefusalReason};
use super::request_locale;
use crate::state::AppState;
use app::api::programme::{cached_edition, cached_editions, cached_stage, load_stage_seats};
use app::db::registrations::Counts;
use app::domain::edition::Phase;
use app::domain::registration::{admit, seats_left, Availability as Standing, RegistrationRefused};
use app::domain::{Edition, Stage};
use app::error::AppError;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use chrono_tz::Tz;
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
    /// Where registrations stand now: what the stage's page and card say.
    pub availability: Availability,
    /// Seats not taken now; whether one can be taken is `availability`.
    pub seats_left: u32,
    /// People on the waiting list now.
    pub waiting: u32,
}

/// Where registrations for a stage stand now.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    /// Seats are free.
    Open,
    /// Seats are free, but few (at most ten, and at most half of the capacity).
    FewSeatsLeft,
    /// Every seat is taken: a registration joins the waiting list.
    Full,
    /// Registrations have not opened yet.
    NotYetOpen,
    /// Registrations are closed.
    Closed,
    /// The stage is cancelled.
    StageCancelled,
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
    /// Minutes a new registrant has to confirm their address by following an emailed link,
    /// or their seat goes back; null when the stage does not ask.
    pub confirm_email_minutes: Option<u32>,
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
    let records = cached_editions(&state.db, &state.programme)
        .await
        .map_err(|error| ApiError::from(error).in_locale(request_locale(&headers)))?;
    let today = Utc::now().date_naive();
    Ok(Json(EditionList {
        editions: records
            .iter()
            .map(|record| edition_summary(&state, &record.edition, today))
            .collect(),
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/editions/{edition}",
    tag = "programme",
    summary = "One edition with its stages",
    params(
        ("edition" = String, Path, description = EDITION_SLUG, example = "social-good-week-demo",
            min_length = 1, max_length = 64, pattern = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"),
    ),
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
    let loaded = cached_edition(&state.db, &state.programme, &slug)
        .await
        .map_err(|error| ApiError::from(error).in_locale(locale))?;
    let (record, stage_records) = &*loaded;
    let edition = &record.edition;
    let counts = app::db::registrations::counts_by_stage(&state.db, &record.id)
        .await
        .map_err(|error| ApiError::from(AppError::from(error)).in_locale(locale))?;
    let now = Utc::now();
    Ok(Json(EditionDetail {
        edition: edition_summary(&state, edition, now.date_naive()),
        description: edition.description.clone(),
        partners: edition
            .partners
            .iter()
            .map(|partner| Partner {
                name: partner.name.clone(),
                website: partner.website.clone(),
            })
            .collect(),
        stages: stage_records
            .iter()
            .map(|stage| {
                let counts = counts.get(&stage.id).copied().unwrap_or_default();
                stage_summary(&state, edition, &stage.stage, counts, now)
            })
            .collect(),
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/editions/{edition}/stages/{stage}",
    tag = "programme",
    summary = "One stage with its capacity and registrations",
    params(
        ("edition" = String, Path, description = EDITION_SLUG, example = "social-good-week-demo",
            min_length = 1, max_length = 64, pattern = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"),
        ("stage" = String, Path, description = STAGE_SLUG, example = "lyon",
            min_length = 1, max_length = 64, pattern = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"),
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
    let Ok(Path((edition_slug, stage_slug))) = path else {
        return Err(ApiError::NotFound.in_locale(locale));
    };
    let failed = |error| ApiError::from(error).in_locale(locale);
    let now = Utc::now();
    let loaded = cached_stage(&state.db, &state.programme, &edition_slug, &stage_slug)
        .await
        .map_err(failed)?;
    let seats = load_stage_seats(&state.db, &state.programme, &edition_slug, &stage_slug)
        .await
        .map_err(failed)?;
    let (edition, record, _) = &*loaded;
    let (edition, stage) = (&edition.edition, &record.stage);
    let zone = stage.zone();
    Ok(Json(StageDetail {
        stage: stage_summary(
            &state,
            edition,
            stage,
            Counts {
                confirmed: seats.confirmed,
                waitlisted: seats.waitlisted,
            },
            now,
        ),
        edition: edition_summary(&state, edition, now.date_naive()),
        venue_address: stage.venue_address.clone(),
        description: stage.description.clone(),
        capacity: seats.capacity,
        registrations: RegistrationCounts {
            confirmed: seats.confirmed,
            waiting: seats.waitlisted,
        },
        // The same decisions as the stage page's (`load_stage`), from the same record.
        registration_open: stage.registration_is_open(now),
        registration_refused: admit(stage, 0, now).err().as_ref().map(RefusalReason::from),
        registration_opens_at: on_the_clock_of(zone, seats.registration_opens_at),
        registration_closes_at: on_the_clock_of(zone, seats.registration_closes_at),
        confirm_email_minutes: stage.confirm_email_minutes,
    }))
}

/// What the `edition` path parameter is, in the OpenAPI document.
pub(super) const EDITION_SLUG: &str = "The edition's slug, as in its page's address: \
lowercase letters a–z, digits and single hyphens, at most 64 characters";

/// What the `stage` path parameter is, in the OpenAPI document.
pub(super) const STAGE_SLUG: &str = "The stage's slug within its edition, as in its page's \
address: lowercase letters a–z, digits and single hyphens, at most 64 characters";

fn edition_summary(state: &AppState, edition: &Edition, today: NaiveDate) -> EditionSummary {
    EditionSummary {
        url: state
            .links
            .absolute(&app::paths::edition(edition.slug.as_str())),
        slug: edition.slug.to_string(),
        name: edition.name.clone(),
        number: edition.number,
        starts_on: edition.starts_on,
        ends_on: edition.ends_on,
        theme: edition.theme.clone(),
        phase: match edition.phase(today) {
            Phase::Upcoming => EditionPhase::Upcoming,
            Phase::Running => EditionPhase::Running,
            Phase::Past => EditionPhase::Past,
        },
    }
}

fn stage_summary(
    state: &AppState,
    edition: &Edition,
    stage: &Stage,
    counts: Counts,
    now: DateTime<Utc>,
) -> StageSummary {
    let zone = stage.zone();
    let standing = Standing::of(stage, counts.confirmed, counts.waitlisted, now);
    StageSummary {
        url: state
            .links
            .stage_url(edition.slug.as_str(), stage.slug.as_str()),
        slug: stage.slug.to_string(),
        city: stage.city.clone(),
        city_slug: stage.city_slug.to_string(),
        venue: stage.venue_name.clone(),
        starts_at: on_the_clock_of(zone, stage.starts_at),
        ends_at: on_the_clock_of(zone, stage.ends_at),
        time_zone: stage.time_zone.clone(),
        theme: stage.theme.clone(),
        status: match stage.status {
            app::domain::StageStatus::Cancelled => StageStatus::Cancelled,
            // Drafts never reach here: the cached loaders return public stages only.
            app::domain::StageStatus::Published | app::domain::StageStatus::Draft => {
                StageStatus::Published
            }
        },
        availability: match standing {
            Standing::Open { .. } => Availability::Open,
            Standing::FewSeatsLeft { .. } => Availability::FewSeatsLeft,
            Standing::Full { .. } => Availability::Full,
            Standing::Refused(RegistrationRefused::NotYetOpen { .. }) => Availability::NotYetOpen,
            Standing::Refused(RegistrationRefused::StageCancelled) => Availability::StageCancelled,
            Standing::Refused(RegistrationRefused::Closed | RegistrationRefused::NotPublished) => {
                Availability::Closed
            }
        },
        seats_left: seats_left(stage.capacity, counts.confirmed),
        waiting: counts.waitlisted,
    }
}

/// A stored instant on a stage's clock: the wall-clock time there, with the offset the zone
/// has at that very instant (RFC 3339). Starting from the instant keeps apart the two that
/// share a wall-clock time in the hour a clock goes back.
fn on_the_clock_of(zone: Tz, instant: DateTime<Utc>) -> DateTime<FixedOffset> {
    instant.with_timezone(&zone).fixed_offset()
}

#[cfg(test)]
mod tests {
    use super::on_the_clock_of;
    use chrono::{TimeZone, Utc};
    use chrono_tz::Europe::Paris;

    #[test]
    fn an_instant_carries_its_zone_offset_for_that_date() {
        let winter = Utc.with_ymd_and_hms(2026, 12, 30, 17, 30, 0).unwrap();
        let summer = Utc.with_ymd_and_hms(2026, 6, 30, 16, 30, 0).unwrap();
        assert_eq!(
            on_the_clock_of(Paris, winter).to_rfc3339(),
            "2026-12-30T18:30:00+01:00"
        );
        assert_eq!(
            on_the_clock_of(Paris, summer).to_rfc3339(),
            "2026-06-30T18:30:00+02:00"
        );
    }

    #[test]
    fn the_two_instants_of_the_hour_the_clock_goes_back_keep_their_offsets() {
        // 25 October 2026, Paris: 03:00 CEST becomes 02:00 CET, so 02:30 happens twice.
        let first = Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap();
        let second = Utc.with_ymd_and_hms(2026, 10, 25, 1, 30, 0).unwrap();
        assert_eq!(
            on_the_clock_of(Paris, first).to_rfc3339(),
            "2026-10-25T02:30:00+02:00"
        );
        assert_eq!(
            on_the_clock_of(Paris, second).to_rfc3339(),
            "2026-10-25T02:30:00+01:00"
        );
    }
}
