//! Admitting registrations in batches (group commit). When a popular stage opens, requests for
//! a seat arrive faster than one transaction each can commit. Each request joins this process's
//! queue; whoever gets the admission turn takes everything waiting and admits it in one
//! transaction, then answers each request. One stage lock, one seat count and one commit then
//! serve many registrations, and each registration's email is stored by the same transaction.
//!
//! The rules are those of one registration at a time: every stage concerned is locked (in id
//! order, so two processes cannot deadlock) and re-read under the lock, seats go in queue order,
//! and the unique (stage, email) index finds a repeated address.

use super::{
    new_short_code, RegisterError, Registered, RegistrationRecord, RegistrationRow, COLUMNS,
    MOST_CODE_DRAWS,
};
use crate::db::outbox::insert_email;
use crate::db::stages::{StageRow, STAGE_COLUMNS};
use crate::db::{new_id, sql, to_instant, Db, DbError, Statement, Tx};
use crate::domain::registration::{admit, Attendee, RegistrationRefused, RegistrationStatus};
use crate::domain::short_code::ShortCode;
use crate::domain::Stage;
use crate::i18n::Locale;
use crate::mail::OutgoingEmail;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Mutex;
use tokio::sync::oneshot;

/// At most this many registrations per transaction: bounds how long one commit keeps the
/// others waiting. The rest wait for the next turn.
const MOST_PER_BATCH: usize = 256;

/// Composes the email that tells the attendee what registering did; it is stored in the
/// outbox by the transaction that registers.
/// `Fn`, not `FnOnce`: a failed batch is tried again one registration at a time.
pub type ComposeEmail = Box<dyn Fn(&Registered) -> Option<OutgoingEmail> + Send + Sync>;

/// One registration waiting to be admitted, with everything it needs owned.
pub struct Admission {
    pub id: String,
    pub stage_id: String,
    pub attendee: Attendee,
    pub language: Locale,
    pub manage_token_hash: String,
    pub ticket_token_hash: String,
    pub feed_token_hash: String,
    pub feed_salt: Option<String>,
    pub now: DateTime<Utc>,
    pub notice: Option<ComposeEmail>,
}

type Outcome = Result<Registered, RegisterError>;

struct Waiting {
    admission: Admission,
    answer: oneshot::Sender<Outcome>,
}

/// This process's registrations waiting for a seat decision, and the turn to make one.
#[derive(Default)]
pub struct Queue {
    waiting: Mutex<Vec<Waiting>>,
    turn: tokio::sync::Mutex<()>,
}

impl Queue {
    fn push(&self, waiting: Waiting) {
        self.waiting
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(waiting);
    }

    /// The oldest registrations waiting, at most `MOST_PER_BATCH`. Those whose request went
    /// away (the client left) are dropped: nobody would hear the answer.
    fn take_batch(&self) -> Vec<Waiting> {
        let mut waiting = self
            .waiting
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        waiting.retain(|entry| !entry.answer.is_closed());
        let first = waiting.len().min(MOST_PER_BATCH);
        let rest = waiting.split_off(first);
        std::mem::replace(&mut *waiting, rest)
    }
}

/// Admits `admission`, alone or in a batch with the others waiting at the same time.
pub async fn admit_queued(db: &Db, admission: Admission) -> Outcome {
    let queue = &db.writers().admissions;
    let (answer, mut answered) = oneshot::channel();
    queue.push(Waiting { admission, answer });
    tokio::select! {
        biased;
        outcome = &mut answered => return outcome.unwrap_or(Err(RegisterError::Db(DbError::BatchFailed))),
        turn = queue.turn.lock() => {
            // Batches until this registration's answer is in: with more than a batch waiting,
            // the first ones taken may not hold it.
            loop {
                let batch = queue.take_batch();
                if batch.is_empty() {
                    break;
                }
                // Its own task: a request dropped half-way (the client went away) must not
                // abandon the others' registrations in the middle of their transaction.
                let _ = tokio::spawn(admit_batch(db.clone(), batch)).await;
                match answered.try_recv() {
                    Ok(outcome) => return outcome,
                    Err(oneshot::error::TryRecvError::Closed) => {
                        return Err(RegisterError::Db(DbError::BatchFailed))
                    }
                    Err(oneshot::error::TryRecvError::Empty) => {}
                }
            }
            drop(turn);
        }
    }
    // Answered by an earlier batch that took this registration along.
    answered
        .await
        .unwrap_or(Err(RegisterError::Db(DbError::BatchFailed)))
}

