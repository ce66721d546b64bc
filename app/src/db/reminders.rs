//! Reminders: which stages have seats to remind, and marking registrations reminded together
//! with queueing their emails. `domain::reminder` decides who is due; what each email says is
//! the caller's (`ComposeReminder`).
//!
//! Each batch is one transaction that holds the stage's lock and reads the stage and its seats
//! again, as registering and cancelling do: a reminder never goes out for a registration or a
//! stage cancelled a moment before, nor with a time or place changed a moment before. The mark
//! is written `WHERE reminded_at IS NULL` and the email queued only when that write changed the
//! row, so two passes, or two servers on one database, never queue a reminder twice.

use super::outbox::insert_email;
use super::registrations::{RegistrationRecord, RegistrationRow, COLUMNS};
use super::stages::{StageRecord, StageRow, STAGE_COLUMNS};
use super::{new_id, sql, Db, DbError, Tx};
use crate::domain::reminder::{reminder_due, LOOKAHEAD};
use crate::mail::OutgoingEmail;
use chrono::{DateTime, Utc};

/// At most this many reminders per transaction: bounds how long one commit keeps a stage's
/// registrations (and, on SQLite, every writer) waiting. A larger stage takes several.
const MOST_PER_TRANSACTION: usize = 200;

/// Writes one registration's reminder, from the stage as stored under the lock.
pub type ComposeReminder<'a> =
    &'a (dyn Fn(&StageRecord, &RegistrationRecord) -> OutgoingEmail + Sync);

/// A stage that may have reminders due, and its edition (whose name and key the email needs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageToRemind {
    pub stage_id: String,
    pub edition_id: String,
}

/// The published stages starting within `domain::reminder::LOOKAHEAD` of `now`, and not yet
/// started, that have a seat whose reminder has not gone, in id order. A superset of what is
/// due: `remind_stage` decides each registration.
#[tracing::instrument(skip_all)]
pub async fn list_stages_to_remind(
    db: &Db,
    now: DateTime<Utc>,
) -> Result<Vec<StageToRemind>, DbError> {
    let rows: Vec<(String, String)> = db
        .fetch_all(
            sql("SELECT s.id, s.edition_id FROM stages s \
                 WHERE s.status = 'published' AND s.starts_at > $1 AND s.starts_at <= $2 \
                 AND EXISTS (SELECT 1 FROM registrations r WHERE r.stage_id = s.id \
                     AND r.status = 'confirmed' AND r.reminded_at IS NULL \
                     AND r.confirm_by IS NULL) \
                 ORDER BY s.id")
            .bind(now.timestamp())
            .bind((now + LOOKAHEAD).timestamp()),
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|(stage_id, edition_id)| StageToRemind {
            stage_id,
            edition_id,
        })
        .collect())
}

/// Marks reminded, and queues the email `compose` writes for, every registration of the stage
/// whose reminder is due at `now`, in transactions of at most `MOST_PER_TRANSACTION`. Returns
/// how many were queued (0 for an unknown stage).
#[tracing::instrument(skip_all, fields(stage = stage_id))]
pub async fn remind_stage(
    db: &Db,
    stage_id: &str,
    now: DateTime<Utc>,
    compose: ComposeReminder<'_>,
) -> Result<usize, DbError> {
    let mut queued = 0;
    loop {
        let batch = remind_batch(db, stage_id, now, compose).await?;
        queued += batch.queued;
        if !batch.more {
            return Ok(queued);
        }
    }
}

struct Batch {
    queued: usize,
    /// More were due than one transaction takes.
    more: bool,
}

async fn remind_batch(
    db: &Db,
    stage_id: &str,
    now: DateTime<Utc>,
    compose: ComposeReminder<'_>,
) -> Result<Batch, DbError> {
    let mut tx = db.begin_write().await?;
    tx.lock_stage(stage_id).await?;
    let Some(stage) = stage_in(&mut tx, stage_id).await? else {
        return Ok(Batch {
            queued: 0,
            more: false,
        });
    };
    let rows: Vec<RegistrationRow> = tx
        .fetch_all(
            sql(format!(
                "SELECT {COLUMNS} FROM registrations WHERE stage_id = $1 \
                 AND status = 'confirmed' AND reminded_at IS NULL AND confirm_by IS NULL \
                 ORDER BY arrival"
            ))
            .bind(stage_id),
        )
        .await?;
    let mut due = Vec::new();
    for row in rows {
        let record = row.into_record()?;
        // Read un-reminded; the guarded UPDATE below is what holds against a racing pass.
        if reminder_due(&stage.stage, record.status, record.created_at, false, now).is_ok() {
            due.push(record);
        }
    }
    let more = due.len() > MOST_PER_TRANSACTION;
    due.truncate(MOST_PER_TRANSACTION);
    let mut queued = 0;
    for record in &due {
        let marked = tx
            .execute(
                sql("UPDATE registrations SET reminded_at = $2 \
                     WHERE id = $1 AND status = 'confirmed' AND reminded_at IS NULL \
                     AND confirm_by IS NULL")
                .bind(&record.id)
                .bind(now.timestamp()),
            )
            .await?;
        if marked == 1 {
            let email = compose(&stage, record);
            tx.execute(insert_email(&new_id(), &email, now)).await?;
            queued += 1;
        }
    }
    tx.commit().await?;
    Ok(Batch { queued, more })
}

/// The stage as stored now, in `tx` (which holds its lock). Co-organisers are left out: no
/// reminder names them.
async fn stage_in(tx: &mut Tx<'_>, stage_id: &str) -> Result<Option<StageRecord>, DbError> {
    let row: Option<StageRow> = tx
        .fetch_optional(
            sql(format!("SELECT {STAGE_COLUMNS} FROM stages WHERE id = $1")).bind(stage_id),
        )
        .await?;
    row.map(|row| row.into_record(Vec::new())).transpose()
}

/// When the registration's reminder was queued, if it was; `NotFound` for no such
/// registration. For tests and support.
pub async fn reminded_at(db: &Db, registration_id: &str) -> Result<Option<DateTime<Utc>>, DbError> {
    let (at,): (Option<i64>,) = db
        .fetch_one(sql("SELECT reminded_at FROM registrations WHERE id = $1").bind(registration_id))
        .await?;
    at.map(super::to_instant).transpose()
}
