//! The door: links that let door staff check tickets in without an account, and the check-in
//! itself. A door link's secret (`door_` and 256 random bits) opens exactly one stage's door;
//! only its hash is stored, and it travels in the link's fragment so that no server log or
//! `Referer` carries it. A scan is read by `domain::checkin` (the same code the scanner runs in
//! the browser) and decided and recorded by `db::checkins::record_scan`.

use crate::db::checkins::{self, Scan, ScanOutcome, Target};
use crate::db::doors::{self, Door, DoorRecord};
use crate::db::{self, Db, DbError};
use crate::domain::checkin::{read_code, CheckinResult, FirstCheckin, ScannedCode};
use crate::domain::short_code::ShortCode;
use crate::domain::text::{self, TextError};
use crate::error::AppError;
use crate::links::{random_token, token_hash};
use chrono::{DateTime, SubsecRound, Utc};

/// What every door secret starts with.
pub const DOOR_SECRET_PREFIX: &str = "door_";

/// Whether `raw` has the shape of a door secret.
pub fn looks_like_door_secret(raw: &str) -> bool {
    raw.strip_prefix(DOOR_SECRET_PREFIX)
        .is_some_and(crate::links::looks_like_token)
}

/// The door opened by the request's `Authorization: Bearer door_…`; `SignedOut` without a
/// valid, unrevoked one.
pub async fn door_from_bearer(db: &Db, headers: &http::HeaderMap) -> Result<Door, AppError> {
    let secret = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|secret| looks_like_door_secret(secret))
        .ok_or(AppError::SignedOut)?;
    doors::find_open(db, &token_hash(secret))
        .await?
        .ok_or(AppError::SignedOut)
}

/// What a door sends for one scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanRequest {
    /// The text of a QR code as read or typed, or a ticket's short code as typed.
    Code(String),
    /// A registration picked from the door's list (a check-in by hand).
    Registration(String),
}

/// One scan as a door sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoorScan {
    pub request: ScanRequest,
    /// When an offline door scanned (never taken as later than now).
    pub scanned_at: Option<DateTime<Utc>>,
    /// The door's own id for the scan: a resend counts once.
    pub client_id: Option<String>,
    /// What an offline door showed on its own.
    pub door_result: Option<CheckinResult>,
}

/// What the door shows for a scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckinAnswer {
    pub result: CheckinResult,
    /// The attendee's name, for a ticket of this door's stage.
    pub name: Option<String>,
    /// The ticket's admission, when it has one (this scan's, or the earlier one).
    pub first: Option<FirstCheckin>,
    /// For `wrong_stage`: the city of the stage the ticket is for.
    pub other_stage_city: Option<String>,
}

/// Checks a ticket in at `door`, the edition's public keys read through `cache`.
pub async fn check_in(
    db: &Db,
    cache: &crate::api::cache::ProgrammeCache,
    door: &Door,
    sent: &DoorScan,
    now: DateTime<Utc>,
) -> Result<CheckinAnswer, AppError> {
    let (target, other_stage_city) = match &sent.request {
        ScanRequest::Code(code) => match ShortCode::parse(code) {
            Some(short_code) => (typed_target(db, door, short_code).await?, None),
            None => scanned_target(db, cache, door, code).await?,
        },
        ScanRequest::Registration(id) if uuid::Uuid::parse_str(id).is_ok() => {
            (Target::Registration(id.clone()), None)
        }
        ScanRequest::Registration(_) => (Target::Refused(CheckinResult::Invalid), None),
    };
    let scan = Scan {
        target,
        // Storage keeps whole seconds: answer what will be read back.
        scanned_at: sent
            .scanned_at
            .map_or(now, |at| at.min(now))
            .trunc_subsecs(0),
        client_id: sent.client_id.clone(),
        door_result: sent.door_result,
    };
    let ScanOutcome {
        result,
        name,
        first,
    } = checkins::record_scan(db, door, scan, now).await?;
    tracing::info!(door = %door.id, result = result.as_str(), "ticket scanned");
    Ok(CheckinAnswer {
        result,
        name,
        first,
        other_stage_city,
    })
}

/// The ticket a short code names in the door's stage. Codes are unique per stage only: one
/// from another stage's ticket is unknown here.
async fn typed_target(db: &Db, door: &Door, code: ShortCode) -> Result<Target, AppError> {
    Ok(
        match db::registrations::find_by_short_code(db, &door.stage_id, code).await? {
            Some(id) => Target::Registration(id),
            None => Target::Refused(CheckinResult::Invalid),
        },
    )
}

