//! Organisers' changes to a stage: adding one, editing it, cancelling it. Each change and the
//! emails it causes commit in one transaction, under the stage's lock: a crash cannot keep the
//! change and lose the emails, and a registration arriving meanwhile waits for the new facts.
//! The command line and the workspace both come here (through `api::registration::Desk`).

use super::{StageRecord, StageRow, STAGE_COLUMNS};
use crate::db::editions::{insert_co_organisers, insert_lineup, insert_stage_with_lineup};
use crate::db::outbox::insert_email;
use crate::db::registrations::{active_in, promote_waiting, RegistrationRecord};
use crate::db::{new_id, sql, Db, DbError, Tx};
use crate::domain::{Lineup, Stage, StageChanges};
use crate::mail::OutgoingEmail;
use chrono::{DateTime, Utc};

/// Why a registrant hears about a change to their stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageNews {
    /// Its time or place changed.
    Changed(StageChanges),
    /// Raising the capacity gave them a seat.
    Promoted,
    /// It was cancelled.
    Cancelled,
}

/// Writes the email for one registrant about `StageNews`, from the stage as it now is.
pub type ComposeNews<'a> = &'a (dyn Fn(&RegistrationRecord, StageNews) -> OutgoingEmail + Sync);

/// What editing a stage did.
#[derive(Debug, Clone, PartialEq)]
pub struct StageEdit {
    pub changes: StageChanges,
    /// Registrations a raised capacity confirmed.
    pub promoted: Vec<RegistrationRecord>,
    /// Emails queued.
    pub emails: usize,
}

/// Stores a new stage of an edition, without a line-up yet; its id, or `None` when another
/// stage of the edition has its address.
pub async fn insert_stage(
    db: &Db,
    edition_id: &str,
    stage: &Stage,
    now: DateTime<Utc>,
) -> Result<Option<String>, DbError> {
    let mut tx = db.begin_write().await?;
    let empty = Lineup::new(vec![], vec![], vec![]).map_err(|e| DbError::Corrupt(e.to_string()))?;
    match insert_stage_with_lineup(&mut tx, edition_id, stage, &empty, now.timestamp()).await {
        Ok(id) => {
            tx.commit().await?;
            Ok(Some(id))
        }
        // Dropping the transaction rolls it back.
        Err(DbError::UniqueViolation) => Ok(None),
        Err(error) => Err(error),
    }
}

/// Replaces what a stage says with `stage` (its status stays). A new time or place raises its
/// SEQUENCE and, once it is public, tells every registrant; a new start with the same length
/// moves the programme along; a raised capacity gives seats to the waiting list. `None` when
/// there is no such stage; `UniqueViolation` when another stage of the edition has its address.
pub async fn update_stage(
    db: &Db,
    stage_id: &str,
    stage: &Stage,
    now: DateTime<Utc>,
    compose: ComposeNews<'_>,
) -> Result<Option<StageEdit>, DbError> {
    let mut tx = db.begin_write().await?;
    tx.lock_stage(stage_id).await?;
    let Some(old) = stored(&mut tx, stage_id).await? else {
        return Ok(None);
    };
    let changes = stage.changes_since(&old.stage);
    let (latitude, longitude) = stage.coordinates.unzip();
    tx.execute(
        sql(
            "UPDATE stages SET slug = $2, city = $3, city_slug = $4, venue_name = $5, \
             venue_address = $6, latitude = $7, longitude = $8, time_zone = $9, starts_at = $10, \
             ends_at = $11, theme = $12, description = $13, capacity = $14, \
             registration_opens_at = $15, registration_closes_at = $16, \
             sequence = sequence + $17, updated_at = $18, confirm_email_minutes = $19 \
             WHERE id = $1",
        )
        .bind(stage_id)
        .bind(stage.slug.as_str())
        .bind(&stage.city)
        .bind(stage.city_slug.as_str())
        .bind(&stage.venue_name)
        .bind(&stage.venue_address)
        .bind(latitude)
        .bind(longitude)
        .bind(&stage.time_zone)
        .bind(stage.starts_at.timestamp())
        .bind(stage.ends_at.timestamp())
        .bind(&stage.theme)
        .bind(&stage.description)
        .bind(i64::from(stage.capacity))
        .bind(stage.registration_opens_at.timestamp())
        .bind(stage.registration_closes_at.timestamp())
        .bind(i64::from(changes.announced()))
        .bind(now.timestamp())
        .bind(stage.confirm_email_minutes.map(i64::from)),
    )
    .await?;
    if let Some(shift) = stage.programme_shift_since(&old.stage) {
        tx.execute(
            sql("UPDATE programme_items SET starts_at = starts_at + $2 WHERE stage_id = $1")
                .bind(stage_id)
                .bind(shift.num_seconds()),
        )
        .await?;
    }
    if stage.co_organisers != old.stage.co_organisers {
        tx.execute(sql("DELETE FROM stage_co_organisers WHERE stage_id = $1").bind(stage_id))
            .await?;
        insert_co_organisers(&mut tx, stage_id, &stage.co_organisers).await?;
    }
    let promoted = promote_waiting(&mut tx, stage_id, now).await?;
    let mut emails = 0;
    for record in &promoted {
        queue(&mut tx, compose(record, StageNews::Promoted), now).await?;
        emails += 1;
    }
    if changes.announced() && old.stage.status.is_public() {
        for record in active_in(&mut tx, stage_id).await? {
            if promoted.iter().any(|p| p.id == record.id) {
                // Their promotion email already gives the new time and place.
                continue;
            }
            queue(&mut tx, compose(&record, StageNews::Changed(changes)), now).await?;
            emails += 1;
        }
    }
    tx.commit().await?;
    Ok(Some(StageEdit {
        changes,
        promoted,
        emails,
    }))
}