/// Admits one batch and answers each waiting request. Its span numbers the batch, and each
/// registration it holds is logged (at `debug`) under it, by id, to follow a request through.
#[tracing::instrument(skip_all, fields(batch = next_batch_number(), registrations = batch.len()))]
async fn admit_batch(db: Db, batch: Vec<Waiting>) {
    for waiting in &batch {
        tracing::debug!(registration = %waiting.admission.id, "in this batch");
    }
    let (admissions, answers): (Vec<Admission>, Vec<oneshot::Sender<Outcome>>) = batch
        .into_iter()
        .map(|waiting| (waiting.admission, waiting.answer))
        .unzip();
    match admit_all(&db, &admissions).await {
        Ok(outcomes) => {
            for (answer, outcome) in answers.into_iter().zip(outcomes) {
                let _ = answer.send(outcome);
            }
        }
        Err(error) if admissions.len() == 1 => {
            tracing::error!(%error, "a registration failed");
            for answer in answers {
                let _ = answer.send(Err(RegisterError::Db(DbError::BatchFailed)));
            }
        }
        Err(error) => {
            // One bad registration must not fail the others: each is tried again alone.
            tracing::warn!(%error, registrations = answers.len(), "a batch of registrations failed, trying each alone");
            for (admission, answer) in admissions.into_iter().zip(answers) {
                let outcome = match admit_all(&db, std::slice::from_ref(&admission)).await {
                    Ok(mut outcomes) => outcomes
                        .pop()
                        .unwrap_or(Err(RegisterError::Db(DbError::BatchFailed))),
                    Err(error) => {
                        tracing::error!(%error, "a registration failed");
                        Err(RegisterError::Db(DbError::BatchFailed))
                    }
                };
                let _ = answer.send(outcome);
            }
        }
    }
}

fn next_batch_number() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// A stage's seat state while the batch holds its lock.
struct Seats {
    stage: Stage,
    confirmed: u32,
    next_arrival: i64,
}

/// Admits a batch in one transaction: every stage concerned is locked (in id order) and read
/// again, seats go in queue order, and each registration's email is stored with it.
async fn admit_all(db: &Db, admissions: &[Admission]) -> Result<Vec<Outcome>, DbError> {
    let mut tx = db.begin_write().await?;
    let mut stage_ids: Vec<&str> = admissions.iter().map(|a| a.stage_id.as_str()).collect();
    stage_ids.sort_unstable();
    stage_ids.dedup();
    let mut stages: HashMap<&str, Seats> = HashMap::with_capacity(stage_ids.len());
    for stage_id in stage_ids {
        if let Some(seats) = read_seats(&mut tx, stage_id).await? {
            stages.insert(stage_id, seats);
        }
    }
    let mut outcomes: Vec<Outcome> = Vec::with_capacity(admissions.len());
    for admission in admissions {
        let outcome = match stages.get_mut(admission.stage_id.as_str()) {
            Some(seats) => admit_one(&mut tx, seats, admission).await?,
            None => Err(RegisterError::Db(DbError::NotFound)),
        };
        outcomes.push(outcome);
    }
    tx.commit().await?;
    Ok(outcomes)
}

/// Locks the stage and reads, under the lock, what deciding its seats needs; `None` when
/// there is no such stage.
async fn read_seats(tx: &mut Tx<'_>, stage_id: &str) -> Result<Option<Seats>, DbError> {
    tx.lock_stage(stage_id).await?;
    let row: Option<StageRow> = tx
        .fetch_optional(
            sql(format!("SELECT {STAGE_COLUMNS} FROM stages WHERE id = $1")).bind(stage_id),
        )
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let (confirmed, next_arrival): (i64, i64) = tx
        .fetch_one(
            sql(
                "SELECT COALESCE(SUM(CASE WHEN status = 'confirmed' THEN 1 ELSE 0 END), 0), \
                 COALESCE(MAX(arrival), 0) + 1 FROM registrations WHERE stage_id = $1",
            )
            .bind(stage_id),
        )
        .await?;
    Ok(Some(Seats {
        stage: row.into_record(Vec::new())?.stage,
        confirmed: u32::try_from(confirmed).unwrap_or(u32::MAX),
        next_arrival,
    }))
}

fn find_existing<'a>(admission: &'a Admission) -> Statement<'a> {
    sql(format!(
        "SELECT {COLUMNS} FROM registrations WHERE stage_id = $1 AND email = $2"
    ))
    .bind(&admission.stage_id)
    .bind(admission.attendee.email.as_str())
}

