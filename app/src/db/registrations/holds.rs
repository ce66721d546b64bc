//! Seats held until their address is confirmed (`domain::address_check`): following the
//! emailed link keeps the seat, and the release pass gives back the ones whose time ran out.
//! Both hold the stage's lock, like every other change to its seats, and store the emails they
//! cause in the same transaction.

use super::{promote_waiting, store_emails, RegistrationRecord, RegistrationRow, COLUMNS};
use crate::db::{sql, Db, DbError};
use crate::domain::address_check::hold_expired;
use crate::domain::registration::RegistrationStatus;
use crate::mail::OutgoingEmail;
use chrono::{DateTime, Utc};

/// What following a confirmation link did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressConfirmation {
    /// The address is confirmed now: the seat or place is kept.
    Confirmed(RegistrationRecord),
    /// It was confirmed before (a second tap, a mail scanner): nothing changed.
    AlreadyConfirmed(RegistrationRecord),
    /// The hold ran out first: the seat has gone, or is about to go, to someone else.
    TooLate(RegistrationRecord),
}

/// Confirms the address of the registration whose confirmation token hashes to
/// `confirm_token_hash`, while its hold lasts, with the email `announce` composes (its ticket,
/// now that it has one). `None` for an unknown token.
pub async fn confirm_address(
    db: &Db,
    confirm_token_hash: &str,
    now: DateTime<Utc>,
    announce: impl FnOnce(&RegistrationRecord) -> Option<OutgoingEmail>,
) -> Result<Option<AddressConfirmation>, DbError> {
    let by_token = format!("SELECT {COLUMNS} FROM registrations WHERE confirm_token_hash = $1");
    // A registration never changes stage, so its stage can be read before taking the lock.
    let found: Option<RegistrationRow> = db
        .fetch_optional(sql(by_token.clone()).bind(confirm_token_hash))
        .await?;
    let Some(found) = found else {
        return Ok(None);
    };
    let mut tx = db.begin_write().await?;
    tx.lock_stage(&found.stage_id).await?;
    let row: Option<RegistrationRow> = tx
        .fetch_optional(sql(by_token).bind(confirm_token_hash))
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let mut record = row.into_record()?;
    let Some(confirm_by) = record.confirm_by else {
        return Ok(Some(AddressConfirmation::AlreadyConfirmed(record)));
    };
    if record.status == RegistrationStatus::Cancelled || hold_expired(confirm_by, now) {
        return Ok(Some(AddressConfirmation::TooLate(record)));
    }
    tx.execute(
        sql("UPDATE registrations SET confirm_by = NULL, updated_at = $2 WHERE id = $1")
            .bind(&record.id)
            .bind(now.timestamp()),
    )
    .await?;
    record.confirm_by = None;
    let emails: Vec<OutgoingEmail> = announce(&record).into_iter().collect();
    store_emails(&mut tx, &emails, now).await?;
    tx.commit().await?;
    Ok(Some(AddressConfirmation::Confirmed(record)))
}

/// The stages with a hold that ran out by `now` and was not released yet.
pub async fn stages_with_expired_holds(
    db: &Db,
    now: DateTime<Utc>,
) -> Result<Vec<String>, DbError> {
    let rows: Vec<(String,)> = db
        .fetch_all(
            sql(
                "SELECT DISTINCT stage_id FROM registrations WHERE confirm_by IS NOT NULL \
                 AND confirm_by <= $1 AND status <> 'cancelled' ORDER BY stage_id",
            )
            .bind(now.timestamp()),
        )
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// What a release did on one stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// Registrations given back for want of a confirmation, now cancelled.
    pub released: Vec<RegistrationRecord>,
    /// Who got the seats they freed, in arrival order.
    pub promoted: Vec<RegistrationRecord>,
}

/// Gives back the stage's seats and places whose hold ran out by `now`: the registrations are
/// cancelled (keeping `confirm_by`, so their page says why), and the seats go to the waiting
/// list as after a cancel, with the emails `announce` composes for the people promoted.
pub async fn release_expired_holds(
    db: &Db,
    stage_id: &str,
    now: DateTime<Utc>,
    announce: impl FnOnce(&[RegistrationRecord]) -> Vec<OutgoingEmail>,
) -> Result<Release, DbError> {
    let mut tx = db.begin_write().await?;
    tx.lock_stage(stage_id).await?;
    // Under the stage's lock, the rows read are the rows the update changes.
    let expired = "stage_id = $1 AND confirm_by IS NOT NULL AND confirm_by <= $2 \
                   AND status <> 'cancelled'";
    let rows: Vec<RegistrationRow> = tx
        .fetch_all(
            sql(format!(
                "SELECT {COLUMNS} FROM registrations WHERE {expired} ORDER BY arrival"
            ))
            .bind(stage_id)
            .bind(now.timestamp()),
        )
        .await?;
    tx.execute(
        sql(format!(
            "UPDATE registrations SET status = 'cancelled', updated_at = $2 WHERE {expired}"
        ))
        .bind(stage_id)
        .bind(now.timestamp()),
    )
    .await?;
    let released = rows
        .into_iter()
        .map(|row| {
            let mut record = row.into_record()?;
            record.status = RegistrationStatus::Cancelled;
            Ok(record)
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    let promoted = promote_waiting(&mut tx, stage_id, now).await?;
    store_emails(&mut tx, &announce(&promoted), now).await?;
    tx.commit().await?;
    Ok(Release { released, promoted })
}
