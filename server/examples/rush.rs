//! The registration rush: K clients register N people over HTTP for one stage of capacity C,
//! against the release `etape` binary started on a fresh database, on SQLite and/or PostgreSQL.
//! It prints registrations per second and latency percentiles, then checks through the database
//! that exactly C registrations are confirmed and the rest wait, in arrival order.
//!
//! A benchmark, not a test: `scripts/bench-registrations` builds and runs it (see
//! docs/benchmarks.md). It owns only what it creates: a temporary SQLite file or a PostgreSQL
//! database named `etape_rush_*`, both removed at the end, and the server child process.

mod bench;
#[path = "../tests/it/smtp_sink.rs"]
mod smtp_sink;

use app::db::registrations::{counts, list_registrations};
use app::db::Db;
use app::domain::registration::RegistrationStatus;
use bench::{cpu_seconds, percentile, Engine, EngineChoice, Failure, Scratch, Server};
use clap::Parser;
use smtp_sink::SmtpSink;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(about = "Registration rush against the release etape binary")]
struct Args {
    /// Which database engine(s) to run the rush on.
    #[arg(long, value_enum, default_value_t = EngineChoice::Both)]
    engine: EngineChoice,
    /// Registrations to send in total (N), each with its own email address.
    #[arg(short = 'n', long, default_value_t = 5000)]
    registrations: usize,
    /// Seats on the stage (C); the others join the waiting list.
    #[arg(short = 'c', long, default_value_t = 1000)]
    capacity: u32,
    /// Concurrent clients (K), each with one keep-alive connection.
    #[arg(short = 'k', long, default_value_t = 100)]
    clients: usize,
    /// Registrations sent first to another stage, not measured (0: no warm-up).
    #[arg(long, default_value_t = 500)]
    warmup: usize,
    /// Send the emails to an SMTP listener in this tool, as a deployment does, instead of the
    /// server keeping them (no `SMTP_URL`): the delivery worker then writes, signs and sends
    /// each one during the rush.
    #[arg(long)]
    smtp: bool,
    #[command(flatten)]
    target: bench::Target,
}

