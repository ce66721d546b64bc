//! The demo content: Social Good Week 2013 as it happened in Lyon (the other cities of that week
//! are illustrative), and an upcoming demo edition dated from the day it is loaded, so that
//! registering, tickets and feeds can be tried. Everything goes through the domain constructors,
//! so the demo obeys the same rules as real data.

use crate::db::{editions, Db, DbError};
use crate::domain::{
    Edition, EditionStatus, Lineup, NewEdition, NewOrganisation, NewProgrammeItem, NewProject,
    NewSpeaker, NewStage, Organisation, ProgrammeItem, Project, ScheduledItem, Speaker, Stage,
    StageStatus,
};
use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

pub const PAST_EDITION: &str = "social-good-week-2013";
pub const UPCOMING_EDITION: &str = "social-good-week-demo";

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the demo content breaks a rule: {0}")]
    Invalid(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// What loading the demo did, edition by edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoReport {
    pub loaded: Vec<String>,
    pub already_there: Vec<String>,
}

/// Loads both demo editions; an edition whose slug already exists is left exactly as it is.
pub async fn load(db: &Db, today: NaiveDate) -> Result<DemoReport, DemoError> {
    let mut report = DemoReport {
        loaded: vec![],
        already_there: vec![],
    };
    for (edition, stages) in [social_good_week_2013()?, upcoming_demo(today)?] {
        let slug = edition.slug.to_string();
        if editions::insert_edition_programme(db, &edition, &stages).await? {
            report.loaded.push(slug);
        } else {
            report.already_there.push(slug);
        }
    }
    Ok(report)
}

fn invalid(error: impl std::fmt::Display) -> DemoError {
    DemoError::Invalid(error.to_string())
}

fn organisation(name: &str, website: &str, description: &str) -> Result<Organisation, DemoError> {
    Organisation::parse(NewOrganisation {
        name,
        website: Some(website),
        logo_url: None,
        description: Some(description),
    })
    .map_err(invalid)
}

/// The national partner of both demo editions.
fn helloasso() -> Result<Organisation, DemoError> {
    organisation(
        "HelloAsso",
        "https://www.helloasso.com",
        "Solutions de paiement gratuites pour les associations.",
    )
}

fn at(day: NaiveDate, hour: u32, minute: u32) -> NaiveDateTime {
    day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or_default())
}

/// A city stage described compactly: the evening format every Social Good Week stage used.
struct StageSpec<'a> {
    slug: &'a str,
    city: &'a str,
    day: NaiveDate,
    venue_name: &'a str,
    venue_address: &'a str,
    coordinates: (f64, f64),
    theme: &'a str,
    description: &'a str,
    capacity: i64,
    status: StageStatus,
    co_organisers: Vec<Organisation>,
    keynote: (NewSpeaker<'a>, &'a str),
    projects: Vec<NewProject<'a>>,
    registration_opens: NaiveDateTime,
}

fn build_stage(edition: &Edition, spec: StageSpec<'_>) -> Result<(Stage, Lineup), DemoError> {
    let stage = Stage::parse(
        NewStage {
            confirm_email_minutes: None,
            slug: spec.slug,
            city: spec.city,
            venue_name: spec.venue_name,
            venue_address: spec.venue_address,
            coordinates: Some(spec.coordinates),
            time_zone: "Europe/Paris",
            starts_local: at(spec.day, 18, 30),
            ends_local: at(spec.day, 21, 30),
            theme: spec.theme,
            description: spec.description,
            capacity: spec.capacity,
            registration_opens_local: spec.registration_opens,
            registration_closes_local: at(spec.day, 18, 0),
            status: spec.status,
            co_organisers: spec.co_organisers,
        },
        edition,
    )
    .map_err(invalid)?;
    let zone = stage.zone();
    let local = |h, m| {
        zone.from_local_datetime(&at(spec.day, h, m))
            .earliest()
            .map(|t| t.with_timezone(&chrono::Utc))
            .ok_or_else(|| invalid("demo time does not exist"))
    };
    let item = |h, m, minutes, kind, title: &str| -> Result<ProgrammeItem, DemoError> {
        ProgrammeItem::parse(
            NewProgrammeItem {
                starts_at: local(h, m)?,
                duration_minutes: minutes,
                kind,
                title,
            },
            &stage,
        )
        .map_err(invalid)
    };
    let speaker = Speaker::parse(spec.keynote.0).map_err(invalid)?;
    let projects: Vec<Project> = spec
        .projects
        .into_iter()
        .map(Project::parse)
        .collect::<Result<_, _>>()
        .map_err(invalid)?;
    let mut programme = vec![
        ScheduledItem {
            item: item(18, 30, 15, "networking", "Accueil")?,
            speakers: vec![],
            projects: vec![],
        },
        ScheduledItem {
            item: item(18, 45, 45, "keynote", spec.keynote.1)?,
            speakers: vec![0],
            projects: vec![],
        },
    ];
    let mut minute = 19 * 60 + 30;
    for (index, project) in projects.iter().enumerate() {
        programme.push(ScheduledItem {
            item: item(minute / 60, minute % 60, 10, "pitch", &project.name)?,
            speakers: vec![],
            projects: vec![index],
        });
        minute += 10;
    }
    programme.push(ScheduledItem {
        item: item(
            minute / 60,
            minute % 60,
            180 - (minute - 18 * 60 - 30) as i64,
            "networking",
            "Rencontres et buffet",
        )?,
        speakers: vec![],
        projects: vec![],
    });
    let lineup = Lineup::new(vec![speaker], projects, programme).map_err(invalid)?;
    Ok((stage, lineup))
}

