//! Calendar feeds of a large edition: S stages with I programme items each, stored in a fresh
//! SQLite file, served by the release `etape` binary. Prints how long the edition feed and a
//! stage feed take, cold (the server's one-second programme cache expired) and warm, their
//! sizes, and a `304` answer.
//!
//! A benchmark, not a test: `scripts/bench-feeds` builds and runs it (docs/benchmarks.md).

mod bench;

use app::api::cache::ProgrammeCache;
use app::db::{editions, stages, Db};
use app::domain::lineup::{NewProgrammeItem, ProgrammeItem, ScheduledItem};
use app::domain::{Edition, EditionStatus, Lineup, NewEdition, NewStage, Stage, StageStatus};
use app::i18n::Locale;
use app::links::Links;
use bench::{percentile, Engine, Failure, Scratch, Server};
use chrono::{Days, Utc};
use clap::Parser;
use etape::feeds::calendar::render;
use etape::feeds::{Reader, Scope};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(about = "Calendar feeds of a large edition against the release etape binary")]
struct Args {
    /// Stages in the edition.
    #[arg(short = 's', long, default_value_t = 1000)]
    stages: usize,
    /// Programme items per stage.
    #[arg(short = 'i', long, default_value_t = 10)]
    items: usize,
    /// Requests per measurement.
    #[arg(short = 'r', long, default_value_t = 20)]
    requests: usize,
    /// The server binary to start (build it with `cargo build --release`).
    #[arg(long, default_value = "target/release/etape")]
    server: PathBuf,
}

