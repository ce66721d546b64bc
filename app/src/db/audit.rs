//! The audit log: what was done with people's data, when and by whom. Only ever added to; an
//! entry is written by the transaction of what it records (an erasure, a purge), so that one
//! never happens unrecorded. It names a person by a keyed hash of their address
//! (`Links::person_reference`), never by the address.

use super::{new_id, sql, to_instant, Db, DbError, Statement};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// What an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Action {
    /// Everything stored about a person was printed (`etape person export`).
    #[serde(rename = "person.export")]
    PersonExport,
    /// Everything stored about a person was erased (`etape person erase`).
    #[serde(rename = "person.erase")]
    PersonErase,
    /// Registrations past the retention time became anonymous counts (`etape purge`, daily).
    #[serde(rename = "purge")]
    Purge,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::PersonExport => "person.export",
            Action::PersonErase => "person.erase",
            Action::Purge => "purge",
        }
    }
}

/// Who did it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// An operator, through an `etape` command.
    CommandLine,
    /// The server, by itself (the daily purge).
    Server,
}

impl Actor {
    fn as_str(&self) -> &'static str {
        match self {
            Actor::CommandLine => "command line",
            Actor::Server => "server",
        }
    }
}

/// One entry to write.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub at: DateTime<Utc>,
    pub actor: Actor,
    pub action: Action,
    /// The person concerned (`Links::person_reference`), if one is.
    pub subject: Option<&'a str>,
    /// Counts of what was done, as a JSON object.
    pub details: serde_json::Value,
}

/// One entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recorded {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub subject: Option<String>,
    pub details: serde_json::Value,
}

#[derive(sqlx::FromRow)]
struct Row {
    at: i64,
    actor: String,
    action: String,
    subject: Option<String>,
    details: String,
}

/// The statement that writes `entry`: run it in the transaction of what it records.
pub(crate) fn insert_entry<'a>(entry: &Entry<'a>) -> Statement<'a> {
    sql(
        "INSERT INTO audit_log (id, at, actor, action, subject, details) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_id())
    .bind(entry.at.timestamp())
    .bind(entry.actor.as_str())
    .bind(entry.action.as_str())
    .bind(entry.subject)
    .bind(entry.details.to_string())
}

/// Writes `entry` alone (for what changes nothing, like an export).
pub async fn record(db: &Db, entry: &Entry<'_>) -> Result<(), DbError> {
    db.execute(insert_entry(entry)).await?;
    Ok(())
}

/// The newest entries first, at most `limit`; only those about `subject` when given.
pub async fn list(db: &Db, subject: Option<&str>, limit: u32) -> Result<Vec<Recorded>, DbError> {
    let filter = match subject {
        Some(_) => "WHERE subject = $2",
        None => "",
    };
    let mut statement = sql(format!(
        "SELECT at, actor, action, subject, details FROM audit_log {filter} \
         ORDER BY at DESC, id DESC LIMIT $1"
    ))
    .bind(i64::from(limit));
    if let Some(subject) = subject {
        statement = statement.bind(subject);
    }
    let rows: Vec<Row> = db.fetch_all(statement).await?;
    rows.into_iter()
        .map(|row| {
            Ok(Recorded {
                at: to_instant(row.at)?,
                details: serde_json::from_str(&row.details)
                    .map_err(|_| DbError::Corrupt(format!("audit details: {}", row.details)))?,
                actor: row.actor,
                action: row.action,
                subject: row.subject,
            })
        })
        .collect()
}
