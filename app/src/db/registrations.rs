//! Registrations. Giving seats is the one write that must hold under a rush: registrations are
//! admitted in transactions that hold the stage's lock (`BEGIN IMMEDIATE` on SQLite, a row lock
//! on the stage on PostgreSQL), re-read the stage, count the confirmed seats, let the domain
//! decide, and take the next arrival numbers (`admissions`). The unique (stage, email) index
//! finds a repeated address.

mod admissions;
mod holds;

use admissions::Admission;
pub use admissions::ComposeEmail;
pub(crate) use admissions::Queue;
pub use holds::{
    confirm_address, release_expired_holds, stages_with_expired_holds, AddressConfirmation, Release,
};

use super::outbox::insert_email;
use super::stages::{StageRow, STAGE_COLUMNS};
use super::{new_id, sql, to_instant, Db, DbError, Tx};
use crate::domain::registration::{
    seats_to_fill, Attendee, Email, RegistrationRefused, RegistrationStatus,
};
use crate::domain::short_code::ShortCode;
use crate::i18n::Locale;
use crate::mail::OutgoingEmail;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationRecord {
    pub id: String,
    pub stage_id: String,
    pub attendee: Attendee,
    pub language: Locale,
    pub status: RegistrationStatus,
    /// 1 for the first person to register for the stage, then 2, 3…
    pub arrival: i64,
    pub created_at: DateTime<Utc>,
    /// When the seat came from the waiting list; `None` for a seat taken at once.
    pub promoted_at: Option<DateTime<Utc>>,
    /// The ticket's short code; `None` only for a registration stored before short codes,
    /// until the start-up backfill (`fill_short_codes`) gives it one.
    pub short_code: Option<ShortCode>,
    /// The address's attendee feed salt (`Links::attendee_feed_path`); `None` for an address
    /// registered before salts and never reset.
    pub feed_salt: Option<String>,
    /// On a stage that asks registrants to confirm their address: until when the seat (or
    /// place in line) is held for that, while unconfirmed. Kept on a registration released
    /// for want of a confirmation (then cancelled), so that its page can say why.
    pub confirm_by: Option<DateTime<Utc>>,
}

impl RegistrationRecord {
    /// Whether the seat or place is only held, its address not yet confirmed.
    pub fn awaiting_confirmation(&self) -> bool {
        self.held_until().is_some()
    }

    /// Until when the seat or place is held, while its address is unconfirmed.
    pub fn held_until(&self) -> Option<DateTime<Utc>> {
        self.confirm_by
            .filter(|_| self.status != RegistrationStatus::Cancelled)
    }

    /// A seat that is the holder's, with a ticket: confirmed, and not merely held.
    pub fn has_seat(&self) -> bool {
        self.status == RegistrationStatus::Confirmed && !self.awaiting_confirmation()
    }
}

/// What registering did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registered {
    New(RegistrationRecord),
    /// This email was already registered for the stage (and not cancelled); nothing changed.
    AlreadyRegistered(RegistrationRecord),
}

#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error(transparent)]
    Refused(#[from] RegistrationRefused),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for RegisterError {
    fn from(error: sqlx::Error) -> Self {
        RegisterError::Db(error.into())
    }
}

pub struct NewRegistration<'a> {
    /// Chosen by the caller (`db::new_id`), so that the private links can be derived first.
    pub id: &'a str,
    pub stage_id: &'a str,
    pub attendee: &'a Attendee,
    pub language: Locale,
    /// The hash of the emailed link that confirms the address (`LinkKind::Confirm`), stored
    /// only where the stage asks for one.
    pub confirm_token_hash: &'a str,
    /// The attendee feed's salt for an address with no registration yet; one that has some
    /// keeps theirs.
    pub feed_salt: Option<&'a str>,
    pub now: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
pub(super) struct RegistrationRow {
    id: String,
    stage_id: String,
    name: String,
    email: String,
    organisation: Option<String>,
    language: String,
    status: String,
    arrival: i64,
    created_at: i64,
    promoted_at: Option<i64>,
    short_code: Option<String>,
    feed_salt: Option<String>,
    confirm_by: Option<i64>,
}

