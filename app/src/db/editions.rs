//! Editions and their national partners, and loading a whole edition programme at once.

use super::{new_id, sql, to_date, Db, DbError, Tx};
use crate::domain::{Edition, EditionStatus, Lineup, Organisation, Slug, Stage};

/// An edition as stored, with its key.
#[derive(Debug, Clone)]
pub struct EditionRecord {
    pub id: String,
    pub edition: Edition,
}

#[derive(sqlx::FromRow)]
struct EditionRow {
    id: String,
    slug: String,
    name: String,
    number: i64,
    starts_on: String,
    ends_on: String,
    theme: String,
    description: String,
    status: String,
}

#[derive(sqlx::FromRow)]
pub(super) struct OrganisationRow {
    pub owner_id: String,
    pub name: String,
    pub website: Option<String>,
    pub logo_url: Option<String>,
    pub description: Option<String>,
}

impl OrganisationRow {
    pub(super) fn into_organisation(self) -> Organisation {
        Organisation {
            name: self.name,
            website: self.website,
            logo_url: self.logo_url,
            description: self.description,
        }
    }
}

impl EditionRow {
    fn into_record(self, partners: Vec<Organisation>) -> Result<EditionRecord, DbError> {
        let corrupt = |what: &str| DbError::Corrupt(format!("edition {}: {what}", self.id));
        let edition = Edition {
            slug: Slug::parse(&self.slug).map_err(|_| corrupt("slug"))?,
            number: u32::try_from(self.number).map_err(|_| corrupt("number"))?,
            starts_on: to_date(&self.starts_on)?,
            ends_on: to_date(&self.ends_on)?,
            status: EditionStatus::parse(&self.status).ok_or_else(|| corrupt("status"))?,
            name: self.name,
            theme: self.theme,
            description: self.description,
            partners,
        };
        Ok(EditionRecord {
            id: self.id,
            edition,
        })
    }
}

const EDITION_COLUMNS: &str =
    "id, slug, name, number, starts_on, ends_on, theme, description, status";

const PARTNERS_SQL: &str =
    "SELECT p.edition_id AS owner_id, o.name, o.website, o.logo_url, o.description \
     FROM edition_partners p JOIN organisations o ON o.id = p.organisation_id \
     ORDER BY p.edition_id, p.position";

/// Published editions, the most recent first.
pub async fn list_published_editions(db: &Db) -> Result<Vec<EditionRecord>, DbError> {
    let rows: Vec<EditionRow> = db
        .fetch_all(sql(format!(
            "SELECT {EDITION_COLUMNS} FROM editions WHERE status = 'published' ORDER BY starts_on DESC, name"
        )))
        .await?;
    let partners: Vec<OrganisationRow> = db.fetch_all(sql(PARTNERS_SQL)).await?;
    rows.into_iter()
        .map(|row| {
            let own = partners
                .iter()
                .filter(|p| p.owner_id == row.id)
                .map(|p| Organisation {
                    name: p.name.clone(),
                    website: p.website.clone(),
                    logo_url: p.logo_url.clone(),
                    description: p.description.clone(),
                })
                .collect();
            row.into_record(own)
        })
        .collect()
}

/// The edition with this slug, whatever its status.
pub async fn find_edition(db: &Db, slug: &str) -> Result<Option<EditionRecord>, DbError> {
    find_edition_where(db, "slug", slug).await
}

/// The edition with this key, whatever its status.
pub async fn find_edition_by_id(db: &Db, id: &str) -> Result<Option<EditionRecord>, DbError> {
    find_edition_where(db, "id", id).await
}

async fn find_edition_where(
    db: &Db,
    column: &'static str,
    slug: &str,
) -> Result<Option<EditionRecord>, DbError> {
    let partners_sql =
        "SELECT p.edition_id AS owner_id, o.name, o.website, o.logo_url, o.description \
         FROM edition_partners p JOIN organisations o ON o.id = p.organisation_id \
         WHERE p.edition_id = $1 ORDER BY p.position";
    let row: Option<EditionRow> = db
        .fetch_optional(
            sql(format!(
                "SELECT {EDITION_COLUMNS} FROM editions WHERE {column} = $1"
            ))
            .bind(slug),
        )
        .await?;
    let found = match row {
        Some(row) => {
            let partners: Vec<OrganisationRow> =
                db.fetch_all(sql(partners_sql).bind(&row.id)).await?;
            Some((row, partners))
        }
        None => None,
    };
    found
        .map(|(row, partners)| {
            row.into_record(
                partners
                    .into_iter()
                    .map(OrganisationRow::into_organisation)
                    .collect(),
            )
        })
        .transpose()
}

/// The published edition with this slug: what the public may see.
pub async fn find_published_edition(db: &Db, slug: &str) -> Result<Option<EditionRecord>, DbError> {
    Ok(find_edition(db, slug)
        .await?
        .filter(|record| record.edition.status == EditionStatus::Published))
}

