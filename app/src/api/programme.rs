//! The public programme: editions, their stages and line-ups. Drafts never leave the server.

use super::views::EditionCard;
use super::views::{EditionView, StageView};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::cache::{EditionWithStages, ProgrammeCache, StageWithLineup},
    super::rich_text::RichText,
    super::views::{City, ProgrammeItemView, ProjectView, SpeakerView, StageCard},
    super::views::{FeedLinks, StageCalendar},
    crate::db::{editions, registrations, stages, Db},
    crate::domain::calendar::{
        city_feed_path, edition_feed_path, google_calendar_url, outlook_calendar_url,
        stage_feed_path, CalendarEvent,
    },
    crate::domain::registration::Availability,
    crate::domain::stage::{geo_uri, openstreetmap_url},
    crate::domain::{Edition, Stage, StageStatus},
    crate::links::Links,
    chrono::{NaiveDate, Utc},
    std::sync::Arc,
};

#[server(endpoint = "list_editions")]
pub async fn list_editions() -> Result<Vec<EditionCard>, AppError> {
    super::answered(
        async move {
            let db = super::db()?;
            load_editions(&db, &super::programme_cache(), Utc::now().date_naive()).await
        }
        .await,
    )
}

#[server(endpoint = "get_edition")]
pub async fn get_edition(edition: String) -> Result<EditionView, AppError> {
    super::answered(
        async move {
            let db = super::db()?;
            let links = super::links()?;
            load_edition(
                &db,
                &super::programme_cache(),
                &links,
                &edition,
                Utc::now().date_naive(),
            )
            .await
        }
        .await,
    )
}

#[server(endpoint = "get_stage")]
pub async fn get_stage(edition: String, stage: String) -> Result<StageView, AppError> {
    super::answered(
        async move {
            let db = super::db()?;
            let links = super::links()?;
            load_stage(
                &db,
                &super::programme_cache(),
                &links,
                &edition,
                &stage,
                Utc::now(),
            )
            .await
        }
        .await,
    )
}

/// The published editions, the most recent first, through the cache.
#[cfg(feature = "ssr")]
pub async fn load_editions(
    db: &Db,
    cache: &ProgrammeCache,
    today: NaiveDate,
) -> Result<Vec<EditionCard>, AppError> {
    let records = cache
        .editions
        .get_or_load((), async {
            Ok::<_, AppError>(Some(Arc::new(editions::list_published_editions(db).await?)))
        })
        .await?
        .unwrap_or_default();
    Ok(records
        .iter()
        .map(|r| edition_card(&r.edition, today))
        .collect())
}

/// The published editions' records, the most recent first, through the same cache entry as
/// `load_editions`: what the JSON API builds its answers from.
#[cfg(feature = "ssr")]
pub async fn cached_editions(
    db: &Db,
    cache: &ProgrammeCache,
) -> Result<Arc<Vec<editions::EditionRecord>>, AppError> {
    Ok(cache
        .editions
        .get_or_load((), async {
            Ok::<_, AppError>(Some(Arc::new(editions::list_published_editions(db).await?)))
        })
        .await?
        .unwrap_or_default())
}

/// A published edition with its public stages, through the cache.
#[cfg(feature = "ssr")]
pub async fn cached_edition(
    db: &Db,
    cache: &ProgrammeCache,
    slug: &str,
) -> Result<EditionWithStages, AppError> {
    // Published editions are few and cached together: an unknown slug is answered from them.
    let published = cached_editions(db, cache).await?;
    if !published.iter().any(|e| e.edition.slug.as_str() == slug) {
        return Err(AppError::NotFound);
    }
    cache
        .edition
        .get_or_load(slug.to_owned(), async {
            let Some(record) = editions::find_published_edition(db, slug).await? else {
                return Ok::<_, AppError>(None);
            };
            let stages = stages::list_public_stages(db, &record.id).await?;
            Ok(Some(Arc::new((record, stages))))
        })
        .await?
        .ok_or(AppError::NotFound)
}

/// A stage's seat counts, read at most once per `cache::TTL` however many ask.
#[cfg(feature = "ssr")]
async fn cached_stage_counts(
    db: &Db,
    cache: &ProgrammeCache,
    stage_id: &str,
) -> Result<registrations::Counts, crate::db::DbError> {
    let counts = cache
        .stage_counts
        .get_or_load(stage_id.to_owned(), async {
            registrations::counts(db, stage_id).await.map(Some)
        })
        .await?;
    Ok(counts.unwrap_or_default())
}

/// An edition's seat counts by stage, read at most once per `cache::TTL`.
#[cfg(feature = "ssr")]
async fn cached_edition_counts(
    db: &Db,
    cache: &ProgrammeCache,
    edition_id: &str,
) -> Result<Arc<std::collections::HashMap<String, registrations::Counts>>, crate::db::DbError> {
    let counts = cache
        .edition_counts
        .get_or_load(edition_id.to_owned(), async {
            registrations::counts_by_stage(db, edition_id)
                .await
                .map(|counts| Some(Arc::new(counts)))
        })
        .await?;
    Ok(counts.unwrap_or_default())
}

