//! Several servers, one PostgreSQL database: two release `etape serve` processes on one fresh
//! database, both sending email to one real SMTP listener, and a registration rush split
//! across them. They must behave as one: exact capacity, arrivals numbered without gap in the
//! order seats were given, and each registration's email sent exactly once, whichever server's
//! worker took it.
//!
//! A check, run by `scripts/test` after the release build (and by hand:
//! `cargo run --release --example servers -- -h`). It owns only what it creates: a PostgreSQL
//! database named `etape_servers_*`, removed at the end, and the two server processes.

mod bench;
#[path = "../tests/it/smtp_sink.rs"]
mod smtp_sink;

use app::db::registrations::{counts, list_registrations};
use app::domain::registration::RegistrationStatus;
use bench::{Engine, Failure, Scratch, Server};
use clap::Parser;
use smtp_sink::SmtpSink;
use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

#[derive(Parser)]
#[command(about = "Two release etape servers on one PostgreSQL database, one rush")]
struct Args {
    /// Registrations in the rush, each with its own address.
    #[arg(short = 'n', long, default_value_t = 800)]
    registrations: usize,
    /// Seats on the stage.
    #[arg(short = 'c', long, default_value_t = 300)]
    capacity: u32,
    /// Concurrent clients, alternately on each server.
    #[arg(short = 'k', long, default_value_t = 40)]
    clients: usize,
    #[command(flatten)]
    target: bench::Target,
}

const EDITION: &str = "servers-week";
const STAGE: &str = "together";

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    if args.clients == 0 || args.registrations == 0 {
        eprintln!("servers: -n and -k must be at least 1");
        return ExitCode::from(2);
    }
    if !args.target.server.is_file() {
        eprintln!(
            "servers: no server binary at {} (scripts/build makes it)",
            args.target.server.display()
        );
        return ExitCode::from(2);
    }
    let outcome =
        match Scratch::create("etape_servers", Engine::Postgres, &args.target.postgres_url).await {
            Ok(database) => {
                let outcome = run(&database, &args).await;
                database.remove().await;
                outcome
            }
            Err(error) => Err(error),
        };
    match outcome {
        Ok(()) => {
            println!("servers: two servers on one database behaved as one");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("servers: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(database: &Scratch, args: &Args) -> Result<(), Failure> {
    let db = etape::prepare_database(&database.storage()).await?;
    let ids = bench::programme::store(&db, EDITION, &[(STAGE, i64::from(args.capacity))]).await?;
    let stage_id = &ids[0];
    let sink = SmtpSink::start().await;
    let smtp = format!("smtp://{}", sink.address);
    let env = [("SMTP_URL", smtp.as_str())];
    let servers = [
        Server::start_with(&args.target.server, database, &env).await?,
        Server::start_with(&args.target.server, database, &env).await?,
    ];

    let next = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..args.clients)
        .map(|k| {
            let url = servers[k % 2].url(&format!("/{EDITION}/{STAGE}/register"));
            let (next, total) = (next.clone(), args.registrations);
            tokio::spawn(async move {
                let client = reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .timeout(Duration::from_secs(30))
                    .build()
                    .unwrap_or_default();
                let mut failures = Vec::new();
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= total {
                        return failures;
                    }
                    let (name, email) = (format!("Personne {n}"), address(n));
                    let form = [
                        ("name", name.as_str()),
                        ("email", email.as_str()),
                        ("consent", "true"),
                    ];
                    if let Err(error) = bench::register(&client, &url, &form).await {
                        failures.push(error);
                    }
                }
            })
        })
        .collect();
    let mut failures = Vec::new();
    for client in clients {
        failures.extend(client.await?);
    }
    if let Some(first) = failures.first() {
        return Err(format!("{} registrations failed, e.g. {first}", failures.len()).into());
    }
    println!(
        "   {} registrations across two servers, {} seats",
        args.registrations, args.capacity
    );

    // Seats: exact, and given in arrival order.
    let got = counts(&db, stage_id).await?;
    let registrations = list_registrations(&db, stage_id).await?;
    let seats = (args.capacity as usize).min(args.registrations);
    let in_order = registrations.iter().enumerate().all(|(i, r)| {
        let want = if i < seats {
            RegistrationStatus::Confirmed
        } else {
            RegistrationStatus::Waitlisted
        };
        r.arrival == i as i64 + 1 && r.status == want
    });
    if registrations.len() != args.registrations || got.confirmed as usize != seats || !in_order {
        return Err(format!(
            "{} stored, {} confirmed for {seats} seats, arrivals and seats in order: {in_order}",
            registrations.len(),
            got.confirmed
        )
        .into());
    }
    println!(
        "   {} confirmed, {} waiting, arrivals 1..{} in order: OK",
        got.confirmed,
        got.waitlisted,
        registrations.len()
    );

    // Emails: every one arrives, and none twice, though both servers' workers deliver.
    for _ in 0..600 {
        if sink.messages().len() >= args.registrations {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Time for a duplicate to show up, if a second worker were to send one.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let messages = sink.messages().len();
    let mut per_address = BTreeMap::<String, usize>::new();
    for message in sink.messages() {
        for to in message.rcpt_to {
            *per_address.entry(to).or_default() += 1;
        }
    }
    let twice: Vec<_> = per_address.iter().filter(|(_, n)| **n > 1).collect();
    let missing = (0..args.registrations)
        .filter(|n| !per_address.contains_key(&address(*n)))
        .count();
    sink.stop();
    drop(servers);
    if messages != args.registrations || !twice.is_empty() || missing > 0 {
        return Err(format!(
            "{messages} emails for {} registrations: {} addresses got more than one (e.g. {:?}), \
             {missing} got none",
            args.registrations,
            twice.len(),
            twice.first()
        )
        .into());
    }
    println!("   {messages} emails, one per registration, none twice: OK");
    db.close().await;
    Ok(())
}

fn address(n: usize) -> String {
    format!("together-{n}@example.org")
}
