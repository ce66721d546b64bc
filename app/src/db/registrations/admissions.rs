//! Admitting registrations in batches (group commit). When a popular stage opens, requests for
//! a seat arrive faster than one transaction each can commit. Each request joins this process's
//! queue; whoever gets the admission turn takes everything waiting and admits it in one
//! transaction, then answers each request. One stage lock, one seat count and one commit then
//! serve many registrations, and each registration's email is stored by the same transaction.
//!
//! The rules are those of one registration at a time: every stage concerned is locked (in id
//! order, so two processes cannot deadlock) and re-read under the lock, seats go in queue order,
//! and the unique (stage, email) index finds a repeated address.

use super::{RegisterError, Registered, RegistrationRecord, RegistrationRow, COLUMNS};
use crate::db::outbox::insert_email;
use crate::db::stages::{StageRow, STAGE_COLUMNS};
use crate::db::{new_id, to_instant, Db, DbError};
use crate::domain::registration::{admit, Attendee, RegistrationStatus};
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

async fn admit_batch(db: Db, batch: Vec<Waiting>) {
    let (mut admissions, answers): (Vec<Admission>, Vec<oneshot::Sender<Outcome>>) = batch
        .into_iter()
        .map(|waiting| (waiting.admission, waiting.answer))
        .unzip();
    match admit_all(&db, &mut admissions).await {
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
                let mut alone = [admission];
                let outcome = match admit_all(&db, &mut alone).await {
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

/// A stage's seat state while the batch holds its lock.
struct Seats {
    stage: Stage,
    confirmed: u32,
    next_arrival: i64,
}

/// The body of the batch, once `$tx` is open; `$lock` is appended to the stage query.
macro_rules! admit_locked {
    ($tx:ident, $admissions:expr, $lock:expr) => {{
        let admissions: &mut [Admission] = $admissions;
        let mut stage_ids: Vec<String> = admissions.iter().map(|a| a.stage_id.clone()).collect();
        stage_ids.sort_unstable();
        stage_ids.dedup();
        let mut stages: HashMap<String, Seats> = HashMap::with_capacity(stage_ids.len());
        let stage_sql = format!("SELECT {STAGE_COLUMNS} FROM stages WHERE id = $1{}", $lock);
        for stage_id in stage_ids {
            let row: Option<StageRow> = sqlx::query_as(&stage_sql)
                .bind(&stage_id)
                .fetch_optional(&mut *$tx)
                .await?;
            let Some(row) = row else { continue };
            let (confirmed, next_arrival): (i64, i64) = sqlx::query_as(
                "SELECT COALESCE(SUM(CASE WHEN status = 'confirmed' THEN 1 ELSE 0 END), 0), \
                 COALESCE(MAX(arrival), 0) + 1 FROM registrations WHERE stage_id = $1",
            )
            .bind(&stage_id)
            .fetch_one(&mut *$tx)
            .await?;
            let seats = Seats {
                stage: row.into_record(Vec::new())?.stage,
                confirmed: u32::try_from(confirmed).unwrap_or(u32::MAX),
                next_arrival,
            };
            stages.insert(stage_id, seats);
        }
        let existing_sql =
            format!("SELECT {COLUMNS} FROM registrations WHERE stage_id = $1 AND email = $2");
        let mut outcomes: Vec<Outcome> = Vec::with_capacity(admissions.len());
        for admission in admissions.iter() {
            let Some(seats) = stages.get_mut(&admission.stage_id) else {
                outcomes.push(Err(RegisterError::Db(DbError::NotFound)));
                continue;
            };
            let status = match admit(&seats.stage, seats.confirmed, admission.now) {
                Ok(status) => status,
                Err(refused) => {
                    // Someone already registered hears so (and gets their links again), even
                    // once registrations have closed.
                    let existing: Option<RegistrationRow> = sqlx::query_as(&existing_sql)
                        .bind(&admission.stage_id)
                        .bind(admission.attendee.email.as_str())
                        .fetch_optional(&mut *$tx)
                        .await?;
                    let outcome = match existing.map(RegistrationRow::into_record).transpose()? {
                        Some(record) if record.status != RegistrationStatus::Cancelled => {
                            let registered = Registered::AlreadyRegistered(record);
                            if let Some(email) = admission
                                .notice
                                .as_ref()
                                .and_then(|compose| compose(&registered))
                            {
                                insert_email!(&mut *$tx, new_id(), email, admission.now)?;
                            }
                            Ok(registered)
                        }
                        _ => Err(refused.into()),
                    };
                    outcomes.push(outcome);
                    continue;
                }
            };
            let arrival = seats.next_arrival;
            let inserted = sqlx::query(
                "INSERT INTO registrations (id, stage_id, name, email, organisation, language, \
                 status, arrival, manage_token_hash, ticket_token_hash, feed_token_hash, \
                 created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) \
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
            .execute(&mut *$tx)
            .await?
            .rows_affected();
            let registered = if inserted == 1 {
                Registered::New(RegistrationRecord {
                    id: admission.id.clone(),
                    stage_id: admission.stage_id.clone(),
                    attendee: admission.attendee.clone(),
                    language: admission.language,
                    status,
                    arrival,
                    created_at: to_instant(admission.now.timestamp())?,
                })
            } else {
                let row: RegistrationRow = sqlx::query_as(&existing_sql)
                    .bind(&admission.stage_id)
                    .bind(admission.attendee.email.as_str())
                    .fetch_one(&mut *$tx)
                    .await?;
                let mut record = row.into_record()?;
                if record.status != RegistrationStatus::Cancelled {
                    Registered::AlreadyRegistered(record)
                } else {
                    // Cancelled, then changed their mind: the same registration comes back, at
                    // the end of the queue, with the same private links.
                    sqlx::query(
                        "UPDATE registrations SET name = $2, organisation = $3, language = $4, \
                         status = $5, arrival = $6, updated_at = $7, \
                         feed_token_hash = COALESCE(feed_token_hash, $8) WHERE id = $1",
                    )
                    .bind(&record.id)
                    .bind(&admission.attendee.name)
                    .bind(&admission.attendee.organisation)
                    .bind(admission.language.code())
                    .bind(status.as_str())
                    .bind(arrival)
                    .bind(admission.now.timestamp())
                    .bind(&admission.feed_token_hash)
                    .execute(&mut *$tx)
                    .await?;
                    record.attendee = admission.attendee.clone();
                    record.language = admission.language;
                    record.status = status;
                    record.arrival = arrival;
                    Registered::New(record)
                }
            };
            if let Registered::New(record) = &registered {
                seats.next_arrival += 1;
                if record.status == RegistrationStatus::Confirmed {
                    seats.confirmed = seats.confirmed.saturating_add(1);
                }
            }
            if let Some(email) = admission
                .notice
                .as_ref()
                .and_then(|compose| compose(&registered))
            {
                insert_email!(&mut *$tx, new_id(), email, admission.now)?;
            }
            outcomes.push(Ok(registered));
        }
        $tx.commit().await?;
        Ok(outcomes)
    }};
}

async fn admit_all(db: &Db, admissions: &mut [Admission]) -> Result<Vec<Outcome>, DbError> {
    match db {
        Db::Sqlite(pool, _) => {
            let _turn = db.write_turn().await;
            // IMMEDIATE takes the write lock up front: two deferred transactions that both
            // read and then write would otherwise fail instead of waiting their turn.
            let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
            admit_locked!(tx, admissions, "")
        }
        Db::Postgres(pool, _) => {
            let mut tx = pool.begin().await?;
            admit_locked!(tx, admissions, " FOR UPDATE")
        }
    }
}
