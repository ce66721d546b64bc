//! The outbox table: emails queued by requests, taken by the server's delivery worker. This module
//! only stores and moves rows between states; when to retry and how to send is the worker's.
//! Bodies and addresses are personal data: nothing here logs them, and a body is emptied once
//! its email is sent or given up.

use super::bulk::{placeholders, MOST_BOUND_VALUES};
use super::{new_id, sql, to_instant, Db, DbError, Statement, Tx};
use crate::mail::{Notice, OutgoingEmail, ToWrite};
use chrono::{DateTime, Utc};

/// Where an email stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxStatus {
    /// Waiting for its first attempt, or for a retry at `next_attempt_at`.
    Pending,
    /// Accepted by the SMTP server.
    Sent,
    /// No SMTP server was configured: logged and kept, never sent.
    Kept,
    /// Given up: too many failed attempts, or refused for good.
    Failed,
}

impl OutboxStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Pending => "pending",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Kept => "kept",
            OutboxStatus::Failed => "failed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "pending" => Some(OutboxStatus::Pending),
            "sent" => Some(OutboxStatus::Sent),
            "kept" => Some(OutboxStatus::Kept),
            "failed" => Some(OutboxStatus::Failed),
            _ => None,
        }
    }
}

/// One stored email and its delivery state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRecord {
    pub id: String,
    pub email: OutgoingEmail,
    pub status: OutboxStatus,
    /// Failed attempts so far.
    pub attempts: u32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct OutboxRow {
    id: String,
    recipient: String,
    recipient_name: String,
    subject: String,
    text_body: String,
    html_body: String,
    ticket_code: Option<String>,
    status: String,
    attempts: i64,
    next_attempt_at: i64,
    last_error: Option<String>,
    created_at: i64,
    sent_at: Option<i64>,
    registration_id: Option<String>,
    notice: Option<String>,
}

const COLUMNS: &str = "id, recipient, recipient_name, subject, text_body, html_body, ticket_code, \
                       status, attempts, next_attempt_at, last_error, created_at, sent_at, \
                       registration_id, notice";

impl OutboxRow {
    fn into_record(self) -> Result<OutboxRecord, DbError> {
        let status = OutboxStatus::parse(&self.status)
            .ok_or_else(|| DbError::Corrupt(format!("outbox {}: status", self.id)))?;
        let attempts = u32::try_from(self.attempts)
            .map_err(|_| DbError::Corrupt(format!("outbox {}: attempts", self.id)))?;
        let to_write = match (self.registration_id, self.notice) {
            (Some(registration_id), Some(notice)) => Some(ToWrite {
                registration_id,
                notice: Notice::from_code(&notice)
                    .ok_or_else(|| DbError::Corrupt(format!("outbox {}: notice", self.id)))?,
            }),
            _ => None,
        };
        Ok(OutboxRecord {
            email: OutgoingEmail {
                to: self.recipient,
                to_name: self.recipient_name,
                subject: self.subject,
                text: self.text_body,
                html: self.html_body,
                ticket_code: self.ticket_code,
                to_write,
            },
            status,
            attempts,
            next_attempt_at: to_instant(self.next_attempt_at)?,
            last_error: self.last_error,
            created_at: to_instant(self.created_at)?,
            sent_at: self.sent_at.map(to_instant).transpose()?,
            id: self.id,
        })
    }
}

/// The statement that stores `email` as pending, due at once: run it on the pool, or in the
/// transaction of the change it announces so that both commit together.
pub(crate) fn insert_email<'a>(
    id: &'a str,
    email: &'a OutgoingEmail,
    now: DateTime<Utc>,
) -> Statement<'a> {
    bind_pending(insert_pending(1), id, email, now)
}

/// Columns of one outbox row as `insert_pending` writes it.
const INSERT_COLUMNS: usize = 10;

/// Stores each `(id, email, queued at)` as pending, due at once, in the transaction of the
/// changes they announce: one statement per chunk of bound values.
pub(crate) async fn insert_emails(
    tx: &mut Tx<'_>,
    emails: &[(String, OutgoingEmail, DateTime<Utc>)],
) -> Result<(), DbError> {
    for chunk in emails.chunks(MOST_BOUND_VALUES / INSERT_COLUMNS) {
        let mut statement = insert_pending(chunk.len());
        for (id, email, now) in chunk {
            statement = bind_pending(statement, id, email, *now);
        }
        tx.execute(statement).await?;
    }
    Ok(())
}

