//! What organisers do in the workspace, one function per action: find the object, ask the
//! access rule, change storage. The form handlers and (next) the JSON API call these, so
//! that both answer the same way.

use super::stages::edition;
use super::SignedIn;
use crate::db::{self, Db};
use crate::domain::access::Action;
use crate::domain::edition_form::{EditionFieldError, EditionForm};
use crate::domain::EditionStatus;
use crate::error::AppError;

/// Why creating an edition did not happen.
#[derive(Debug)]
pub enum EditionRefused {
    /// The form's mistakes, each beside its field.
    Invalid(Vec<EditionFieldError>),
    /// Not allowed, or storage failed.
    Error(AppError),
}

impl From<AppError> for EditionRefused {
    fn from(error: AppError) -> Self {
        EditionRefused::Error(error)
    }
}

/// Creates a draft edition (with its ticket key); returns its slug.
pub async fn create_edition(
    db: &Db,
    person: &SignedIn,
    form: &EditionForm,
) -> Result<String, EditionRefused> {
    person.require(Action::CreateEdition)?;
    let edition = form.parse().map_err(EditionRefused::Invalid)?;
    let stored = db::editions::insert_edition_programme(db, &edition, &[])
        .await
        .map_err(AppError::from)?;
    if !stored {
        return Err(EditionRefused::Invalid(vec![EditionFieldError::SlugTaken]));
    }
    tracing::info!(edition = %edition.slug.as_str(), "edition created");
    Ok(edition.slug.as_str().to_owned())
}

/// Saves the edition form over a stored edition; returns its slug. Once published, an edition
/// keeps its slug whatever the form says; its days must still hold every one of its stages.
pub async fn save_edition(
    db: &Db,
    person: &SignedIn,
    edition_slug: &str,
    form: &EditionForm,
) -> Result<String, EditionRefused> {
    let stored = edition(db, edition_slug).await?;
    person.require(Action::EditEdition {
        edition: &stored.id,
    })?;
    let form = match stored.edition.status {
        EditionStatus::Draft => form.clone(),
        EditionStatus::Published => EditionForm {
            slug: edition_slug.to_owned(),
            ..form.clone()
        },
    };
    let edition = form
        .parse_as(stored.edition.status)
        .map_err(EditionRefused::Invalid)?;
    let outside: Vec<EditionFieldError> = db::workspace::stages(db, &stored.id)
        .await
        .map_err(AppError::from)?
        .into_iter()
        .filter(|stage| {
            let zone: chrono_tz::Tz = stage.time_zone.parse().unwrap_or(chrono_tz::UTC);
            let day = stage.starts_at.with_timezone(&zone).date_naive();
            day < edition.starts_on || day > edition.ends_on
        })
        .map(|stage| EditionFieldError::StageOutside(stage.city))
        .collect();
    if !outside.is_empty() {
        return Err(EditionRefused::Invalid(outside));
    }
    match db::editions::update_edition(db, &stored.id, &edition).await {
        Ok(true) => {}
        Ok(false) => return Err(AppError::NotFound.into()),
        Err(db::DbError::UniqueViolation) => {
            return Err(EditionRefused::Invalid(vec![EditionFieldError::SlugTaken]))
        }
        Err(error) => return Err(AppError::from(error).into()),
    }
    tracing::info!(edition = edition.slug.as_str(), "edition saved");
    Ok(edition.slug.as_str().to_owned())
}

/// The edition form's page for a stored edition.
pub async fn edition_sheet(
    db: &Db,
    person: &SignedIn,
    edition_slug: &str,
) -> Result<super::EditionSheet, AppError> {
    let stored = edition(db, edition_slug).await?;
    person.require(Action::EditEdition {
        edition: &stored.id,
    })?;
    Ok(super::EditionSheet {
        slug: stored.edition.slug.as_str().to_owned(),
        name: stored.edition.name.clone(),
        status: stored.edition.status,
        form: EditionForm::from_edition(&stored.edition),
    })
}

/// Publishes a draft edition (a published one stays as it is).
pub async fn publish_edition(
    db: &Db,
    person: &SignedIn,
    edition_slug: &str,
) -> Result<(), AppError> {
    let id = edition(db, edition_slug).await?.id;
    person.require(Action::EditEdition { edition: &id })?;
    if db::editions::publish_edition(db, &id).await? {
        tracing::info!(edition = edition_slug, "edition published");
    }
    Ok(())
}

/// Publishes a draft stage (a published or cancelled one stays as it is).
pub async fn publish_stage(
    db: &Db,
    person: &SignedIn,
    edition_slug: &str,
    stage: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    let edition_id = edition(db, edition_slug).await?.id;
    let stage_id = db::workspace::stage_id(db, &edition_id, stage)
        .await?
        .ok_or(AppError::NotFound)?;
    person.require(Action::EditStage {
        edition: &edition_id,
        stage: &stage_id,
    })?;
    if db::stages::publish_stage(db, &stage_id, now).await? {
        tracing::info!(edition = edition_slug, %stage, "stage published");
    }
    Ok(())
}