const EDITION: &str = "rush-week";
const STAGE: &str = "rush";
const WARMUP_STAGE: &str = "warm-up";

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    if args.clients == 0 || args.registrations == 0 {
        eprintln!("rush: -n and -k must be at least 1");
        return ExitCode::from(2);
    }
    if !args.target.server.is_file() {
        eprintln!(
            "rush: no server binary at {} (build it with `cargo build --release -p etape`)",
            args.target.server.display()
        );
        return ExitCode::from(2);
    }
    let engines = args.engine.engines();
    println!(
        "rush: {}, server {}",
        bench::machine(),
        args.target
            .server
            .canonicalize()
            .unwrap_or(args.target.server.clone())
            .display()
    );
    let mut rows = Vec::new();
    let mut ok = true;
    for &engine in engines {
        match run(engine, &args).await {
            Ok(report) => {
                ok &= report.passed;
                rows.push(report.row);
            }
            Err(error) => {
                eprintln!("rush: {}: {error}", engine.name());
                ok = false;
            }
        }
    }
    println!("\n| engine | N | C | K | registrations/s | p50 | p95 | p99 | max | errors | seats |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    for row in rows {
        println!("{row}");
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

struct Report {
    row: String,
    passed: bool,
}

/// One rush on one engine: fresh database, fresh server, rush, checks, cleanup.
async fn run(engine: Engine, args: &Args) -> Result<Report, Failure> {
    let database = Scratch::create("etape_rush", engine, &args.target.postgres_url).await?;
    let outcome = rush_on(&database, engine, args).await;
    database.remove().await;
    outcome
}

async fn rush_on(database: &Scratch, engine: Engine, args: &Args) -> Result<Report, Failure> {
    let db = etape::prepare_database(&database.storage()).await?;
    let stage_id = store_programme(&db, args).await?;

    let sink = if args.smtp {
        Some(SmtpSink::start().await)
    } else {
        None
    };
    let smtp_url = sink.as_ref().map(|sink| format!("smtp://{}", sink.address));
    let env: Vec<(&str, &str)> = smtp_url
        .iter()
        .map(|url| ("SMTP_URL", url.as_str()))
        .collect();
    let mut server = Server::start_with(&args.target.server, database, &env).await?;
    let client = |_| {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(1)
            .timeout(Duration::from_secs(30))
            .build()
    };
    let clients = (0..args.clients)
        .map(client)
        .collect::<Result<Vec<_>, _>>()?;

    println!(
        "\n== {}: N={} registrations, capacity C={}, K={} clients, warm-up {} on another stage",
        engine.name(),
        args.registrations,
        args.capacity,
        args.clients,
        args.warmup
    );
    if args.warmup > 0 {
        let url = server.url(&format!("/{EDITION}/{WARMUP_STAGE}/register"));
        let warm = rush(&clients, &url, "warm-up", args.warmup).await;
        if warm.errors() > 0 {
            return Err(format!("{} warm-up registrations failed", warm.errors()).into());
        }
    }
    let url = server.url(&format!("/{EDITION}/{STAGE}/register"));
    let cpu_before = (server.cpu_seconds(), cpu_seconds("self"));
    let measured = rush(&clients, &url, "rush", args.registrations).await;
    let cpu_after = (server.cpu_seconds(), cpu_seconds("self"));
    drop(clients);
    // Let the delivery worker catch up a moment, to say how far behind the rush left it.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let emails = bench::outbox_counts(&db).await?;
    let received = sink.as_ref().map(|sink| sink.messages().len());
    server.stop();
    if let Some(sink) = sink {
        sink.stop();
    }

    let mut latencies: Vec<Duration> = measured.samples.iter().map(|s| s.latency).collect();
    latencies.sort_unstable();
    let rate = args.registrations as f64 / measured.wall.as_secs_f64();
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    let (p50, p95, p99, max) = (
        percentile(&latencies, 50.0),
        percentile(&latencies, 95.0),
        percentile(&latencies, 99.0),
        latencies.last().copied().unwrap_or_default(),
    );
    println!(
        "   wall {:.2} s, {rate:.0} registrations/s",
        measured.wall.as_secs_f64()
    );
    println!(
        "   latency p50 {}, p95 {}, p99 {}, max {}",
        ms(p50),
        ms(p95),
        ms(p99),
        ms(max)
    );
    if let ((Some(s0), Some(t0)), (Some(s1), Some(t1))) = (cpu_before, cpu_after) {
        let wall = measured.wall.as_secs_f64();
        println!(
            "   CPU during the rush: server {:.2} cores, load tool {:.2} cores",
            (s1 - s0) / wall,
            (t1 - t0) / wall
        );
    }
    let errors = measured.errors();
    println!("   errors {errors}");
    measured.print_errors();

    let check = check_seats(&db, &stage_id, args).await?;
    println!("   {}", check.message);
    println!(
        "   emails queued {} ({} still pending 0.5 s after the rush)",
        emails.total, emails.pending
    );
    if let Some(received) = received {
        println!("   emails received by the SMTP listener by then: {received} (warm-up included)");
    }
    db.close().await;

    let passed = errors == 0 && check.passed;
    let row = format!(
        "| {} | {} | {} | {} | {rate:.0} | {} | {} | {} | {} | {errors} | {} |",
        engine.name(),
        args.registrations,
        args.capacity,
        args.clients,
        ms(p50),
        ms(p95),
        ms(p99),
        ms(max),
        if check.passed { "ok" } else { "WRONG" },
    );
    Ok(Report { row, passed })
}

/// The edition with the measured stage of capacity C and a warm-up stage. Returns the
/// measured stage's id.
async fn store_programme(db: &Db, args: &Args) -> Result<String, Failure> {
    let warmup_capacity = i64::try_from(args.warmup)?;
    let ids = bench::programme::store(
        db,
        EDITION,
        &[
            (STAGE, i64::from(args.capacity)),
            (WARMUP_STAGE, warmup_capacity),
        ],
    )
    .await?;
    Ok(ids[0].clone())
}

struct Sample {
    latency: Duration,
    /// `Ok` for a `303` to `/registrations/…`; otherwise what came back.
    outcome: Result<(), String>,
}

struct Rush {
    wall: Duration,
    samples: Vec<Sample>,
}

impl Rush {
    fn errors(&self) -> usize {
        self.samples.iter().filter(|s| s.outcome.is_err()).count()
    }

    fn print_errors(&self) {
        let mut seen = std::collections::BTreeMap::<&str, usize>::new();
        for sample in &self.samples {
            if let Err(error) = &sample.outcome {
                *seen.entry(error.as_str()).or_default() += 1;
            }
        }
        for (error, count) in seen {
            println!("     {count} × {error}");
        }
    }
}

/// `total` registrations for `url`, from all clients at once; each client sends its next
/// registration as soon as its previous one is answered.
async fn rush(clients: &[reqwest::Client], url: &str, label: &str, total: usize) -> Rush {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = clients
        .iter()
        .map(|client| {
            let (client, next, url) = (client.clone(), next.clone(), url.to_owned());
            let label = label.to_owned();
            tokio::spawn(async move {
                let mut samples = Vec::new();
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= total {
                        return samples;
                    }
                    let name = format!("Personne {n}");
                    let email = format!("{label}-{n}@example.org");
                    let form = [
                        ("name", name.as_str()),
                        ("email", email.as_str()),
                        ("consent", "true"),
                    ];
                    let sent = Instant::now();
                    let outcome = bench::register(&client, &url, &form).await;
                    samples.push(Sample {
                        latency: sent.elapsed(),
                        outcome,
                    });
                }
            })
        })
        .collect();
    let mut samples = Vec::with_capacity(total);
    for task in tasks {
        match task.await {
            Ok(mut some) => samples.append(&mut some),
            Err(error) => eprintln!("rush: a client task failed: {error}"),
        }
    }
    Rush {
        wall: started.elapsed(),
        samples,
    }
}