#[cfg(feature = "ssr")]
pub async fn load_edition(
    db: &Db,
    cache: &ProgrammeCache,
    links: &Links,
    slug: &str,
    today: NaiveDate,
) -> Result<EditionView, AppError> {
    let loaded = cached_edition(db, cache, slug).await?;
    let (record, stage_records) = &*loaded;
    // Counted at most once per second, like the page cache's pages: seats change with every
    // registration, and a page with a new query string passes the page cache.
    let counts = cached_edition_counts(db, cache, &record.id)
        .await
        .unwrap_or_else(|error| {
            // The programme is still worth showing; the cards then say only "open".
            tracing::error!(%error, "could not count an edition's registrations");
            Default::default()
        });
    let now = Utc::now();
    let stages: Vec<StageCard> = stage_records
        .iter()
        .map(|r| {
            stage_card(
                &r.stage,
                counts.get(&r.id).copied().unwrap_or_default(),
                now,
            )
        })
        .collect();
    let mut cities: Vec<City> = Vec::new();
    for stage in &stages {
        if !cities.iter().any(|c| c.slug == stage.city_slug) {
            cities.push(City {
                feed: feed_links(links, &city_feed_path(slug, &stage.city_slug)),
                slug: stage.city_slug.clone(),
                name: stage.city.clone(),
            });
        }
    }
    cities.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(EditionView {
        card: edition_card(&record.edition, today),
        description: RichText::render(&record.edition.description),
        partners: record.edition.partners.clone(),
        stages,
        cities,
        page_url: links.absolute(&crate::paths::edition(slug)),
        feed: feed_links(links, &edition_feed_path(slug)),
    })
}

#[cfg(feature = "ssr")]
pub async fn load_stage(
    db: &Db,
    cache: &ProgrammeCache,
    links: &Links,
    edition_slug: &str,
    stage_slug: &str,
    now: chrono::DateTime<Utc>,
) -> Result<StageView, AppError> {
    let loaded = cached_stage(db, cache, edition_slug, stage_slug).await?;
    let (edition, record, lineup) = &*loaded;
    let counts = cached_stage_counts(db, cache, &record.id)
        .await
        .unwrap_or_else(|error| {
            // The page, and the form with what was typed, still show; the seats go unsaid.
            tracing::error!(%error, "could not count a stage's registrations");
            Default::default()
        });
    Ok(stage_view(links, edition, record, lineup, counts, now))
}

/// The stage page's data for a stage as stored, public or not: the page itself, and the
/// organisers' preview of a draft.
#[cfg(feature = "ssr")]
pub fn stage_view(
    links: &Links,
    edition: &editions::EditionRecord,
    record: &stages::StageRecord,
    lineup: &crate::domain::Lineup,
    counts: registrations::Counts,
    now: chrono::DateTime<Utc>,
) -> StageView {
    let stage = &record.stage;
    let zone = stage.zone();
    let programme = lineup
        .programme
        .iter()
        .map(|scheduled| ProgrammeItemView {
            starts: scheduled.item.starts_at.with_timezone(&zone).naive_local(),
            ends: scheduled.item.ends_at().with_timezone(&zone).naive_local(),
            kind: scheduled.item.kind,
            title: scheduled.item.title.clone(),
            speakers: scheduled
                .speakers
                .iter()
                .map(|&i| lineup.speakers[i].name.clone())
                .collect(),
            projects: scheduled
                .projects
                .iter()
                .map(|&i| lineup.projects[i].name.clone())
                .collect(),
        })
        .collect();
    StageView {
        edition: edition_card(&edition.edition, now.date_naive()),
        card: stage_card(stage, counts, now),
        venue_address: stage.venue_address.clone(),
        page_url: links.stage_url(edition.edition.slug.as_str(), stage.slug.as_str()),
        map_url: openstreetmap_url(
            stage.coordinates,
            &format!("{}, {}", stage.venue_address, stage.city),
        ),
        geo_url: geo_uri(stage.coordinates, &stage.venue_name),
        description: RichText::render(&stage.description),
        capacity: stage.capacity,
        registration_open: stage.registration_is_open(now),
        registration_refused: crate::domain::registration::admit(stage, 0, now).err(),
        registration_opens: stage
            .registration_opens_at
            .with_timezone(&zone)
            .naive_local(),
        co_organisers: stage.co_organisers.clone(),
        programme,
        speakers: lineup
            .speakers
            .iter()
            .map(|speaker| SpeakerView {
                name: speaker.name.clone(),
                title: speaker.title.clone(),
                bio: RichText::render(speaker.bio.as_deref().unwrap_or_default()),
                links: speaker.links.clone(),
            })
            .collect(),
        projects: lineup
            .projects
            .iter()
            .map(|project| ProjectView {
                name: project.name.clone(),
                holder: project.holder.clone(),
                pitch: RichText::render(&project.pitch),
                link: project.link.clone(),
                funding_goal_eur: project.funding_goal_eur,
                funding_use: project.funding_use.clone(),
                skills_wanted: project.skills_wanted.clone(),
                skills_use: project.skills_use.clone(),
            })
            .collect(),
        calendar: stage_calendar(links, &edition.edition, stage),
    }
}