/// Cancels a published stage with the organisers' `reason`: it stays public, marked cancelled
/// (its page says so, calendar feeds keep it as STATUS:CANCELLED with a new SEQUENCE, tickets
/// no longer admit), and every registrant is told. Returns how many emails were queued, or
/// `None` when there is no such published stage.
pub async fn cancel_stage(
    db: &Db,
    stage_id: &str,
    reason: &str,
    now: DateTime<Utc>,
    compose: ComposeNews<'_>,
) -> Result<Option<usize>, DbError> {
    let mut tx = db.begin_write().await?;
    tx.lock_stage(stage_id).await?;
    let cancelled = tx
        .execute(
            sql(
                "UPDATE stages SET status = 'cancelled', cancellation_reason = $2, \
                 sequence = sequence + 1, updated_at = $3 WHERE id = $1 AND status = 'published'",
            )
            .bind(stage_id)
            .bind(reason)
            .bind(now.timestamp()),
        )
        .await?;
    if cancelled == 0 {
        return Ok(None);
    }
    let registrants = active_in(&mut tx, stage_id).await?;
    for record in &registrants {
        queue(&mut tx, compose(record, StageNews::Cancelled), now).await?;
    }
    tx.commit().await?;
    Ok(Some(registrants.len()))
}

/// What `change_lineup` did.
#[derive(Debug, PartialEq, Eq)]
pub enum LineupChange<E> {
    /// Stored; the line-up as it now reads back.
    Stored(Lineup),
    /// The change refused the line-up it was given; nothing was written.
    Refused(E),
    NoStage,
}

/// Changes a stage's line-up in one transaction, under the stage's lock: `change` receives the
/// line-up as stored at that moment, so a check it makes (such as "is this still the version
/// the person saw?") cannot be overtaken by another writer. The whole line-up is then written
/// again. Calendar UIDs name items by their place in the programme, not by these rows, so
/// subscribers see the same events change; a public stage's SEQUENCE goes up so that they
/// take the change.
pub async fn change_lineup<E>(
    db: &Db,
    stage_id: &str,
    now: DateTime<Utc>,
    change: impl FnOnce(&mut Lineup) -> Result<(), E>,
) -> Result<LineupChange<E>, DbError> {
    let mut tx = db.begin_write().await?;
    tx.lock_stage(stage_id).await?;
    let touched = tx
        .execute(
            sql("UPDATE stages SET updated_at = $2, sequence = sequence + \
                 CASE WHEN status = 'draft' THEN 0 ELSE 1 END WHERE id = $1")
            .bind(stage_id)
            .bind(now.timestamp()),
        )
        .await?;
    if touched == 0 {
        return Ok(LineupChange::NoStage);
    }
    let mut lineup = super::lineup_in(&mut tx, stage_id).await?;
    if let Err(refused) = change(&mut lineup) {
        return Ok(LineupChange::Refused(refused));
    }
    for statement in [
        "DELETE FROM programme_item_speakers WHERE item_id IN \
         (SELECT id FROM programme_items WHERE stage_id = $1)",
        "DELETE FROM programme_item_projects WHERE item_id IN \
         (SELECT id FROM programme_items WHERE stage_id = $1)",
        "DELETE FROM programme_items WHERE stage_id = $1",
        "DELETE FROM speakers WHERE stage_id = $1",
        "DELETE FROM projects WHERE stage_id = $1",
    ] {
        tx.execute(sql(statement).bind(stage_id)).await?;
    }
    insert_lineup(&mut tx, stage_id, &lineup).await?;
    // Read back rather than trusted: what readers will see (and its version) is what is stored.
    let stored = super::lineup_in(&mut tx, stage_id).await?;
    tx.commit().await?;
    Ok(LineupChange::Stored(stored))
}

/// Why the organisers cancelled a stage, if it is cancelled and they said.
pub async fn cancellation_reason(db: &Db, stage_id: &str) -> Result<Option<String>, DbError> {
    let row: Option<(Option<String>,)> = db
        .fetch_optional(
            sql("SELECT cancellation_reason FROM stages WHERE id = $1 AND status = 'cancelled'")
                .bind(stage_id),
        )
        .await?;
    Ok(row.and_then(|(reason,)| reason))
}

async fn stored(tx: &mut Tx<'_>, stage_id: &str) -> Result<Option<StageRecord>, DbError> {
    let row: Option<StageRow> = tx
        .fetch_optional(
            sql(format!("SELECT {STAGE_COLUMNS} FROM stages WHERE id = $1")).bind(stage_id),
        )
        .await?;
    let co_organisers = co_organisers_in(tx, stage_id).await?;
    row.map(|row| row.into_record(co_organisers)).transpose()
}

async fn co_organisers_in(
    tx: &mut Tx<'_>,
    stage_id: &str,
) -> Result<Vec<crate::domain::Organisation>, DbError> {
    let rows: Vec<crate::db::editions::OrganisationRow> = tx
        .fetch_all(
            sql(
                "SELECT c.stage_id AS owner_id, o.name, o.website, o.logo_url, o.description \
                 FROM stage_co_organisers c JOIN organisations o ON o.id = c.organisation_id \
                 WHERE c.stage_id = $1 ORDER BY c.position",
            )
            .bind(stage_id),
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(crate::db::editions::OrganisationRow::into_organisation)
        .collect())
}

async fn queue(tx: &mut Tx<'_>, email: OutgoingEmail, now: DateTime<Utc>) -> Result<(), DbError> {
    let id = new_id();
    tx.execute(insert_email(&id, &email, now)).await?;
    Ok(())
}