/// Decides and stores one registration of the batch, with its email. `Ok(Err(_))` is a
/// refusal the person hears; `Err(_)` fails the transaction.
async fn admit_one(
    tx: &mut Tx<'_>,
    seats: &mut Seats,
    admission: &Admission,
) -> Result<Outcome, DbError> {
    let status = match admit(&seats.stage, seats.confirmed, admission.now) {
        Ok(status) => status,
        Err(refused) => return Ok(refuse(refused)),
    };
    let arrival = seats.next_arrival;
    let registered = match insert_new(tx, admission, status, arrival).await? {
        Inserted::New(short_code) => Registered::New(RegistrationRecord {
            id: admission.id.clone(),
            stage_id: admission.stage_id.clone(),
            attendee: admission.attendee.clone(),
            language: admission.language,
            status,
            arrival,
            created_at: to_instant(admission.now.timestamp())?,
            promoted_at: None,
            short_code: Some(short_code),
            feed_salt: admission.feed_salt.clone(),
        }),
        Inserted::Existing(row) => {
            let record = row.into_record()?;
            if record.status != RegistrationStatus::Cancelled {
                Registered::AlreadyRegistered(record)
            } else {
                register_again(tx, record, admission, status, arrival).await?
            }
        }
    };
    if let Registered::New(record) = &registered {
        seats.next_arrival += 1;
        if record.status == RegistrationStatus::Confirmed {
            seats.confirmed = seats.confirmed.saturating_add(1);
        }
    }
    queue_email(tx, admission, &registered).await?;
    Ok(Ok(registered))
}

enum Inserted {
    /// Stored, with this short code.
    New(ShortCode),
    /// The address was already registered for the stage: nothing was stored.
    Existing(Box<RegistrationRow>),
}

/// Stores the new registration with a short code its stage does not hold yet.
async fn insert_new(
    tx: &mut Tx<'_>,
    admission: &Admission,
    status: RegistrationStatus,
    arrival: i64,
) -> Result<Inserted, DbError> {
    for _ in 0..MOST_CODE_DRAWS {
        let short_code = new_short_code()?;
        // Under the stage's lock, `NOT EXISTS` is exact: a code the stage holds writes nothing,
        // rather than failing the whole batch's transaction on the unique index.
        let inserted = tx
            .execute(
                sql(
                    "INSERT INTO registrations (id, stage_id, name, email, organisation, language, \
                     status, arrival, manage_token_hash, ticket_token_hash, feed_token_hash, \
                     created_at, updated_at, short_code, feed_salt) \
                     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14 \
                     WHERE NOT EXISTS (SELECT 1 FROM registrations \
                     WHERE stage_id = $2 AND short_code = $13) \
                     ON CONFLICT (stage_id, email) DO NOTHING",
                )
                .bind(&admission.id)
                .bind(&admission.stage_id)
                .bind(&admission.attendee.name)
                .bind(admission.attendee.email.as_str())
                .bind(&admission.attendee.organisation)
                .bind(admission.language.code())
                .bind(status.as_str())
                .bind(arrival)
                .bind(&admission.manage_token_hash)
                .bind(&admission.ticket_token_hash)
                .bind(&admission.feed_token_hash)
                .bind(admission.now.timestamp())
                .bind(short_code.as_stored())
                .bind(&admission.feed_salt),
            )
            .await?;
        if inserted == 1 {
            return Ok(Inserted::New(short_code));
        }
        if let Some(row) = tx.fetch_optional(find_existing(admission)).await? {
            return Ok(Inserted::Existing(Box::new(row)));
        }
    }
    Err(DbError::Corrupt(format!(
        "no free short code in stage {} after {MOST_CODE_DRAWS} draws",
        admission.stage_id
    )))
}

/// Cancelled, then changed their mind: the same registration comes back, at the end of the
/// queue, with the same private links.
async fn register_again(
    tx: &mut Tx<'_>,
    mut record: RegistrationRecord,
    admission: &Admission,
    status: RegistrationStatus,
    arrival: i64,
) -> Result<Registered, DbError> {
    tx.execute(
        sql(
            "UPDATE registrations SET name = $2, organisation = $3, language = $4, \
             status = $5, arrival = $6, updated_at = $7, promoted_at = NULL, \
             feed_token_hash = COALESCE(feed_token_hash, $8) WHERE id = $1",
        )
        .bind(&record.id)
        .bind(&admission.attendee.name)
        .bind(&admission.attendee.organisation)
        .bind(admission.language.code())
        .bind(status.as_str())
        .bind(arrival)
        .bind(admission.now.timestamp())
        .bind(&admission.feed_token_hash),
    )
    .await?;
    record.attendee = admission.attendee.clone();
    record.language = admission.language;
    record.status = status;
    record.arrival = arrival;
    record.promoted_at = None;
    Ok(Registered::New(record))
}

/// The stage takes no registration now: whoever asks hears why, whether or not the address is
/// registered already, so that a closed stage's answer tells nothing about who is on it.
fn refuse(refused: RegistrationRefused) -> Outcome {
    Err(refused.into())
}

/// Stores the email the admission's notice composes for what happened, in the transaction.
async fn queue_email(
    tx: &mut Tx<'_>,
    admission: &Admission,
    registered: &Registered,
) -> Result<(), DbError> {
    let email = admission
        .notice
        .as_ref()
        .and_then(|compose| compose(registered));
    if let Some(email) = email {
        tx.execute(insert_email(&new_id(), &email, admission.now))
            .await?;
    }
    Ok(())
}
