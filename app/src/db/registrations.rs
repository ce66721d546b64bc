//! Registrations. Giving seats is the one write that must hold under a rush: registrations are
//! admitted in transactions that hold the stage's lock (`BEGIN IMMEDIATE` on SQLite, a row lock
//! on the stage on PostgreSQL), re-read the stage, count the confirmed seats, let the domain
//! decide, and take the next arrival numbers (`admissions`). The unique (stage, email) index
//! finds a repeated address.

mod admissions;

use admissions::Admission;
pub use admissions::ComposeEmail;
pub(crate) use admissions::Queue;

use super::{on_pool, to_instant, Db, DbError};
use crate::domain::registration::{
    seats_to_fill, Attendee, Email, RegistrationRefused, RegistrationStatus,
};
use crate::i18n::Locale;
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
    pub manage_token_hash: &'a str,
    pub ticket_token_hash: &'a str,
    /// The same for every registration of one address (`Links::attendee_feed_hash`).
    pub feed_token_hash: &'a str,
    pub now: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct RegistrationRow {
    id: String,
    stage_id: String,
    name: String,
    email: String,
    organisation: Option<String>,
    language: String,
    status: String,
    arrival: i64,
    created_at: i64,
}

const COLUMNS: &str =
    "id, stage_id, name, email, organisation, language, status, arrival, created_at";

impl RegistrationRow {
    fn into_record(self) -> Result<RegistrationRecord, DbError> {
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
            arrival: self.arrival,
            id: self.id,
            stage_id: self.stage_id,
        })
    }
}

/// Registers an attendee: a seat if one is free, else the waiting list; an email already
/// registered for the stage gets its existing registration back. No email is queued.
pub async fn register(db: &Db, new: NewRegistration<'_>) -> Result<Registered, RegisterError> {
    register_and_notify(db, new, None).await
}

/// `register`, and in the same transaction the email `notice` composes from the outcome.
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
        manage_token_hash: new.manage_token_hash.to_owned(),
        ticket_token_hash: new.ticket_token_hash.to_owned(),
        feed_token_hash: new.feed_token_hash.to_owned(),
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
    let sql = format!("SELECT {COLUMNS} FROM registrations WHERE stage_id = $1 ORDER BY arrival");
    let rows: Vec<RegistrationRow> = on_pool!(db, pool => {
        sqlx::query_as(&sql).bind(stage_id).fetch_all(pool).await?
    });
    rows.into_iter().map(RegistrationRow::into_record).collect()
}

/// What a cancellation did: the registration as it now stands, and who got a seat from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cancellation {
    pub registration: RegistrationRecord,
    pub promoted: Vec<RegistrationRecord>,
}

/// Confirms the head of the waiting list while seats are free; `$tx` holds the stage's lock.
/// Evaluates to the promoted registrations, in arrival order.
macro_rules! promote_locked {
    ($tx:ident, $stage_id:expr, $capacity:expr, $now:expr) => {{
        let (confirmed, waiting): (i64, i64) = sqlx::query_as(
            "SELECT \
               COALESCE(SUM(CASE WHEN status = 'confirmed' THEN 1 ELSE 0 END), 0), \
               COALESCE(SUM(CASE WHEN status = 'waitlisted' THEN 1 ELSE 0 END), 0) \
             FROM registrations WHERE stage_id = $1",
        )
        .bind($stage_id)
        .fetch_one(&mut *$tx)
        .await?;
        let seats = seats_to_fill(
            $capacity,
            u32::try_from(confirmed).unwrap_or(u32::MAX),
            u32::try_from(waiting).unwrap_or(u32::MAX),
        );
        let rows: Vec<RegistrationRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM registrations WHERE stage_id = $1 AND status = 'waitlisted' \
             ORDER BY arrival LIMIT $2"
        ))
        .bind($stage_id)
        .bind(i64::from(seats))
        .fetch_all(&mut *$tx)
        .await?;
        let mut promoted = Vec::with_capacity(rows.len());
        for row in rows {
            sqlx::query("UPDATE registrations SET status = 'confirmed', updated_at = $2 WHERE id = $1")
                .bind(&row.id)
                .bind($now.timestamp())
                .execute(&mut *$tx)
                .await?;
            let mut record = row.into_record()?;
            record.status = RegistrationStatus::Confirmed;
            promoted.push(record);
        }
        promoted
    }};
}

