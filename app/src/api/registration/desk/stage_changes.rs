//! Changing a stage people may have registered for: its facts (time, place, capacity, words)
//! and its cancellation. One code path for the workspace's forms and the command line; the
//! change and the emails it causes commit together (`db::stages::edit`).

use super::{registration_mail, Desk, Letterhead};
use crate::db::editions::EditionRecord;
use crate::db::registrations::RegistrationRecord;
use crate::db::stages::{self, StageEdit, StageNews, StageRecord};
use crate::db::DbError;
use crate::domain::{Stage, Venue};
use crate::error::AppError;
use crate::mail::{self, Notice, OutgoingEmail};
use chrono::{DateTime, Utc};

impl Desk {
    /// Replaces the facts of stage `stage_id` of `edition` with `stage` (its status stays). A
    /// new time or place raises its calendar SEQUENCE and, once public, emails each registrant
    /// in their language; a raised capacity gives seats to the waiting list, who get their
    /// tickets. `None`: no such stage; `UniqueViolation`: the edition has a stage at that address.
    pub async fn edit_stage(
        &self,
        edition: &EditionRecord,
        stage_id: &str,
        stage: &Stage,
        now: DateTime<Utc>,
    ) -> Result<Option<StageEdit>, DbError> {
        let letterhead = Letterhead {
            links: self.links.clone(),
            edition: edition.clone(),
            stage: StageRecord {
                id: stage_id.to_owned(),
                stage: stage.clone(),
                sequence: 0,
                updated_at: now,
            },
            key: self.signing_key(&edition.id).await,
        };
        let compose = |record: &RegistrationRecord, news: StageNews| -> OutgoingEmail {
            match news {
                StageNews::Changed(changes) => {
                    letterhead.email(Notice::StageChanged(changes), record)
                }
                StageNews::Promoted => letterhead.email(Notice::Promoted, record),
                StageNews::Cancelled => letterhead.email(Notice::StageCancelled, record),
            }
        };
        let edit = stages::update_stage(&self.db, stage_id, stage, now, &compose).await?;
        if let Some(edit) = &edit {
            if edit.emails > 0 {
                self.outbox.wake();
            }
            tracing::info!(
                stage = stage_id,
                time = edit.changes.time,
                place = edit.changes.place,
                promoted = edit.promoted.len(),
                emails = edit.emails,
                "stage edited"
            );
        }
        Ok(edit)
    }

    /// `etape reschedule`: the public stage moves to start at `starts_at`, keeping its length
    /// and moving its programme along. Returns whether it moved.
    pub async fn reschedule_stage(
        &self,
        edition_slug: &str,
        stage_slug: &str,
        starts_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<bool, AppError> {
        let (edition, record) = self.organiser_stage(edition_slug, stage_slug).await?;
        let old = &record.stage;
        let moved = Stage {
            starts_at,
            ends_at: starts_at + (old.ends_at - old.starts_at),
            ..old.clone()
        };
        self.announced_edit(&edition, &record, &moved, now).await
    }

    /// `etape move-venue`: the public stage moves to `venue`. Returns whether it changed.
    pub async fn move_stage(
        &self,
        edition_slug: &str,
        stage_slug: &str,
        venue: &Venue,
        now: DateTime<Utc>,
    ) -> Result<bool, AppError> {
        let (edition, record) = self.organiser_stage(edition_slug, stage_slug).await?;
        let moved = Stage {
            venue_name: venue.name.clone(),
            venue_address: venue.address.clone(),
            coordinates: venue.coordinates,
            ..record.stage.clone()
        };
        self.announced_edit(&edition, &record, &moved, now).await
    }

    async fn announced_edit(
        &self,
        edition: &EditionRecord,
        record: &StageRecord,
        stage: &Stage,
        now: DateTime<Utc>,
    ) -> Result<bool, AppError> {
        let edit = self
            .edit_stage(edition, &record.id, stage, now)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(edit.changes.announced())
    }

    /// Cancels a published stage, saying why: it stays public, marked cancelled, in its page
    /// and every calendar feed; its tickets no longer admit; each registrant gets an email in
    /// their language with `reason`. Returns how many were told, or `None` when the stage is
    /// not published (a draft is not cancelled, a cancelled one stays so).
    pub async fn cancel_stage(
        &self,
        edition: &EditionRecord,
        record: &StageRecord,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<usize>, DbError> {
        let compose = |registration: &RegistrationRecord, _: StageNews| -> OutgoingEmail {
            let mut words = registration_mail(&self.links, registration, record, edition, None);
            words.cancellation_reason = Some(reason.to_owned()).filter(|r| !r.trim().is_empty());
            mail::registration_email(Notice::StageCancelled, &registration.attendee.email, &words)
        };
        let told = stages::cancel_stage(&self.db, &record.id, reason, now, &compose).await?;
        if let Some(told) = told {
            self.outbox.wake();
            tracing::info!(stage = %record.id, told, "stage cancelled");
        }
        Ok(told)
    }

    /// `etape cancel-stage`: cancels a public stage by its slugs.
    pub async fn cancel_stage_by_slug(
        &self,
        edition_slug: &str,
        stage_slug: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<usize>, AppError> {
        let (edition, record) = self.organiser_stage(edition_slug, stage_slug).await?;
        Ok(self.cancel_stage(&edition, &record, reason, now).await?)
    }
}
