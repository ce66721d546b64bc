//! What organisers do with a stage in the workspace: open its form, create it, save it, cancel
//! it. Each finds the stage, asks the access rule with the edition the stage *really* belongs
//! to, and goes through the desk that tells registrants (`Desk::edit_stage`). The form
//! handlers call these; the JSON API will too.

use super::{SignedIn, StageDesk, StageSheet};
use crate::api::programme::stage_view;
use crate::api::registration::Desk;
use crate::api::views::StageView;
use crate::db::editions::EditionRecord;
use crate::db::stages::StageRecord;
use crate::db::{self, Db, DbError};
use crate::domain::access::Action;
use crate::domain::stage::{cancellation_reason, openstreetmap_url};
use crate::domain::stage_form::{StageFieldError, StageForm};
use crate::domain::text::TextError;
use crate::domain::StageStatus;
use crate::error::AppError;
use crate::links::Links;
use chrono::{DateTime, Utc};

/// Why saving a stage form did not happen.
#[derive(Debug)]
pub enum StageRefused {
    /// The form's mistakes, each beside its field.
    Invalid(Vec<StageFieldError>),
    /// Not allowed, not found, or storage failed.
    Error(AppError),
}

impl From<AppError> for StageRefused {
    fn from(error: AppError) -> Self {
        StageRefused::Error(error)
    }
}

impl From<DbError> for StageRefused {
    fn from(error: DbError) -> Self {
        match error {
            DbError::UniqueViolation => StageRefused::Invalid(vec![StageFieldError::SlugTaken]),
            other => StageRefused::Error(other.into()),
        }
    }
}

/// The zone a new stage of the edition starts with: the one most of its stages use, else Paris.
const DEFAULT_TIME_ZONE: &str = "Europe/Paris";

/// The stage form's page: a blank form for a new stage (`stage` is `None`), or the stored one.
pub async fn stage_desk(
    db: &Db,
    person: &SignedIn,
    edition_slug: &str,
    stage_slug: Option<&str>,
) -> Result<StageDesk, AppError> {
    let edition = edition(db, edition_slug).await?;
    let (form, stage) = match stage_slug {
        None => {
            person.require(Action::AddStage {
                edition: &edition.id,
            })?;
            let form = StageForm {
                time_zone: usual_time_zone(db, &edition.id).await?,
                ..StageForm::default()
            };
            (form, None)
        }
        Some(slug) => {
            let record = stage(db, &edition, slug).await?;
            person.require(Action::SeeStage {
                edition: &edition.id,
                stage: &record.id,
            })?;
            let counts = db::registrations::counts(db, &record.id).await?;
            let reason = db::stages::cancellation_reason(db, &record.id).await?;
            let sheet = StageSheet {
                slug: record.stage.slug.as_str().to_owned(),
                city: record.stage.city.clone(),
                status: record.stage.status,
                registrants: counts.confirmed + counts.waitlisted,
                map_url: openstreetmap_url(record.stage.coordinates, &record.stage.venue_address),
                cancellation_reason: reason,
            };
            (StageForm::from_stage(&record.stage), Some(sheet))
        }
    };
    Ok(StageDesk {
        edition_slug: edition.edition.slug.as_str().to_owned(),
        edition_name: edition.edition.name.clone(),
        edition_status: edition.edition.status,
        edition_starts_on: edition.edition.starts_on,
        edition_ends_on: edition.edition.ends_on,
        form,
        stage,
    })
}

/// The stage page's data for a stage of any status, for those who may see it in the workspace.
pub async fn stage_preview(
    db: &Db,
    links: &Links,
    person: &SignedIn,
    edition_slug: &str,
    stage_slug: &str,
    now: DateTime<Utc>,
) -> Result<StageView, AppError> {
    let edition = edition(db, edition_slug).await?;
    let record = stage(db, &edition, stage_slug).await?;
    person.require(Action::SeeStage {
        edition: &edition.id,
        stage: &record.id,
    })?;
    let lineup = db::stages::get_lineup(db, &record.id).await?;
    let counts = db::registrations::counts(db, &record.id).await?;
    Ok(stage_view(links, &edition, &record, &lineup, counts, now))
}