const EDITION: &str = "grande-semaine";

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    if args.stages == 0 || args.requests == 0 {
        eprintln!("feeds: -s and -r must be at least 1");
        return ExitCode::from(2);
    }
    let scratch = match Scratch::create("etape_feeds", Engine::Sqlite, "").await {
        Ok(scratch) => scratch,
        Err(error) => {
            eprintln!("feeds: {error}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = run(&scratch, &args).await;
    scratch.remove().await;
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("feeds: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(scratch: &Scratch, args: &Args) -> Result<(), Failure> {
    let db = etape::prepare_database(&scratch.storage()).await?;
    let started = Instant::now();
    store_edition(&db, args).await?;
    db.close().await;
    println!(
        "feeds: stored {} stages × {} items in {:.1} s",
        args.stages,
        args.items,
        started.elapsed().as_secs_f64()
    );
    in_process(scratch, args).await?;
    let server = Server::start(&args.server, scratch).await?;
    let client = reqwest::Client::new();
    println!("\n| feed | cache | requests | size | p50 | p95 | max |");
    println!("|---|---|---:|---:|---:|---:|---:|");
    for (label, path) in [
        ("edition", format!("/feeds/{EDITION}.ics")),
        ("stage", format!("/feeds/{EDITION}/stages/stage-0001.ics")),
    ] {
        let url = server.url(&path);
        let cold = measure(&client, &url, args.requests, true).await?;
        println!("{}", cold.row(label, "cold"));
        let warm = measure(&client, &url, args.requests, false).await?;
        println!("{}", warm.row(label, "warm"));
    }
    // A client that already has the edition feed.
    let url = server.url(&format!("/feeds/{EDITION}.ics"));
    let etag = client
        .head(&url)
        .send()
        .await?
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .ok_or("no ETag")?;
    let started = Instant::now();
    let answer = client
        .get(&url)
        .header("if-none-match", &etag)
        .send()
        .await?;
    println!(
        "\nfeeds: If-None-Match on the edition feed: {} in {:.1} ms",
        answer.status(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}

/// Where the time of one edition feed goes, without HTTP: reading (storage, no cache) and
/// rendering.
async fn in_process(scratch: &Scratch, args: &Args) -> Result<(), Failure> {
    let db = etape::prepare_database(&scratch.storage()).await?;
    let cache = ProgrammeCache::new(Duration::ZERO);
    let links = Links::new("https://etape.example", [7; 32]);
    let reader = Reader {
        db: &db,
        cache: &cache,
        links: &links,
        locale: Locale::Fr,
    };
    let scope = Scope::Edition {
        edition: EDITION.to_owned(),
    };
    let (mut reading, mut rendering) = (Vec::new(), Vec::new());
    for _ in 0..args.requests {
        let started = Instant::now();
        let published = reader.read(&scope).await.map_err(|e| format!("{e:?}"))?;
        reading.push(started.elapsed());
        let started = Instant::now();
        std::hint::black_box(render(&published.feed));
        rendering.push(started.elapsed());
    }
    let record = editions::find_published_edition(&db, EDITION)
        .await?
        .ok_or("no edition")?;
    let (mut stages_read, mut items_read) = (Vec::new(), Vec::new());
    for _ in 0..args.requests {
        let started = Instant::now();
        std::hint::black_box(stages::list_public_stages(&db, &record.id).await?);
        stages_read.push(started.elapsed());
        let started = Instant::now();
        std::hint::black_box(stages::list_edition_programme(&db, EDITION).await?);
        items_read.push(started.elapsed());
    }
    for list in [
        &mut reading,
        &mut rendering,
        &mut stages_read,
        &mut items_read,
    ] {
        list.sort();
    }
    let ms = |d: &[Duration]| percentile(d, 50.0).as_secs_f64() * 1000.0;
    println!(
        "feeds: edition feed in process, p50: read {:.1} ms (stages {:.1} ms, programme items \
         {:.1} ms), render {:.1} ms",
        ms(&reading),
        ms(&stages_read),
        ms(&items_read),
        ms(&rendering),
    );
    db.close().await;
    Ok(())
}

struct Measured {
    requests: usize,
    bytes: usize,
    latencies: Vec<Duration>,
}

impl Measured {
    fn row(&self, feed: &str, cache: &str) -> String {
        let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
        format!(
            "| {feed} | {cache} | {} | {:.0} KiB | {} | {} | {} |",
            self.requests,
            self.bytes as f64 / 1024.0,
            ms(percentile(&self.latencies, 50.0)),
            ms(percentile(&self.latencies, 95.0)),
            ms(percentile(&self.latencies, 100.0)),
        )
    }
}

/// Times `requests` GETs of `url`; `cold` waits for the server's one-second cache to expire
/// before each, so each one reads the database and builds the feed.
async fn measure(
    client: &reqwest::Client,
    url: &str,
    requests: usize,
    cold: bool,
) -> Result<Measured, Failure> {
    let mut latencies = Vec::with_capacity(requests);
    let mut bytes = 0;
    for _ in 0..requests {
        if cold {
            tokio::time::sleep(Duration::from_millis(1100)).await;
        }
        let started = Instant::now();
        let response = client.get(url).send().await?;
        if !response.status().is_success() {
            return Err(format!("{url}: {}", response.status()).into());
        }
        bytes = response.bytes().await?.len();
        latencies.push(started.elapsed());
    }
    latencies.sort();
    Ok(Measured {
        requests,
        bytes,
        latencies,
    })
}

/// One published edition of `args.stages` evening stages over a week, in a few time zones,
/// each with `args.items` programme items of 15 minutes.
async fn store_edition(db: &Db, args: &Args) -> Result<(), Failure> {
    let starts_on = Utc::now().date_naive() + Days::new(30);
    let edition = Edition::parse(NewEdition {
        name: "La grande semaine",
        slug: EDITION,
        number: 1,
        starts_on,
        ends_on: starts_on + Days::new(6),
        theme: "Mille villes, une semaine : l'économie sociale et solidaire partout",
        description: "",
        partners: vec![],
        status: EditionStatus::Published,
    })?;
    let zones = [
        "Europe/Paris",
        "Europe/Brussels",
        "America/Montreal",
        "Africa/Dakar",
    ];
    let mut programme = Vec::with_capacity(args.stages);
    for n in 1..=args.stages {
        let slug = format!("stage-{n:04}");
        let city = format!("Ville numéro {n}");
        let day = starts_on + Days::new((n % 7) as u64);
        let at = |hour, minute| day.and_hms_opt(hour, minute, 0).ok_or("a time of day");
        let stage = Stage::parse(
            NewStage {
                slug: &slug,
                city: &city,
                venue_name: "Tiers-lieu de l'économie sociale et solidaire",
                venue_address: "12 rue de la Coopération",
                coordinates: Some((45.0 + n as f64 / 1000.0, 4.0)),
                time_zone: zones[n % zones.len()],
                starts_local: at(18, 0)?,
                ends_local: at(21, 0)?,
                theme: "Comment financer les projets à impact social près de chez vous ?",
                description: "",
                capacity: 100,
                registration_opens_local: (starts_on - Days::new(20))
                    .and_hms_opt(9, 0, 0)
                    .ok_or("9:00")?,
                registration_closes_local: at(17, 0)?,
                status: StageStatus::Published,
                co_organisers: vec![],
                confirm_email_minutes: None,
            },
            &edition,
        )?;
        let mut items = Vec::with_capacity(args.items);
        for i in 0..args.items {
            let title = format!("Présentation n° {} : un projet à fort impact, ses besoins en financement et en compétences", i + 1);
            let item = ProgrammeItem::parse(
                NewProgrammeItem {
                    starts_at: stage.starts_at + chrono::Duration::minutes(15 * i as i64),
                    duration_minutes: 15,
                    kind: "pitch",
                    title: &title,
                },
                &stage,
            )?;
            items.push(ScheduledItem {
                item,
                speakers: vec![],
                projects: vec![],
            });
        }
        programme.push((stage, Lineup::new(vec![], vec![], items)?));
    }
    editions::insert_edition_programme(db, &edition, &programme).await?;
    Ok(())
}
