//! The line-up's forms as organisers post them: which piece (a speaker, a project, a programme
//! item), what to do with it (add, save, remove, move), and the fields as typed. Plain HTML
//! forms, so the posted pairs are read here, checkboxes (repeated names) included.

use super::lineup::{
    Lineup, LineupError, NewProgrammeItem, NewProject, NewSpeaker, ProgrammeItem, Project,
    ScheduledItem, Speaker,
};
use super::lineup_edit::Move;
use super::stage::{local_to_utc, Stage};
use super::stage_form::local_input;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// Which piece of a line-up a form is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Part {
    Speaker,
    Project,
    Item,
}

impl Part {
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Speaker => "speaker",
            Part::Project => "project",
            Part::Item => "item",
        }
    }

    fn parse(raw: &str) -> Option<Self> {
        [Part::Speaker, Part::Project, Part::Item]
            .into_iter()
            .find(|part| part.as_str() == raw)
    }
}

/// What the form asks, with the piece's position for all but `Add`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Save(usize),
    Remove(usize),
    Move(usize, Move),
}

/// Every field a line-up piece may have, as typed. Each form posts only its own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PieceForm {
    /// A speaker's or a project's name.
    pub name: String,
    /// A speaker's role ("Directrice, La Ruche").
    pub role: String,
    pub bio: String,
    /// The organisation carrying a project.
    pub holder: String,
    pub pitch: String,
    /// A project's own site.
    pub link: String,
    /// Whole euros; blank for none.
    pub funding_goal: String,
    /// What the money would pay for.
    pub funding_use: String,
    /// Skills a project looks for, separated by commas or lines.
    pub skills: String,
    /// What the skilled volunteers would do.
    pub skills_use: String,
    /// An item's start, `YYYY-MM-DDTHH:MM` on the stage's clock.
    pub starts: String,
    /// An item's length in minutes.
    pub duration: String,
    pub kind: String,
    pub title: String,
    /// Positions of the speakers and projects an item presents.
    pub speakers: Vec<usize>,
    pub projects: Vec<usize>,
}

/// One posted line-up form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineupPost {
    pub part: Part,
    pub op: Op,
    /// The line-up's version the page showed: a change made meanwhile is not overwritten.
    pub version: String,
    pub form: PieceForm,
}

impl LineupPost {
    /// Reads the posted pairs; `None` when they do not name a piece and an operation.
    pub fn from_pairs(pairs: &[(String, String)]) -> Option<Self> {
        let mut form = PieceForm::default();
        let (mut part, mut op, mut index, mut version) = (None, None, None, String::new());
        for (key, value) in pairs {
            match key.as_str() {
                "part" => part = Part::parse(value),
                "op" => op = Some(value.clone()),
                "index" => index = value.parse::<usize>().ok(),
                "version" => version = value.clone(),
                "name" => form.name = value.clone(),
                "role" => form.role = value.clone(),
                "bio" => form.bio = value.clone(),
                "holder" => form.holder = value.clone(),
                "pitch" => form.pitch = value.clone(),
                "link" => form.link = value.clone(),
                "funding_goal" => form.funding_goal = value.clone(),
                "funding_use" => form.funding_use = value.clone(),
                "skills" => form.skills = value.clone(),
                "skills_use" => form.skills_use = value.clone(),
                "starts" => form.starts = value.clone(),
                "duration" => form.duration = value.clone(),
                "kind" => form.kind = value.clone(),
                "title" => form.title = value.clone(),
                "speaker" => form.speakers.extend(value.parse::<usize>().ok()),
                "project" => form.projects.extend(value.parse::<usize>().ok()),
                _ => {}
            }
        }
        let op = match (op?.as_str(), index) {
            ("add", _) => Op::Add,
            ("save", Some(i)) => Op::Save(i),
            ("remove", Some(i)) => Op::Remove(i),
            ("up", Some(i)) => Op::Move(i, Move::Up),
            ("down", Some(i)) => Op::Move(i, Move::Down),
            _ => return None,
        };
        form.speakers.sort_unstable();
        form.speakers.dedup();
        form.projects.sort_unstable();
        form.projects.dedup();
        Some(LineupPost {
            part: part?,
            op,
            version,
            form,
        })
    }
}

