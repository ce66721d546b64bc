//! The door's routes, with its door link's secret as the Bearer token: `POST /api/v1/checkins`
//! checks a ticket in (`app::api::door::check_in` reads the code with the edition's keys and
//! `db::checkins` decides and records it in one transaction), and `GET /api/v1/door` gives a
//! door phone what it keeps to decide offline.

use super::error::{ApiError, ApiFailure, InvalidField};
use super::json::ApiJson;
use super::request_locale;
use crate::state::AppState;
use app::api::door::{self, ScanRequest};
use app::domain::checkin::CheckinResult;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The longest client-made scan id a door may send.
const MAX_CLIENT_ID_LEN: usize = 100;

/// One scan, as a door sends it: `code` (what the camera read, or what was typed) or
/// `registration` (a person picked by hand from the door's list).
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct CheckinInput {
    /// The text of the ticket's QR code (`ET1…`), or the ticket's short code as typed
    /// (`K7QM-4XPD`, in any case, dashes and spaces ignored).
    pub code: Option<String>,
    /// The id of a registration of the door's stage, for a check-in by hand.
    pub registration: Option<String>,
    /// When the door scanned it (RFC 3339), for a scan made offline and sent later; never later
    /// than its arrival.
    pub scanned_at: Option<DateTime<Utc>>,
    /// The door's own id for this scan (up to 100 characters): sent twice, it counts once.
    pub id: Option<String>,
    /// What the door showed on its own while offline; a different answer here is a conflict,
    /// kept for the organisers' report.
    pub door_result: Option<ScanResult>,
}

/// What the door shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScanResult {
    Admitted,
    AlreadyCheckedIn,
    WrongStage,
    Cancelled,
    Waitlisted,
    Invalid,
}

impl From<CheckinResult> for ScanResult {
    fn from(result: CheckinResult) -> Self {
        match result {
            CheckinResult::Admitted => ScanResult::Admitted,
            CheckinResult::AlreadyCheckedIn => ScanResult::AlreadyCheckedIn,
            CheckinResult::WrongStage => ScanResult::WrongStage,
            CheckinResult::Cancelled => ScanResult::Cancelled,
            CheckinResult::Waitlisted => ScanResult::Waitlisted,
            CheckinResult::Invalid => ScanResult::Invalid,
        }
    }
}

impl From<ScanResult> for CheckinResult {
    fn from(result: ScanResult) -> Self {
        match result {
            ScanResult::Admitted => CheckinResult::Admitted,
            ScanResult::AlreadyCheckedIn => CheckinResult::AlreadyCheckedIn,
            ScanResult::WrongStage => CheckinResult::WrongStage,
            ScanResult::Cancelled => CheckinResult::Cancelled,
            ScanResult::Waitlisted => CheckinResult::Waitlisted,
            ScanResult::Invalid => CheckinResult::Invalid,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Attendee {
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OtherStage {
    pub city: String,
}

/// The answer to a scan.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckinAnswer {
    pub result: ScanResult,
    /// The ticket's holder, for a ticket of this door's stage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attendee: Option<Attendee>,
    /// When the ticket was admitted (this scan, or the first one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checked_in_at: Option<DateTime<Utc>>,
    /// At which door it was admitted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub door: Option<String>,
    /// With `wrong_stage`: the stage the ticket is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<OtherStage>,
}

#[utoipa::path(
    post,
    path = "/api/v1/checkins",
    tag = "door",
    summary = "Check a ticket in at a door",
    description = "With a door link's secret as the Bearer token. Idempotent per ticket: the first \
scan admits, every later one (at any door) reports the first. Every scan is recorded.",
    request_body = CheckinInput,
    security(("door" = [])),
    responses(
        (status = 200, description = "The door's answer", body = CheckinAnswer),
        (status = 401, description = "No valid, unrevoked door secret", body = super::error::ErrorBody),
        (status = 422, description = "Neither `code` nor `registration`, or an `id` too long", body = super::error::ErrorBody),
    )
)]
pub async fn check_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<CheckinInput>,
) -> Result<Json<CheckinAnswer>, ApiFailure> {
    let locale = request_locale(&headers);
    let door = door::door_from_bearer(&state.db, &headers)
        .await
        .map_err(|error| ApiError::from(error).in_locale(locale))?;
    let request = match (input.code, input.registration) {
        (Some(code), None) => ScanRequest::Code(code),
        (None, Some(registration)) => ScanRequest::Registration(registration),
        _ => return Err(ApiError::Invalid(vec![InvalidField::ScanTarget]).in_locale(locale)),
    };
    if input
        .id
        .as_ref()
        .is_some_and(|id| id.is_empty() || id.len() > MAX_CLIENT_ID_LEN)
    {
        return Err(ApiError::Invalid(vec![InvalidField::ScanId]).in_locale(locale));
    }
    let sent = door::DoorScan {
        request,
        scanned_at: input.scanned_at,
        client_id: input.id,
        door_result: input.door_result.map(CheckinResult::from),
    };
    let answer = door::check_in(&state.db, &state.programme, &door, &sent, Utc::now())
        .await
        .map_err(|error| ApiError::from(error).in_locale(locale))?;
    Ok(Json(CheckinAnswer {
        result: answer.result.into(),
        attendee: answer.name.map(|name| Attendee { name }),
        checked_in_at: answer.first.as_ref().map(|first| first.at),
        door: answer.first.map(|first| first.door),
        stage: answer.other_stage_city.map(|city| OtherStage { city }),
    }))
}