pub(super) const COLUMNS: &str = "id, stage_id, name, email, organisation, language, status, \
     arrival, created_at, promoted_at, short_code, feed_salt, confirm_by";

impl RegistrationRow {
    pub(super) fn into_record(self) -> Result<RegistrationRecord, DbError> {
        let corrupt = |what: &str| DbError::Corrupt(format!("registration {}: {what}", self.id));
        Ok(RegistrationRecord {
            attendee: Attendee {
                email: Email::parse(&self.email).map_err(|_| corrupt("email"))?,
                name: self.name,
                organisation: self.organisation,
            },
            language: Locale::from_code(&self.language).ok_or_else(|| corrupt("language"))?,
            status: RegistrationStatus::parse(&self.status).ok_or_else(|| corrupt("status"))?,
            created_at: to_instant(self.created_at)?,
            promoted_at: self.promoted_at.map(to_instant).transpose()?,
            confirm_by: self.confirm_by.map(to_instant).transpose()?,
            short_code: match &self.short_code {
                Some(stored) => {
                    Some(ShortCode::from_stored(stored).ok_or_else(|| corrupt("short code"))?)
                }
                None => None,
            },
            arrival: self.arrival,
            id: self.id,
            stage_id: self.stage_id,
            feed_salt: self.feed_salt,
        })
    }
}

/// Registers an attendee: a seat if one is free, else the waiting list; an email already
/// registered for the stage gets its existing registration back. No email is queued.
pub async fn register(db: &Db, new: NewRegistration<'_>) -> Result<Registered, RegisterError> {
    register_and_notify(db, new, None).await
}

/// `register`, and in the same transaction the email `notice` composes from the outcome. An
/// address that has registrations keeps their feed salt (decided under the admission's lock,
/// so two first registrations of one address in one process cannot draw two feeds).
pub async fn register_and_notify(
    db: &Db,
    new: NewRegistration<'_>,
    notice: Option<ComposeEmail>,
) -> Result<Registered, RegisterError> {
    let admission = Admission {
        id: new.id.to_owned(),
        stage_id: new.stage_id.to_owned(),
        attendee: new.attendee.clone(),
        language: new.language,
        confirm_token_hash: new.confirm_token_hash.to_owned(),
        feed_salt: new.feed_salt.map(str::to_owned),
        now: new.now,
        notice,
    };
    admissions::admit_queued(db, admission).await
}

/// A stage's registrations in arrival order.
pub async fn list_registrations(
    db: &Db,
    stage_id: &str,
) -> Result<Vec<RegistrationRecord>, DbError> {
    let query = format!("SELECT {COLUMNS} FROM registrations WHERE stage_id = $1 ORDER BY arrival");
    let rows: Vec<RegistrationRow> = db.fetch_all(sql(query).bind(stage_id)).await?;
    rows.into_iter().map(RegistrationRow::into_record).collect()
}

/// What a cancellation did: the registration as it now stands, and who got a seat from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cancellation {
    pub registration: RegistrationRecord,
    pub promoted: Vec<RegistrationRecord>,
    /// `false` when the registration was already cancelled: nothing changed.
    pub changed: bool,
}