/// Where an illustrative stage takes place.
struct Place<'a> {
    slug: &'a str,
    city: &'a str,
    venue_name: &'a str,
    venue_address: &'a str,
    coordinates: (f64, f64),
}

/// A stage of the made-up kind: the same evening format, theme and keynote in every city.
fn illustrative_stage<'a>(
    place: Place<'a>,
    day: NaiveDate,
    capacity: i64,
    status: StageStatus,
    registration_opens: NaiveDateTime,
) -> StageSpec<'a> {
    StageSpec {
        slug: place.slug,
        city: place.city,
        day,
        venue_name: place.venue_name,
        venue_address: place.venue_address,
        coordinates: place.coordinates,
        theme: "Comment le numérique peut-il amplifier l'engagement citoyen ?",
        description: "Une soirée de rencontres entre porteurs de projets, associations et \
                      curieux du numérique solidaire.",
        capacity,
        status,
        co_organisers: vec![],
        keynote: (
            keynote(
                "Claire Martin",
                "Entrepreneuse sociale",
                "Fondatrice d'une coopérative numérique.",
            ),
            "Ce que le numérique change pour l'engagement",
        ),
        projects: other_city_projects(place.city),
        registration_opens,
    }
}

fn lyon_projects() -> Vec<NewProject<'static>> {
    vec![
        NewProject {
            name: "HelloAsso",
            holder: "HelloAsso",
            pitch: "La plateforme de paiement en ligne gratuite des associations : adhésions, \
                    billetterie et dons, sans commission prélevée sur les associations.",
            funding_goal_eur: None,
            skills_wanted: vec!["Développement web", "Accompagnement des associations"],
            link: Some("https://www.helloasso.com"),
            ..NewProject::default()
        },
        NewProject {
            name: "Arizuka",
            holder: "Arizuka",
            pitch: "Une boutique en ligne de produits artisanaux qui reverse une part de chaque \
                    achat à des projets solidaires choisis par les clients.",
            funding_goal_eur: Some(15_000),
            funding_use: Some("Ouvrir un entrepôt partagé avec les artisans de la région."),
            skills_wanted: vec!["Logistique", "Marketing digital"],
            skills_use: Some("Organiser les envois et faire connaître la boutique."),
            link: None,
        },
        NewProject {
            name: "ProBonoLab",
            holder: "ProBonoLab",
            pitch: "Le mécénat de compétences pour tous : des professionnels bénévoles mettent \
                    leur savoir-faire au service des associations, mission par mission.",
            funding_goal_eur: None,
            skills_wanted: vec!["Conseil en stratégie", "Design", "Juridique"],
            ..NewProject::default()
        },
        NewProject {
            name: "Travelwithamission",
            holder: "Travelwithamission",
            pitch: "Des voyageurs qui mettent leurs compétences au service d'organisations \
                    locales sur leur route, le temps d'une mission courte.",
            funding_goal_eur: Some(20_000),
            skills_wanted: vec![],
            ..NewProject::default()
        },
        NewProject {
            name: "Prêt de Chez Moi",
            holder: "Prêt de Chez Moi",
            pitch: "L'épargne solidaire de proximité : chacun prête à des entrepreneurs de son \
                    territoire qui n'ont pas accès au crédit bancaire.",
            funding_goal_eur: Some(30_000),
            skills_wanted: vec!["Communication", "Animation de communauté"],
            ..NewProject::default()
        },
    ]
}

