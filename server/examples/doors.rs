//! Door check-in over HTTP, against the release `etape` binary on a fresh database (SQLite
//! and/or PostgreSQL): D doors scan N different tickets at once (each ticket's first scan),
//! then every ticket again at another door (re-scans). Prints scans per second and p50/p99,
//! and fails unless every first scan admitted and every re-scan reported the first.
//!
//! A benchmark, not a test: `scripts/bench-doors` builds and runs it (see docs/benchmarks.md).
//! It owns what it creates: a temporary SQLite file or a PostgreSQL database named
//! `etape_doors_*`, removed at the end, and the server child process.

mod bench;

use app::db::{editions, ticket_keys, workspace, Db};
use app::domain::registration::Email;
use app::domain::ticket::TicketPayload;
use app::domain::{Edition, EditionStatus, Lineup, NewEdition, NewStage, Stage, StageStatus};
use bench::{percentile, Engine, EngineChoice, Failure, Scratch, Server};
use chrono::{Days, Utc};
use clap::Parser;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(about = "Door check-in against the release etape binary")]
struct Args {
    #[arg(long, value_enum, default_value_t = EngineChoice::Both)]
    engine: EngineChoice,
    /// Tickets, each scanned once, then once again.
    #[arg(short = 'n', long, default_value_t = 10_000)]
    tickets: usize,
    /// Doors scanning at once.
    #[arg(short = 'd', long, default_value_t = 20)]
    doors: usize,
    #[command(flatten)]
    target: bench::Target,
}

