//! Registrations. Giving seats is the one write that must hold under a rush: each registration
//! runs in a transaction that holds the stage's lock (`BEGIN IMMEDIATE` on SQLite, a row lock on
//! the stage on PostgreSQL), counts the confirmed seats, lets the domain decide, and takes the
//! next arrival number. The unique (stage, email) index is the second guard.

use super::{on_pool, to_instant, Db, DbError};
use crate::domain::registration::{
    admit, seats_to_fill, Attendee, Email, RegistrationRefused, RegistrationStatus,
};
use crate::domain::Stage;
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
    pub stage: &'a Stage,
    pub attendee: &'a Attendee,
    pub language: Locale,
    pub manage_token_hash: &'a str,
    pub ticket_token_hash: &'a str,
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

/// The body of a registration, once the stage's lock is held by `$tx`.
macro_rules! register_locked {
    ($tx:ident, $new:ident) => {{
        let existing: Option<RegistrationRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM registrations WHERE stage_id = $1 AND email = $2"
        ))
        .bind($new.stage_id)
        .bind($new.attendee.email.as_str())
        .fetch_optional(&mut *$tx)
        .await?;
        let returning = match existing {
            Some(row) if row.status != RegistrationStatus::Cancelled.as_str() => {
                $tx.rollback().await?;
                return Ok(Registered::AlreadyRegistered(row.into_record()?));
            }
            // Cancelled, then changed their mind: the same registration comes back, at the
            // end of the queue, with the same private links.
            Some(row) => Some(row.id),
            None => None,
        };
        let (confirmed, arrival): (i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(CASE WHEN status = 'confirmed' THEN 1 ELSE 0 END), 0), \
             COALESCE(MAX(arrival), 0) + 1 FROM registrations WHERE stage_id = $1",
        )
        .bind($new.stage_id)
        .fetch_one(&mut *$tx)
        .await?;
        let status = admit($new.stage, u32::try_from(confirmed).unwrap_or(u32::MAX), $new.now)?;
        if let Some(id) = returning {
            sqlx::query(
                "UPDATE registrations SET name = $2, organisation = $3, language = $4, \
                 status = $5, arrival = $6, updated_at = $7 WHERE id = $1",
            )
            .bind(&id)
            .bind(&$new.attendee.name)
            .bind(&$new.attendee.organisation)
            .bind($new.language.code())
            .bind(status.as_str())
            .bind(arrival)
            .bind($new.now.timestamp())
            .execute(&mut *$tx)
            .await?;
            let row: RegistrationRow = sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM registrations WHERE id = $1"
            ))
            .bind(&id)
            .fetch_one(&mut *$tx)
            .await?;
            $tx.commit().await?;
            return Ok(Registered::New(row.into_record()?));
        }
        let id = $new.id.to_owned();
        sqlx::query(
            "INSERT INTO registrations (id, stage_id, name, email, organisation, language, status, \
             arrival, manage_token_hash, ticket_token_hash, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
        )
        .bind(&id)
        .bind($new.stage_id)
        .bind(&$new.attendee.name)
        .bind($new.attendee.email.as_str())
        .bind(&$new.attendee.organisation)
        .bind($new.language.code())
        .bind(status.as_str())
        .bind(arrival)
        .bind($new.manage_token_hash)
        .bind($new.ticket_token_hash)
        .bind($new.now.timestamp())
        .execute(&mut *$tx)
        .await?;
        $tx.commit().await?;
        Ok(Registered::New(RegistrationRecord {
            id,
            stage_id: $new.stage_id.to_owned(),
            attendee: $new.attendee.clone(),
            language: $new.language,
            status,
            arrival,
            created_at: to_instant($new.now.timestamp())?,
        }))
    }};
}

/// Registers an attendee: a seat if one is free, else the waiting list; an email already
/// registered for the stage gets its existing registration back.
pub async fn register(db: &Db, new: NewRegistration<'_>) -> Result<Registered, RegisterError> {
    match db {
        Db::Sqlite(pool, gate) => {
            let _turn = gate.lock().await;
            // IMMEDIATE takes the write lock up front: two deferred transactions that both
            // read and then write would otherwise fail instead of waiting their turn.
            let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
            register_locked!(tx, new)
        }
        Db::Postgres(pool) => {
            let mut tx = pool.begin().await?;
            sqlx::query("SELECT id FROM stages WHERE id = $1 FOR UPDATE")
                .bind(new.stage_id)
                .fetch_optional(&mut *tx)
                .await?;
            register_locked!(tx, new)
        }
    }
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
        Db::Sqlite(pool, gate) => {
            let _turn = gate.lock().await;
            let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
            cancel_locked!(tx, registration_id, capacity, now)
        }
        Db::Postgres(pool) => {
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
        Db::Sqlite(pool, gate) => {
            let _turn = gate.lock().await;
            let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
            set_capacity_and_promote!(tx)
        }
        Db::Postgres(pool) => {
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
