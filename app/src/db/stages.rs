//! City stages and their line-ups.

use super::editions::OrganisationRow;
use super::{sql, to_instant, Db, DbError, Fetch};
use crate::domain::{
    Lineup, Organisation, ProgrammeItem, ProgrammeKind, Project, ScheduledItem, Slug, Speaker,
    Stage, StageStatus,
};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

mod edit;
pub use edit::{
    cancel_stage, cancellation_reason, change_lineup, insert_stage, update_stage, ComposeNews,
    LineupChange, StageEdit, StageNews,
};

/// A stage as stored, with its key.
#[derive(Debug, Clone)]
pub struct StageRecord {
    pub id: String,
    pub stage: Stage,
    /// How many times its time, place or status changed (a calendar's SEQUENCE).
    pub sequence: u32,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
pub(super) struct StageRow {
    id: String,
    slug: String,
    city: String,
    city_slug: String,
    venue_name: String,
    venue_address: String,
    latitude: Option<f64>,
    longitude: Option<f64>,
    time_zone: String,
    starts_at: i64,
    ends_at: i64,
    theme: String,
    description: String,
    capacity: i64,
    confirm_email_minutes: Option<i64>,
    registration_opens_at: i64,
    registration_closes_at: i64,
    status: String,
    sequence: i64,
    updated_at: i64,
}

pub(super) const STAGE_COLUMNS: &str =
    "id, slug, city, city_slug, venue_name, venue_address, latitude, \
     longitude, time_zone, starts_at, ends_at, theme, description, capacity, \
     registration_opens_at, registration_closes_at, status, sequence, updated_at, \
     confirm_email_minutes";

impl StageRow {
    pub(super) fn into_record(
        self,
        co_organisers: Vec<Organisation>,
    ) -> Result<StageRecord, DbError> {
        let corrupt = |what: &str| DbError::Corrupt(format!("stage {}: {what}", self.id));
        let stage = Stage {
            slug: Slug::parse(&self.slug).map_err(|_| corrupt("slug"))?,
            city_slug: Slug::parse(&self.city_slug).map_err(|_| corrupt("city slug"))?,
            coordinates: self.latitude.zip(self.longitude),
            starts_at: to_instant(self.starts_at)?,
            ends_at: to_instant(self.ends_at)?,
            capacity: u32::try_from(self.capacity).map_err(|_| corrupt("capacity"))?,
            confirm_email_minutes: self
                .confirm_email_minutes
                .map(|minutes| u32::try_from(minutes).map_err(|_| corrupt("confirmation time")))
                .transpose()?,
            registration_opens_at: to_instant(self.registration_opens_at)?,
            registration_closes_at: to_instant(self.registration_closes_at)?,
            status: StageStatus::parse(&self.status).ok_or_else(|| corrupt("status"))?,
            city: self.city,
            venue_name: self.venue_name,
            venue_address: self.venue_address,
            time_zone: self.time_zone,
            theme: self.theme,
            description: self.description,
            co_organisers,
        };
        let sequence = u32::try_from(self.sequence).map_err(|_| corrupt("sequence"))?;
        Ok(StageRecord {
            id: self.id,
            stage,
            sequence,
            updated_at: to_instant(self.updated_at)?,
        })
    }
}

fn with_co_organisers(
    rows: Vec<StageRow>,
    organisers: Vec<OrganisationRow>,
) -> Result<Vec<StageRecord>, DbError> {
    let mut organisers = organisers;
    rows.into_iter()
        .map(|row| {
            let (own, rest): (Vec<_>, Vec<_>) =
                organisers.drain(..).partition(|o| o.owner_id == row.id);
            organisers = rest;
            row.into_record(
                own.into_iter()
                    .map(OrganisationRow::into_organisation)
                    .collect(),
            )
        })
        .collect()
}

/// The stages of an edition the public may see (published or cancelled), by start time then city.
pub async fn list_public_stages(db: &Db, edition_id: &str) -> Result<Vec<StageRecord>, DbError> {
    let stages_sql = format!(
        "SELECT {STAGE_COLUMNS} FROM stages WHERE edition_id = $1 AND status IN ('published', 'cancelled') \
         ORDER BY starts_at, city"
    );
    let organisers_sql = "SELECT c.stage_id AS owner_id, o.name, o.website, o.logo_url, o.description \
         FROM stage_co_organisers c JOIN organisations o ON o.id = c.organisation_id \
         JOIN stages s ON s.id = c.stage_id WHERE s.edition_id = $1 ORDER BY c.stage_id, c.position";
    let rows: Vec<StageRow> = db.fetch_all(sql(stages_sql).bind(edition_id)).await?;
    let organisers: Vec<OrganisationRow> =
        db.fetch_all(sql(organisers_sql).bind(edition_id)).await?;
    with_co_organisers(rows, organisers)
}

/// A stage of the edition the public may see, by its slug.
pub async fn find_public_stage(
    db: &Db,
    edition_id: &str,
    slug: &str,
) -> Result<Option<StageRecord>, DbError> {
    let stage_sql = format!(
        "SELECT {STAGE_COLUMNS} FROM stages WHERE edition_id = $1 AND slug = $2 \
         AND status IN ('published', 'cancelled')"
    );
    let organisers_sql =
        "SELECT c.stage_id AS owner_id, o.name, o.website, o.logo_url, o.description \
         FROM stage_co_organisers c JOIN organisations o ON o.id = c.organisation_id \
         WHERE c.stage_id = $1 ORDER BY c.position";
    let row: Option<StageRow> = db
        .fetch_optional(sql(stage_sql).bind(edition_id).bind(slug))
        .await?;
    let found = match row {
        Some(row) => {
            let organisers: Vec<OrganisationRow> =
                db.fetch_all(sql(organisers_sql).bind(&row.id)).await?;
            Some((row, organisers))
        }
        None => None,
    };
    match found {
        Some((row, organisers)) => Ok(with_co_organisers(vec![row], organisers)?.pop()),
        None => Ok(None),
    }
}

/// A stage by its key, whatever its status, with the key of its edition.
pub async fn find_stage_by_id(
    db: &Db,
    stage_id: &str,
) -> Result<Option<(String, StageRecord)>, DbError> {
    let stage_sql = format!("SELECT edition_id, {STAGE_COLUMNS} FROM stages WHERE id = $1");
    let organisers_sql =
        "SELECT c.stage_id AS owner_id, o.name, o.website, o.logo_url, o.description \
         FROM stage_co_organisers c JOIN organisations o ON o.id = c.organisation_id \
         WHERE c.stage_id = $1 ORDER BY c.position";
    let row: Option<EditionStageRow> = db.fetch_optional(sql(stage_sql).bind(stage_id)).await?;
    let found = match row {
        Some(row) => {
            let organisers: Vec<OrganisationRow> =
                db.fetch_all(sql(organisers_sql).bind(stage_id)).await?;
            Some((row, organisers))
        }
        None => None,
    };
    match found {
        Some((row, organisers)) => {
            let edition_id = row.edition_id;
            let record = with_co_organisers(vec![row.stage], organisers)?.pop();
            Ok(record.map(|record| (edition_id, record)))
        }
        None => Ok(None),
    }
}

/// The programme items of every stage of an edition (by its slug), by stage key, each in
/// programme order: one query for a whole edition's calendar feed. The database packs the rows
/// into one JSON array: ten thousand rows handed over one by one cost more than the query.
pub async fn list_edition_programme(
    db: &Db,
    edition_slug: &str,
) -> Result<HashMap<String, Vec<ProgrammeItem>>, DbError> {
    let packing_sql = format!(
        "SELECT {} FROM programme_items i JOIN stages s ON s.id = i.stage_id \
         JOIN editions e ON e.id = s.edition_id WHERE e.slug = $1",
        db.engine()
            .json_rows("i.stage_id, i.starts_at, i.duration_minutes, i.kind, i.title")
    );
    let (packed,): (String,) = db.fetch_one(sql(packing_sql).bind(edition_slug)).await?;
    let rows: Vec<(String, i64, i64, String, String)> = serde_json::from_str(&packed)
        .map_err(|error| DbError::Corrupt(format!("programme items: {error}")))?;
    let mut programmes: HashMap<String, Vec<ProgrammeItem>> = HashMap::new();
    for (stage_id, starts_at, duration_minutes, kind, title) in rows {
        let corrupt = |what: String| DbError::Corrupt(format!("programme item: {what}"));
        let item = ProgrammeItem {
            starts_at: to_instant(starts_at)?,
            duration_minutes: u32::try_from(duration_minutes)
                .map_err(|_| corrupt(format!("duration at stage {stage_id}")))?,
            kind: ProgrammeKind::parse(&kind).map_err(|e| corrupt(e.to_string()))?,
            title,
        };
        programmes.entry(stage_id).or_default().push(item);
    }
    for items in programmes.values_mut() {
        // The same order as `get_lineup`, ties included: the same data, the same feed bytes.
        items.sort_by(|a, b| {
            (a.starts_at, a.duration_minutes, a.kind.as_str(), &a.title).cmp(&(
                b.starts_at,
                b.duration_minutes,
                b.kind.as_str(),
                &b.title,
            ))
        });
    }
    Ok(programmes)
}

/// Publishes a draft stage: its page, the feeds and the API show it once its edition is
/// published too. `false` when there is no such draft.
pub async fn publish_stage(db: &Db, stage_id: &str, now: DateTime<Utc>) -> Result<bool, DbError> {
    let published = db
        .execute(
            sql("UPDATE stages SET status = 'published', updated_at = $2 \
                 WHERE id = $1 AND status = 'draft'")
            .bind(stage_id)
            .bind(now.timestamp()),
        )
        .await?;
    Ok(published == 1)
}

#[derive(sqlx::FromRow)]
struct EditionStageRow {
    edition_id: String,
    #[sqlx(flatten)]
    stage: StageRow,
}

#[derive(sqlx::FromRow)]
struct SpeakerRow {
    id: String,
    name: String,
    title: Option<String>,
    bio: Option<String>,
    photo_url: Option<String>,
    links: String,
}

#[derive(sqlx::FromRow)]
struct ProjectRow {
    id: String,
    name: String,
    holder: String,
    pitch: String,
    link: Option<String>,
    funding_goal_eur: Option<i64>,
    funding_use: Option<String>,
    skills_wanted: String,
    skills_use: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    id: String,
    starts_at: i64,
    duration_minutes: i64,
    kind: String,
    title: String,
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    item_id: String,
    other_id: String,
}

/// The line-up of a stage: speakers and projects in their chosen order, the programme by time.
pub async fn get_lineup(db: &Db, stage_id: &str) -> Result<Lineup, DbError> {
    lineup_in(&mut &*db, stage_id).await
}

/// The line-up of a stage, read through the pool or inside a transaction.
pub(crate) async fn lineup_in(db: &mut impl Fetch, stage_id: &str) -> Result<Lineup, DbError> {
    let speakers: Vec<SpeakerRow> = db
        .fetch_rows(
            sql("SELECT id, name, title, bio, photo_url, links FROM speakers WHERE stage_id = $1 ORDER BY position")
                .bind(stage_id),
        )
        .await?;
    let projects: Vec<ProjectRow> = db
        .fetch_rows(
            sql(
                "SELECT id, name, holder, pitch, link, funding_goal_eur, funding_use, skills_wanted, \
                 skills_use FROM projects WHERE stage_id = $1 ORDER BY position",
            )
            .bind(stage_id),
        )
        .await?;
    let items: Vec<ItemRow> = db
        .fetch_rows(
            sql(
                "SELECT id, starts_at, duration_minutes, kind, title FROM programme_items \
                 WHERE stage_id = $1 ORDER BY starts_at, duration_minutes, kind, title",
            )
            .bind(stage_id),
        )
        .await?;
    let item_speakers: Vec<LinkRow> = db
        .fetch_rows(
            sql(
                "SELECT l.item_id, l.speaker_id AS other_id FROM programme_item_speakers l \
                 JOIN programme_items i ON i.id = l.item_id WHERE i.stage_id = $1",
            )
            .bind(stage_id),
        )
        .await?;
    let item_projects: Vec<LinkRow> = db
        .fetch_rows(
            sql(
                "SELECT l.item_id, l.project_id AS other_id FROM programme_item_projects l \
                 JOIN programme_items i ON i.id = l.item_id WHERE i.stage_id = $1",
            )
            .bind(stage_id),
        )
        .await?;
    let corrupt = |what: String| DbError::Corrupt(format!("line-up of stage {stage_id}: {what}"));
    let position_of = |ids: &[String], links: &[LinkRow], item_id: &str| -> Vec<usize> {
        let mut found: Vec<usize> = links
            .iter()
            .filter(|l| l.item_id == item_id)
            .filter_map(|l| ids.iter().position(|id| *id == l.other_id))
            .collect();
        found.sort_unstable();
        found
    };
    let speaker_ids: Vec<String> = speakers.iter().map(|s| s.id.clone()).collect();
    let project_ids: Vec<String> = projects.iter().map(|p| p.id.clone()).collect();
    let programme = items
        .into_iter()
        .map(|row| {
            let item = ProgrammeItem {
                starts_at: to_instant(row.starts_at)?,
                duration_minutes: u32::try_from(row.duration_minutes)
                    .map_err(|_| corrupt(format!("duration of {}", row.id)))?,
                kind: ProgrammeKind::parse(&row.kind).map_err(|e| corrupt(e.to_string()))?,
                title: row.title,
            };
            Ok(ScheduledItem {
                item,
                speakers: position_of(&speaker_ids, &item_speakers, &row.id),
                projects: position_of(&project_ids, &item_projects, &row.id),
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    let speakers = speakers
        .into_iter()
        .map(|row| {
            Ok(Speaker {
                links: serde_json::from_str(&row.links).map_err(|e| corrupt(e.to_string()))?,
                name: row.name,
                title: row.title,
                bio: row.bio,
                photo_url: row.photo_url,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    let projects = projects
        .into_iter()
        .map(|row| {
            Ok(Project {
                skills_wanted: serde_json::from_str(&row.skills_wanted)
                    .map_err(|e| corrupt(e.to_string()))?,
                funding_goal_eur: row
                    .funding_goal_eur
                    .map(u32::try_from)
                    .transpose()
                    .map_err(|_| corrupt("funding goal".into()))?,
                name: row.name,
                holder: row.holder,
                pitch: row.pitch,
                link: row.link,
                funding_use: row.funding_use,
                skills_use: row.skills_use,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    Lineup::new(speakers, projects, programme).map_err(|e| corrupt(e.to_string()))
}