const COUNTS_SQL: &str = "SELECT \
       COALESCE(SUM(CASE WHEN status = 'confirmed' THEN 1 ELSE 0 END), 0), \
       COALESCE(SUM(CASE WHEN status = 'waitlisted' THEN 1 ELSE 0 END), 0) \
     FROM registrations WHERE stage_id = $1";

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Confirms the head of the waiting list while the stage, as stored now, has free seats; `tx`
/// holds the stage's lock. Returns the promoted registrations, in arrival order.
pub(super) async fn promote_waiting(
    tx: &mut Tx<'_>,
    stage_id: &str,
    now: DateTime<Utc>,
) -> Result<Vec<RegistrationRecord>, DbError> {
    let stage: StageRow = tx
        .fetch_one(sql(format!("SELECT {STAGE_COLUMNS} FROM stages WHERE id = $1")).bind(stage_id))
        .await?;
    let stage = stage.into_record(Vec::new())?.stage;
    let (confirmed, waiting): (i64, i64) = tx.fetch_one(sql(COUNTS_SQL).bind(stage_id)).await?;
    let seats = seats_to_fill(&stage, count(confirmed), count(waiting), now);
    if seats == 0 {
        return Ok(Vec::new());
    }
    let rows: Vec<RegistrationRow> = tx
        .fetch_all(
            sql(format!(
                "SELECT {COLUMNS} FROM registrations WHERE stage_id = $1 \
                 AND status = 'waitlisted' ORDER BY arrival LIMIT $2"
            ))
            .bind(stage_id)
            .bind(i64::from(seats)),
        )
        .await?;
    let mut promoted = Vec::with_capacity(rows.len());
    for row in rows {
        tx.execute(
            sql(
                "UPDATE registrations SET status = 'confirmed', updated_at = $2, promoted_at = $2 \
                 WHERE id = $1",
            )
            .bind(&row.id)
            .bind(now.timestamp()),
        )
        .await?;
        let mut record = row.into_record()?;
        record.status = RegistrationStatus::Confirmed;
        record.promoted_at = Some(to_instant(now.timestamp())?);
        promoted.push(record);
    }
    Ok(promoted)
}

/// Cancels a registration and gives its seat, if it had one, to the first on the waiting list,
/// as far as the stage (read under its lock) has seats to give. Cancelling twice changes
/// nothing the second time. `None` when there is no such registration. No email is stored.
pub async fn cancel(
    db: &Db,
    registration_id: &str,
    now: DateTime<Utc>,
) -> Result<Option<Cancellation>, DbError> {
    cancel_and_announce(db, registration_id, now, |_| Vec::new()).await
}

/// `cancel`, and in the same transaction the emails `announce` composes from what it did:
/// a crash can lose both or neither. A registration already cancelled announces nothing, so
/// two cancels racing send one email.
#[tracing::instrument(skip_all, fields(registration = registration_id))]
pub async fn cancel_and_announce(
    db: &Db,
    registration_id: &str,
    now: DateTime<Utc>,
    announce: impl FnOnce(&Cancellation) -> Vec<OutgoingEmail>,
) -> Result<Option<Cancellation>, DbError> {
    // A registration never changes stage, so its stage can be read before taking the lock.
    let stage: Option<(String,)> = db
        .fetch_optional(
            sql("SELECT stage_id FROM registrations WHERE id = $1").bind(registration_id),
        )
        .await?;
    let Some((stage_id,)) = stage else {
        return Ok(None);
    };
    let mut tx = db.begin_write().await?;
    tx.lock_stage(&stage_id).await?;
    let row: Option<RegistrationRow> = tx
        .fetch_optional(
            sql(format!("SELECT {COLUMNS} FROM registrations WHERE id = $1")).bind(registration_id),
        )
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let mut registration = row.into_record()?;
    if registration.status == RegistrationStatus::Cancelled {
        return Ok(Some(Cancellation {
            registration,
            promoted: Vec::new(),
            changed: false,
        }));
    }
    tx.execute(
        sql("UPDATE registrations SET status = 'cancelled', updated_at = $2 WHERE id = $1")
            .bind(registration_id)
            .bind(now.timestamp()),
    )
    .await?;
    registration.status = RegistrationStatus::Cancelled;
    let promoted = promote_waiting(&mut tx, &stage_id, now).await?;
    let cancellation = Cancellation {
        registration,
        promoted,
        changed: true,
    };
    store_emails(&mut tx, &announce(&cancellation), now).await?;
    tx.commit().await?;
    Ok(Some(cancellation))
}

/// Stores emails in the outbox within `tx`, due at once.
async fn store_emails(
    tx: &mut Tx<'_>,
    emails: &[OutgoingEmail],
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    for email in emails {
        tx.execute(insert_email(&new_id(), email, now)).await?;
    }
    Ok(())
}