fn other_city_projects<'a>(city: &'a str) -> Vec<NewProject<'a>> {
    vec![
        NewProject {
            name: "Répar'Café",
            holder: city,
            pitch: "Un atelier mensuel où des bénévoles réparent avec les habitants ce qui \
                    serait jeté : petit électroménager, vélos, vêtements.",
            funding_goal_eur: Some(5_000),
            skills_wanted: vec!["Électronique", "Couture"],
            ..NewProject::default()
        },
        NewProject {
            name: "Compétences Solidaires",
            holder: city,
            pitch: "Une plateforme qui relie les associations du territoire aux salariés prêts \
                    à donner quelques heures de leur savoir-faire.",
            funding_goal_eur: None,
            skills_wanted: vec!["Développement web", "Animation de communauté"],
            ..NewProject::default()
        },
    ]
}

fn keynote(name: &'static str, title: &'static str, bio: &'static str) -> NewSpeaker<'static> {
    NewSpeaker {
        name,
        title,
        bio,
        photo_url: None,
        links: vec![],
    }
}

fn social_good_week_2013() -> Result<(Edition, Vec<(Stage, Lineup)>), DemoError> {
    let edition = Edition::parse(NewEdition {
        name: "Social Good Week 2013",
        slug: PAST_EDITION,
        number: 2,
        starts_on: date(2013, 12, 9)?,
        ends_on: date(2013, 12, 15)?,
        theme: "Le digital au service de l'économie sociale et solidaire",
        description: "Une semaine, partout en France, pour découvrir comment le numérique aide \
                      associations, entrepreneurs sociaux et citoyens à changer les choses.",
        partners: vec![helloasso()?],
        status: EditionStatus::Published,
    })
    .map_err(invalid)?;
    let opens = at(date(2013, 11, 12)?, 9, 0);
    let lyon = StageSpec {
        slug: "lyon",
        city: "Lyon",
        day: date(2013, 12, 12)?,
        venue_name: "Vieux Lyon",
        venue_address: "Quartier Saint-Jean, 69005 Lyon",
        coordinates: (45.7622, 4.8271),
        theme:
            "Quel est l'enjeu du digital pour les organismes de l'économie sociale et solidaire ?",
        description:
            "Une soirée pour comprendre ce que le numérique change pour les associations, \
                      coopératives et entreprises sociales, et pour soutenir cinq projets.",
        capacity: 150,
        status: StageStatus::Published,
        co_organisers: vec![
            organisation(
                "SFR",
                "https://www.sfr.fr",
                "Opérateur de télécommunications.",
            )?,
            organisation(
                "Les Interconnectés",
                "https://www.interconnectes.com",
                "Le réseau des territoires innovants.",
            )?,
        ],
        keynote: (
            keynote(
                "Yann Moulier-Boutang",
                "Économiste",
                "Professeur à l'Université de technologie de Compiègne, penseur du capitalisme \
                 cognitif et de l'économie de la pollinisation.",
            ),
            "Le numérique, une chance pour l'économie sociale et solidaire ?",
        ),
        projects: lyon_projects(),
        registration_opens: opens,
    };
    let mut stages = vec![build_stage(&edition, lyon)?];
    for (slug, city, day, venue, address, coordinates) in [
        (
            "paris",
            "Paris",
            9,
            "La Ruche",
            "84 quai de Jemmapes, 75010 Paris",
            (48.8722, 2.3644),
        ),
        (
            "lille",
            "Lille",
            10,
            "EuraTechnologies",
            "165 avenue de Bretagne, 59000 Lille",
            (50.6333, 3.0196),
        ),
        (
            "bordeaux",
            "Bordeaux",
            11,
            "Darwin",
            "87 quai des Queyries, 33100 Bordeaux",
            (44.8497, -0.5587),
        ),
        (
            "marseille",
            "Marseille",
            13,
            "La Friche la Belle de Mai",
            "41 rue Jobin, 13003 Marseille",
            (43.3103, 5.3906),
        ),
    ] {
        let place = Place {
            slug,
            city,
            venue_name: venue,
            venue_address: address,
            coordinates,
        };
        let spec = illustrative_stage(
            place,
            date(2013, 12, day)?,
            100,
            StageStatus::Published,
            opens,
        );
        stages.push(build_stage(&edition, spec)?);
    }
    Ok((edition, stages))
}

fn upcoming_demo(today: NaiveDate) -> Result<(Edition, Vec<(Stage, Lineup)>), DemoError> {
    let start = today
        .checked_add_days(Days::new(28))
        .ok_or_else(|| invalid("date overflow"))?;
    let day = |n: u64| {
        start
            .checked_add_days(Days::new(n))
            .ok_or_else(|| invalid("date overflow"))
    };
    let edition = Edition::parse(NewEdition {
        name: "Social Good Week — démo",
        slug: UPCOMING_EDITION,
        number: 3,
        starts_on: start,
        ends_on: day(6)?,
        theme: "Le numérique au service de l'engagement",
        description: "Une édition de démonstration d'Étape, datée de quelques semaines après son \
                      chargement, pour essayer le site sur des données réalistes.",
        partners: vec![helloasso()?],
        status: EditionStatus::Published,
    })
    .map_err(invalid)?;
    let opens = at(today.pred_opt().unwrap_or(today), 9, 0);
    let mut stages = Vec::new();
    for (slug, city, offset, venue, address, coordinates, capacity, status) in [
        (
            "paris",
            "Paris",
            0,
            "La Ruche",
            "84 quai de Jemmapes, 75010 Paris",
            (48.8722, 2.3644),
            200,
            StageStatus::Published,
        ),
        (
            "lille",
            "Lille",
            1,
            "EuraTechnologies",
            "165 avenue de Bretagne, 59000 Lille",
            (50.6333, 3.0196),
            80,
            StageStatus::Published,
        ),
        (
            "lyon",
            "Lyon",
            3,
            "Vieux Lyon",
            "Quartier Saint-Jean, 69005 Lyon",
            (45.7622, 4.8271),
            120,
            StageStatus::Published,
        ),
        (
            "nantes",
            "Nantes",
            4,
            "Le Solilab",
            "8 rue Saint-Domingue, 44200 Nantes",
            (47.2064, -1.5647),
            60,
            StageStatus::Published,
        ),
        (
            "grenoble",
            "Grenoble",
            5,
            "La Casemate",
            "2 place Saint-Laurent, 38000 Grenoble",
            (45.1951, 5.7316),
            50,
            StageStatus::Draft,
        ),
    ] {
        let place = Place {
            slug,
            city,
            venue_name: venue,
            venue_address: address,
            coordinates,
        };
        let mut spec = illustrative_stage(place, day(offset)?, capacity, status, opens);
        if slug == "lyon" {
            spec.projects = lyon_projects();
        }
        stages.push(build_stage(&edition, spec)?);
    }
    Ok((edition, stages))
}

fn date(year: i32, month: u32, day: u32) -> Result<NaiveDate, DemoError> {
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| invalid("impossible date"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_2013_lyon_stage_has_its_keynote_and_five_pitches() {
        let (edition, stages) = social_good_week_2013().unwrap();
        assert_eq!(edition.number, 2);
        let (lyon, lineup) = stages
            .iter()
            .find(|(s, _)| s.slug.as_str() == "lyon")
            .unwrap();
        assert_eq!(
            lyon.starts_at.format("%Y-%m-%d %H:%M").to_string(),
            "2013-12-12 17:30"
        );
        assert_eq!(lineup.speakers[0].name, "Yann Moulier-Boutang");
        let names: Vec<_> = lineup.projects.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "HelloAsso",
                "Arizuka",
                "ProBonoLab",
                "Travelwithamission",
                "Prêt de Chez Moi"
            ]
        );
        assert!(stages.len() >= 4);
    }

    #[test]
    fn the_upcoming_demo_opens_registrations_on_the_day_it_is_loaded() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let (edition, stages) = upcoming_demo(today).unwrap();
        assert_eq!(
            edition.starts_on,
            NaiveDate::from_ymd_opt(2026, 12, 27).unwrap()
        );
        let now = today.and_hms_opt(12, 0, 0).unwrap().and_utc();
        let (lyon, _) = stages
            .iter()
            .find(|(s, _)| s.slug.as_str() == "lyon")
            .unwrap();
        assert!(lyon.registration_is_open(now));
    }
}
