//! The organiser's hot paths over HTTP, against the release `etape` binary on a fresh database
//! (SQLite and/or PostgreSQL): logging in (Argon2id, slow by design, off the async threads:
//! `/healthz` is timed meanwhile), saving a stage form, and the workspace's home for a national
//! team whose edition has S stages with their registration counts.
//!
//! A benchmark, not a test: `scripts/bench-organiser` builds and runs it (see
//! docs/benchmarks.md). It owns what it creates: a temporary SQLite file or a PostgreSQL
//! database named `etape_organiser_*`, removed at the end, and the server child process.

mod bench;

use app::db::{accounts, editions, workspace, Db};
use app::domain::access::Role;
use app::domain::account::NewPassword;
use app::domain::registration::Email;
use app::domain::stage_form::StageForm;
use app::domain::{Edition, EditionStatus, Lineup, NewEdition, NewStage, Stage, StageStatus};
use bench::{percentile, Engine, EngineChoice, Failure, Scratch, Server};
use chrono::{Days, NaiveDate, Utc};
use clap::Parser;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(about = "The organiser workspace's hot paths against the release etape binary")]
struct Args {
    #[arg(long, value_enum, default_value_t = EngineChoice::Both)]
    engine: EngineChoice,
    /// Stages in the edition (S).
    #[arg(short = 's', long, default_value_t = 1000)]
    stages: usize,
    /// Logins to time.
    #[arg(long, default_value_t = 20)]
    logins: usize,
    /// Stage form saves to time.
    #[arg(long, default_value_t = 300)]
    saves: usize,
    /// Workspace home pages to time.
    #[arg(long, default_value_t = 50)]
    homes: usize,
    #[command(flatten)]
    target: bench::Target,
}

const EDITION: &str = "organiser-week";
const EMAIL: &str = "national@example.org";
const PASSWORD: &str = "une phrase de passe pour le banc";

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    if !args.target.server.is_file() {
        eprintln!(
            "organiser: no server binary at {}",
            args.target.server.display()
        );
        return ExitCode::from(2);
    }
    let engines = args.engine.engines();
    println!("organiser: {}", bench::machine());
    let mut rows = Vec::new();
    let mut ok = true;
    for &engine in engines {
        let database =
            match Scratch::create("etape_organiser", engine, &args.target.postgres_url).await {
                Ok(database) => database,
                Err(error) => {
                    eprintln!("organiser: {}: {error}", engine.name());
                    ok = false;
                    continue;
                }
            };
        match run(engine, &database, &args).await {
            Ok(mut lines) => rows.append(&mut lines),
            Err(error) => {
                eprintln!("organiser: {}: {error}", engine.name());
                ok = false;
            }
        }
        database.remove().await;
    }
    println!("\n| engine | path | n | p50 | p99 | max |");
    println!("|---|---|---:|---:|---:|---:|");
    for row in rows {
        println!("{row}");
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn row(engine: Engine, path: &str, mut samples: Vec<Duration>) -> String {
    samples.sort_unstable();
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    format!(
        "| {} | {path} | {} | {} | {} | {} |",
        engine.name(),
        samples.len(),
        ms(percentile(&samples, 50.0)),
        ms(percentile(&samples, 99.0)),
        ms(samples.last().copied().unwrap_or_default())
    )
}

async fn run(engine: Engine, database: &Scratch, args: &Args) -> Result<Vec<String>, Failure> {
    let db = etape::prepare_database(&database.storage()).await?;
    println!("\n== {}: {} stages", engine.name(), args.stages);
    let started = Instant::now();
    store(&db, args.stages).await?;
    println!("   stored in {:.1} s", started.elapsed().as_secs_f64());
    let server = Server::start(&args.target.server, database).await?;
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers({
            let mut headers = reqwest::header::HeaderMap::new();
            headers.insert("origin", server.base.parse()?);
            headers
        })
        .build()?;
    let mut rows = Vec::new();

    // Logging in, while another client asks /healthz every 2 ms: the hash must not stall it.
    let stop = Arc::new(AtomicBool::new(false));
    let health = {
        let stop = stop.clone();
        let url = server.url("/healthz");
        tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut samples = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let start = Instant::now();
                if client.get(&url).send().await.is_ok() {
                    samples.push(start.elapsed());
                }
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            samples
        })
    };
    let mut logins = Vec::with_capacity(args.logins);
    for _ in 0..args.logins {
        let start = Instant::now();
        let response = http
            .post(server.url("/workspace/login"))
            .form(&[("email", EMAIL), ("password", PASSWORD)])
            .send()
            .await?;
        logins.push(start.elapsed());
        if response.status() != reqwest::StatusCode::SEE_OTHER {
            return Err(format!("login answered {}", response.status()).into());
        }
    }
    stop.store(true, Ordering::Relaxed);
    let health = health.await?;
    rows.push(row(engine, "POST /workspace/login", logins));
    rows.push(row(engine, "GET /healthz during the logins", health));

    // Saving a stage form: the description changes each time (nobody is emailed).
    let record = editions::find_edition(&db, EDITION)
        .await?
        .ok_or("the edition was not stored")?;
    let first = workspace::stages(&db, &record.id)
        .await?
        .into_iter()
        .next()
        .ok_or("no stage")?;
    let (_, stored) = app::db::stages::find_stage_by_id(&db, &first.id)
        .await?
        .ok_or("no stage")?;
    let mut form = StageForm::from_stage(&stored.stage);
    let path = server.url(&app::paths::workspace_stage(EDITION, &first.slug));
    let mut saves = Vec::with_capacity(args.saves);
    for n in 0..args.saves {
        form.description = format!("Version {n} de la description.");
        let start = Instant::now();
        let response = http.post(&path).form(&form).send().await?;
        saves.push(start.elapsed());
        if response.status() != reqwest::StatusCode::SEE_OTHER {
            return Err(format!("saving the stage answered {}", response.status()).into());
        }
    }
    rows.push(row(engine, "POST stage form", saves));

    // The national team's home: every stage with its counts.
    let mut homes = Vec::with_capacity(args.homes);
    let mut bytes = 0;
    for _ in 0..args.homes {
        let start = Instant::now();
        let response = http.get(server.url("/workspace")).send().await?;
        let body = response.text().await?;
        homes.push(start.elapsed());
        bytes = body.len();
        if body.matches("data-stage=").count() != args.stages {
            return Err("the home does not list every stage".into());
        }
    }
    println!("   workspace home: {bytes} bytes of HTML");
    rows.push(row(
        engine,
        &format!("GET /workspace ({} stages)", args.stages),
        homes,
    ));
    Ok(rows)
}

