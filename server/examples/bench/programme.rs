//! A published edition a month ahead whose stages have been open for registration since
//! yesterday: what the rush and the crash guard register for.

use super::Failure;
use app::db::{editions, stages, Db};
use app::domain::{Edition, EditionStatus, Lineup, NewEdition, NewStage, Stage, StageStatus};
use chrono::{Days, NaiveDate, Utc};

/// Stores the edition `slug` with one stage per `(slug, capacity)`; returns the stages' ids,
/// in the same order.
pub async fn store(
    db: &Db,
    slug: &str,
    stage_capacities: &[(&str, i64)],
) -> Result<Vec<String>, Failure> {
    let today = Utc::now().date_naive();
    let edition = edition(slug, today + Days::new(30))?;
    let opens = (today - Days::new(1)).and_hms_opt(9, 0, 0).ok_or("09:00")?;
    let programme = stage_capacities
        .iter()
        .map(|&(stage_slug, capacity)| {
            Ok((
                stage(&edition, stage_slug, capacity, opens)?,
                Lineup::default(),
            ))
        })
        .collect::<Result<Vec<_>, Failure>>()?;
    editions::insert_edition_programme(db, &edition, &programme).await?;
    let record = editions::find_published_edition(db, slug)
        .await?
        .ok_or("the edition was not stored")?;
    let mut ids = Vec::new();
    for (stage_slug, _) in stage_capacities {
        let stage = stages::find_public_stage(db, &record.id, stage_slug)
            .await?
            .ok_or("a stage was not stored")?;
        ids.push(stage.id);
    }
    Ok(ids)
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
    capacity: i64,
    opens_local: chrono::NaiveDateTime,
) -> Result<Stage, Failure> {
    let day = edition.starts_on;
    let at = |hour| day.and_hms_opt(hour, 0, 0).ok_or("a time of day");
    Ok(Stage::parse(
        NewStage {
            slug,
            city: "Lyon",
            venue_name: "La Sucrière",
            venue_address: "49-50 quai Rambaud, 69002 Lyon",
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
        },
        edition,
    )?)
}