/// Finds an organisation by name or creates it; returns its id.
pub(super) async fn ensure_organisation(
    tx: &mut Tx<'_>,
    organisation: &Organisation,
) -> Result<String, DbError> {
    tx.execute(
        sql(
            "INSERT INTO organisations (id, name, website, logo_url, description) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING",
        )
        .bind(new_id())
        .bind(&organisation.name)
        .bind(&organisation.website)
        .bind(&organisation.logo_url)
        .bind(&organisation.description),
    )
    .await?;
    let (id,): (String,) = tx
        .fetch_one(sql("SELECT id FROM organisations WHERE name = $1").bind(&organisation.name))
        .await?;
    Ok(id)
}

/// Names a stage's co-organisers, in order (it has none yet).
pub(super) async fn insert_co_organisers(
    tx: &mut Tx<'_>,
    stage_id: &str,
    co_organisers: &[Organisation],
) -> Result<(), DbError> {
    for (position, organiser) in co_organisers.iter().enumerate() {
        let organisation_id = ensure_organisation(tx, organiser).await?;
        tx.execute(
            sql("INSERT INTO stage_co_organisers (stage_id, organisation_id, position) VALUES ($1, $2, $3)")
                .bind(stage_id)
                .bind(&organisation_id)
                .bind(position as i64),
        )
        .await?;
    }
    Ok(())
}

/// Stores a stage with its co-organisers and line-up; returns its id.
pub(super) async fn insert_stage_with_lineup(
    tx: &mut Tx<'_>,
    edition_id: &str,
    stage: &Stage,
    lineup: &Lineup,
    now: i64,
) -> Result<String, DbError> {
    let stage_id = new_id();
    tx.execute(
        sql("INSERT INTO stages (id, edition_id, slug, city, city_slug, venue_name, venue_address, \
             latitude, longitude, time_zone, starts_at, ends_at, theme, description, capacity, \
             registration_opens_at, registration_closes_at, status, sequence, updated_at, \
             confirm_email_minutes) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
             0, $19, $20)")
        .bind(&stage_id)
        .bind(edition_id)
        .bind(stage.slug.as_str())
        .bind(&stage.city)
        .bind(stage.city_slug.as_str())
        .bind(&stage.venue_name)
        .bind(&stage.venue_address)
        .bind(stage.coordinates.map(|c| c.0))
        .bind(stage.coordinates.map(|c| c.1))
        .bind(&stage.time_zone)
        .bind(stage.starts_at.timestamp())
        .bind(stage.ends_at.timestamp())
        .bind(&stage.theme)
        .bind(&stage.description)
        .bind(i64::from(stage.capacity))
        .bind(stage.registration_opens_at.timestamp())
        .bind(stage.registration_closes_at.timestamp())
        .bind(stage.status.as_str())
        .bind(now)
        .bind(stage.confirm_email_minutes.map(i64::from)),
    )
    .await?;
    insert_co_organisers(tx, &stage_id, &stage.co_organisers).await?;
    insert_lineup(tx, &stage_id, lineup).await?;
    Ok(stage_id)
}

