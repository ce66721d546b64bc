//! A stage's door links in the workspace: its organisers make one per door (shown once, as a
//! link and a QR code for the door phone), see them with their counts, and revoke them. The
//! door links themselves are `api::door`'s; here, only who may manage them.

use super::{DoorDesk, DoorLine, DoubleAdmissionLine, SignedIn};
use crate::api::door::{self, DoorLinkRefused, NewDoorLink};
use crate::db::{self, Db};
use crate::domain::access::Action;
use crate::domain::registration::RegistrationStatus;
use crate::error::AppError;
use chrono::{DateTime, Utc};

/// The stage's id, once the person is known to manage it: its door links are part of running
/// the stage (`EditStage`).
async fn managed_stage(
    db: &Db,
    person: &SignedIn,
    edition_slug: &str,
    stage_slug: &str,
) -> Result<(String, crate::db::stages::StageRecord), AppError> {
    let (edition, record) = super::stages::edition_and_stage(db, edition_slug, stage_slug).await?;
    person.require(Action::EditStage {
        edition: &edition.id,
        stage: &record.id,
    })?;
    Ok((record.id.clone(), record))
}

/// The stage's door links with what each checked in.
pub async fn door_desk(
    db: &Db,
    person: &SignedIn,
    edition_slug: &str,
    stage_slug: &str,
) -> Result<DoorDesk, AppError> {
    let (stage_id, record) = managed_stage(db, person, edition_slug, stage_slug).await?;
    let links = door::door_links(db, &stage_id).await?;
    let (checked_in, per_door) = db::checkins::counts(db, &stage_id).await?;
    let confirmed = db::checkins::roster(db, &stage_id)
        .await?
        .iter()
        .filter(|line| line.status == RegistrationStatus::Confirmed)
        .count();
    let doors = links
        .into_iter()
        .zip(per_door)
        .map(|(link, (_, checked_in))| DoorLine {
            label: link.label,
            made_on: link.created_at.date_naive(),
            revoked: link.revoked_at.is_some(),
            checked_in,
        })
        .collect();
    let zone = record.stage.zone();
    let double_admissions = db::checkins::double_admissions(db, &stage_id)
        .await?
        .into_iter()
        .map(|double| DoubleAdmissionLine {
            name: double.name,
            first_door: double.first.door,
            first_at: double.first.at.with_timezone(&zone).naive_local(),
            also_door: double.also_door,
            also_at: double.also_at.with_timezone(&zone).naive_local(),
        })
        .collect();
    Ok(DoorDesk {
        double_admissions,
        edition_slug: edition_slug.to_owned(),
        stage_slug: record.stage.slug.as_str().to_owned(),
        stage_city: record.stage.city.clone(),
        doors,
        checked_in,
        confirmed: u32::try_from(confirmed).unwrap_or(u32::MAX),
    })
}

/// Makes a door link for a stage the person manages.
pub async fn make_door_link(
    db: &Db,
    person: &SignedIn,
    edition_slug: &str,
    stage_slug: &str,
    label: &str,
    now: DateTime<Utc>,
) -> Result<NewDoorLink, DoorLinkRefused> {
    let (stage_id, _) = managed_stage(db, person, edition_slug, stage_slug).await?;
    door::create_door_link(db, &stage_id, label, now).await
}

/// Revokes a door link of a stage the person manages.
pub async fn revoke_door_link(
    db: &Db,
    person: &SignedIn,
    edition_slug: &str,
    stage_slug: &str,
    label: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (stage_id, _) = managed_stage(db, person, edition_slug, stage_slug).await?;
    door::revoke_door_link(db, &stage_id, label, now).await
}
