//! The line-up page's words, French and English, and a sentence for each mistake of its forms.

use super::Locale;
use crate::domain::lineup::LineupError;
use crate::domain::lineup_form::LineupFieldError;

impl Locale {
    pub fn lineup(self) -> &'static LineupMessages {
        match self {
            Locale::Fr => &LINEUP_FR,
            Locale::En => &LINEUP_EN,
        }
    }

    /// The sentence beside a field of a line-up form.
    pub fn lineup_field_error(self, error: &LineupFieldError) -> String {
        let fr = self == Locale::Fr;
        let say = |fr_text: &str, en_text: &str| if fr { fr_text } else { en_text }.to_owned();
        match error {
            LineupFieldError::Lineup(error) => match error {
                LineupError::Name(e) => self.text_error(e, "le nom", "the name"),
                LineupError::Holder(e) => {
                    self.text_error(e, "qui porte le projet", "who carries the project")
                }
                LineupError::Title(e) => self.text_error(e, "le titre", "the title"),
                LineupError::Bio(e) => self.text_error(e, "la biographie", "the biography"),
                LineupError::Photo(e) | LineupError::Link { error: e, .. } => {
                    self.text_error(e, "le lien", "the link")
                }
                LineupError::Pitch(e) => {
                    self.text_error(e, "la description du projet", "the project's description")
                }
                LineupError::NoNeed => say(
                    "Dites ce que le projet cherche\u{a0}: un financement, des compétences, ou les deux.",
                    "Say what the project looks for: funding, skills, or both.",
                ),
                LineupError::FundingGoal => say(
                    "Le besoin de financement est un montant de plus de 0 €.",
                    "The funding need is an amount above €0.",
                ),
                LineupError::Skill(e) => self.text_error(e, "la compétence", "the skill"),
                LineupError::ProjectLink(e) => {
                    self.text_error(e, "le site du projet", "the project's site")
                }
                LineupError::FundingUse(e) => self.text_error(
                    e,
                    "ce que financerait l'argent",
                    "what the money would pay for",
                ),
                LineupError::SkillsUse(e) => self.text_error(
                    e,
                    "ce que feraient les bénévoles",
                    "what the volunteers would do",
                ),
                LineupError::FundingUseWithoutGoal => say(
                    "Indiquez le montant recherché, ou effacez ce que financerait l'argent.",
                    "Enter the amount sought, or clear what the money would pay for.",
                ),
                LineupError::SkillsUseWithoutSkills => say(
                    "Indiquez les compétences recherchées, ou effacez ce que feraient les bénévoles.",
                    "Enter the skills wanted, or clear what the volunteers would do.",
                ),
                LineupError::Kind(_) => say("Choisissez un type dans la liste.", "Choose a kind from the list."),
                LineupError::UnknownLink(_) => say(
                    "Un intervenant ou un projet coché n'existe plus\u{a0}: rechargez la page.",
                    "A ticked speaker or project no longer exists: reload the page.",
                ),
                LineupError::Duration => say(
                    "Une durée de 1 minute à 12 heures.",
                    "A length from 1 minute to 12 hours.",
                ),
                LineupError::OutsideStage => say(
                    "Ce moment commence et finit pendant les heures de l'étape.",
                    "This item starts and ends within the stage's hours.",
                ),
            },
            LineupFieldError::Starts => say(
                "Indiquez le jour et l'heure du début.",
                "Enter the day and time it starts.",
            ),
            LineupFieldError::Duration => say(
                "Indiquez une durée en minutes, par exemple 30.",
                "Enter a length in minutes, for example 30.",
            ),
            LineupFieldError::UnknownSpeaker => say(
                "Ce moment présente un intervenant qui n'est pas dans la liste des intervenants.",
                "This item presents a speaker who is not in the list of speakers.",
            ),
            LineupFieldError::UnknownProject => say(
                "Ce moment présente un projet qui n'est pas dans la liste des projets.",
                "This item presents a project that is not in the list of projects.",
            ),
            LineupFieldError::FundingGoal => say(
                "Indiquez un montant en euros, en chiffres, par exemple 15000.",
                "Enter an amount in euros, in digits, for example 15000.",
            ),
        }
    }

    /// "Enregistrer « Amina Diallo »"
    pub fn save_piece(self, name: &str) -> String {
        match self {
            Locale::Fr => format!("Enregistrer « {name} »"),
            Locale::En => format!("Save \"{name}\""),
        }
    }

    pub fn remove_piece(self, name: &str) -> String {
        match self {
            Locale::Fr => format!("Retirer « {name} »"),
            Locale::En => format!("Remove \"{name}\""),
        }
    }

    pub fn move_piece_up(self, name: &str) -> String {
        match self {
            Locale::Fr => format!("Monter « {name} »"),
            Locale::En => format!("Move \"{name}\" up"),
        }
    }

    pub fn move_piece_down(self, name: &str) -> String {
        match self {
            Locale::Fr => format!("Descendre « {name} »"),
            Locale::En => format!("Move \"{name}\" down"),
        }
    }

    pub fn lineup_of(self, city: &str) -> String {
        match self {
            Locale::Fr => format!("Programme de l'étape de {city}"),
            Locale::En => format!("Line-up of the {city} stage"),
        }
    }
}

