//! A stage's line-up in the workspace: its page's data, and each change a line-up form posts.
//! A change is made on the line-up as stored, by the rules of `domain::lineup_edit`, and the
//! whole line-up is stored again in one transaction. The page carries the version it showed,
//! checked inside that transaction: a change made meanwhile by someone else is never
//! overwritten by a stale position.

use super::{LineupDesk, SignedIn};
use crate::db::stages::LineupChange;
use crate::db::{self, Db};
use crate::domain::access::Action;
use crate::domain::lineup::Lineup;
use crate::domain::lineup_form::{
    whole_lineup, LineupFieldError, LineupPost, Op, Part, PieceError, PieceForm,
};
use crate::domain::Stage;
use crate::error::AppError;
use chrono::{DateTime, Utc};

/// Why a line-up change did not happen.
#[derive(Debug)]
pub enum LineupRefused {
    /// The piece's form has mistakes, each beside its field.
    Invalid(Vec<LineupFieldError>),
    /// The line-up changed since the page showed it (or the piece is gone): nothing was done.
    Stale,
    Error(AppError),
}

impl From<AppError> for LineupRefused {
    fn from(error: AppError) -> Self {
        LineupRefused::Error(error)
    }
}

/// A short fingerprint of a line-up: the same line-up, the same version.
pub fn version(lineup: &Lineup) -> String {
    use sha2::{Digest, Sha256};
    let json = serde_json::to_vec(lineup).unwrap_or_default();
    let digest = Sha256::digest(json);
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// The line-up page of a stage the person may see.
pub async fn lineup_desk(
    db: &Db,
    person: &SignedIn,
    edition_slug: &str,
    stage_slug: &str,
) -> Result<LineupDesk, AppError> {
    let (edition, record) = super::stages::edition_and_stage(db, edition_slug, stage_slug).await?;
    person.require(Action::SeeStage {
        edition: &edition.id,
        stage: &record.id,
    })?;
    let lineup = db::stages::get_lineup(db, &record.id).await?;
    let stage = &record.stage;
    Ok(LineupDesk {
        edition_slug: edition.edition.slug.as_str().to_owned(),
        edition_name: edition.edition.name.clone(),
        stage_slug: stage.slug.as_str().to_owned(),
        stage_city: stage.city.clone(),
        stage_status: stage.status,
        time_zone: stage.time_zone.clone(),
        version: version(&lineup),
        speakers: lineup
            .speakers
            .iter()
            .map(PieceForm::from_speaker)
            .collect(),
        projects: lineup
            .projects
            .iter()
            .map(PieceForm::from_project)
            .collect(),
        items: lineup
            .programme
            .iter()
            .map(|item| PieceForm::from_item(item, stage))
            .collect(),
        new_item: PieceForm::new_item(stage),
    })
}

/// Applies one posted line-up form to the stored line-up.
pub async fn change_lineup(
    db: &Db,
    person: &SignedIn,
    edition_slug: &str,
    stage_slug: &str,
    post: &LineupPost,
    now: DateTime<Utc>,
) -> Result<(), LineupRefused> {
    let (edition, record) = super::stages::edition_and_stage(db, edition_slug, stage_slug).await?;
    person.require(Action::EditStage {
        edition: &edition.id,
        stage: &record.id,
    })?;
    if !record.stage.status.editable() {
        return Err(AppError::Forbidden.into());
    }
    let stage = &record.stage;
    let form = &post.form;
    let apply = |lineup: &mut Lineup| {
        if post.version != version(lineup) {
            return Err(LineupRefused::Stale);
        }
        let changed = match (post.part, post.op) {
            (Part::Speaker, Op::Add) => {
                lineup.put_speaker(None, form.speaker().map_err(LineupRefused::Invalid)?)
            }
            (Part::Speaker, Op::Save(i)) => {
                lineup.put_speaker(Some(i), form.speaker().map_err(LineupRefused::Invalid)?)
            }
            (Part::Speaker, Op::Remove(i)) => lineup.remove_speaker(i),
            (Part::Speaker, Op::Move(i, way)) => lineup.move_speaker(i, way),
            (Part::Project, Op::Add) => {
                lineup.put_project(None, form.project().map_err(LineupRefused::Invalid)?)
            }
            (Part::Project, Op::Save(i)) => {
                lineup.put_project(Some(i), form.project().map_err(LineupRefused::Invalid)?)
            }
            (Part::Project, Op::Remove(i)) => lineup.remove_project(i),
            (Part::Project, Op::Move(i, way)) => lineup.move_project(i, way),
            (Part::Item, Op::Add) => {
                lineup.put_item(None, form.item(stage).map_err(LineupRefused::Invalid)?)
            }
            (Part::Item, Op::Save(i)) => {
                lineup.put_item(Some(i), form.item(stage).map_err(LineupRefused::Invalid)?)
            }
            (Part::Item, Op::Remove(i)) => lineup.remove_item(i),
            // The programme keeps time order: an item moves by changing its time.
            (Part::Item, Op::Move(..)) => Ok(()),
        };
        changed.map_err(|_| LineupRefused::Stale)
    };
    match db::stages::change_lineup(db, &record.id, now, apply)
        .await
        .map_err(AppError::from)?
    {
        LineupChange::Stored(_) => {}
        LineupChange::Refused(refused) => return Err(refused),
        LineupChange::NoStage => return Err(AppError::NotFound.into()),
    }
    tracing::info!(
        edition = edition_slug,
        stage = stage_slug,
        part = post.part.as_str(),
        "line-up changed"
    );
    Ok(())
}

/// A stage's line-up as read through the API, with what is needed to write it out.
#[derive(Debug)]
pub struct LineupRead {
    pub stage: Stage,
    pub lineup: Lineup,
    pub version: String,
}

/// The line-up of a stage for whoever may see it: anyone when the stage is public, and only its
/// organisers (here, by an API token) when it is a draft. `NotFound` otherwise, never the data.
pub async fn read_lineup(
    db: &Db,
    person: Option<&SignedIn>,
    edition_slug: &str,
    stage_slug: &str,
) -> Result<LineupRead, AppError> {
    let (edition, record) = super::stages::edition_and_stage(db, edition_slug, stage_slug).await?;
    if !record.stage.status.is_public_in(edition.edition.status) {
        person
            .ok_or(AppError::NotFound)?
            .require(Action::SeeStage {
                edition: &edition.id,
                stage: &record.id,
            })?;
    }
    let lineup = db::stages::get_lineup(db, &record.id).await?;
    Ok(LineupRead {
        version: version(&lineup),
        stage: record.stage,
        lineup,
    })
}

/// Why a whole line-up sent at once was not stored.
#[derive(Debug)]
pub enum ReplaceRefused {
    /// Mistakes, each named by its piece.
    Invalid(Vec<PieceError>),
    /// The stored line-up is no longer the version the sender expected: nothing was done.
    Stale,
    Error(AppError),
}

impl From<AppError> for ReplaceRefused {
    fn from(error: AppError) -> Self {
        ReplaceRefused::Error(error)
    }
}

/// A whole line-up as sent at once, each piece as a form would hold it.
#[derive(Debug, Clone, Default)]
pub struct SentLineup {
    pub speakers: Vec<PieceForm>,
    pub projects: Vec<PieceForm>,
    pub items: Vec<PieceForm>,
}

/// Replaces a stage's whole line-up, for its organisers. With `expected`, only if the stored
/// line-up is still that version (checked inside the writing transaction). Returns the
/// line-up as stored, read back inside that transaction, with its version.
pub async fn replace_lineup(
    db: &Db,
    person: &SignedIn,
    edition_slug: &str,
    stage_slug: &str,
    sent: &SentLineup,
    expected: Option<&str>,
    now: DateTime<Utc>,
) -> Result<LineupRead, ReplaceRefused> {
    let (edition, record) = super::stages::edition_and_stage(db, edition_slug, stage_slug).await?;
    person.require(Action::EditStage {
        edition: &edition.id,
        stage: &record.id,
    })?;
    if !record.stage.status.editable() {
        return Err(AppError::Forbidden.into());
    }
    let new = whole_lineup(&sent.speakers, &sent.projects, &sent.items, &record.stage)
        .map_err(ReplaceRefused::Invalid)?;
    let replace = |lineup: &mut Lineup| {
        if expected.is_some_and(|expected| expected != version(lineup)) {
            return Err(ReplaceRefused::Stale);
        }
        *lineup = new;
        Ok(())
    };
    match db::stages::change_lineup(db, &record.id, now, replace)
        .await
        .map_err(AppError::from)?
    {
        LineupChange::Stored(stored) => {
            tracing::info!(
                edition = edition_slug,
                stage = stage_slug,
                "line-up replaced"
            );
            Ok(LineupRead {
                version: version(&stored),
                stage: record.stage,
                lineup: stored,
            })
        }
        LineupChange::Refused(refused) => Err(refused),
        LineupChange::NoStage => Err(AppError::NotFound.into()),
    }
}
