//! Calendar feeds: what each feed holds, read from storage (`load`), written as iCalendar
//! (`calendar`, `ics`, `timezone`). The HTTP side is `routes::feeds`.

pub mod calendar;
pub mod ics;
pub mod timezone;
mod words;

use app::api::cache::ProgrammeCache;
use app::api::programme::{cached_edition, cached_stage};
use app::db::editions::{self, EditionRecord};
use app::db::registrations::{self, FeedOwner, RegistrationRecord};
use app::db::stages::{self, StageRecord};
use app::db::Db;
use app::domain::registration::{Email, RegistrationStatus};
use app::domain::{Lineup, ProgrammeItem, StageStatus};
use app::error::AppError;
use app::i18n::Locale;
use app::links::{FeedKey, Links};
use calendar::{Feed, FeedEvent, Standing};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// Which feed a request asks for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Every public stage of an edition.
    Edition { edition: String },
    /// The edition's stages in one city (by the city's slug).
    City { edition: String, city: String },
    /// One stage, with its programme items as their own events.
    Stage { edition: String, stage: String },
    /// What one attendee registered for, behind their private token.
    Attendee { token: String },
}

impl Scope {
    /// What a log may say of the feed: its public names, never an attendee's token.
    pub fn loggable(&self) -> String {
        match self {
            Scope::Edition { edition } => edition.clone(),
            Scope::City { edition, city } => format!("{edition}/{city}"),
            Scope::Stage { edition, stage } => format!("{edition}/stages/{stage}"),
            Scope::Attendee { .. } => "attendee".to_owned(),
        }
    }
}

/// A feed ready to serve.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    pub feed: Feed,
    /// For `Content-Disposition`, without the `.ics`.
    pub file_stem: String,
    /// The latest change of anything in the feed; `None` for an empty feed.
    pub last_modified: Option<DateTime<Utc>>,
}

/// What a feed needs besides storage: the public addresses, and the language of public feeds.
pub struct Reader<'a> {
    pub db: &'a Db,
    pub cache: &'a ProgrammeCache,
    pub links: &'a Links,
    pub locale: Locale,
}