const EDITION: &str = "door-week";

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    if !args.target.server.is_file() {
        eprintln!(
            "doors: no server binary at {}",
            args.target.server.display()
        );
        return ExitCode::from(2);
    }
    let engines = args.engine.engines();
    println!("doors: {}", bench::machine());
    let mut rows = Vec::new();
    let mut ok = true;
    for &engine in engines {
        let database = match Scratch::create("etape_doors", engine, &args.target.postgres_url).await
        {
            Ok(database) => database,
            Err(error) => {
                eprintln!("doors: {}: {error}", engine.name());
                ok = false;
                continue;
            }
        };
        match run(engine, &database, &args).await {
            Ok(mut lines) => rows.append(&mut lines),
            Err(error) => {
                eprintln!("doors: {}: {error}", engine.name());
                ok = false;
            }
        }
        database.remove().await;
    }
    println!("\n| engine | scans | doors | n | scans/s | p50 | p99 | max |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        println!("{row}");
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

async fn run(engine: Engine, database: &Scratch, args: &Args) -> Result<Vec<String>, Failure> {
    let db = etape::prepare_database(&database.storage()).await?;
    println!(
        "\n== {}: {} tickets, {} doors",
        engine.name(),
        args.tickets,
        args.doors
    );
    let started = Instant::now();
    let (secrets, codes) = store(&db, args.tickets, args.doors).await?;
    println!("   stored in {:.1} s", started.elapsed().as_secs_f64());
    let server = Server::start(&args.target.server, database).await?;
    let url = server.url("/api/v1/checkins");
    let mut rows = Vec::new();
    for (phase, expected, shift) in [
        ("first scans", "admitted", 0),
        ("re-scans at another door", "already_checked_in", 1),
    ] {
        let cpu_before = server.cpu_seconds();
        let start = Instant::now();
        let mut tasks = Vec::new();
        for (door, secret) in secrets.iter().enumerate() {
            // Door d scans the tickets of door d - shift: a re-scan is always elsewhere.
            let owner = (door + args.doors - shift) % args.doors;
            let mine: Vec<String> = codes
                .iter()
                .skip(owner)
                .step_by(args.doors)
                .cloned()
                .collect();
            let (url, secret) = (url.clone(), secret.clone());
            tasks.push(tokio::spawn(async move {
                scan_all(&url, &secret, &mine, expected).await
            }));
        }
        let mut samples = Vec::with_capacity(codes.len());
        for task in tasks {
            samples.append(&mut task.await??);
        }
        let elapsed = start.elapsed();
        let cpu = match (cpu_before, server.cpu_seconds()) {
            (Some(before), Some(after)) => format!(", server CPU {:.1} s", after - before),
            _ => String::new(),
        };
        println!(
            "   {phase}: {} in {:.2} s{cpu}",
            samples.len(),
            elapsed.as_secs_f64()
        );
        rows.push(row(engine, phase, args.doors, samples, elapsed));
    }
    let (admitted,): (i64,) = db
        .fetch_one(app::db::sql("SELECT COUNT(*) FROM checkins"))
        .await?;
    if admitted != args.tickets as i64 {
        return Err(format!("{admitted} check-ins stored for {} tickets", args.tickets).into());
    }
    Ok(rows)
}

/// Scans each code once at one door; every answer must be `expected`.
async fn scan_all(
    url: &str,
    secret: &str,
    codes: &[String],
    expected: &str,
) -> Result<Vec<Duration>, String> {
    let client = reqwest::Client::new();
    let mut samples = Vec::with_capacity(codes.len());
    for code in codes {
        let start = Instant::now();
        let response = client
            .post(url)
            .bearer_auth(secret)
            .json(&serde_json::json!({ "code": code }))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let body: serde_json::Value = response.json().await.map_err(|e| e.to_string())?;
        samples.push(start.elapsed());
        if body["result"] != expected {
            return Err(format!("expected {expected}, got {body}"));
        }
    }
    Ok(samples)
}

fn row(
    engine: Engine,
    phase: &str,
    doors: usize,
    mut samples: Vec<Duration>,
    elapsed: Duration,
) -> String {
    samples.sort_unstable();
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    format!(
        "| {} | {phase} | {doors} | {} | {:.0} | {} | {} | {} |",
        engine.name(),
        samples.len(),
        samples.len() as f64 / elapsed.as_secs_f64(),
        ms(percentile(&samples, 50.0)),
        ms(percentile(&samples, 99.0)),
        ms(samples.last().copied().unwrap_or_default())
    )
}

/// One stage with `tickets` confirmed registrations and `doors` door links; returns the door
/// secrets and the ticket codes, signed as the ticket page signs them.
async fn store(
    db: &Db,
    tickets: usize,
    doors: usize,
) -> Result<(Vec<String>, Vec<String>), Failure> {
    let today = Utc::now().date_naive();
    let edition = Edition::parse(NewEdition {
        name: "Door week",
        slug: EDITION,
        number: 1,
        starts_on: today + Days::new(20),
        ends_on: today + Days::new(26),
        theme: "Benchmark",
        description: "",
        partners: vec![],
        status: EditionStatus::Published,
    })?;
    let day = edition.starts_on;
    let at = |hour| day.and_hms_opt(hour, 0, 0).ok_or("a time of day");
    let stage = Stage::parse(
        NewStage {
            slug: "grande-salle",
            city: "Lyon",
            venue_name: "Grande salle",
            venue_address: "1 place de la Mairie",
            coordinates: None,
            time_zone: "Europe/Paris",
            starts_local: at(18)?,
            ends_local: at(23)?,
            theme: "Entrer vite",
            description: "",
            capacity: i64::try_from(tickets)?,
            registration_opens_local: (today - Days::new(1)).and_hms_opt(9, 0, 0).ok_or("09:00")?,
            registration_closes_local: at(17)?,
            status: StageStatus::Published,
            co_organisers: vec![],
            confirm_email_minutes: None,
        },
        &edition,
    )?;
    editions::insert_edition_programme(db, &edition, &[(stage, Lineup::default())]).await?;
    let record = editions::find_edition(db, EDITION)
        .await?
        .ok_or("the edition was not stored")?;
    let stage_id = workspace::stages(db, &record.id)
        .await?
        .into_iter()
        .next()
        .ok_or("no stage")?
        .id;
    let key = ticket_keys::find_active_key(db, &record.id)
        .await?
        .ok_or("no edition key")?;
    let stage_bytes = *uuid::Uuid::parse_str(&stage_id)?.as_bytes();
    let mut codes = Vec::with_capacity(tickets);
    for n in 0..tickets {
        let id = app::db::new_id();
        app::db::registrations::register(
            db,
            app::db::registrations::NewRegistration {
                id: &id,
                stage_id: &stage_id,
                attendee: &app::domain::registration::Attendee {
                    name: format!("Personne {n}"),
                    email: Email::parse(&format!("p{n}@example.org"))?,
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
        codes.push(key.sign(&TicketPayload {
            ticket_id: *uuid::Uuid::parse_str(&id)?.as_bytes(),
            stage_id: stage_bytes,
        }));
    }
    let mut secrets = Vec::with_capacity(doors);
    for door in 0..doors {
        let made =
            app::api::door::create_door_link(db, &stage_id, &format!("Porte {door}"), Utc::now())
                .await
                .map_err(|refused| format!("door link: {refused:?}"))?;
        secrets.push(made.secret);
    }
    Ok((secrets, codes))
}
