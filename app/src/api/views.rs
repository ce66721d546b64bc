//! What the pages receive: plain data, already in the stage's local time, no rules.

use super::rich_text::RichText;
use crate::domain::edition::Phase;
use crate::domain::registration::Availability;
use crate::domain::{Organisation, ProgrammeKind, SpeakerLink};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditionCard {
    pub slug: String,
    pub name: String,
    pub number: u32,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub theme: String,
    pub phase: Phase,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageCard {
    pub slug: String,
    pub city: String,
    pub city_slug: String,
    pub venue_name: String,
    /// Wall-clock times in `time_zone`.
    pub starts: NaiveDateTime,
    pub ends: NaiveDateTime,
    pub time_zone: String,
    pub theme: String,
    pub cancelled: bool,
    /// Where registrations stand right now (seats left, waiting list, closed).
    pub availability: Availability,
    /// When registrations open, on the stage's clock.
    pub registration_opens: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct City {
    pub slug: String,
    pub name: String,
    /// The city's stages of the edition, as a calendar feed.
    pub feed: FeedLinks,
}

/// A calendar feed: the `webcal://` address calendar apps subscribe to, and the `.ics` file to
/// download once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedLinks {
    pub subscribe: String,
    pub download: String,
    /// The same feed's `https` address, for apps that do not take `webcal://` (most of
    /// Android's): to paste into them.
    pub address: String,
    /// Google Calendar's page that subscribes to the feed: Android's way in.
    pub google_subscribe: String,
}

/// The ways to put one stage in a calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageCalendar {
    pub feed: FeedLinks,
    pub google: String,
    pub outlook: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditionView {
    pub card: EditionCard,
    pub description: RichText,
    pub partners: Vec<Organisation>,
    pub stages: Vec<StageCard>,
    /// The page's absolute address, for link previews (Open Graph).
    pub page_url: String,
    /// Cities with at least one public stage, by name.
    pub cities: Vec<City>,
    pub feed: FeedLinks,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgrammeItemView {
    pub starts: NaiveDateTime,
    pub ends: NaiveDateTime,
    pub kind: ProgrammeKind,
    pub title: String,
    pub speakers: Vec<String>,
    pub projects: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageView {
    pub edition: EditionCard,
    pub card: StageCard,
    pub venue_address: String,
    /// The page's absolute address, for link previews (Open Graph).
    pub page_url: String,
    pub map_url: String,
    /// The venue for the phone's own maps app (`geo:`).
    pub geo_url: String,
    pub description: RichText,
    pub capacity: u32,
    pub registration_open: bool,
    /// Why registering is not possible now, when it is not.
    pub registration_refused: Option<crate::domain::registration::RegistrationRefused>,
    /// When registrations open, on the stage's clock (for "not yet open").
    pub registration_opens: NaiveDateTime,
    pub co_organisers: Vec<Organisation>,
    pub programme: Vec<ProgrammeItemView>,
    pub speakers: Vec<SpeakerView>,
    pub projects: Vec<ProjectView>,
    pub calendar: StageCalendar,
}

/// A speaker as the stage page shows them; the bio rendered from Markdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeakerView {
    pub name: String,
    pub title: Option<String>,
    pub bio: RichText,
    pub links: Vec<SpeakerLink>,
}

/// A project as the stage page shows it; the pitch rendered from Markdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectView {
    pub name: String,
    pub holder: String,
    pub pitch: RichText,
    pub link: Option<String>,
    pub funding_goal_eur: Option<u32>,
    pub funding_use: Option<String>,
    pub skills_wanted: Vec<String>,
    pub skills_use: Option<String>,
}
