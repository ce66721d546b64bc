//! Admitting registrations in batches (group commit, `db::group_commit`). When a popular stage
//! opens, requests for a seat arrive faster than one transaction each can commit. Each request
//! joins this process's queue; whoever gets the admission turn takes everything waiting and
//! admits it in one transaction, then answers each request. One stage lock, one seat count and
//! one commit then serve many registrations, and each registration's email is stored by the
//! same transaction.
//!
//! The rules are those of one registration at a time: every stage concerned is locked (in id
//! order, so two processes cannot deadlock) and re-read under the lock, seats go in queue order,
//! and an address already on the stage gets its registration back. The statements are the
//! batch's, not each registration's: one read of the addresses already there, decisions in
//! memory in queue order, then one insert per table (in chunks of bound values), so that a
//! batch's cost hardly grows with its size.

use super::{
    new_short_code, RegisterError, Registered, RegistrationRecord, RegistrationRow, COLUMNS,
    MOST_CODE_DRAWS,
};
use crate::db::bulk::{placeholders, MOST_BOUND_VALUES};
use crate::db::outbox::insert_emails;
use crate::db::stages::{StageRow, STAGE_COLUMNS};
use crate::db::{group_commit, new_id, sql, to_instant, Db, DbError, Statement, Tx};
use crate::domain::address_check::hold_until;
use crate::domain::registration::{admit, Attendee, RegistrationRefused, RegistrationStatus};
use crate::domain::Stage;
use crate::i18n::Locale;
use crate::mail::OutgoingEmail;
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};

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
    /// Stored only when the stage holds the seat until the address is confirmed.
    pub confirm_token_hash: String,
    /// The attendee feed's salt for an address that has no registration yet; an address that
    /// has some keeps theirs (one feed per address), as the batch finds under its lock.
    pub feed_salt: Option<String>,
    pub now: DateTime<Utc>,
    pub notice: Option<ComposeEmail>,
}

pub(super) type Outcome = Result<Registered, RegisterError>;

/// This process's registrations waiting for a seat decision, and the turn to make one.
pub type Queue = group_commit::Queue<Admission, Outcome>;

/// Admits `admission`, alone or in a batch with the others waiting at the same time.
pub async fn admit_queued(db: &Db, admission: Admission) -> Outcome {
    let batch_db = db.clone();
    db.writers()
        .admissions
        .handle(
            admission,
            MOST_PER_BATCH,
            move |batch| admit_batch(batch_db.clone(), batch),
            || Err(RegisterError::Db(DbError::BatchFailed)),
        )
        .await
}