/// Sets the stage's capacity and, under the same lock, gives the seats it frees to the
/// waiting list in arrival order. Returns who was confirmed. Lowering the capacity confirms
/// nobody and takes no seat back. No email is stored.
pub async fn change_capacity(
    db: &Db,
    stage_id: &str,
    capacity: u32,
    now: DateTime<Utc>,
) -> Result<Vec<RegistrationRecord>, DbError> {
    change_capacity_and_announce(db, stage_id, capacity, now, |_| Vec::new()).await
}

/// `change_capacity`, and in the same transaction the emails `announce` composes for the
/// people it confirmed.
#[tracing::instrument(skip_all, fields(stage = stage_id, capacity))]
pub async fn change_capacity_and_announce(
    db: &Db,
    stage_id: &str,
    capacity: u32,
    now: DateTime<Utc>,
    announce: impl FnOnce(&[RegistrationRecord]) -> Vec<OutgoingEmail>,
) -> Result<Vec<RegistrationRecord>, DbError> {
    let mut tx = db.begin_write().await?;
    tx.lock_stage(stage_id).await?;
    let updated = tx
        .execute(
            sql("UPDATE stages SET capacity = $2 WHERE id = $1")
                .bind(stage_id)
                .bind(i64::from(capacity)),
        )
        .await?;
    if updated == 0 {
        return Err(DbError::NotFound);
    }
    let promoted = promote_waiting(&mut tx, stage_id, now).await?;
    store_emails(&mut tx, &announce(&promoted), now).await?;
    tx.commit().await?;
    Ok(promoted)
}

/// The registrations of a stage still holding a seat or a place in line, in arrival order,
/// read in `tx` (which holds the stage's lock).
pub(super) async fn active_in(
    tx: &mut Tx<'_>,
    stage_id: &str,
) -> Result<Vec<RegistrationRecord>, DbError> {
    let rows: Vec<RegistrationRow> = tx
        .fetch_all(
            sql(format!(
                "SELECT {COLUMNS} FROM registrations WHERE stage_id = $1 \
                 AND status IN ('confirmed', 'waitlisted') ORDER BY arrival"
            ))
            .bind(stage_id),
        )
        .await?;
    rows.into_iter().map(RegistrationRow::into_record).collect()
}

/// Which registration's private link this is, by the stored hash of its token: links to
/// registrations stored before links carried ids (`links::LinkKey`), and confirmation links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenColumn {
    Manage,
    Ticket,
    Confirm,
}

/// A registration by its id.
pub async fn find_by_id(db: &Db, id: &str) -> Result<Option<RegistrationRecord>, DbError> {
    let query = format!("SELECT {COLUMNS} FROM registrations WHERE id = $1");
    let row: Option<RegistrationRow> = db.fetch_optional(sql(query).bind(id)).await?;
    row.map(RegistrationRow::into_record).transpose()
}

/// The registration whose `column` token hashes to `token_hash`.
pub async fn find_by_token_hash(
    db: &Db,
    column: TokenColumn,
    token_hash: &str,
) -> Result<Option<RegistrationRecord>, DbError> {
    let column = match column {
        TokenColumn::Manage => "manage_token_hash",
        TokenColumn::Ticket => "ticket_token_hash",
        TokenColumn::Confirm => "confirm_token_hash",
    };
    let query = format!("SELECT {COLUMNS} FROM registrations WHERE {column} = $1");
    let row: Option<RegistrationRow> = db.fetch_optional(sql(query).bind(token_hash)).await?;
    row.map(RegistrationRow::into_record).transpose()
}