/// One mistake in a line-up form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineupFieldError {
    Lineup(LineupError),
    /// Not a date and time.
    Starts,
    /// Not a whole number of minutes.
    Duration,
    /// Not a whole number of euros.
    FundingGoal,
    /// An item presents a speaker the line-up does not have.
    UnknownSpeaker,
    /// An item presents a project the line-up does not have.
    UnknownProject,
}

/// A mistake in one piece of a line-up sent whole: which piece, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PieceError {
    pub part: Part,
    pub index: usize,
    pub error: LineupFieldError,
}

/// Reads a whole line-up sent at once (the API sends it so), with the same rules as the line-up
/// page's forms: every mistake of every piece, or the line-up. An item may present only
/// speakers and projects of this same line-up, by their position in it.
pub fn whole_lineup(
    speakers: &[PieceForm],
    projects: &[PieceForm],
    items: &[PieceForm],
    stage: &Stage,
) -> Result<Lineup, Vec<PieceError>> {
    let mut errors = Vec::new();
    let mut keep = |part: Part, index: usize, found: Vec<LineupFieldError>| {
        errors.extend(
            found
                .into_iter()
                .map(|error| PieceError { part, index, error }),
        );
    };
    let mut read_speakers = Vec::with_capacity(speakers.len());
    for (index, form) in speakers.iter().enumerate() {
        match form.speaker() {
            Ok(speaker) => read_speakers.push(speaker),
            Err(found) => keep(Part::Speaker, index, found),
        }
    }
    let mut read_projects = Vec::with_capacity(projects.len());
    for (index, form) in projects.iter().enumerate() {
        match form.project() {
            Ok(project) => read_projects.push(project),
            Err(found) => keep(Part::Project, index, found),
        }
    }
    let mut programme = Vec::with_capacity(items.len());
    for (index, form) in items.iter().enumerate() {
        let mut found = Vec::new();
        if form.speakers.iter().any(|&i| i >= speakers.len()) {
            found.push(LineupFieldError::UnknownSpeaker);
        }
        if form.projects.iter().any(|&i| i >= projects.len()) {
            found.push(LineupFieldError::UnknownProject);
        }
        match form.item(stage) {
            Ok(item) if found.is_empty() => programme.push(item),
            Ok(_) => {}
            Err(mistakes) => found.extend(mistakes),
        }
        if !found.is_empty() {
            keep(Part::Item, index, found);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Lineup::new(read_speakers, read_projects, programme).map_err(|error| {
        // Unreachable after the checks above; kept as a mistake rather than a panic.
        vec![PieceError {
            part: Part::Item,
            index: 0,
            error: LineupFieldError::Lineup(error),
        }]
    })
}

impl LineupFieldError {
    /// The field it belongs to (its `name` attribute) in a form about `part`.
    pub fn field(&self, part: Part) -> &'static str {
        match self {
            LineupFieldError::Lineup(error) => match error {
                LineupError::Name(_) => "name",
                LineupError::Holder(_) => "holder",
                LineupError::Title(_) if part == Part::Speaker => "role",
                LineupError::Title(_) => "title",
                LineupError::Bio(_) | LineupError::Photo(_) | LineupError::Link { .. } => "bio",
                LineupError::Pitch(_) => "pitch",
                LineupError::NoNeed | LineupError::FundingGoal => "funding_goal",
                LineupError::Skill(_) => "skills",
                LineupError::ProjectLink(_) => "link",
                LineupError::FundingUse(_) | LineupError::FundingUseWithoutGoal => "funding_use",
                LineupError::SkillsUse(_) | LineupError::SkillsUseWithoutSkills => "skills_use",
                LineupError::Kind(_) => "kind",
                LineupError::UnknownLink(_) => "title",
                LineupError::Duration => "duration",
                LineupError::OutsideStage => "starts",
            },
            LineupFieldError::Starts => "starts",
            LineupFieldError::Duration => "duration",
            LineupFieldError::FundingGoal => "funding_goal",
            LineupFieldError::UnknownSpeaker => "speaker",
            LineupFieldError::UnknownProject => "project",
        }
    }
}

impl PieceForm {
    pub fn from_speaker(speaker: &Speaker) -> Self {
        PieceForm {
            name: speaker.name.clone(),
            role: speaker.title.clone().unwrap_or_default(),
            bio: speaker.bio.clone().unwrap_or_default(),
            ..PieceForm::default()
        }
    }

    pub fn from_project(project: &Project) -> Self {
        PieceForm {
            name: project.name.clone(),
            holder: project.holder.clone(),
            pitch: project.pitch.clone(),
            funding_goal: project
                .funding_goal_eur
                .map(|goal| goal.to_string())
                .unwrap_or_default(),
            skills: project.skills_wanted.join(", "),
            link: project.link.clone().unwrap_or_default(),
            funding_use: project.funding_use.clone().unwrap_or_default(),
            skills_use: project.skills_use.clone().unwrap_or_default(),
            ..PieceForm::default()
        }
    }

    pub fn from_item(scheduled: &ScheduledItem, stage: &Stage) -> Self {
        let zone = stage.zone();
        PieceForm {
            starts: local_input(scheduled.item.starts_at.with_timezone(&zone).naive_local()),
            duration: scheduled.item.duration_minutes.to_string(),
            kind: scheduled.item.kind.as_str().to_owned(),
            title: scheduled.item.title.clone(),
            speakers: scheduled.speakers.clone(),
            projects: scheduled.projects.clone(),
            ..PieceForm::default()
        }
    }

    /// A blank item form, starting when the stage does.
    pub fn new_item(stage: &Stage) -> Self {
        let zone = stage.zone();
        PieceForm {
            starts: local_input(stage.starts_at.with_timezone(&zone).naive_local()),
            duration: "30".into(),
            kind: "talk".into(),
            ..PieceForm::default()
        }
    }

    pub fn speaker(&self) -> Result<Speaker, Vec<LineupFieldError>> {
        Speaker::parse(NewSpeaker {
            name: &self.name,
            title: &self.role,
            bio: &self.bio,
            photo_url: None,
            links: vec![],
        })
        .map_err(|error| vec![LineupFieldError::Lineup(error)])
    }

    pub fn project(&self) -> Result<Project, Vec<LineupFieldError>> {
        let goal = self.funding_goal.trim().replace([' ', '\u{a0}', '€'], "");
        let funding_goal_eur = if goal.is_empty() {
            None
        } else {
            Some(
                goal.parse::<i64>()
                    .map_err(|_| vec![LineupFieldError::FundingGoal])?,
            )
        };
        let skills: Vec<&str> = self
            .skills
            .split([',', '\n'])
            .map(str::trim)
            .filter(|skill| !skill.is_empty())
            .collect();
        Project::parse(NewProject {
            name: &self.name,
            holder: &self.holder,
            pitch: &self.pitch,
            link: Some(&self.link),
            funding_goal_eur,
            funding_use: Some(&self.funding_use),
            skills_wanted: skills,
            skills_use: Some(&self.skills_use),
        })
        .map_err(|error| vec![LineupFieldError::Lineup(error)])
    }

    /// A programme item of `stage`, on its clock, within its hours.
    pub fn item(&self, stage: &Stage) -> Result<ScheduledItem, Vec<LineupFieldError>> {
        let mut errors = Vec::new();
        let starts = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(self.starts.trim(), f).ok());
        let starts_at = match starts.map(|local| local_to_utc(stage.zone(), local)) {
            Some(Ok(at)) => Some(at),
            _ => {
                errors.push(LineupFieldError::Starts);
                None
            }
        };
        let duration = self.duration.trim().parse::<i64>().ok();
        if duration.is_none() {
            errors.push(LineupFieldError::Duration);
        }
        let (Some(starts_at), Some(duration_minutes)) = (starts_at, duration) else {
            return Err(errors);
        };
        let item = ProgrammeItem::parse(
            NewProgrammeItem {
                starts_at,
                duration_minutes,
                kind: self.kind.trim(),
                title: &self.title,
            },
            stage,
        )
        .map_err(|error| vec![LineupFieldError::Lineup(error)])?;
        let distinct = |positions: &[usize]| {
            let mut positions = positions.to_vec();
            positions.sort_unstable();
            positions.dedup();
            positions
        };
        Ok(ScheduledItem {
            item,
            speakers: distinct(&self.speakers),
            projects: distinct(&self.projects),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::TextError;

    fn pairs(raw: &[(&str, &str)]) -> Vec<(String, String)> {
        raw.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_posted_item_form_reads_its_checkboxes_and_its_operation() {
        let post = LineupPost::from_pairs(&pairs(&[
            ("part", "item"),
            ("op", "save"),
            ("index", "2"),
            ("version", "abc"),
            ("title", "Pitchs"),
            ("speaker", "1"),
            ("speaker", "0"),
            ("speaker", "1"),
            ("project", "x"),
        ]))
        .unwrap();
        assert_eq!(post.part, Part::Item);
        assert_eq!(post.op, Op::Save(2));
        assert_eq!(post.form.speakers, [0, 1]);
        assert!(post.form.projects.is_empty());
        let moved =
            LineupPost::from_pairs(&pairs(&[("part", "speaker"), ("op", "up"), ("index", "3")]))
                .unwrap();
        assert_eq!(moved.op, Op::Move(3, Move::Up));
        assert!(LineupPost::from_pairs(&pairs(&[("part", "speaker"), ("op", "save")])).is_none());
        assert!(LineupPost::from_pairs(&pairs(&[("part", "guest"), ("op", "add")])).is_none());
    }

    #[test]
    fn a_project_needs_a_need_and_reads_euros_and_skills_as_people_type_them() {
        let form = PieceForm {
            name: "Recyclerie".into(),
            holder: "Association Rebond".into(),
            pitch: "Réparer plutôt que jeter.".into(),
            funding_goal: "15 000 €".into(),
            skills: "menuiserie, communication\nsite web".into(),
            ..PieceForm::default()
        };
        let project = form.project().unwrap();
        assert_eq!(project.funding_goal_eur, Some(15_000));
        assert_eq!(
            project.skills_wanted,
            ["menuiserie", "communication", "site web"]
        );
        let none = PieceForm {
            funding_goal: String::new(),
            skills: " , ".into(),
            ..form.clone()
        };
        let errors = none.project().unwrap_err();
        assert_eq!(errors, [LineupFieldError::Lineup(LineupError::NoNeed)]);
        assert_eq!(errors[0].field(Part::Project), "funding_goal");
        let nameless = PieceForm {
            holder: " ".into(),
            ..form
        };
        assert_eq!(
            nameless.project().unwrap_err()[0].field(Part::Project),
            "holder"
        );
    }

    #[test]
    fn a_speaker_role_mistake_sits_beside_the_role() {
        let errors = PieceForm {
            name: "Amina".into(),
            role: "x".repeat(161),
            ..PieceForm::default()
        }
        .speaker()
        .unwrap_err();
        assert_eq!(
            errors,
            [LineupFieldError::Lineup(LineupError::Title(
                TextError::TooLong { max: 160 }
            ))]
        );
        assert_eq!(errors[0].field(Part::Speaker), "role");
    }

    fn stage() -> Stage {
        use crate::edition::{Edition, EditionStatus, NewEdition};
        use crate::stage_form::StageForm;
        use crate::StageStatus;
        let edition = Edition::parse(NewEdition {
            name: "Semaine",
            slug: "semaine",
            number: 1,
            starts_on: chrono::NaiveDate::from_ymd_opt(2027, 12, 6).unwrap(),
            ends_on: chrono::NaiveDate::from_ymd_opt(2027, 12, 12).unwrap(),
            theme: "Digital",
            description: "",
            partners: vec![],
            status: EditionStatus::Draft,
        })
        .unwrap();
        StageForm {
            city: "Lyon".into(),
            venue_name: "H7".into(),
            venue_address: "70 quai Perrache".into(),
            time_zone: "Europe/Paris".into(),
            starts: "2027-12-09T18:30".into(),
            ends: "2027-12-09T22:00".into(),
            theme: "Pour qui ?".into(),
            capacity: "100".into(),
            ..StageForm::default()
        }
        .parse(
            &edition,
            StageStatus::Draft,
            "2027-10-01T00:00:00Z".parse().unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn a_whole_lineup_names_every_mistake_by_piece_and_keeps_links_within_it() {
        let stage = stage();
        let amina = PieceForm {
            name: "Amina".into(),
            ..PieceForm::default()
        };
        let project = PieceForm {
            name: "Recyclerie".into(),
            holder: "Rebond".into(),
            pitch: "Réparer.".into(),
            skills: "menuiserie".into(),
            ..PieceForm::default()
        };
        let item = PieceForm {
            title: "Ouverture".into(),
            speakers: vec![0, 0],
            projects: vec![0],
            ..PieceForm::new_item(&stage)
        };
        let lineup = whole_lineup(
            std::slice::from_ref(&amina),
            std::slice::from_ref(&project),
            std::slice::from_ref(&item),
            &stage,
        )
        .unwrap();
        assert_eq!(lineup.programme[0].speakers, [0]);
        assert_eq!(lineup.projects[0].skills_wanted, ["menuiserie"]);

        let nameless = PieceForm {
            name: " ".into(),
            ..amina.clone()
        };
        let dangling = PieceForm {
            speakers: vec![2],
            projects: vec![3],
            ..item.clone()
        };
        let errors =
            whole_lineup(&[amina, nameless], &[project], &[item, dangling], &stage).unwrap_err();
        let named: Vec<_> = errors
            .iter()
            .map(|e| (e.part, e.index, e.error.field(e.part)))
            .collect();
        assert_eq!(
            named,
            [
                (Part::Speaker, 1, "name"),
                (Part::Item, 1, "speaker"),
                (Part::Item, 1, "project"),
            ]
        );
    }

    #[test]
    fn an_item_is_read_on_the_stage_clock_and_kept_within_its_hours() {
        let stage = stage();
        let form = PieceForm {
            starts: "2027-12-09T19:00".into(),
            duration: "45".into(),
            kind: "panel".into(),
            title: "Table ronde".into(),
            speakers: vec![0],
            ..PieceForm::new_item(&stage)
        };
        let item = form.item(&stage).unwrap();
        assert_eq!(
            item.item.starts_at.to_rfc3339(),
            "2027-12-09T18:00:00+00:00"
        );
        assert_eq!(
            PieceForm::from_item(&item, &stage).starts,
            "2027-12-09T19:00"
        );
        let late = PieceForm {
            starts: "2027-12-09T21:30".into(),
            ..form.clone()
        };
        assert_eq!(
            late.item(&stage).unwrap_err(),
            [LineupFieldError::Lineup(LineupError::OutsideStage)]
        );
        let unreadable = PieceForm {
            starts: "19h".into(),
            duration: "trois quarts d'heure".into(),
            ..form
        };
        assert_eq!(
            unreadable.item(&stage).unwrap_err(),
            [LineupFieldError::Starts, LineupFieldError::Duration]
        );
    }
}