/// Admits one batch in one transaction; if it fails, each registration alone, so that one bad
/// registration does not fail the others. Its span numbers the batch, and each registration
/// it holds is logged (at `debug`) under it, by id, to follow a request through.
#[tracing::instrument(skip_all, fields(batch = next_batch_number(), registrations = batch.len()))]
async fn admit_batch(db: Db, batch: Vec<Admission>) -> Vec<Outcome> {
    for admission in &batch {
        tracing::debug!(registration = %admission.id, "in this batch");
    }
    match admit_all(&db, &batch).await {
        Ok(outcomes) => outcomes,
        Err(error) if batch.len() == 1 => {
            tracing::error!(%error, "a registration failed");
            vec![Err(RegisterError::Db(DbError::BatchFailed))]
        }
        Err(error) => {
            tracing::warn!(%error, registrations = batch.len(), "a batch of registrations failed, trying each alone");
            let mut outcomes = Vec::with_capacity(batch.len());
            for admission in &batch {
                let outcome = match admit_all(&db, std::slice::from_ref(admission)).await {
                    Ok(mut one) => one
                        .pop()
                        .unwrap_or(Err(RegisterError::Db(DbError::BatchFailed))),
                    Err(error) => {
                        tracing::error!(%error, "a registration failed");
                        Err(RegisterError::Db(DbError::BatchFailed))
                    }
                };
                outcomes.push(outcome);
            }
            outcomes
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

/// Where an address of the batch stands on its stage, as decided so far.
enum Known {
    /// Stored before this batch.
    Stored(RegistrationRecord),
    /// Registered by an earlier admission of this batch: `outcomes[at]`.
    InBatch(usize),
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
    let (mut known, mut salts) = already_registered(&mut tx, admissions).await?;
    let mut outcomes: Vec<Outcome> = Vec::with_capacity(admissions.len());
    // The new registrations to insert, as indexes into `outcomes`.
    let mut new: Vec<usize> = Vec::new();
    for admission in admissions {
        let at = outcomes.len();
        let Some(seats) = stages.get_mut(admission.stage_id.as_str()) else {
            outcomes.push(Err(RegisterError::Db(DbError::NotFound)));
            continue;
        };
        let status = match admit(&seats.stage, seats.confirmed, admission.now) {
            Ok(status) => status,
            Err(refused) => {
                outcomes.push(refuse(refused));
                continue;
            }
        };
        let confirm_by = seats
            .stage
            .confirm_email_minutes
            .and_then(|minutes| hold_until(minutes, admission.now, seats.stage.starts_at));
        let key = (
            admission.stage_id.clone(),
            admission.attendee.email.as_str().to_owned(),
        );
        let registered = match known.remove(&key) {
            Some(Known::InBatch(first)) => {
                known.insert(key, Known::InBatch(first));
                match &outcomes[first] {
                    Ok(Registered::New(record)) => Registered::AlreadyRegistered(record.clone()),
                    _ => return Err(DbError::Corrupt("a batch's repeated address".into())),
                }
            }
            Some(Known::Stored(record)) if record.status != RegistrationStatus::Cancelled => {
                known.insert(key, Known::Stored(record.clone()));
                Registered::AlreadyRegistered(record)
            }
            Some(Known::Stored(record)) => {
                let again = register_again(
                    &mut tx,
                    record,
                    admission,
                    (status, confirm_by),
                    seats.next_arrival,
                )
                .await?;
                known.insert(key, Known::InBatch(at));
                again
            }
            None => {
                let feed_salt = feed_salt_of(admission, &mut salts);
                new.push(at);
                known.insert(key, Known::InBatch(at));
                Registered::New(new_record(
                    admission,
                    (status, confirm_by),
                    seats.next_arrival,
                    feed_salt,
                )?)
            }
        };
        if let Registered::New(record) = &registered {
            seats.next_arrival += 1;
            if record.status == RegistrationStatus::Confirmed {
                seats.confirmed = seats.confirmed.saturating_add(1);
            }
        }
        outcomes.push(Ok(registered));
    }
    insert_new(&mut tx, admissions, &mut outcomes, &new).await?;
    queue_emails(&mut tx, admissions, &outcomes).await?;
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
    // Two index lookups whose cost does not grow with the waiting list or the cancelled: the
    // confirmed seats (at most the capacity, by `registrations_by_stage_status`) and the last
    // arrival (one step down the unique (stage, arrival) index).
    let (confirmed, next_arrival): (i64, i64) = tx
        .fetch_one(
            sql("SELECT (SELECT COUNT(*) FROM registrations \
                         WHERE stage_id = $1 AND status = 'confirmed'), \
                        COALESCE((SELECT MAX(arrival) FROM registrations \
                                  WHERE stage_id = $1), 0) + 1")
            .bind(stage_id),
        )
        .await?;
    Ok(Some(Seats {
        stage: row.into_record(Vec::new())?.stage,
        confirmed: u32::try_from(confirmed).unwrap_or(u32::MAX),
        next_arrival,
    }))
}

/// The feed salt of each address that has registrations (its first one's; `None` for an
/// address registered before salts), by address.
type Salts = HashMap<String, Option<String>>;

/// The registrations already stored for the batch's addresses, by (stage, address), and the
/// addresses' feed salts: one read per chunk of addresses.
async fn already_registered(
    tx: &mut Tx<'_>,
    admissions: &[Admission],
) -> Result<(HashMap<(String, String), Known>, Salts), DbError> {
    let mut emails: Vec<&str> = admissions
        .iter()
        .map(|a| a.attendee.email.as_str())
        .collect();
    emails.sort_unstable();
    emails.dedup();
    let mut known = HashMap::new();
    let mut salts = Salts::new();
    for chunk in emails.chunks(MOST_BOUND_VALUES) {
        // Oldest first: an address's feed salt is its first registration's.
        let mut statement = sql(format!(
            "SELECT {COLUMNS} FROM registrations WHERE email IN ({}) ORDER BY created_at, id",
            placeholders(1, chunk.len())
        ));
        for email in chunk {
            statement = statement.bind(*email);
        }
        let rows: Vec<RegistrationRow> = tx.fetch_all(statement).await?;
        for row in rows {
            let record = row.into_record()?;
            let email = record.attendee.email.as_str().to_owned();
            salts
                .entry(email.clone())
                .or_insert_with(|| record.feed_salt.clone());
            known.insert((record.stage_id.clone(), email), Known::Stored(record));
        }
    }
    Ok((known, salts))
}

/// The feed salt a new registration stores: its address's, when the address has
/// registrations (stored, or admitted earlier in this batch), else the admission's own.
fn feed_salt_of(admission: &Admission, salts: &mut Salts) -> Option<String> {
    salts
        .entry(admission.attendee.email.as_str().to_owned())
        .or_insert_with(|| admission.feed_salt.clone())
        .clone()
}

/// Where the batch puts a registration: its status, and until when it is held for its address
/// to be confirmed (`None` when the stage does not ask).
type Placed = (RegistrationStatus, Option<DateTime<Utc>>);

/// A new registration as the batch decided it, with a short code drawn for it.
fn new_record(
    admission: &Admission,
    (status, confirm_by): Placed,
    arrival: i64,
    feed_salt: Option<String>,
) -> Result<RegistrationRecord, DbError> {
    Ok(RegistrationRecord {
        id: admission.id.clone(),
        stage_id: admission.stage_id.clone(),
        attendee: admission.attendee.clone(),
        language: admission.language,
        status,
        arrival,
        created_at: to_instant(admission.now.timestamp())?,
        promoted_at: None,
        short_code: Some(new_short_code()?),
        feed_salt,
        confirm_by: confirm_by
            .map(|at| to_instant(at.timestamp()))
            .transpose()?,
    })
}

/// Columns of one registration row as `insert_new` writes it.
const INSERT_COLUMNS: usize = 13;

/// Stores the batch's new registrations (`outcomes[at]` for each of `new`). A drawn short code
/// its stage already holds (rare: 40 random bits) writes nothing for that row; it is stored
/// alone with codes drawn again. No hash of a private link's token is stored: the manage and
/// ticket links carry the registration's id, the attendee feed's the sealed address (`links`).
async fn insert_new(
    tx: &mut Tx<'_>,
    admissions: &[Admission],
    outcomes: &mut [Outcome],
    new: &[usize],
) -> Result<(), DbError> {
    let mut stored: HashSet<String> = HashSet::with_capacity(new.len());
    for chunk in new.chunks(MOST_BOUND_VALUES / INSERT_COLUMNS) {
        let mut statement = sql(format!(
            "INSERT INTO registrations (id, stage_id, name, email, organisation, language, \
             status, arrival, created_at, updated_at, short_code, feed_salt, confirm_by, \
             confirm_token_hash) \
             VALUES {} ON CONFLICT DO NOTHING RETURNING id",
            rows_with_created_twice(chunk.len())
        ));
        for at in chunk {
            let Ok(Registered::New(record)) = &outcomes[*at] else {
                continue;
            };
            statement = bind_new(statement, &admissions[*at], record);
        }
        let rows: Vec<(String,)> = tx.fetch_all(statement).await?;
        stored.extend(rows.into_iter().map(|(id,)| id));
    }
    for at in new {
        if stored.contains(&admissions[*at].id) {
            continue;
        }
        if let Ok(Registered::New(record)) = &mut outcomes[*at] {
            insert_with_fresh_code(tx, &admissions[*at], record).await?;
        }
    }
    Ok(())
}

/// `($1, …, $9, $9, $10, …, $13), …`: `created_at` is also the first `updated_at`.
fn rows_with_created_twice(rows: usize) -> String {
    (0..rows)
        .map(|row| {
            let n = |column: usize| format!("${}", row * INSERT_COLUMNS + column);
            let mut columns: Vec<String> = (1..=9).map(n).collect();
            columns.extend((9..=INSERT_COLUMNS).map(n));
            format!("({})", columns.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn bind_new<'a>(
    statement: Statement<'a>,
    admission: &'a Admission,
    record: &RegistrationRecord,
) -> Statement<'a> {
    statement
        .bind(&admission.id)
        .bind(&admission.stage_id)
        .bind(&admission.attendee.name)
        .bind(admission.attendee.email.as_str())
        .bind(&admission.attendee.organisation)
        .bind(admission.language.code())
        .bind(record.status.as_str())
        .bind(record.arrival)
        .bind(admission.now.timestamp())
        .bind(record.short_code.map(|code| code.as_stored().to_owned()))
        .bind(record.feed_salt.clone())
        .bind(record.confirm_by.map(|at| at.timestamp()))
        .bind(
            record
                .confirm_by
                .is_some()
                .then(|| admission.confirm_token_hash.clone()),
        )
}

/// Stores one new registration whose row the batch's insert skipped: its drawn short code was
/// taken, or another unique value clashes. Codes are drawn again while the stage holds them
/// (under the stage's lock, `NOT EXISTS` is exact); any other clash fails the transaction, as
/// it must.
async fn insert_with_fresh_code(
    tx: &mut Tx<'_>,
    admission: &Admission,
    record: &mut RegistrationRecord,
) -> Result<(), DbError> {
    for _ in 0..MOST_CODE_DRAWS {
        record.short_code = Some(new_short_code()?);
        let statement = sql(
            "INSERT INTO registrations (id, stage_id, name, email, organisation, language, \
             status, arrival, created_at, updated_at, short_code, feed_salt, confirm_by, \
             confirm_token_hash) \
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11, $12, $13 \
             WHERE NOT EXISTS (SELECT 1 FROM registrations \
             WHERE stage_id = $2 AND short_code = $10) \
             ON CONFLICT (email, stage_id) DO NOTHING",
        );
        let statement = bind_new(statement, admission, record);
        if tx.execute(statement).await? == 1 {
            return Ok(());
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
    (status, confirm_by): Placed,
    arrival: i64,
) -> Result<Registered, DbError> {
    let confirm_by = confirm_by
        .map(|at| to_instant(at.timestamp()))
        .transpose()?;
    tx.execute(
        sql(
            "UPDATE registrations SET name = $2, organisation = $3, language = $4, \
             status = $5, arrival = $6, updated_at = $7, promoted_at = NULL, \
             confirm_by = $8, confirm_token_hash = $9 WHERE id = $1",
        )
        .bind(&record.id)
        .bind(&admission.attendee.name)
        .bind(&admission.attendee.organisation)
        .bind(admission.language.code())
        .bind(status.as_str())
        .bind(arrival)
        .bind(admission.now.timestamp())
        .bind(confirm_by.map(|at| at.timestamp()))
        .bind(
            confirm_by
                .is_some()
                .then(|| admission.confirm_token_hash.clone()),
        ),
    )
    .await?;
    record.confirm_by = confirm_by;
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

/// Stores the emails the admissions' notices compose for what happened, in the transaction.
async fn queue_emails(
    tx: &mut Tx<'_>,
    admissions: &[Admission],
    outcomes: &[Outcome],
) -> Result<(), DbError> {
    let emails: Vec<(String, OutgoingEmail, DateTime<Utc>)> = admissions
        .iter()
        .zip(outcomes)
        .filter_map(|(admission, outcome)| {
            let registered = outcome.as_ref().ok()?;
            let email = admission.notice.as_ref()?(registered)?;
            Some((new_id(), email, admission.now))
        })
        .collect();
    insert_emails(tx, &emails).await
}