/// The edition with its stages, three registrations on each, and the national team's account.
async fn store(db: &Db, count: usize) -> Result<(), Failure> {
    let today = Utc::now().date_naive();
    let edition = edition(today + Days::new(20))?;
    let opens = (today - Days::new(1)).and_hms_opt(9, 0, 0).ok_or("09:00")?;
    let stages = (0..count)
        .map(|n| Ok((stage(&edition, n, opens)?, Lineup::default())))
        .collect::<Result<Vec<_>, Failure>>()?;
    editions::insert_edition_programme(db, &edition, &stages).await?;
    let record = editions::find_edition(db, EDITION)
        .await?
        .ok_or("the edition was not stored")?;
    for summary in workspace::stages(db, &record.id).await? {
        for person in 0..3 {
            register(
                db,
                &summary.id,
                &format!("p{person}.{}@example.org", summary.slug),
            )
            .await?;
        }
    }
    let hash = etape::auth::password::hash(&NewPassword::parse(PASSWORD)?).await?;
    let id = accounts::create(
        db,
        accounts::NewAccount {
            email: &Email::parse(EMAIL)?,
            name: "Équipe nationale",
            password_hash: &hash,
            platform_admin: false,
        },
        Utc::now(),
    )
    .await?;
    accounts::grant(
        db,
        &id,
        &Role::EditionAdmin {
            edition: record.id.clone(),
        },
        Utc::now(),
    )
    .await?;
    Ok(())
}

async fn register(db: &Db, stage_id: &str, email: &str) -> Result<(), Failure> {
    let id = app::db::new_id();
    app::db::registrations::register(
        db,
        app::db::registrations::NewRegistration {
            id: &id,
            stage_id,
            attendee: &app::domain::registration::Attendee {
                name: "Personne".into(),
                email: Email::parse(email)?,
                organisation: None,
            },
            language: app::i18n::Locale::Fr,
            confirm_token_hash: "",
            feed_salt: None,
            now: Utc::now(),
        },
    )
    .await
    .map_err(|error| format!("registering: {error:?}"))?;
    Ok(())
}

fn edition(starts_on: NaiveDate) -> Result<Edition, Failure> {
    Ok(Edition::parse(NewEdition {
        name: "Organiser week",
        slug: EDITION,
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
    n: usize,
    opens_local: chrono::NaiveDateTime,
) -> Result<Stage, Failure> {
    let day = edition.starts_on + Days::new((n % 7) as u64);
    let at = |hour| day.and_hms_opt(hour, 0, 0).ok_or("a time of day");
    let slug = format!("ville-{n}");
    let city = format!("Ville {n}");
    Ok(Stage::parse(
        NewStage {
            slug: &slug,
            city: &city,
            venue_name: "Salle des fêtes",
            venue_address: "1 place de la Mairie",
            coordinates: None,
            time_zone: "Europe/Paris",
            starts_local: at(18)?,
            ends_local: at(21)?,
            theme: "Le numérique, pour qui ?",
            description: "",
            capacity: 100,
            registration_opens_local: opens_local,
            registration_closes_local: at(17)?,
            status: StageStatus::Published,
            co_organisers: vec![],
            confirm_email_minutes: None,
        },
        edition,
    )?)
}
