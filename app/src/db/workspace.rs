//! What the organiser workspace lists: editions whatever their status, and an edition's
//! stages with their registration counts, in one query each.

use super::{sql, to_date, to_instant, Db, DbError};
use crate::domain::{EditionStatus, StageStatus};
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditionSummary {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub status: EditionStatus,
}

/// Every edition, drafts included, the most recent first. Callers keep those within reach.
pub async fn editions(db: &Db) -> Result<Vec<EditionSummary>, DbError> {
    let rows: Vec<(String, String, String, String, String, String)> = db
        .fetch_all(sql(
            "SELECT id, slug, name, starts_on, ends_on, status FROM editions \
             ORDER BY starts_on DESC, name",
        ))
        .await?;
    rows.into_iter()
        .map(|(id, slug, name, starts_on, ends_on, status)| {
            Ok(EditionSummary {
                status: EditionStatus::parse(&status)
                    .ok_or_else(|| DbError::Corrupt(format!("edition {id}: status")))?,
                starts_on: to_date(&starts_on)?,
                ends_on: to_date(&ends_on)?,
                id,
                slug,
                name,
            })
        })
        .collect()
}

/// A stage as the workspace lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageSummary {
    pub id: String,
    pub slug: String,
    pub city: String,
    pub status: StageStatus,
    pub starts_at: DateTime<Utc>,
    pub time_zone: String,
    pub capacity: u32,
    pub confirmed: u32,
    pub waiting: u32,
    /// Seats and places among those that are only held until their address is confirmed.
    pub held: u32,
}

#[derive(sqlx::FromRow)]
struct StageSummaryRow {
    id: String,
    slug: String,
    city: String,
    status: String,
    starts_at: i64,
    time_zone: String,
    capacity: i64,
    confirmed: i64,
    waiting: i64,
    held: i64,
}

/// Every stage of an edition, drafts and cancelled ones included, in the order of the week,
/// with how many hold a seat, how many wait, and how many of those are only held.
pub async fn stages(db: &Db, edition_id: &str) -> Result<Vec<StageSummary>, DbError> {
    let rows: Vec<StageSummaryRow> = db
        .fetch_all(
            sql(
                "SELECT s.id, s.slug, s.city, s.status, s.starts_at, s.time_zone, s.capacity, \
                 CAST(COALESCE(SUM(CASE WHEN r.status = 'confirmed' THEN 1 ELSE 0 END), 0) AS BIGINT) AS confirmed, \
                 CAST(COALESCE(SUM(CASE WHEN r.status = 'waitlisted' THEN 1 ELSE 0 END), 0) AS BIGINT) AS waiting, \
                 CAST(COALESCE(SUM(CASE WHEN r.status <> 'cancelled' AND r.confirm_by IS NOT NULL \
                      THEN 1 ELSE 0 END), 0) AS BIGINT) AS held \
                 FROM stages s LEFT JOIN registrations r ON r.stage_id = s.id \
                 WHERE s.edition_id = $1 \
                 GROUP BY s.id, s.slug, s.city, s.status, s.starts_at, s.time_zone, s.capacity \
                 ORDER BY s.starts_at, s.city",
            )
            .bind(edition_id),
        )
        .await?;
    rows.into_iter()
        .map(|row| {
            let corrupt = |what: &str| DbError::Corrupt(format!("stage {}: {what}", row.id));
            Ok(StageSummary {
                status: StageStatus::parse(&row.status).ok_or_else(|| corrupt("status"))?,
                starts_at: to_instant(row.starts_at)?,
                capacity: u32::try_from(row.capacity).map_err(|_| corrupt("capacity"))?,
                confirmed: u32::try_from(row.confirmed).map_err(|_| corrupt("count"))?,
                waiting: u32::try_from(row.waiting).map_err(|_| corrupt("count"))?,
                held: u32::try_from(row.held).map_err(|_| corrupt("count"))?,
                id: row.id,
                slug: row.slug,
                city: row.city,
                time_zone: row.time_zone,
            })
        })
        .collect()
}

/// The id of the stage `slug` of an edition, whatever its status.
pub async fn stage_id(db: &Db, edition_id: &str, slug: &str) -> Result<Option<String>, DbError> {
    let row: Option<(String,)> = db
        .fetch_optional(
            sql("SELECT id FROM stages WHERE edition_id = $1 AND slug = $2")
                .bind(edition_id)
                .bind(slug),
        )
        .await?;
    Ok(row.map(|(id,)| id))
}
