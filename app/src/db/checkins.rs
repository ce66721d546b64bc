//! Check-ins: the one admission of each ticket, and every scan a door made. A scan is decided
//! and recorded in a transaction, by `domain::checkin::admit` on what is stored at that moment;
//! the primary key of `checkins` admits a ticket once however many doors race, and the losers
//! report the winner's check-in. Scans arriving together share one transaction
//! (`db::group_commit`), decided one after the other in arrival order: two scans of one ticket
//! in a batch admit it once.

use super::bulk::{placeholders, rows_of, MOST_BOUND_VALUES};
use super::doors::Door;
use super::{new_id, sql, to_instant, Db, DbError, Tx};
use crate::domain::checkin::{admit, CheckinResult, FirstCheckin};
use crate::domain::registration::RegistrationStatus;
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};

/// At most this many scans per transaction: bounds how long one commit keeps the others
/// waiting.
const MOST_PER_BATCH: usize = 256;

/// One scan as a door sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    /// The ticket's registration, when the code named one of this door's stage; `None` with
    /// the result the code already had (`wrong_stage`, `invalid`).
    pub target: Target,
    /// When the door scanned (an offline door says; otherwise now).
    pub scanned_at: DateTime<Utc>,
    /// The door's own id for the scan: a resend is recorded once and answered the same.
    pub client_id: Option<String>,
    /// What an offline door already told the person at the door.
    pub door_result: Option<CheckinResult>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Registration(String),
    /// Decided without a registration (the code is not a ticket of this stage).
    Refused(CheckinResult),
}

/// A scan waiting for its batch, with its door and arrival.
pub struct QueuedScan {
    door: Door,
    scan: Scan,
    now: DateTime<Utc>,
}

/// This process's scans waiting for a transaction.
pub type ScanQueue = super::group_commit::Queue<QueuedScan, Result<ScanOutcome, DbError>>;

/// What the door is answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanOutcome {
    pub result: CheckinResult,
    /// The registrant's name, for a ticket of this stage.
    pub name: Option<String>,
    /// The ticket's admission, when it has one: this scan's or an earlier one.
    pub first: Option<FirstCheckin>,
}

/// Decides and records one scan at `door`, alone or with the others arriving meanwhile.
pub async fn record_scan(
    db: &Db,
    door: &Door,
    scan: Scan,
    now: DateTime<Utc>,
) -> Result<ScanOutcome, DbError> {
    let queued = QueuedScan {
        door: door.clone(),
        scan,
        now,
    };
    let batch_db = db.clone();
    db.writers()
        .scans
        .handle(
            queued,
            MOST_PER_BATCH,
            move |batch| record_batch(batch_db.clone(), batch),
            || Err(DbError::BatchFailed),
        )
        .await
}

/// Records a batch in one transaction; if it fails, each scan alone, so that one bad scan
/// does not fail the others.
async fn record_batch(db: Db, batch: Vec<QueuedScan>) -> Vec<Result<ScanOutcome, DbError>> {
    match record_all(&db, &batch).await {
        Ok(outcomes) => outcomes.into_iter().map(Ok).collect(),
        Err(error) if batch.len() == 1 => vec![Err(error)],
        Err(error) => {
            tracing::warn!(%error, scans = batch.len(), "a batch of scans failed, trying each alone");
            let mut outcomes = Vec::with_capacity(batch.len());
            for queued in &batch {
                let alone = record_all(&db, std::slice::from_ref(queued)).await;
                outcomes.push(alone.and_then(|mut one| one.pop().ok_or(DbError::BatchFailed)));
            }
            outcomes
        }
    }
}

async fn record_all(db: &Db, batch: &[QueuedScan]) -> Result<Vec<ScanOutcome>, DbError> {
    let mut tx = db.begin_write().await?;
    // One read for every ticket of the batch, then decisions in arrival order on what was read
    // and what this batch decided before, then one write per table: the batch's cost hardly
    // grows with its size.
    let mut tickets = tickets_of(&mut tx, batch).await?;
    let mut decided: Vec<Decided> = Vec::with_capacity(batch.len());
    for at in 0..batch.len() {
        decided.push(decide_one(&mut tx, batch, at, &decided, &mut tickets).await?);
    }
    store_admissions(&mut tx, batch, &mut decided).await?;
    store_attempts(&mut tx, batch, &decided).await?;
    tx.commit().await?;
    Ok(decided.into_iter().map(|one| one.outcome).collect())
}

/// A ticket of the batch as stored, with what the batch has decided of it so far.
struct Ticket {
    name: String,
    status: RegistrationStatus,
    stage_id: String,
    first: Option<FirstCheckin>,
}

