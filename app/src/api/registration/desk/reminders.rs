//! The reminder pass: the day before a stage, each person holding a seat gets their ticket
//! again, the venue, and a link to give the seat back (`Notice::Reminder`). The server runs a
//! pass every minute (`server`'s `passes::spawn_minute_passes`) and `etape reminders send` runs
//! one at a given time. Who is due is `domain::reminder`'s rule; that each reminder is queued
//! once is `db::reminders`' guard.

use super::{notice_email, Desk};
use crate::db::editions;
use crate::db::registrations::RegistrationRecord;
use crate::db::reminders::{self, StageToRemind};
use crate::db::stages::StageRecord;
use crate::db::DbError;
use crate::mail::{Notice, OutgoingEmail};
use chrono::{DateTime, Utc};

impl Desk {
    /// Queues every reminder due at `now` and wakes the outbox. Returns how many were queued.
    /// A stage that fails is logged and the others still get theirs; the pass then answers the
    /// error, after queueing what it could (the next pass tries that stage again).
    #[tracing::instrument(skip_all, fields(at = %now))]
    pub async fn send_due_reminders(&self, now: DateTime<Utc>) -> Result<usize, DbError> {
        let stages = reminders::list_stages_to_remind(&self.db, now).await?;
        let mut queued = 0;
        let mut failure = None;
        for stage in &stages {
            match self.remind_stage(stage, now).await {
                Ok(count) => queued += count,
                Err(error) => {
                    tracing::error!(stage = %stage.stage_id, %error, "could not queue a stage's reminders");
                    failure = Some(error);
                }
            }
        }
        if queued > 0 {
            self.outbox.wake();
            tracing::info!(reminders = queued, "reminders queued");
        }
        match failure {
            Some(error) => Err(error),
            None => Ok(queued),
        }
    }

    async fn remind_stage(
        &self,
        stage: &StageToRemind,
        now: DateTime<Utc>,
    ) -> Result<usize, DbError> {
        let Some(edition) = editions::find_edition_by_id(&self.db, &stage.edition_id).await? else {
            tracing::warn!(stage = %stage.stage_id, "a stage to remind has no edition");
            return Ok(0);
        };
        // Without the key the reminder still goes, with the ticket's link instead of its QR
        // image, as a confirmation would.
        let key = self.signing_key(&edition.id).await;
        let compose = |stored: &StageRecord, record: &RegistrationRecord| -> OutgoingEmail {
            notice_email(
                &self.links,
                &edition,
                stored,
                key.as_deref(),
                Notice::Reminder,
                record,
            )
        };
        reminders::remind_stage(&self.db, &stage.stage_id, now, &compose).await
    }
}