/// Creates a draft stage of the edition; returns its slug.
pub async fn create_stage(
    db: &Db,
    person: &SignedIn,
    edition_slug: &str,
    form: &StageForm,
    now: DateTime<Utc>,
) -> Result<String, StageRefused> {
    let edition = edition(db, edition_slug).await?;
    person.require(Action::AddStage {
        edition: &edition.id,
    })?;
    let stage = form
        .parse(&edition.edition, StageStatus::Draft, now)
        .map_err(StageRefused::Invalid)?;
    let stored = db::stages::insert_stage(db, &edition.id, &stage, now).await?;
    if stored.is_none() {
        return Err(StageRefused::Invalid(vec![StageFieldError::SlugTaken]));
    }
    tracing::info!(
        edition = edition_slug,
        stage = stage.slug.as_str(),
        "stage created"
    );
    Ok(stage.slug.as_str().to_owned())
}

/// Saves the stage form over a stored stage; returns its slug and how many registrants were
/// told. Once public, a stage keeps its slug whatever the form says: links, tickets and
/// calendars name it.
pub async fn save_stage(
    desk: &Desk,
    person: &SignedIn,
    edition_slug: &str,
    stage_slug: &str,
    form: &StageForm,
    now: DateTime<Utc>,
) -> Result<(String, usize), StageRefused> {
    let edition = edition(&desk.db, edition_slug).await?;
    let record = stage(&desk.db, &edition, stage_slug).await?;
    person.require(Action::EditStage {
        edition: &edition.id,
        stage: &record.id,
    })?;
    if !record.stage.status.editable() {
        return Err(AppError::Forbidden.into());
    }
    let form = match record.stage.status {
        StageStatus::Draft => form.clone(),
        _ => StageForm {
            slug: stage_slug.to_owned(),
            ..form.clone()
        },
    };
    let stage = form
        .parse(&edition.edition, record.stage.status, now)
        .map_err(StageRefused::Invalid)?;
    let edit = desk
        .edit_stage(&edition, &record.id, &stage, now)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((stage.slug.as_str().to_owned(), edit.emails))
}

/// Why cancelling a stage did not happen.
#[derive(Debug)]
pub enum CancelRefused {
    /// The reason is missing or too long.
    Reason(TextError),
    Error(AppError),
}

impl From<AppError> for CancelRefused {
    fn from(error: AppError) -> Self {
        CancelRefused::Error(error)
    }
}

/// Cancels a published stage, telling each registrant why; returns how many were told. A
/// draft cannot be cancelled (it was never public) and a cancelled stage stays so: both are
/// `Forbidden`.
pub async fn cancel_stage(
    desk: &Desk,
    person: &SignedIn,
    edition_slug: &str,
    stage_slug: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<usize, CancelRefused> {
    let edition = edition(&desk.db, edition_slug).await?;
    let record = stage(&desk.db, &edition, stage_slug).await?;
    person.require(Action::EditStage {
        edition: &edition.id,
        stage: &record.id,
    })?;
    let reason = cancellation_reason(reason).map_err(CancelRefused::Reason)?;
    let told = desk
        .cancel_stage(&edition, &record, &reason, now)
        .await
        .map_err(AppError::from)?
        .ok_or(AppError::Forbidden)?;
    Ok(told)
}

/// An edition and one of its stages, whatever their status; `NotFound` when either is missing.
pub(super) async fn edition_and_stage(
    db: &Db,
    edition_slug: &str,
    stage_slug: &str,
) -> Result<(EditionRecord, StageRecord), AppError> {
    let edition = edition(db, edition_slug).await?;
    let record = stage(db, &edition, stage_slug).await?;
    Ok((edition, record))
}

/// The edition `slug`, whatever its status; `NotFound` when there is none. Every workspace
/// action starts from it.
pub(super) async fn edition(db: &Db, slug: &str) -> Result<EditionRecord, AppError> {
    db::editions::find_edition(db, slug)
        .await?
        .ok_or(AppError::NotFound)
}

/// The stage `slug` of `edition`, whatever its status; `NotFound` when there is none.
async fn stage(db: &Db, edition: &EditionRecord, slug: &str) -> Result<StageRecord, AppError> {
    let id = db::workspace::stage_id(db, &edition.id, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let (_, record) = db::stages::find_stage_by_id(db, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(record)
}

async fn usual_time_zone(db: &Db, edition_id: &str) -> Result<String, AppError> {
    let stages = db::workspace::stages(db, edition_id).await?;
    let mut counts: Vec<(String, usize)> = Vec::new();
    for stage in stages {
        match counts.iter_mut().find(|(zone, _)| *zone == stage.time_zone) {
            Some((_, n)) => *n += 1,
            None => counts.push((stage.time_zone, 1)),
        }
    }
    // The most used; among equals, the first stage's.
    let most = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
    Ok(counts
        .into_iter()
        .find(|(_, n)| *n == most)
        .map(|(zone, _)| zone)
        .unwrap_or_else(|| DEFAULT_TIME_ZONE.to_owned()))
}