/// One scan of the batch, decided.
struct Decided {
    outcome: ScanOutcome,
    /// The ticket's registration, when the code named one of this stage.
    registration_id: Option<String>,
    /// This scan admits the ticket: a row of `checkins` to write.
    admits: bool,
    /// A resend of a scan already recorded: answered, not recorded again.
    resend: bool,
}

#[derive(sqlx::FromRow)]
struct TicketRow {
    id: String,
    name: String,
    status: String,
    stage_id: String,
    checked_in_at: Option<i64>,
    door: Option<String>,
}

async fn tickets_of(
    tx: &mut Tx<'_>,
    batch: &[QueuedScan],
) -> Result<HashMap<String, Ticket>, DbError> {
    let mut ids: Vec<&str> = batch
        .iter()
        .filter_map(|queued| match &queued.scan.target {
            Target::Registration(id) => Some(id.as_str()),
            Target::Refused(_) => None,
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let mut tickets = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(MOST_BOUND_VALUES) {
        let mut statement = sql(format!(
            "SELECT r.id, r.name, r.status, r.stage_id, c.checked_in_at, d.label AS door \
             FROM registrations r \
             LEFT JOIN checkins c ON c.registration_id = r.id \
             LEFT JOIN door_links d ON d.id = c.door_id \
             WHERE r.id IN ({})",
            placeholders(1, chunk.len())
        ));
        for id in chunk {
            statement = statement.bind(*id);
        }
        let rows: Vec<TicketRow> = tx.fetch_all(statement).await?;
        for row in rows {
            let first = match (row.checked_in_at, row.door) {
                (Some(at), Some(door)) => Some(FirstCheckin {
                    at: to_instant(at)?,
                    door,
                }),
                _ => None,
            };
            let status = RegistrationStatus::parse(&row.status)
                .ok_or_else(|| DbError::Corrupt(format!("registration status {}", row.status)))?;
            tickets.insert(
                row.id,
                Ticket {
                    name: row.name,
                    status,
                    stage_id: row.stage_id,
                    first,
                },
            );
        }
    }
    Ok(tickets)
}

/// Decides the scan `batch[at]`, after the ones before it (`before`).
async fn decide_one(
    tx: &mut Tx<'_>,
    batch: &[QueuedScan],
    at: usize,
    before: &[Decided],
    tickets: &mut HashMap<String, Ticket>,
) -> Result<Decided, DbError> {
    let QueuedScan { door, scan, .. } = &batch[at];
    if let Some(client_id) = &scan.client_id {
        // Sent twice in this batch, or recorded before it: answered the same.
        let earlier_here = before.iter().zip(&batch[..at]).find(|(one, other)| {
            !one.resend
                && other.door.id == door.id
                && other.scan.client_id.as_ref() == Some(client_id)
        });
        let earlier = match earlier_here {
            Some((one, _)) => Some(one.outcome.clone()),
            None => recorded(tx, door, client_id).await?,
        };
        if let Some(outcome) = earlier {
            return Ok(Decided {
                outcome,
                registration_id: None,
                admits: false,
                resend: true,
            });
        }
    }
    let id = match &scan.target {
        Target::Refused(result) => {
            return Ok(Decided {
                outcome: ScanOutcome {
                    result: *result,
                    name: None,
                    first: None,
                },
                registration_id: None,
                admits: false,
                resend: false,
            })
        }
        Target::Registration(id) => id,
    };
    // A signed ticket whose registration is gone (erased on request): not a ticket any more.
    let Some(ticket) = tickets
        .get_mut(id)
        .filter(|ticket| ticket.stage_id == door.stage_id)
    else {
        return Ok(Decided {
            outcome: ScanOutcome {
                result: CheckinResult::Invalid,
                name: None,
                first: None,
            },
            registration_id: Some(id.clone()),
            admits: false,
            resend: false,
        });
    };
    let result = admit(ticket.status, door.stage_status, ticket.first.as_ref());
    let admits = result == CheckinResult::Admitted;
    if admits {
        ticket.first = Some(FirstCheckin {
            at: scan.scanned_at,
            door: door.label.clone(),
        });
    }
    Ok(Decided {
        outcome: ScanOutcome {
            result,
            name: Some(ticket.name.clone()),
            first: ticket.first.clone(),
        },
        registration_id: Some(id.clone()),
        admits,
        resend: false,
    })
}

/// Writes the batch's admissions. On PostgreSQL another server may have admitted one of its
/// tickets since the batch read it: that scan, and any later one of the same ticket in the
/// batch, then report the stored admission instead.
async fn store_admissions(
    tx: &mut Tx<'_>,
    batch: &[QueuedScan],
    decided: &mut [Decided],
) -> Result<(), DbError> {
    let admitted: Vec<usize> = (0..batch.len()).filter(|&at| decided[at].admits).collect();
    let mut stored: HashSet<String> = HashSet::with_capacity(admitted.len());
    for chunk in admitted.chunks(MOST_BOUND_VALUES / 4) {
        let mut statement = sql(format!(
            "INSERT INTO checkins (registration_id, stage_id, door_id, checked_in_at) \
             VALUES {} ON CONFLICT (registration_id) DO NOTHING RETURNING registration_id",
            rows_of(4, chunk.len())
        ));
        for &at in chunk {
            let QueuedScan { door, scan, .. } = &batch[at];
            statement = statement
                .bind(decided[at].registration_id.as_deref())
                .bind(&door.stage_id)
                .bind(&door.id)
                .bind(scan.scanned_at.timestamp());
        }
        let rows: Vec<(String,)> = tx.fetch_all(statement).await?;
        stored.extend(rows.into_iter().map(|(id,)| id));
    }
    for at in admitted {
        let Some(id) = decided[at].registration_id.clone() else {
            continue;
        };
        if stored.contains(&id) {
            continue;
        }
        let first = first_checkin(tx, &id).await?;
        for one in decided[at..]
            .iter_mut()
            .filter(|one| !one.resend && one.registration_id.as_deref() == Some(id.as_str()))
        {
            if one.admits {
                one.admits = false;
                one.outcome.result = CheckinResult::AlreadyCheckedIn;
            }
            one.outcome.first = first.clone();
        }
    }
    Ok(())
}

/// Writes every scan of the batch that is not a resend, for the organisers' report.
async fn store_attempts(
    tx: &mut Tx<'_>,
    batch: &[QueuedScan],
    decided: &[Decided],
) -> Result<(), DbError> {
    let recorded: Vec<usize> = (0..batch.len()).filter(|&at| !decided[at].resend).collect();
    for chunk in recorded.chunks(MOST_BOUND_VALUES / 8) {
        let mut statement = sql(format!(
            "INSERT INTO checkin_attempts (id, door_id, client_id, registration_id, result, \
             door_result, scanned_at, recorded_at) VALUES {}",
            rows_of(8, chunk.len())
        ));
        for &at in chunk {
            let QueuedScan { door, scan, now } = &batch[at];
            let one = &decided[at];
            let door_result = scan.door_result.filter(|said| *said != one.outcome.result);
            statement = statement
                .bind(new_id())
                .bind(&door.id)
                .bind(scan.client_id.as_deref())
                .bind(one.registration_id.as_deref())
                .bind(one.outcome.result.as_str())
                .bind(door_result.map(CheckinResult::as_str))
                .bind(scan.scanned_at.timestamp())
                .bind(now.timestamp());
        }
        tx.execute(statement).await?;
    }
    Ok(())
}

async fn first_checkin(
    tx: &mut Tx<'_>,
    registration_id: &str,
) -> Result<Option<FirstCheckin>, DbError> {
    let row: Option<(i64, String)> = tx
        .fetch_optional(
            sql("SELECT c.checked_in_at, d.label FROM checkins c \
                 JOIN door_links d ON d.id = c.door_id WHERE c.registration_id = $1")
            .bind(registration_id),
        )
        .await?;
    row.map(|(at, door)| {
        Ok(FirstCheckin {
            at: to_instant(at)?,
            door,
        })
    })
    .transpose()
}

/// The answer already given to a scan this door sent before.
async fn recorded(
    tx: &mut Tx<'_>,
    door: &Door,
    client_id: &str,
) -> Result<Option<ScanOutcome>, DbError> {
    let row: Option<(String, Option<String>)> = tx
        .fetch_optional(
            sql("SELECT result, registration_id FROM checkin_attempts \
                 WHERE door_id = $1 AND client_id = $2")
            .bind(&door.id)
            .bind(client_id),
        )
        .await?;
    let Some((result, registration_id)) = row else {
        return Ok(None);
    };
    let result = CheckinResult::parse(&result)
        .ok_or_else(|| DbError::Corrupt(format!("check-in result {result}")))?;
    let (name, first) = match registration_id {
        Some(id) => {
            let name: Option<(String,)> = tx
                .fetch_optional(sql("SELECT name FROM registrations WHERE id = $1").bind(&id))
                .await?;
            (name.map(|(n,)| n), first_checkin(tx, &id).await?)
        }
        None => (None, None),
    };
    Ok(Some(ScanOutcome {
        result,
        name,
        first,
    }))
}

/// A stage's check-ins so far: in all, and per door (by label, open and revoked doors alike).
pub async fn counts(db: &Db, stage_id: &str) -> Result<(u32, Vec<(String, u32)>), DbError> {
    let rows: Vec<(String, i64)> = db
        .fetch_all(
            sql(
                "SELECT d.label, COUNT(c.registration_id) FROM door_links d \
                 LEFT JOIN checkins c ON c.door_id = d.id \
                 WHERE d.stage_id = $1 GROUP BY d.id, d.label, d.created_at \
                 ORDER BY d.created_at, d.id",
            )
            .bind(stage_id),
        )
        .await?;
    let per_door: Vec<(String, u32)> = rows
        .into_iter()
        .map(|(label, n)| (label, u32::try_from(n).unwrap_or(0)))
        .collect();
    let total = per_door.iter().map(|(_, n)| n).sum();
    Ok((total, per_door))
}

/// One registrant of a stage as its doors know them: no email, only what the door decides on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterLine {
    pub registration_id: String,
    pub name: String,
    /// The ticket's short code, as stored (`ShortCode::as_stored`), for typing at the door.
    pub short_code: Option<String>,
    pub status: RegistrationStatus,
    pub first: Option<FirstCheckin>,
}

#[derive(sqlx::FromRow)]
struct RosterRow {
    id: String,
    name: String,
    short_code: Option<String>,
    status: String,
    checked_in_at: Option<i64>,
    door: Option<String>,
}

/// Every registrant of the stage, in arrival order, with their check-in if any. A seat held
/// for an address not confirmed yet is left out: it has no ticket to show, and a door that
/// synced before the release must not let it in by name.
pub async fn roster(db: &Db, stage_id: &str) -> Result<Vec<RosterLine>, DbError> {
    let rows: Vec<RosterRow> = db
        .fetch_all(
            sql(
                "SELECT r.id, r.name, r.short_code, r.status, c.checked_in_at, d.label AS door \
                 FROM registrations r \
                 LEFT JOIN checkins c ON c.registration_id = r.id \
                 LEFT JOIN door_links d ON d.id = c.door_id \
                 WHERE r.stage_id = $1 AND (r.confirm_by IS NULL OR r.status = 'cancelled') \
                 ORDER BY r.arrival",
            )
            .bind(stage_id),
        )
        .await?;
    rows.into_iter()
        .map(|row| {
            let first = match (row.checked_in_at, row.door) {
                (Some(at), Some(door)) => Some(FirstCheckin {
                    at: to_instant(at)?,
                    door,
                }),
                _ => None,
            };
            Ok(RosterLine {
                status: RegistrationStatus::parse(&row.status).ok_or_else(|| {
                    DbError::Corrupt(format!("registration status {}", row.status))
                })?,
                registration_id: row.id,
                name: row.name,
                short_code: row.short_code,
                first,
            })
        })
        .collect()
}

/// A ticket that two doors admitted while offline: the first admission stands (`first`); the
/// other door (`also_door`) let its holder in too, at `also_at`, and learnt it on syncing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoubleAdmission {
    pub name: String,
    pub first: FirstCheckin,
    pub also_door: String,
    pub also_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct DoubleAdmissionRow {
    name: String,
    checked_in_at: i64,
    first_door: String,
    scanned_at: i64,
    also_door: String,
}

/// The stage's double admissions, oldest first: scans a door admitted on its own that the
/// server found already checked in.
pub async fn double_admissions(db: &Db, stage_id: &str) -> Result<Vec<DoubleAdmission>, DbError> {
    let rows: Vec<DoubleAdmissionRow> = db
        .fetch_all(
            sql(
                "SELECT r.name, c.checked_in_at, fd.label AS first_door, a.scanned_at, \
                 ad.label AS also_door \
                 FROM checkin_attempts a \
                 JOIN door_links ad ON ad.id = a.door_id \
                 JOIN registrations r ON r.id = a.registration_id \
                 JOIN checkins c ON c.registration_id = a.registration_id \
                 JOIN door_links fd ON fd.id = c.door_id \
                 WHERE ad.stage_id = $1 AND a.door_result = 'admitted' \
                 AND a.result = 'already_checked_in' \
                 ORDER BY a.scanned_at, a.id",
            )
            .bind(stage_id),
        )
        .await?;
    rows.into_iter()
        .map(|row| {
            Ok(DoubleAdmission {
                name: row.name,
                first: FirstCheckin {
                    at: to_instant(row.checked_in_at)?,
                    door: row.first_door,
                },
                also_door: row.also_door,
                also_at: to_instant(row.scanned_at)?,
            })
        })
        .collect()
}