macro_rules! cancel_locked {
    ($tx:ident, $registration_id:expr, $capacity:expr, $now:expr) => {{
        let row: Option<RegistrationRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM registrations WHERE id = $1"
        ))
        .bind($registration_id)
        .fetch_optional(&mut *$tx)
        .await?;
        let Some(row) = row else {
            $tx.rollback().await?;
            return Ok(None);
        };
        let mut registration = row.into_record()?;
        if registration.status == RegistrationStatus::Cancelled {
            $tx.rollback().await?;
            return Ok(Some(Cancellation {
                registration,
                promoted: vec![],
            }));
        }
        sqlx::query("UPDATE registrations SET status = 'cancelled', updated_at = $2 WHERE id = $1")
            .bind($registration_id)
            .bind($now.timestamp())
            .execute(&mut *$tx)
            .await?;
        registration.status = RegistrationStatus::Cancelled;
        let promoted = promote_locked!($tx, &registration.stage_id, $capacity, $now);
        $tx.commit().await?;
        Ok(Some(Cancellation {
            registration,
            promoted,
        }))
    }};
}

/// Cancels a registration and gives its seat, if it had one, to the first on the waiting list.
/// Cancelling twice changes nothing the second time. `None` when there is no such registration.
pub async fn cancel(
    db: &Db,
    registration_id: &str,
    capacity: u32,
    now: DateTime<Utc>,
) -> Result<Option<Cancellation>, DbError> {
    match db {
        Db::Sqlite(pool, _) => {
            let _turn = db.write_turn().await;
            let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
            cancel_locked!(tx, registration_id, capacity, now)
        }
        Db::Postgres(pool, _) => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "SELECT s.id FROM stages s JOIN registrations r ON r.stage_id = s.id \
                 WHERE r.id = $1 FOR UPDATE OF s",
            )
            .bind(registration_id)
            .fetch_optional(&mut *tx)
            .await?;
            cancel_locked!(tx, registration_id, capacity, now)
        }
    }
}

/// Sets the stage's capacity and, under the same lock, gives the seats it frees to the
/// waiting list in arrival order. Returns who was confirmed. Lowering the capacity confirms
/// nobody and takes no seat back.
pub async fn change_capacity(
    db: &Db,
    stage_id: &str,
    capacity: u32,
    now: DateTime<Utc>,
) -> Result<Vec<RegistrationRecord>, DbError> {
    macro_rules! set_capacity_and_promote {
        ($tx:ident) => {{
            let updated = sqlx::query("UPDATE stages SET capacity = $2 WHERE id = $1")
                .bind(stage_id)
                .bind(i64::from(capacity))
                .execute(&mut *$tx)
                .await?;
            if updated.rows_affected() == 0 {
                $tx.rollback().await?;
                return Err(DbError::NotFound);
            }
            let promoted = promote_locked!($tx, stage_id, capacity, now);
            $tx.commit().await?;
            Ok(promoted)
        }};
    }
    match db {
        Db::Sqlite(pool, _) => {
            let _turn = db.write_turn().await;
            let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
            set_capacity_and_promote!(tx)
        }
        Db::Postgres(pool, _) => {
            let mut tx = pool.begin().await?;
            sqlx::query("SELECT id FROM stages WHERE id = $1 FOR UPDATE")
                .bind(stage_id)
                .fetch_optional(&mut *tx)
                .await?;
            set_capacity_and_promote!(tx)
        }
    }
}
/// Which registration's private link this is, by the stored hash of its token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenColumn {
    Manage,
    Ticket,
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
    };
    let sql = format!("SELECT {COLUMNS} FROM registrations WHERE {column} = $1");
    let row: Option<RegistrationRow> = on_pool!(db, pool => {
        sqlx::query_as(&sql).bind(token_hash).fetch_optional(pool).await?
    });
    row.map(RegistrationRow::into_record).transpose()
}