/// The insert of `rows` pending emails, their values to bind with `bind_pending`.
fn insert_pending<'a>(rows: usize) -> Statement<'a> {
    sql(format!(
        "INSERT INTO outbox (id, recipient, recipient_name, subject, text_body, html_body, \
         ticket_code, registration_id, notice, status, attempts, next_attempt_at, last_error, \
         created_at, sent_at) VALUES {}",
        pending_rows(rows)
    ))
}

fn bind_pending<'a>(
    statement: Statement<'a>,
    id: &'a str,
    email: &'a OutgoingEmail,
    now: DateTime<Utc>,
) -> Statement<'a> {
    statement
        .bind(id)
        .bind(&email.to)
        .bind(&email.to_name)
        .bind(&email.subject)
        .bind(&email.text)
        .bind(&email.html)
        .bind(&email.ticket_code)
        .bind(email.to_write.as_ref().map(|w| w.registration_id.as_str()))
        .bind(email.to_write.as_ref().and_then(|w| w.notice.code()))
        .bind(now.timestamp())
}

/// `($1, …, $9, 'pending', 0, $10, NULL, $10, NULL), …`
fn pending_rows(rows: usize) -> String {
    (0..rows)
        .map(|row| {
            let first = row * INSERT_COLUMNS + 1;
            format!(
                "({}, 'pending', 0, ${due}, NULL, ${due}, NULL)",
                placeholders(first, INSERT_COLUMNS - 1),
                due = first + INSERT_COLUMNS - 1
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Queues an email, due at once. Returns its id.
#[tracing::instrument(skip_all)]
pub async fn enqueue(
    db: &Db,
    email: &OutgoingEmail,
    now: DateTime<Utc>,
) -> Result<String, DbError> {
    let id = new_id();
    db.execute(insert_email(&id, email, now)).await?;
    Ok(id)
}

/// How long a claimed email stays out of other workers' reach: longer than a whole batch of
/// sends can take (20 emails, 30 s each at worst), so that it is never sent twice while its
/// worker is still at it. A worker that dies mid-batch leaves its emails due again after it.
pub const CLAIM_LEASE: chrono::Duration = chrono::Duration::minutes(15);

/// Claims pending emails whose time has come, oldest due first, at most `limit`: each is
/// pushed `CLAIM_LEASE` into the future in the same statement that reads it, so another
/// worker (another process, or this one after a restart) does not take it meanwhile. The
/// worker then records what became of each (`mark_sent`, `schedule_retry`…).
#[tracing::instrument(skip_all, fields(limit = limit))]
pub async fn claim_due(
    db: &Db,
    now: DateTime<Utc>,
    limit: u32,
) -> Result<Vec<OutboxRecord>, DbError> {
    let lease_end = (now + CLAIM_LEASE).timestamp();
    take_due(db, now, limit, "next_attempt_at = $4", lease_end).await
}

/// With no SMTP server to send to: takes the emails whose time has come and marks them kept
/// in one statement (the log is their delivery).
#[tracing::instrument(skip_all, fields(limit = limit))]
pub async fn keep_due(
    db: &Db,
    now: DateTime<Utc>,
    limit: u32,
) -> Result<Vec<OutboxRecord>, DbError> {
    take_due(
        db,
        now,
        limit,
        "status = 'kept', sent_at = $4",
        now.timestamp(),
    )
    .await
}

/// Changes, by `set` (which may use `$4`, bound to `value`), the pending emails due at `now`,
/// at most `limit`, and returns them as they now stand, oldest first.
async fn take_due(
    db: &Db,
    now: DateTime<Utc>,
    limit: u32,
    set: &str,
    value: i64,
) -> Result<Vec<OutboxRecord>, DbError> {
    // PostgreSQL: rows another worker is taking are skipped, not waited for. SQLite has one
    // writer at a time, so the statement alone is atomic.
    let skip_locked = match db.engine() {
        super::Engine::Postgres => " FOR UPDATE SKIP LOCKED",
        super::Engine::Sqlite => "",
    };
    let query = format!(
        "UPDATE outbox SET {set} WHERE id IN \
         (SELECT id FROM outbox WHERE status = $1 AND next_attempt_at <= $2 \
          ORDER BY next_attempt_at, id LIMIT $3{skip_locked}) \
         RETURNING {COLUMNS}"
    );
    let mut tx = db.begin_write().await?;
    let rows: Vec<OutboxRow> = tx
        .fetch_all(
            sql(query)
                .bind(OutboxStatus::Pending.as_str())
                .bind(now.timestamp())
                .bind(i64::from(limit))
                .bind(value),
        )
        .await?;
    tx.commit().await?;
    let mut taken = rows
        .into_iter()
        .map(OutboxRow::into_record)
        .collect::<Result<Vec<_>, _>>()?;
    // RETURNING keeps no order: oldest first, as queued.
    taken.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    Ok(taken)
}

/// One email by id.
pub async fn find_email(db: &Db, id: &str) -> Result<Option<OutboxRecord>, DbError> {
    let query = format!("SELECT {COLUMNS} FROM outbox WHERE id = $1");
    let row: Option<OutboxRow> = db.fetch_optional(sql(query).bind(id)).await?;
    row.map(OutboxRow::into_record).transpose()
}

/// Every email queued for one address, oldest first.
pub async fn list_for_recipient(db: &Db, recipient: &str) -> Result<Vec<OutboxRecord>, DbError> {
    let query =
        format!("SELECT {COLUMNS} FROM outbox WHERE recipient = $1 ORDER BY created_at, id");
    let rows: Vec<OutboxRow> = db.fetch_all(sql(query).bind(recipient)).await?;
    rows.into_iter().map(OutboxRow::into_record).collect()
}

/// Once delivered or given up, the bodies (private links, the ticket's code) have done their
/// work: only who, what subject and what became of it stay. Set by `finish` and `mark_sent`.
const FORGET_BODIES: &str = "text_body = '', html_body = '', ticket_code = NULL";

/// Moves a pending email to its final state. `NotFound` if it is not pending (any more).
async fn finish(
    db: &Db,
    id: &str,
    status: OutboxStatus,
    attempts: Option<u32>,
    error: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let forget_bodies = match status {
        OutboxStatus::Sent | OutboxStatus::Failed => format!(", {FORGET_BODIES}"),
        OutboxStatus::Pending | OutboxStatus::Kept => String::new(),
    };
    let done = db
        .execute(
            sql(format!(
                "UPDATE outbox SET status = $2, attempts = COALESCE($3, attempts), \
                 last_error = COALESCE($4, last_error), sent_at = $5{forget_bodies} \
                 WHERE id = $1 AND status = 'pending'"
            ))
            .bind(id)
            .bind(status.as_str())
            .bind(attempts.map(i64::from))
            .bind(error)
            .bind(
                matches!(status, OutboxStatus::Sent | OutboxStatus::Kept).then(|| now.timestamp()),
            ),
        )
        .await?;
    if done == 0 {
        return Err(DbError::NotFound);
    }
    Ok(())
}

/// The SMTP server accepted these emails: marked sent together, in one write per
/// `MOST_BOUND_VALUES` of them, their bodies forgotten (`FORGET_BODIES`). An email no
/// longer pending (erased meanwhile) is left as it is. Returns how many were marked.
#[tracing::instrument(skip_all, fields(emails = ids.len()))]
pub async fn mark_sent(db: &Db, ids: &[String], now: DateTime<Utc>) -> Result<u64, DbError> {
    let mut marked = 0;
    for chunk in ids.chunks(MOST_BOUND_VALUES) {
        let mut statement = sql(format!(
            "UPDATE outbox SET status = 'sent', sent_at = $1, {FORGET_BODIES} \
             WHERE status = 'pending' AND id IN ({})",
            placeholders(2, chunk.len())
        ))
        .bind(now.timestamp());
        for id in chunk {
            statement = statement.bind(id);
        }
        marked += db.execute(statement).await?;
    }
    Ok(marked)
}

/// Delivery gave up after `attempts` failed tries, the last because of `error`.
#[tracing::instrument(skip_all, fields(email = %id, attempts = attempts))]
pub async fn mark_failed(
    db: &Db,
    id: &str,
    attempts: u32,
    error: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    finish(
        db,
        id,
        OutboxStatus::Failed,
        Some(attempts),
        Some(error),
        now,
    )
    .await
}

/// An attempt failed: the email stays pending, to be tried again at `next_attempt_at`.
#[tracing::instrument(skip_all, fields(email = %id, attempts = attempts))]
pub async fn schedule_retry(
    db: &Db,
    id: &str,
    attempts: u32,
    next_attempt_at: DateTime<Utc>,
    error: &str,
) -> Result<(), DbError> {
    let done = db
        .execute(
            sql(
                "UPDATE outbox SET attempts = $2, next_attempt_at = $3, last_error = $4 \
                 WHERE id = $1 AND status = 'pending'",
            )
            .bind(id)
            .bind(i64::from(attempts))
            .bind(next_attempt_at.timestamp())
            .bind(error),
        )
        .await?;
    if done == 0 {
        return Err(DbError::NotFound);
    }
    Ok(())
}