struct SeatCheck {
    passed: bool,
    message: String,
}

/// Exactly C confirmed, N − C waiting, and the seats went to the first C arrivals.
async fn check_seats(db: &Db, stage_id: &str, args: &Args) -> Result<SeatCheck, Failure> {
    let want_confirmed = args.registrations.min(args.capacity as usize);
    let want_waiting = args.registrations - want_confirmed;
    let got = counts(db, stage_id).await?;
    let registrations = list_registrations(db, stage_id).await?;
    let arrivals_in_order = registrations
        .iter()
        .enumerate()
        .all(|(i, r)| r.arrival == i as i64 + 1);
    let seats_by_arrival = registrations.iter().enumerate().all(|(i, r)| {
        let want = if i < want_confirmed {
            RegistrationStatus::Confirmed
        } else {
            RegistrationStatus::Waitlisted
        };
        r.status == want
    });
    let passed = got.confirmed as usize == want_confirmed
        && got.waitlisted as usize == want_waiting
        && arrivals_in_order
        && seats_by_arrival;
    let message = format!(
        "confirmed {} (want {want_confirmed}), waiting {} (want {want_waiting}), \
         arrivals 1..{} without gaps: {}, seats to the first arrivals: {} => {}",
        got.confirmed,
        got.waitlisted,
        registrations.len(),
        yes(arrivals_in_order),
        yes(seats_by_arrival),
        if passed { "OK" } else { "WRONG" }
    );
    Ok(SeatCheck { passed, message })
}

fn yes(value: bool) -> &'static str {
    if value {
        "yes"
    } else {
        "no"
    }
}