/// A registrant as the door knows them.
#[derive(Debug, Serialize, ToSchema)]
pub struct DoorAttendee {
    /// The registration's id: a ticket's code names it (its 16 bytes), a check-in by hand
    /// sends it.
    pub registration: String,
    pub name: String,
    /// The short code printed under the ticket's QR code (8 characters, stored form, no dash):
    /// what door staff type when a QR code will not scan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub short_code: Option<String>,
    pub status: AttendeeStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checked_in_at: Option<DateTime<Utc>>,
    /// The door that admitted them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub door: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttendeeStatus {
    Confirmed,
    Waitlisted,
    Cancelled,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DoorStage {
    /// The stage's id: a ticket's code names it (its 16 bytes).
    pub id: String,
    pub slug: String,
    pub city: String,
    pub edition: String,
    pub venue: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: String,
    pub cancelled: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DoorCount {
    pub door: String,
    pub checked_in: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DoorCounts {
    pub checked_in: u32,
    pub confirmed: u32,
    pub doors: Vec<DoorCount>,
}

/// A ticket two doors admitted while offline: the first admission stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct DoubleAdmission {
    pub name: String,
    /// The admission that stands.
    pub checked_in_at: DateTime<Utc>,
    pub door: String,
    /// The other door, which let them in too and learnt it on syncing.
    pub also_door: String,
    pub also_at: DateTime<Utc>,
}

/// What a door phone keeps to decide on its own, offline.
#[derive(Debug, Serialize, ToSchema)]
pub struct DoorState {
    /// This door's label.
    pub door: String,
    pub stage: DoorStage,
    /// The edition's Ed25519 public keys (32 bytes, base64url), the active one first: a ticket
    /// is real when one of them verifies its signature (docs/tickets.md).
    pub keys: Vec<String>,
    /// Every registrant of the stage, in arrival order: names, never emails.
    pub attendees: Vec<DoorAttendee>,
    pub counts: DoorCounts,
    /// Tickets admitted at two doors while offline, oldest first, for every door to see.
    pub conflicts: Vec<DoubleAdmission>,
}

#[utoipa::path(
    get,
    path = "/api/v1/door",
    tag = "door",
    summary = "What a door phone needs to check tickets in, offline too",
    description = "The door's stage, the edition's public keys and every registrant of the stage \
(names only) with their check-in; a door phone refreshes it every few seconds.",
    security(("door" = [])),
    responses(
        (status = 200, description = "The door's state", body = DoorState),
        (status = 401, description = "No valid, unrevoked door secret", body = super::error::ErrorBody),
    )
)]
pub async fn door_state(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<DoorState>, ApiFailure> {
    use app::domain::registration::RegistrationStatus;
    let locale = request_locale(&headers);
    let fail = |error| ApiError::from(error).in_locale(locale);
    let door = door::door_from_bearer(&state.db, &headers)
        .await
        .map_err(fail)?;
    let known = door::door_state(&state.db, &door).await.map_err(fail)?;
    let confirmed = known
        .roster
        .iter()
        .filter(|line| line.status == RegistrationStatus::Confirmed)
        .count();
    let doors: Vec<DoorCount> = known
        .per_door
        .into_iter()
        .map(|(door, checked_in)| DoorCount { door, checked_in })
        .collect();
    let stage = &known.stage;
    Ok(Json(DoorState {
        door: known.door,
        stage: DoorStage {
            id: known.stage_id,
            slug: stage.slug.as_str().to_owned(),
            city: stage.city.clone(),
            edition: known.edition_name,
            venue: stage.venue_name.clone(),
            starts_at: stage.starts_at,
            ends_at: stage.ends_at,
            time_zone: stage.time_zone.clone(),
            cancelled: stage.status == app::domain::StageStatus::Cancelled,
        },
        keys: known.keys.iter().map(|key| key.to_text()).collect(),
        counts: DoorCounts {
            checked_in: doors.iter().map(|d| d.checked_in).sum(),
            confirmed: u32::try_from(confirmed).unwrap_or(u32::MAX),
            doors,
        },
        conflicts: known
            .double_admissions
            .into_iter()
            .map(|double| DoubleAdmission {
                name: double.name,
                checked_in_at: double.first.at,
                door: double.first.door,
                also_door: double.also_door,
                also_at: double.also_at,
            })
            .collect(),
        attendees: known
            .roster
            .into_iter()
            .map(|line| DoorAttendee {
                registration: line.registration_id,
                name: line.name,
                short_code: line.short_code,
                status: match line.status {
                    RegistrationStatus::Confirmed => AttendeeStatus::Confirmed,
                    RegistrationStatus::Waitlisted => AttendeeStatus::Waitlisted,
                    RegistrationStatus::Cancelled => AttendeeStatus::Cancelled,
                },
                checked_in_at: line.first.as_ref().map(|first| first.at),
                door: line.first.map(|first| first.door),
            })
            .collect(),
    }))
}
