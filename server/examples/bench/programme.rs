//! A published edition a month ahead whose stages have been open for registration since
//! yesterday: what the rush, the crash guard and the soak register for.

use super::Failure;
use app::db::stages::StageRecord;
use app::db::{editions, stages, Db};
use app::domain::{Edition, EditionStatus, Lineup, NewEdition, NewStage, Stage, StageStatus};
use chrono::{Days, NaiveDate, Utc};

/// Stores the edition `slug` with one stage in Lyon per `(slug, capacity)`; returns the
/// stages' ids, in the same order.
pub async fn store(
    db: &Db,
    slug: &str,
    stage_capacities: &[(&str, i64)],
) -> Result<Vec<String>, Failure> {
    let in_lyon: Vec<(&str, &str, i64)> = stage_capacities
        .iter()
        .map(|&(stage_slug, capacity)| (stage_slug, "Lyon", capacity))
        .collect();
    let stored = store_in_cities(db, slug, &in_lyon).await?;
    Ok(stored.into_iter().map(|record| record.id).collect())
}

/// Stores the edition `slug` with one stage per `(slug, city, capacity)`; returns the stages
/// as stored (ids, city slugs), in the same order.
pub async fn store_in_cities(
    db: &Db,
    slug: &str,
    stage_plan: &[(&str, &str, i64)],
) -> Result<Vec<StageRecord>, Failure> {
    let today = Utc::now().date_naive();
    let edition = edition(slug, today + Days::new(30))?;
    let opens = (today - Days::new(1)).and_hms_opt(9, 0, 0).ok_or("09:00")?;
    let programme = stage_plan
        .iter()
        .map(|&(stage_slug, city, capacity)| {
            Ok((
                stage(&edition, stage_slug, city, capacity, opens)?,
                Lineup::default(),
            ))
        })
        .collect::<Result<Vec<_>, Failure>>()?;
    editions::insert_edition_programme(db, &edition, &programme).await?;
    let record = editions::find_published_edition(db, slug)
        .await?
        .ok_or("the edition was not stored")?;
    let mut stored = Vec::new();
    for (stage_slug, _, _) in stage_plan {
        let stage = stages::find_public_stage(db, &record.id, stage_slug)
            .await?
            .ok_or("a stage was not stored")?;
        stored.push(stage);
    }
    Ok(stored)
}

fn edition(slug: &str, starts_on: NaiveDate) -> Result<Edition, Failure> {
    Ok(Edition::parse(NewEdition {
        name: "Registration rush",
        slug,
        number: 1,
        starts_on,
        ends_on: starts_on + Days::new(6),
        theme: "Benchmark",
        description: "",
        partners: vec![],
        status: EditionStatus::Published,
    })?)
}

fn stage(
    edition: &Edition,
    slug: &str,
    city: &str,
    capacity: i64,
    opens_local: chrono::NaiveDateTime,
) -> Result<Stage, Failure> {
    let day = edition.starts_on;
    let at = |hour| day.and_hms_opt(hour, 0, 0).ok_or("a time of day");
    // Lyon's venue is the one the rush's figures were measured with.
    let (venue_name, venue_address) = match city {
        "Lyon" => ("La Sucrière", "49-50 quai Rambaud, 69002 Lyon".to_owned()),
        _ => ("Salle des fêtes", format!("1 place de la Mairie, {city}")),
    };
    Ok(Stage::parse(
        NewStage {
            slug,
            city,
            venue_name,
            venue_address: &venue_address,
            coordinates: None,
            time_zone: "Europe/Paris",
            starts_local: at(18)?,
            ends_local: at(21)?,
            theme: "Combien de places ?",
            description: "",
            capacity,
            registration_opens_local: opens_local,
            registration_closes_local: at(17)?,
            status: StageStatus::Published,
            co_organisers: vec![],
            confirm_email_minutes: None,
        },
        edition,
    )?)
}