/// Every registration, cancelled ones included, of the address whose feed token hashes to
/// `feed_token_hash`; none when the token is unknown.
pub async fn list_by_feed_token_hash(
    db: &Db,
    feed_token_hash: &str,
) -> Result<Vec<RegistrationRecord>, DbError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM registrations WHERE feed_token_hash = $1 ORDER BY created_at, id"
    );
    let rows: Vec<RegistrationRow> = on_pool!(db, pool => {
        sqlx::query_as(&sql).bind(feed_token_hash).fetch_all(pool).await?
    });
    rows.into_iter().map(RegistrationRow::into_record).collect()
}

/// When any registration of the address behind `feed_token_hash` last changed (registered,
/// promoted, cancelled): what an attendee feed's `Last-Modified` must follow.
pub async fn latest_change_by_feed_token_hash(
    db: &Db,
    feed_token_hash: &str,
) -> Result<Option<DateTime<Utc>>, DbError> {
    let latest: Option<i64> = on_pool!(db, pool => {
        sqlx::query_scalar("SELECT MAX(updated_at) FROM registrations WHERE feed_token_hash = $1")
            .bind(feed_token_hash)
            .fetch_one(pool)
            .await?
    });
    latest.map(to_instant).transpose()
}

/// Gives registrations stored before attendee feeds existed their feed token hash, computed
/// by `hash` from the address. Returns how many addresses were filled in.
pub async fn fill_feed_token_hashes(
    db: &Db,
    hash: impl Fn(&str) -> String,
) -> Result<usize, DbError> {
    let emails: Vec<(String,)> = on_pool!(db, pool => {
        sqlx::query_as("SELECT DISTINCT email FROM registrations WHERE feed_token_hash IS NULL")
            .fetch_all(pool)
            .await?
    });
    for (email,) in &emails {
        let _turn = db.write_turn().await;
        on_pool!(db, pool => {
            sqlx::query(
                "UPDATE registrations SET feed_token_hash = $2 \
                 WHERE email = $1 AND feed_token_hash IS NULL",
            )
            .bind(email)
            .bind(hash(email))
            .execute(pool)
            .await?;
        });
    }
    Ok(emails.len())
}

/// Every registration of one address, oldest first: for "lost my link".
pub async fn list_by_email(db: &Db, email: &Email) -> Result<Vec<RegistrationRecord>, DbError> {
    let sql =
        format!("SELECT {COLUMNS} FROM registrations WHERE email = $1 ORDER BY created_at, id");
    let rows: Vec<RegistrationRow> = on_pool!(db, pool => {
        sqlx::query_as(&sql).bind(email.as_str()).fetch_all(pool).await?
    });
    rows.into_iter().map(RegistrationRow::into_record).collect()
}

/// How many confirmed and waiting registrations a stage has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub confirmed: u32,
    pub waitlisted: u32,
}

pub async fn counts(db: &Db, stage_id: &str) -> Result<Counts, DbError> {
    let (confirmed, waitlisted): (i64, i64) = on_pool!(db, pool => {
        sqlx::query_as(
            "SELECT \
               COALESCE(SUM(CASE WHEN status = 'confirmed' THEN 1 ELSE 0 END), 0), \
               COALESCE(SUM(CASE WHEN status = 'waitlisted' THEN 1 ELSE 0 END), 0) \
             FROM registrations WHERE stage_id = $1",
        )
        .bind(stage_id)
        .fetch_one(pool)
        .await?
    });
    Ok(Counts {
        confirmed: u32::try_from(confirmed).unwrap_or(u32::MAX),
        waitlisted: u32::try_from(waitlisted).unwrap_or(u32::MAX),
    })
}

/// Where a waiting registration stands: 1 when it is next in line.
pub async fn waiting_position(db: &Db, record: &RegistrationRecord) -> Result<u32, DbError> {
    let (ahead,): (i64,) = on_pool!(db, pool => {
        sqlx::query_as(
            "SELECT COUNT(*) FROM registrations \
             WHERE stage_id = $1 AND status = 'waitlisted' AND arrival < $2",
        )
        .bind(&record.stage_id)
        .bind(record.arrival)
        .fetch_one(pool)
        .await?
    });
    Ok(u32::try_from(ahead).unwrap_or(u32::MAX).saturating_add(1))
}