impl Reader<'_> {
    /// The feed of `scope`, or `NotFound` for an unknown edition, city, stage or token.
    #[tracing::instrument(skip_all, fields(feed = %scope.loggable()))]
    pub async fn read(&self, scope: &Scope) -> Result<Published, AppError> {
        match scope {
            Scope::Edition { edition } => self.edition(edition, None).await,
            Scope::City { edition, city } => self.edition(edition, Some(city)).await,
            Scope::Stage { edition, stage } => self.stage(edition, stage).await,
            Scope::Attendee { token } => self.attendee(token).await,
        }
    }

    async fn edition(&self, slug: &str, city: Option<&str>) -> Result<Published, AppError> {
        // The stages from the cache first: an unknown edition or city is answered from it,
        // without reading the whole programme.
        let loaded = cached_edition(self.db, self.cache, slug).await?;
        let (edition, all) = &*loaded;
        let chosen: Vec<&StageRecord> = all
            .iter()
            .filter(|record| city.is_none_or(|city| record.stage.city_slug.as_str() == city))
            .collect();
        let Some(first) = chosen.first() else {
            // An edition with no public stage yet still has a (empty) feed; a city without
            // stages does not exist.
            return match city {
                Some(_) => Err(AppError::NotFound),
                None => Ok(self.published(
                    words::edition_feed_name(&edition.edition.name, None),
                    edition,
                    Vec::new(),
                    edition.edition.slug.to_string(),
                )),
            };
        };
        let mut programmes = stages::list_edition_programme(self.db, slug).await?;
        let events = chosen
            .iter()
            .map(|record| {
                let programme = programmes.remove(&record.id).unwrap_or_default();
                self.stage_event(edition, record, &programme, self.locale)
            })
            .collect();
        let (name, stem) = match city {
            Some(city) => (
                words::edition_feed_name(&edition.edition.name, Some(&first.stage.city)),
                format!("{}-{city}", edition.edition.slug),
            ),
            None => (
                words::edition_feed_name(&edition.edition.name, None),
                edition.edition.slug.to_string(),
            ),
        };
        Ok(self.published(name, edition, events, stem))
    }

    async fn stage(&self, edition_slug: &str, stage_slug: &str) -> Result<Published, AppError> {
        let loaded = cached_stage(self.db, self.cache, edition_slug, stage_slug).await?;
        let (edition, record, lineup) = &*loaded;
        let programme: Vec<ProgrammeItem> =
            lineup.programme.iter().map(|s| s.item.clone()).collect();
        let mut events = vec![self.stage_event(edition, record, &programme, self.locale)];
        events.extend(self.item_events(edition, record, lineup));
        let name = words::stage_feed_name(&edition.edition.name, &record.stage.city);
        let stem = format!("{}-{}", edition.edition.slug, record.stage.slug);
        Ok(self.published(name, edition, events, stem))
    }

    async fn attendee(&self, token: &str) -> Result<Published, AppError> {
        let key = self.links.open_feed(token).ok_or(AppError::NotFound)?;
        let email;
        let owner = match &key {
            FeedKey::StoredHash(hash) => FeedOwner::StoredHash(hash),
            FeedKey::Address { email: address, .. } => {
                email = Email::parse(address).map_err(|_| AppError::NotFound)?;
                FeedOwner::Address(&email)
            }
        };
        let records = registrations::list_by_feed_owner(self.db, owner).await?;
        // A sealed address opens its feed only with the nonce one of its salts gives: after a
        // reset, the old link reads the address but matches no salt.
        if let FeedKey::Address { email, nonce } = &key {
            if !records.iter().any(|r| {
                self.links
                    .feed_made_with(nonce, email, r.feed_salt.as_deref())
            }) {
                return Err(AppError::NotFound);
            }
        }
        let Some(latest) = records.last() else {
            return Err(AppError::NotFound);
        };
        let locale = latest.language;
        let mut events = Vec::new();
        let mut editions_by_id: HashMap<String, EditionRecord> = HashMap::new();
        for record in records
            .iter()
            .filter(|r| r.status != RegistrationStatus::Cancelled)
        {
            let Some((edition_id, stage)) =
                stages::find_stage_by_id(self.db, &record.stage_id).await?
            else {
                continue;
            };
            if stage.stage.status == StageStatus::Draft {
                continue;
            }
            let edition = match editions_by_id.get(&edition_id) {
                Some(edition) => edition.clone(),
                None => {
                    let Some(edition) = editions::find_edition_by_id(self.db, &edition_id).await?
                    else {
                        continue;
                    };
                    editions_by_id.insert(edition_id, edition.clone());
                    edition
                }
            };
            let lineup = stages::get_lineup(self.db, &stage.id).await?;
            let programme: Vec<ProgrammeItem> =
                lineup.programme.iter().map(|s| s.item.clone()).collect();
            events.push(self.attendee_event(&edition, &stage, &programme, record, locale));
        }
        // Registrations change too (a seat given, one cancelled and gone from the feed).
        let registrations_changed =
            registrations::latest_change_by_feed_owner(self.db, owner).await?;
        let last_modified = events
            .iter()
            .map(|event| event.last_modified)
            .chain(registrations_changed)
            .max();
        Ok(Published {
            feed: Feed {
                name: words::attendee_feed_name(locale),
                description: String::new(),
                events,
            },
            file_stem: "etape-registrations".into(),
            last_modified,
        })
    }

    fn published(
        &self,
        name: String,
        edition: &EditionRecord,
        events: Vec<FeedEvent>,
        file_stem: String,
    ) -> Published {
        let last_modified = events.iter().map(|event| event.last_modified).max();
        Published {
            feed: Feed {
                name,
                description: edition.edition.theme.clone(),
                events,
            },
            file_stem,
            last_modified,
        }
    }

    /// The stage as one event. Its UID is made of the slugs that name it in its URL: the same
    /// stage has the same UID on any database and after any restart.
    fn stage_event(
        &self,
        edition: &EditionRecord,
        record: &StageRecord,
        programme: &[ProgrammeItem],
        locale: Locale,
    ) -> FeedEvent {
        let stage = &record.stage;
        FeedEvent {
            uid: format!(
                "stage.{}.{}@{}",
                edition.edition.slug,
                stage.slug,
                self.uid_domain()
            ),
            summary: format!("{} — {}", edition.edition.name, stage.city),
            description: words::stage_description(
                locale,
                stage,
                programme,
                &self.stage_url(edition, record),
            ),
            location: location(record),
            geo: stage.coordinates,
            url: self.stage_url(edition, record),
            starts_at: stage.starts_at,
            ends_at: stage.ends_at,
            time_zone: stage.zone(),
            standing: match stage.status {
                StageStatus::Cancelled => Standing::Cancelled,
                _ => Standing::Confirmed,
            },
            sequence: record.sequence,
            last_modified: record.updated_at,
        }
    }

    /// Each programme item as its own event, numbered in programme order.
    fn item_events(
        &self,
        edition: &EditionRecord,
        record: &StageRecord,
        lineup: &Lineup,
    ) -> Vec<FeedEvent> {
        let stage = &record.stage;
        lineup
            .programme
            .iter()
            .enumerate()
            .map(|(number, scheduled)| {
                let item = &scheduled.item;
                let speakers: Vec<&str> = scheduled
                    .speakers
                    .iter()
                    .filter_map(|&i| lineup.speakers.get(i).map(|s| s.name.as_str()))
                    .collect();
                FeedEvent {
                    uid: format!(
                        "item.{}.{}.{}@{}",
                        edition.edition.slug,
                        stage.slug,
                        number + 1,
                        self.uid_domain()
                    ),
                    summary: format!("{} ({})", item.title, stage.city),
                    description: words::item_description(
                        self.locale,
                        item,
                        &speakers,
                        &self.stage_url(edition, record),
                    ),
                    location: location(record),
                    geo: stage.coordinates,
                    url: self.stage_url(edition, record),
                    starts_at: item.starts_at,
                    ends_at: item.starts_at
                        + chrono::Duration::minutes(i64::from(item.duration_minutes)),
                    time_zone: stage.zone(),
                    standing: match stage.status {
                        StageStatus::Cancelled => Standing::Cancelled,
                        _ => Standing::Confirmed,
                    },
                    sequence: record.sequence,
                    last_modified: record.updated_at,
                }
            })
            .collect()
    }

    /// A stage the attendee registered for: marked tentative while they wait for a seat.
    fn attendee_event(
        &self,
        edition: &EditionRecord,
        record: &StageRecord,
        programme: &[ProgrammeItem],
        registration: &RegistrationRecord,
        locale: Locale,
    ) -> FeedEvent {
        let mut event = self.stage_event(edition, record, programme, locale);
        event.uid = format!("registration.{}@{}", registration.id, self.uid_domain());
        if registration.status == RegistrationStatus::Waitlisted {
            event.summary = words::waiting_summary(locale, &event.summary);
            if event.standing == Standing::Confirmed {
                event.standing = Standing::Tentative;
            }
        }
        event.last_modified = event.last_modified.max(registration.created_at);
        event
    }

    fn stage_url(&self, edition: &EditionRecord, record: &StageRecord) -> String {
        self.links
            .stage_url(edition.edition.slug.as_str(), record.stage.slug.as_str())
    }

    /// The site's host name, which makes UIDs globally unique.
    fn uid_domain(&self) -> String {
        let base = self.links.absolute("");
        let host = base
            .split_once("://")
            .map_or(base.as_str(), |(_, rest)| rest)
            .split(['/', ':'])
            .next()
            .unwrap_or_default();
        if host.is_empty() {
            "etape".to_owned()
        } else {
            host.to_owned()
        }
    }
}

fn location(record: &StageRecord) -> String {
    let stage = &record.stage;
    format!(
        "{}, {}, {}",
        stage.venue_name, stage.venue_address, stage.city
    )
}