/// A feed's subscription and download addresses.
#[cfg(feature = "ssr")]
pub fn feed_links(links: &Links, path: &str) -> FeedLinks {
    let subscribe = links.webcal(path);
    FeedLinks {
        google_subscribe: format!(
            "https://calendar.google.com/calendar/r?cid={}",
            crate::domain::stage::percent_encode(&subscribe)
        ),
        subscribe,
        download: path.to_owned(),
        address: links.absolute(path),
    }
}

/// The feed of a stage, and one-click links that add it to Google Calendar or Outlook.
#[cfg(feature = "ssr")]
pub fn stage_calendar(links: &Links, edition: &Edition, stage: &Stage) -> StageCalendar {
    let title = format!("{} — {}", edition.name, stage.city);
    let location = format!(
        "{}, {}, {}",
        stage.venue_name, stage.venue_address, stage.city
    );
    let page = links.stage_url(edition.slug.as_str(), stage.slug.as_str());
    let details = format!("{}\n{page}", stage.theme);
    let event = CalendarEvent {
        title: &title,
        starts_at: stage.starts_at,
        ends_at: stage.ends_at,
        details: &details,
        location: &location,
    };
    StageCalendar {
        feed: feed_links(
            links,
            &stage_feed_path(edition.slug.as_str(), stage.slug.as_str()),
        ),
        google: google_calendar_url(&event),
        outlook: outlook_calendar_url(&event),
    }
}

/// A published (or cancelled) stage with its edition and line-up, through the cache.
#[cfg(feature = "ssr")]
pub async fn cached_stage(
    db: &Db,
    cache: &ProgrammeCache,
    edition_slug: &str,
    stage_slug: &str,
) -> Result<StageWithLineup, AppError> {
    // The edition's public stages are cached: an unknown stage is answered from them.
    let edition = cached_edition(db, cache, edition_slug).await?;
    if !edition
        .1
        .iter()
        .any(|r| r.stage.slug.as_str() == stage_slug)
    {
        return Err(AppError::NotFound);
    }
    let key = (edition_slug.to_owned(), stage_slug.to_owned());
    cache
        .stage
        .get_or_load(key, async {
            let Some(edition) = editions::find_published_edition(db, edition_slug).await? else {
                return Ok::<_, AppError>(None);
            };
            let Some(record) = stages::find_public_stage(db, &edition.id, stage_slug).await? else {
                return Ok(None);
            };
            let lineup = stages::get_lineup(db, &record.id).await?;
            Ok(Some(Arc::new((edition, record, lineup))))
        })
        .await?
        .ok_or(AppError::NotFound)
}

/// A public stage's seats right now: what the JSON API reports beside the stage.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageSeats {
    pub capacity: u32,
    pub confirmed: u32,
    pub waitlisted: u32,
    pub registration_opens_at: chrono::DateTime<Utc>,
    pub registration_closes_at: chrono::DateTime<Utc>,
}

/// The seats of a public stage: the stage and its counts through the cache, the counts at most
/// `cache::TTL` behind.
#[cfg(feature = "ssr")]
pub async fn load_stage_seats(
    db: &Db,
    cache: &ProgrammeCache,
    edition_slug: &str,
    stage_slug: &str,
) -> Result<StageSeats, AppError> {
    let loaded = cached_stage(db, cache, edition_slug, stage_slug).await?;
    let (_, record, _) = &*loaded;
    let counts = cached_stage_counts(db, cache, &record.id).await?;
    Ok(StageSeats {
        capacity: record.stage.capacity,
        confirmed: counts.confirmed,
        waitlisted: counts.waitlisted,
        registration_opens_at: record.stage.registration_opens_at,
        registration_closes_at: record.stage.registration_closes_at,
    })
}

#[cfg(feature = "ssr")]
fn edition_card(edition: &Edition, today: NaiveDate) -> EditionCard {
    EditionCard {
        slug: edition.slug.to_string(),
        name: edition.name.clone(),
        number: edition.number,
        starts_on: edition.starts_on,
        ends_on: edition.ends_on,
        theme: edition.theme.clone(),
        phase: edition.phase(today),
    }
}

#[cfg(feature = "ssr")]
fn stage_card(
    stage: &Stage,
    counts: registrations::Counts,
    now: chrono::DateTime<Utc>,
) -> StageCard {
    let zone = stage.zone();
    let availability = Availability::of(stage, counts.confirmed, counts.waitlisted, now);
    StageCard {
        slug: stage.slug.to_string(),
        city: stage.city.clone(),
        city_slug: stage.city_slug.to_string(),
        venue_name: stage.venue_name.clone(),
        starts: stage.starts_at.with_timezone(&zone).naive_local(),
        ends: stage.ends_at.with_timezone(&zone).naive_local(),
        time_zone: stage.time_zone.clone(),
        theme: stage.theme.clone(),
        cancelled: stage.status == StageStatus::Cancelled,
        availability,
        registration_opens: stage
            .registration_opens_at
            .with_timezone(&zone)
            .naive_local(),
    }
}