/// Stores a stage's line-up (it has none yet): speakers and projects in order, the programme
/// with its links.
pub(super) async fn insert_lineup(
    tx: &mut Tx<'_>,
    stage_id: &str,
    lineup: &Lineup,
) -> Result<(), DbError> {
    let mut speaker_ids = Vec::with_capacity(lineup.speakers.len());
    for (position, speaker) in lineup.speakers.iter().enumerate() {
        let id = new_id();
        let links =
            serde_json::to_string(&speaker.links).map_err(|e| DbError::Corrupt(e.to_string()))?;
        tx.execute(
            sql("INSERT INTO speakers (id, stage_id, name, title, bio, photo_url, links, position) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(&id)
            .bind(stage_id)
            .bind(&speaker.name)
            .bind(&speaker.title)
            .bind(&speaker.bio)
            .bind(&speaker.photo_url)
            .bind(links)
            .bind(position as i64),
        )
        .await?;
        speaker_ids.push(id);
    }
    let mut project_ids = Vec::with_capacity(lineup.projects.len());
    for (position, project) in lineup.projects.iter().enumerate() {
        let id = new_id();
        let skills = serde_json::to_string(&project.skills_wanted)
            .map_err(|e| DbError::Corrupt(e.to_string()))?;
        tx.execute(
            sql("INSERT INTO projects (id, stage_id, name, holder, pitch, funding_goal_eur, skills_wanted, position, \
                 link, funding_use, skills_use) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
            .bind(&id)
            .bind(stage_id)
            .bind(&project.name)
            .bind(&project.holder)
            .bind(&project.pitch)
            .bind(project.funding_goal_eur.map(i64::from))
            .bind(skills)
            .bind(position as i64)
            .bind(&project.link)
            .bind(&project.funding_use)
            .bind(&project.skills_use),
        )
        .await?;
        project_ids.push(id);
    }
    for scheduled in &lineup.programme {
        let item_id = new_id();
        tx.execute(
            sql("INSERT INTO programme_items (id, stage_id, starts_at, duration_minutes, kind, title) \
                 VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&item_id)
            .bind(stage_id)
            .bind(scheduled.item.starts_at.timestamp())
            .bind(i64::from(scheduled.item.duration_minutes))
            .bind(scheduled.item.kind.as_str())
            .bind(&scheduled.item.title),
        )
        .await?;
        for &i in &scheduled.speakers {
            tx.execute(
                sql("INSERT INTO programme_item_speakers (item_id, speaker_id) VALUES ($1, $2)")
                    .bind(&item_id)
                    .bind(&speaker_ids[i]),
            )
            .await?;
        }
        for &i in &scheduled.projects {
            tx.execute(
                sql("INSERT INTO programme_item_projects (item_id, project_id) VALUES ($1, $2)")
                    .bind(&item_id)
                    .bind(&project_ids[i]),
            )
            .await?;
        }
    }
    Ok(())
}

/// Replaces what an edition says with `edition` (its status stays), partners included, in one
/// transaction. `false` when there is no such edition; `UniqueViolation` when another edition
/// has its address.
pub async fn update_edition(db: &Db, edition_id: &str, edition: &Edition) -> Result<bool, DbError> {
    let mut tx = db.begin_write().await?;
    let updated = tx
        .execute(
            sql(
                "UPDATE editions SET slug = $2, name = $3, number = $4, starts_on = $5, \
                 ends_on = $6, theme = $7, description = $8 WHERE id = $1",
            )
            .bind(edition_id)
            .bind(edition.slug.as_str())
            .bind(&edition.name)
            .bind(i64::from(edition.number))
            .bind(edition.starts_on.to_string())
            .bind(edition.ends_on.to_string())
            .bind(&edition.theme)
            .bind(&edition.description),
        )
        .await?;
    if updated == 0 {
        return Ok(false);
    }
    tx.execute(sql("DELETE FROM edition_partners WHERE edition_id = $1").bind(edition_id))
        .await?;
    for (position, partner) in edition.partners.iter().enumerate() {
        let organisation_id = ensure_organisation(&mut tx, partner).await?;
        tx.execute(
            sql("INSERT INTO edition_partners (edition_id, organisation_id, position) VALUES ($1, $2, $3)")
                .bind(edition_id)
                .bind(&organisation_id)
                .bind(position as i64),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Publishes a draft edition: its page and its published stages become public. `false` when
/// there is no such draft.
pub async fn publish_edition(db: &Db, edition_id: &str) -> Result<bool, DbError> {
    let published = db
        .execute(
            sql("UPDATE editions SET status = 'published' WHERE id = $1 AND status = 'draft'")
                .bind(edition_id),
        )
        .await?;
    Ok(published == 1)
}

/// Stores an edition with all its stages and line-ups in one transaction. Returns `false`, and
/// changes nothing, when an edition with the same slug already exists.
pub async fn insert_edition_programme(
    db: &Db,
    edition: &Edition,
    stages: &[(Stage, Lineup)],
) -> Result<bool, DbError> {
    let edition_id = new_id();
    let created = chrono::Utc::now();
    let now = created.timestamp();
    let mut tx = db.begin_write().await?;
    let inserted = tx
        .execute(
            sql("INSERT INTO editions (id, slug, name, number, starts_on, ends_on, theme, description, status) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (slug) DO NOTHING")
            .bind(&edition_id)
            .bind(edition.slug.as_str())
            .bind(&edition.name)
            .bind(i64::from(edition.number))
            .bind(edition.starts_on.to_string())
            .bind(edition.ends_on.to_string())
            .bind(&edition.theme)
            .bind(&edition.description)
            .bind(edition.status.as_str()),
        )
        .await?;
    if inserted == 0 {
        // Dropping the transaction rolls it back.
        return Ok(false);
    }
    // Every edition is born with its ticket signing key (docs/tickets.md).
    let seed = super::ticket_keys::random_seed()?;
    super::ticket_keys::insert_key(db, &mut tx, &edition_id, seed, created).await?;
    for (position, partner) in edition.partners.iter().enumerate() {
        let organisation_id = ensure_organisation(&mut tx, partner).await?;
        tx.execute(
            sql("INSERT INTO edition_partners (edition_id, organisation_id, position) VALUES ($1, $2, $3)")
                .bind(&edition_id)
                .bind(&organisation_id)
                .bind(position as i64),
        )
        .await?;
    }
    for (stage, lineup) in stages {
        insert_stage_with_lineup(&mut tx, &edition_id, stage, lineup, now).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Whether any edition exists, published or not: the first start loads the demo only when not.
pub async fn any_edition(db: &Db) -> Result<bool, DbError> {
    let found: Option<(String,)> = db
        .fetch_optional(sql("SELECT id FROM editions LIMIT 1"))
        .await?;
    Ok(found.is_some())
}
