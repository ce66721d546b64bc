//! Door links: made for one stage with a label, found by the hash of their secret, revoked for
//! good. The secret itself is never stored.

use super::{new_id, sql, to_instant, Db, DbError};
use crate::domain::StageStatus;
use chrono::{DateTime, Utc};

/// A door link as the stage's list shows it (never the secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoorRecord {
    pub id: String,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// The door a valid secret opens: its stage and edition, which the check-ins need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Door {
    pub id: String,
    pub label: String,
    pub stage_id: String,
    pub edition_id: String,
    pub stage_status: StageStatus,
}

/// Stores a door link for the stage; `None` when an open link of the stage has that label.
pub async fn create(
    db: &Db,
    stage_id: &str,
    label: &str,
    secret_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, DbError> {
    let id = new_id();
    let stored = db
        .execute(
            sql(
                "INSERT INTO door_links (id, stage_id, label, secret_hash, created_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&id)
            .bind(stage_id)
            .bind(label)
            .bind(secret_hash)
            .bind(now.timestamp()),
        )
        .await;
    match stored {
        Ok(_) => Ok(Some(id)),
        Err(DbError::UniqueViolation) => Ok(None),
        Err(other) => Err(other),
    }
}

/// The stage's door links, open and revoked, oldest first.
pub async fn list(db: &Db, stage_id: &str) -> Result<Vec<DoorRecord>, DbError> {
    let rows: Vec<(String, String, i64, Option<i64>)> = db
        .fetch_all(
            sql(
                "SELECT id, label, created_at, revoked_at FROM door_links WHERE stage_id = $1 \
                 ORDER BY created_at, id",
            )
            .bind(stage_id),
        )
        .await?;
    rows.into_iter()
        .map(|(id, label, created_at, revoked_at)| {
            Ok(DoorRecord {
                id,
                label,
                created_at: to_instant(created_at)?,
                revoked_at: revoked_at.map(to_instant).transpose()?,
            })
        })
        .collect()
}

/// Revokes the stage's open link with this label; `false` when there is none.
pub async fn revoke(
    db: &Db,
    stage_id: &str,
    label: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let changed = db
        .execute(
            sql("UPDATE door_links SET revoked_at = $3 \
                 WHERE stage_id = $1 AND label = $2 AND revoked_at IS NULL")
            .bind(stage_id)
            .bind(label)
            .bind(now.timestamp()),
        )
        .await?;
    Ok(changed > 0)
}

/// The open door whose secret has this hash.
pub async fn find_open(db: &Db, secret_hash: &str) -> Result<Option<Door>, DbError> {
    let row: Option<(String, String, String, String, String)> = db
        .fetch_optional(
            sql(
                "SELECT d.id, d.label, d.stage_id, s.edition_id, s.status FROM door_links d \
                 JOIN stages s ON s.id = d.stage_id \
                 WHERE d.secret_hash = $1 AND d.revoked_at IS NULL",
            )
            .bind(secret_hash),
        )
        .await?;
    row.map(|(id, label, stage_id, edition_id, status)| {
        Ok(Door {
            id,
            label,
            stage_id,
            edition_id,
            stage_status: StageStatus::parse(&status)
                .ok_or_else(|| DbError::Corrupt(format!("stage status {status}")))?,
        })
    })
    .transpose()
}
