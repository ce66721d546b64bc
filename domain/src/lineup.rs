//! A stage's line-up: speakers, pitched projects and the programme that ties them together.

use super::stage::Stage;
use super::text::{self, TextError};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineupError {
    #[error("name: {0}")]
    Name(TextError),
    #[error("holder: {0}")]
    Holder(TextError),
    #[error("title: {0}")]
    Title(TextError),
    #[error("biography: {0}")]
    Bio(TextError),
    #[error("photo: {0}")]
    Photo(TextError),
    #[error("link « {label} »: {error}")]
    Link { label: String, error: TextError },
    #[error("pitch: {0}")]
    Pitch(TextError),
    #[error("a project must say what it needs: a funding goal, skills, or both")]
    NoNeed,
    #[error("the funding goal must be more than 0 €")]
    FundingGoal,
    #[error("skill: {0}")]
    Skill(TextError),
    #[error("project link: {0}")]
    ProjectLink(TextError),
    #[error("what the funding is for: {0}")]
    FundingUse(TextError),
    #[error("what the skills are for: {0}")]
    SkillsUse(TextError),
    #[error("say what the funding is for only with a funding goal")]
    FundingUseWithoutGoal,
    #[error("say what the skills are for only with the skills wanted")]
    SkillsUseWithoutSkills,
    #[error("« {0} » is not a kind of programme item")]
    Kind(String),
    #[error("« {0} » links to a speaker or project that is not in the line-up")]
    UnknownLink(String),
    #[error("a programme item lasts between 1 minute and 12 hours")]
    Duration,
    #[error("the item must start and end within the stage's hours")]
    OutsideStage,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpeakerLink {
    pub label: String,
    pub url: String,
}

#[derive(Debug, Clone, Default)]
pub struct NewSpeaker<'a> {
    pub name: &'a str,
    pub title: &'a str,
    pub bio: &'a str,
    pub photo_url: Option<&'a str>,
    pub links: Vec<(&'a str, &'a str)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Speaker {
    pub name: String,
    pub title: Option<String>,
    pub bio: Option<String>,
    pub photo_url: Option<String>,
    pub links: Vec<SpeakerLink>,
}

impl Speaker {
    pub fn parse(new: NewSpeaker<'_>) -> Result<Self, LineupError> {
        let links = new
            .links
            .into_iter()
            .map(|(label, url)| {
                let label = text::required(label, 60).map_err(|error| LineupError::Link {
                    label: label.to_owned(),
                    error,
                })?;
                let url = text::url(url).map_err(|error| LineupError::Link {
                    label: label.clone(),
                    error,
                })?;
                Ok(SpeakerLink { label, url })
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            name: text::required(new.name, 120).map_err(LineupError::Name)?,
            title: text::optional(Some(new.title), 160).map_err(LineupError::Title)?,
            bio: text::optional(Some(new.bio), 1000).map_err(LineupError::Bio)?,
            photo_url: text::optional_url(new.photo_url).map_err(LineupError::Photo)?,
            links,
        })
    }
}

#[derive(Debug, Clone, Default)]
pub struct NewProject<'a> {
    pub name: &'a str,
    pub holder: &'a str,
    pub pitch: &'a str,
    pub link: Option<&'a str>,
    pub funding_goal_eur: Option<i64>,
    /// What the money would pay for.
    pub funding_use: Option<&'a str>,
    pub skills_wanted: Vec<&'a str>,
    /// What the skilled volunteers would do.
    pub skills_use: Option<&'a str>,
}

/// A project pitched on stage, and what its holder asks the audience for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    pub name: String,
    /// The organisation carrying the project.
    pub holder: String,
    pub pitch: String,
    /// The project's own site.
    #[serde(default)]
    pub link: Option<String>,
    pub funding_goal_eur: Option<u32>,
    /// What the money would pay for.
    #[serde(default)]
    pub funding_use: Option<String>,
    pub skills_wanted: Vec<String>,
    /// What the skilled volunteers would do.
    #[serde(default)]
    pub skills_use: Option<String>,
}