/// Whose attendee feed is asked for (`links::FeedKey`).
#[derive(Debug, Clone, Copy)]
pub enum FeedOwner<'a> {
    /// The address the feed token sealed.
    Address(&'a Email),
    /// The address whose registrations stored this hash of the feed token: a token made
    /// before feed tokens sealed the address.
    StoredHash(&'a str),
}

impl<'a> FeedOwner<'a> {
    /// The condition on `email` that finds the owner's registrations, and its bound value.
    fn condition(self) -> (&'static str, &'a str) {
        match self {
            FeedOwner::Address(email) => ("email = $1", email.as_str()),
            FeedOwner::StoredHash(hash) => (
                "email = (SELECT email FROM registrations WHERE feed_token_hash = $1 LIMIT 1)",
                hash,
            ),
        }
    }
}

/// Every registration, cancelled ones included, of the feed's address, oldest first; none
/// when no registration has it. By the address, so that two first registrations of one address
/// made at the same moment (each with its own salt) are in both feeds until a reset gives them
/// one.
pub async fn list_by_feed_owner(
    db: &Db,
    owner: FeedOwner<'_>,
) -> Result<Vec<RegistrationRecord>, DbError> {
    let (condition, value) = owner.condition();
    let query =
        format!("SELECT {COLUMNS} FROM registrations WHERE {condition} ORDER BY created_at, id");
    let rows: Vec<RegistrationRow> = db.fetch_all(sql(query).bind(value)).await?;
    rows.into_iter().map(RegistrationRow::into_record).collect()
}

/// When any registration of the feed's address last changed (registered, promoted,
/// cancelled): what an attendee feed's `Last-Modified` must follow.
pub async fn latest_change_by_feed_owner(
    db: &Db,
    owner: FeedOwner<'_>,
) -> Result<Option<DateTime<Utc>>, DbError> {
    let (condition, value) = owner.condition();
    let (latest,): (Option<i64>,) = db
        .fetch_one(
            sql(format!(
                "SELECT MAX(updated_at) FROM registrations WHERE {condition}"
            ))
            .bind(value),
        )
        .await?;
    latest.map(to_instant).transpose()
}

/// Gives every registration of `email` the feed salt `salt`, and forgets the hash of the feed
/// token of before sealed addresses: the feed's old address stops working. Returns how many
/// registrations changed.
pub async fn reset_feed(db: &Db, email: &Email, salt: &str) -> Result<u64, DbError> {
    db.execute(
        sql("UPDATE registrations SET feed_salt = $2, feed_token_hash = NULL WHERE email = $1")
            .bind(email.as_str())
            .bind(salt),
    )
    .await
}

/// The backfill that gives registrations stored before attendee feeds existed their feed
/// token hash (`db::backfills`).
pub const FEED_TOKENS_BACKFILL: &str = "registrations.feed_token_hash";

/// Gives registrations stored before attendee feeds existed their feed token hash, computed
/// by `hash` from the address. Returns how many addresses were filled in. Safe to run twice.
pub async fn fill_feed_token_hashes(
    db: &Db,
    hash: impl Fn(&str) -> String,
) -> Result<usize, DbError> {
    let emails: Vec<(String,)> = db
        .fetch_all(sql(
            "SELECT DISTINCT email FROM registrations WHERE feed_token_hash IS NULL",
        ))
        .await?;
    for (email,) in &emails {
        db.execute(
            sql("UPDATE registrations SET feed_token_hash = $2 \
                 WHERE email = $1 AND feed_token_hash IS NULL")
            .bind(email)
            .bind(hash(email)),
        )
        .await?;
    }
    Ok(emails.len())
}

/// A fresh short code, drawn from the operating system's random source.
pub(super) fn new_short_code() -> Result<ShortCode, DbError> {
    let seed = super::ticket_keys::random_seed()?;
    Ok(ShortCode::from_random([
        seed[0], seed[1], seed[2], seed[3], seed[4],
    ]))
}

/// The backfill that gives registrations stored before short codes existed their own.
pub const SHORT_CODES_BACKFILL: &str = "registrations.short_code";

/// Gives every registration without a short code one, unique in its stage. Returns how many
/// were given. Safe to run twice, and beside servers registering meanwhile: a code is only
/// written where the registration still has none and its stage does not hold it yet.
pub async fn fill_short_codes(db: &Db) -> Result<usize, DbError> {
    let missing: Vec<(String,)> = db
        .fetch_all(sql("SELECT id FROM registrations WHERE short_code IS NULL"))
        .await?;
    let mut filled = 0;
    for (id,) in &missing {
        // A code already taken in the stage writes nothing: draw again (one in a billion). So
        // does a registration another server has just filled: the draws then end quickly.
        for _ in 0..MOST_CODE_DRAWS {
            let written = db
                .execute(
                    sql(
                        "UPDATE registrations SET short_code = $2 \
                         WHERE id = $1 AND short_code IS NULL AND NOT EXISTS \
                         (SELECT 1 FROM registrations other \
                          WHERE other.stage_id = registrations.stage_id AND other.short_code = $2)",
                    )
                    .bind(id)
                    .bind(new_short_code()?.as_stored()),
                )
                .await;
            match written {
                Ok(1) => {
                    filled += 1;
                    break;
                }
                // Another server gave the same code in the same stage at the same moment.
                Ok(_) | Err(DbError::UniqueViolation) => continue,
                Err(error) => return Err(error),
            }
        }
    }
    Ok(filled)
}

/// How many codes are drawn for one registration before giving up: with 2^40 codes and a
/// few thousand per stage, a second draw is already rare beyond measure.
pub(super) const MOST_CODE_DRAWS: usize = 8;

/// The registration of the stage whose ticket carries `code`, if any.
pub async fn find_by_short_code(
    db: &Db,
    stage_id: &str,
    code: ShortCode,
) -> Result<Option<String>, DbError> {
    let found: Option<(String,)> = db
        .fetch_optional(
            sql("SELECT id FROM registrations WHERE stage_id = $1 AND short_code = $2")
                .bind(stage_id)
                .bind(code.as_stored()),
        )
        .await?;
    Ok(found.map(|(id,)| id))
}

/// Every registration of one address, oldest first: for "lost my link".
pub async fn list_by_email(db: &Db, email: &Email) -> Result<Vec<RegistrationRecord>, DbError> {
    let query =
        format!("SELECT {COLUMNS} FROM registrations WHERE email = $1 ORDER BY created_at, id");
    let rows: Vec<RegistrationRow> = db.fetch_all(sql(query).bind(email.as_str())).await?;
    rows.into_iter().map(RegistrationRow::into_record).collect()
}

/// How many confirmed and waiting registrations a stage has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub confirmed: u32,
    pub waitlisted: u32,
}