/// The ticket a QR code names, read with the edition's public keys, and for a ticket of
/// another stage of the edition, that stage's city.
async fn scanned_target(
    db: &Db,
    cache: &crate::api::cache::ProgrammeCache,
    door: &Door,
    code: &str,
) -> Result<(Target, Option<String>), AppError> {
    let keys = cache
        .public_keys
        .get_or_load(door.edition_id.clone(), async {
            db::ticket_keys::list_public_keys(db, &door.edition_id)
                .await
                .map(|keys| Some(std::sync::Arc::new(keys)))
        })
        .await?
        .unwrap_or_default();
    Ok(match read_code(code, &keys, &uuid_bytes(&door.stage_id)?) {
        ScannedCode::ForThisStage(payload) => (
            Target::Registration(uuid::Uuid::from_bytes(payload.ticket_id).to_string()),
            None,
        ),
        ScannedCode::ForAnotherStage(payload) => {
            let stage_id = uuid::Uuid::from_bytes(payload.stage_id).to_string();
            let city = db::stages::find_stage_by_id(db, &stage_id)
                .await?
                .filter(|(edition_id, _)| *edition_id == door.edition_id)
                .map(|(_, record)| record.stage.city);
            (Target::Refused(CheckinResult::WrongStage), city)
        }
        ScannedCode::Invalid(_) => (Target::Refused(CheckinResult::Invalid), None),
    })
}

fn uuid_bytes(id: &str) -> Result<[u8; 16], AppError> {
    uuid::Uuid::parse_str(id)
        .map(|uuid| *uuid.as_bytes())
        .map_err(|_| AppError::from(DbError::Corrupt(format!("stage id {id}"))))
}

/// Why a door link was not made.
#[derive(Debug)]
pub enum DoorLinkRefused {
    Label(TextError),
    /// The stage already has an open link with this label.
    LabelTaken,
    Error(AppError),
}

impl From<AppError> for DoorLinkRefused {
    fn from(error: AppError) -> Self {
        DoorLinkRefused::Error(error)
    }
}

/// A door link just made: its secret, shown once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDoorLink {
    pub label: String,
    pub secret: String,
}

/// Makes a door link for the stage `stage_id`.
pub async fn create_door_link(
    db: &Db,
    stage_id: &str,
    label: &str,
    now: DateTime<Utc>,
) -> Result<NewDoorLink, DoorLinkRefused> {
    let label = text::required(label, 60).map_err(DoorLinkRefused::Label)?;
    let secret = format!(
        "{DOOR_SECRET_PREFIX}{}",
        random_token().map_err(AppError::from)?
    );
    doors::create(db, stage_id, &label, &token_hash(&secret), now)
        .await
        .map_err(AppError::from)?
        .ok_or(DoorLinkRefused::LabelTaken)?;
    tracing::info!(stage = stage_id, "door link made");
    Ok(NewDoorLink { label, secret })
}

/// The stage's door links, open and revoked.
pub async fn door_links(db: &Db, stage_id: &str) -> Result<Vec<DoorRecord>, AppError> {
    Ok(doors::list(db, stage_id).await?)
}

/// Revokes the stage's open door link with this label; `NotFound` when there is none.
pub async fn revoke_door_link(
    db: &Db,
    stage_id: &str,
    label: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if !doors::revoke(db, stage_id, label.trim(), now).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(stage = stage_id, "door link revoked");
    Ok(())
}

/// Everything a door phone keeps to decide on its own while offline: its stage, the edition's
/// public keys, and every registrant of the stage (names only) with their check-in.
#[derive(Debug, Clone)]
pub struct DoorState {
    pub door: String,
    pub stage_id: String,
    pub edition_name: String,
    pub stage: crate::domain::Stage,
    pub keys: Vec<crate::domain::ticket::TicketPublicKey>,
    pub roster: Vec<checkins::RosterLine>,
    pub per_door: Vec<(String, u32)>,
    pub double_admissions: Vec<checkins::DoubleAdmission>,
}

/// The state of `door`'s stage, now.
pub async fn door_state(db: &Db, door: &Door) -> Result<DoorState, AppError> {
    let (edition_id, record) = db::stages::find_stage_by_id(db, &door.stage_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let edition_name = db::editions::find_edition_by_id(db, &edition_id)
        .await?
        .map(|record| record.edition.name)
        .unwrap_or_default();
    let keys = db::ticket_keys::list_public_keys(db, &edition_id).await?;
    let roster = checkins::roster(db, &door.stage_id).await?;
    let (_, per_door) = checkins::counts(db, &door.stage_id).await?;
    let double_admissions = checkins::double_admissions(db, &door.stage_id).await?;
    Ok(DoorState {
        door: door.label.clone(),
        stage_id: door.stage_id.clone(),
        edition_name,
        stage: record.stage,
        keys,
        roster,
        per_door,
        double_admissions,
    })
}