impl Project {
    pub fn parse(new: NewProject<'_>) -> Result<Self, LineupError> {
        let funding_goal_eur = match new.funding_goal_eur {
            None => None,
            Some(goal) => Some(
                u32::try_from(goal)
                    .ok()
                    .filter(|g| *g > 0)
                    .ok_or(LineupError::FundingGoal)?,
            ),
        };
        let skills_wanted: Vec<String> = new
            .skills_wanted
            .into_iter()
            .map(|s| text::required(s, 80).map_err(LineupError::Skill))
            .collect::<Result<_, _>>()?;
        if funding_goal_eur.is_none() && skills_wanted.is_empty() {
            return Err(LineupError::NoNeed);
        }
        let funding_use = text::optional(new.funding_use, 500).map_err(LineupError::FundingUse)?;
        if funding_use.is_some() && funding_goal_eur.is_none() {
            return Err(LineupError::FundingUseWithoutGoal);
        }
        let skills_use = text::optional(new.skills_use, 500).map_err(LineupError::SkillsUse)?;
        if skills_use.is_some() && skills_wanted.is_empty() {
            return Err(LineupError::SkillsUseWithoutSkills);
        }
        Ok(Self {
            name: text::required(new.name, 120).map_err(LineupError::Name)?,
            holder: text::required(new.holder, 120).map_err(LineupError::Holder)?,
            pitch: text::required(new.pitch, 1000).map_err(LineupError::Pitch)?,
            link: text::optional_url(new.link).map_err(LineupError::ProjectLink)?,
            funding_goal_eur,
            funding_use,
            skills_wanted,
            skills_use,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProgrammeKind {
    Keynote,
    Pitch,
    Talk,
    Panel,
    Networking,
    Break,
}

impl ProgrammeKind {
    pub const ALL: [Self; 6] = [
        Self::Keynote,
        Self::Pitch,
        Self::Talk,
        Self::Panel,
        Self::Networking,
        Self::Break,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Keynote => "keynote",
            Self::Pitch => "pitch",
            Self::Talk => "talk",
            Self::Panel => "panel",
            Self::Networking => "networking",
            Self::Break => "break",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, LineupError> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == raw)
            .ok_or_else(|| LineupError::Kind(raw.to_owned()))
    }
}

#[derive(Debug, Clone)]
pub struct NewProgrammeItem<'a> {
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i64,
    pub kind: &'a str,
    pub title: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeItem {
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: u32,
    pub kind: ProgrammeKind,
    pub title: String,
}

impl ProgrammeItem {
    /// Validates an item against the stage it belongs to: it must fit inside the stage's hours.
    pub fn parse(new: NewProgrammeItem<'_>, stage: &Stage) -> Result<Self, LineupError> {
        let kind = ProgrammeKind::parse(new.kind)?;
        let duration_minutes = u32::try_from(new.duration_minutes)
            .ok()
            .filter(|m| (1..=720).contains(m))
            .ok_or(LineupError::Duration)?;
        let ends_at = new.starts_at + Duration::minutes(duration_minutes.into());
        if new.starts_at < stage.starts_at || ends_at > stage.ends_at {
            return Err(LineupError::OutsideStage);
        }
        Ok(Self {
            starts_at: new.starts_at,
            duration_minutes,
            kind,
            title: text::required(new.title, 200).map_err(LineupError::Title)?,
        })
    }

    pub fn ends_at(&self) -> DateTime<Utc> {
        self.starts_at + Duration::minutes(self.duration_minutes.into())
    }
}

/// Puts a programme in the order people read it: by start time, then shorter items first.
pub fn in_programme_order(items: &mut [ProgrammeItem]) {
    items.sort_by_key(|item| (item.starts_at, item.duration_minutes));
}

/// A programme item with the speakers and projects it presents (indexes into the line-up).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledItem {
    pub item: ProgrammeItem,
    pub speakers: Vec<usize>,
    pub projects: Vec<usize>,
}

/// A stage's whole line-up, checked as one: every item links to speakers and projects that exist.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lineup {
    pub speakers: Vec<Speaker>,
    pub projects: Vec<Project>,
    pub programme: Vec<ScheduledItem>,
}

impl Lineup {
    pub fn new(
        speakers: Vec<Speaker>,
        projects: Vec<Project>,
        mut programme: Vec<ScheduledItem>,
    ) -> Result<Self, LineupError> {
        for scheduled in &programme {
            let dangling_speaker = scheduled.speakers.iter().any(|&i| i >= speakers.len());
            let dangling_project = scheduled.projects.iter().any(|&i| i >= projects.len());
            if dangling_speaker || dangling_project {
                return Err(LineupError::UnknownLink(scheduled.item.title.clone()));
            }
        }
        programme.sort_by(|a, b| {
            (a.item.starts_at, a.item.duration_minutes)
                .cmp(&(b.item.starts_at, b.item.duration_minutes))
        });
        Ok(Self {
            speakers,
            projects,
            programme,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stage::StageStatus;
    use chrono::TimeZone;

    fn stage() -> Stage {
        Stage {
            slug: crate::Slug::parse("lyon").unwrap(),
            city: "Lyon".into(),
            city_slug: crate::Slug::parse("lyon").unwrap(),
            venue_name: "V".into(),
            venue_address: "A".into(),
            coordinates: None,
            time_zone: "Europe/Paris".into(),
            starts_at: Utc.with_ymd_and_hms(2013, 12, 12, 17, 30, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2013, 12, 12, 21, 0, 0).unwrap(),
            theme: "T".into(),
            description: String::new(),
            capacity: 10,
            registration_opens_at: Utc.with_ymd_and_hms(2013, 11, 1, 0, 0, 0).unwrap(),
            registration_closes_at: Utc.with_ymd_and_hms(2013, 12, 12, 17, 0, 0).unwrap(),
            status: StageStatus::Published,
            co_organisers: vec![],
            confirm_email_minutes: None,
        }
    }

    fn item(h: u32, m: u32, minutes: i64) -> NewProgrammeItem<'static> {
        NewProgrammeItem {
            starts_at: Utc.with_ymd_and_hms(2013, 12, 12, h, m, 0).unwrap(),
            duration_minutes: minutes,
            kind: "keynote",
            title: "Keynote",
        }
    }

    #[test]
    fn an_item_inside_the_stage_hours_is_accepted() {
        let parsed = ProgrammeItem::parse(item(17, 30, 45), &stage()).unwrap();
        assert_eq!(parsed.kind, ProgrammeKind::Keynote);
        assert_eq!(
            parsed.ends_at(),
            Utc.with_ymd_and_hms(2013, 12, 12, 18, 15, 0).unwrap()
        );
    }

    #[test]
    fn an_item_running_past_the_end_of_the_stage_is_refused() {
        assert_eq!(
            ProgrammeItem::parse(item(20, 30, 45), &stage()),
            Err(LineupError::OutsideStage)
        );
        assert_eq!(
            ProgrammeItem::parse(item(17, 0, 10), &stage()),
            Err(LineupError::OutsideStage)
        );
    }

    #[test]
    fn an_unknown_kind_or_an_empty_duration_is_refused() {
        let bad_kind = NewProgrammeItem {
            kind: "concert",
            ..item(18, 0, 10)
        };
        assert_eq!(
            ProgrammeItem::parse(bad_kind, &stage()),
            Err(LineupError::Kind("concert".into()))
        );
        assert_eq!(
            ProgrammeItem::parse(item(18, 0, 0), &stage()),
            Err(LineupError::Duration)
        );
    }

    #[test]
    fn a_project_must_state_a_need() {
        let new = NewProject {
            name: "HelloAsso",
            holder: "HelloAsso",
            pitch: "Pay",
            ..Default::default()
        };
        assert_eq!(Project::parse(new.clone()), Err(LineupError::NoNeed));
        let with_skills = NewProject {
            skills_wanted: vec!["Rust"],
            ..new.clone()
        };
        assert!(Project::parse(with_skills).is_ok());
        let zero = NewProject {
            funding_goal_eur: Some(0),
            ..new.clone()
        };
        assert_eq!(Project::parse(zero), Err(LineupError::FundingGoal));
        let use_without_goal = NewProject {
            skills_wanted: vec!["Rust"],
            funding_use: Some("Des serveurs"),
            ..new.clone()
        };
        assert_eq!(
            Project::parse(use_without_goal),
            Err(LineupError::FundingUseWithoutGoal)
        );
        let described = NewProject {
            funding_goal_eur: Some(5_000),
            funding_use: Some("  Des serveurs  "),
            link: Some("https://www.helloasso.com"),
            ..new.clone()
        };
        let project = Project::parse(described).unwrap();
        assert_eq!(project.funding_use.as_deref(), Some("Des serveurs"));
        assert_eq!(project.link.as_deref(), Some("https://www.helloasso.com"));
        let bad_link = NewProject {
            skills_wanted: vec!["Rust"],
            link: Some("javascript:alert(1)"),
            ..new
        };
        assert!(matches!(
            Project::parse(bad_link),
            Err(LineupError::ProjectLink(_))
        ));
    }

    #[test]
    fn a_speaker_link_must_be_a_web_address() {
        let new = NewSpeaker {
            name: "Y",
            links: vec![("Blog", "not a url")],
            ..Default::default()
        };
        assert!(matches!(Speaker::parse(new), Err(LineupError::Link { .. })));
    }

    #[test]
    fn a_lineup_refuses_an_item_linked_to_a_missing_speaker() {
        let scheduled = ScheduledItem {
            item: ProgrammeItem::parse(item(18, 0, 10), &stage()).unwrap(),
            speakers: vec![0],
            projects: vec![],
        };
        assert_eq!(
            Lineup::new(vec![], vec![], vec![scheduled]),
            Err(LineupError::UnknownLink("Keynote".into()))
        );
    }

    #[test]
    fn the_programme_is_ordered_by_start_time() {
        let s = stage();
        let mut items = vec![
            ProgrammeItem::parse(item(19, 0, 10), &s).unwrap(),
            ProgrammeItem::parse(item(17, 30, 30), &s).unwrap(),
            ProgrammeItem::parse(item(17, 30, 10), &s).unwrap(),
        ];
        in_programme_order(&mut items);
        let order: Vec<_> = items
            .iter()
            .map(|i| (i.starts_at.format("%H:%M").to_string(), i.duration_minutes))
            .collect();
        assert_eq!(
            order,
            vec![
                ("17:30".into(), 10),
                ("17:30".into(), 30),
                ("19:00".into(), 10)
            ]
        );
    }
}