pub async fn counts(db: &Db, stage_id: &str) -> Result<Counts, DbError> {
    let (confirmed, waitlisted): (i64, i64) = db.fetch_one(sql(COUNTS_SQL).bind(stage_id)).await?;
    Ok(Counts {
        confirmed: count(confirmed),
        waitlisted: count(waitlisted),
    })
}

/// The counts of every stage of an edition that has registrations, in one query: what the
/// edition's stage cards say about seats. A stage missing from the map has none.
pub async fn counts_by_stage(
    db: &Db,
    edition_id: &str,
) -> Result<std::collections::HashMap<String, Counts>, DbError> {
    let rows: Vec<(String, i64, i64)> = db
        .fetch_all(
            sql("SELECT r.stage_id, \
                   COALESCE(SUM(CASE WHEN r.status = 'confirmed' THEN 1 ELSE 0 END), 0), \
                   COALESCE(SUM(CASE WHEN r.status = 'waitlisted' THEN 1 ELSE 0 END), 0) \
                 FROM registrations r JOIN stages s ON s.id = r.stage_id \
                 WHERE s.edition_id = $1 GROUP BY r.stage_id")
            .bind(edition_id),
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|(stage_id, confirmed, waitlisted)| {
            let counts = Counts {
                confirmed: count(confirmed),
                waitlisted: count(waitlisted),
            };
            (stage_id, counts)
        })
        .collect())
}

/// Where a waiting registration stands: 1 when it is next in line.
pub async fn waiting_position(db: &Db, record: &RegistrationRecord) -> Result<u32, DbError> {
    let (ahead,): (i64,) = db
        .fetch_one(
            sql("SELECT COUNT(*) FROM registrations \
                 WHERE stage_id = $1 AND status = 'waitlisted' AND arrival < $2")
            .bind(&record.stage_id)
            .bind(record.arrival),
        )
        .await?;
    Ok(count(ahead).saturating_add(1))
}