pub struct LineupMessages {
    pub lineup: &'static str,
    pub intro: &'static str,
    pub saved: &'static str,
    pub stale: &'static str,
    pub speakers: &'static str,
    pub no_speaker: &'static str,
    pub add_speaker: &'static str,
    pub projects: &'static str,
    pub no_project: &'static str,
    pub add_project: &'static str,
    pub programme: &'static str,
    pub no_item: &'static str,
    pub add_item: &'static str,
    pub name: &'static str,
    pub role: &'static str,
    pub role_hint: &'static str,
    pub bio: &'static str,
    pub markdown_hint: &'static str,
    pub project_name: &'static str,
    pub holder: &'static str,
    pub pitch: &'static str,
    pub funding_goal: &'static str,
    pub funding_goal_hint: &'static str,
    pub skills: &'static str,
    pub skills_hint: &'static str,
    pub project_link: &'static str,
    pub project_link_hint: &'static str,
    pub funding_use: &'static str,
    pub skills_use: &'static str,
    pub starts: &'static str,
    pub duration: &'static str,
    pub kind: &'static str,
    pub title: &'static str,
    pub with_speakers: &'static str,
    pub with_projects: &'static str,
    pub add_submit: &'static str,
    pub times_in_zone: &'static str,
}

pub static LINEUP_FR: LineupMessages = LineupMessages {
    lineup: "Programme et intervenants",
    intro: "Les intervenants et les projets apparaissent sur la page publique dans l'ordre choisi ici\u{a0}; le programme, dans l'ordre des heures.",
    saved: "Programme enregistré.",
    stale: "Le programme a changé entre-temps, peut-être sur un autre appareil. Voici la version actuelle\u{a0}: refaites votre modification.",
    speakers: "Intervenants",
    no_speaker: "Aucun intervenant pour l'instant\u{a0}: ajoutez le premier ci-dessous.",
    add_speaker: "Ajouter un intervenant",
    projects: "Projets",
    no_project: "Aucun projet pour l'instant\u{a0}: ajoutez le premier ci-dessous.",
    add_project: "Ajouter un projet",
    programme: "Programme",
    no_item: "Le programme est vide\u{a0}: ajoutez son premier moment ci-dessous.",
    add_item: "Ajouter un moment au programme",
    name: "Nom",
    role: "Rôle (facultatif)",
    role_hint: "Par exemple « Directrice, La Ruche ».",
    bio: "Biographie (facultatif)",
    markdown_hint: "Markdown accepté\u{a0}: **gras**, *italique*, listes, liens.",
    project_name: "Nom du projet",
    holder: "Porté par",
    pitch: "Description du projet",
    funding_goal: "Besoin de financement, en euros (facultatif)",
    funding_goal_hint: "Un projet dit au moins un besoin\u{a0}: un financement, des compétences, ou les deux.",
    skills: "Compétences recherchées (facultatif)",
    skills_hint: "Séparées par des virgules, par exemple « menuiserie, communication ».",
    project_link: "Site du projet (facultatif)",
    project_link_hint: "L'adresse complète, qui commence par https://",
    funding_use: "Ce que financerait l'argent (facultatif)",
    skills_use: "Ce que feraient les bénévoles (facultatif)",
    starts: "Début",
    duration: "Durée, en minutes",
    kind: "Type",
    title: "Titre",
    with_speakers: "Avec",
    with_projects: "Projets présentés",
    add_submit: "Ajouter",
    times_in_zone: "Heures locales de l'étape",
};

pub static LINEUP_EN: LineupMessages = LineupMessages {
    lineup: "Line-up",
    intro: "Speakers and projects appear on the public page in the order chosen here; the programme, in time order.",
    saved: "Line-up saved.",
    stale: "The line-up changed meanwhile, perhaps on another device. Here it is as it is now: make your change again.",
    speakers: "Speakers",
    no_speaker: "No speaker yet: add the first one below.",
    add_speaker: "Add a speaker",
    projects: "Projects",
    no_project: "No project yet: add the first one below.",
    add_project: "Add a project",
    programme: "Programme",
    no_item: "The programme is empty: add its first item below.",
    add_item: "Add a programme item",
    name: "Name",
    role: "Role (optional)",
    role_hint: "For example \"Director, La Ruche\".",
    bio: "Biography (optional)",
    markdown_hint: "Markdown accepted: **bold**, *italics*, lists, links.",
    project_name: "Project name",
    holder: "Carried by",
    pitch: "What the project does",
    funding_goal: "Funding needed, in euros (optional)",
    funding_goal_hint: "A project states at least one need: funding, skills, or both.",
    skills: "Skills wanted (optional)",
    skills_hint: "Separated by commas, for example \"carpentry, communication\".",
    project_link: "The project's site (optional)",
    project_link_hint: "The whole address, starting with https://",
    funding_use: "What the money would pay for (optional)",
    skills_use: "What the volunteers would do (optional)",
    starts: "Starts",
    duration: "Length, in minutes",
    kind: "Kind",
    title: "Title",
    with_speakers: "With",
    with_projects: "Projects presented",
    add_submit: "Add",
    times_in_zone: "The stage's local times",
};
