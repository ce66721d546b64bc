//! The crash guard: a process killed with SIGKILL loses nothing it acknowledged. For each
//! engine, against the release `etape` binary on a fresh database:
//!
//! 1. K clients register people for a stage of capacity C; once `--kill-after` registrations
//!    were answered with a 303, the server is killed (SIGKILL) in the middle of the rush.
//! 2. It is started again on the same database: every registration that got its 303 is
//!    there, each stored registration has its confirmation email in the outbox, no more than
//!    C are confirmed, arrivals have no gap, and the seats went to the first arrivals; the
//!    same again after a few more registrations.
//! 3. A check-in burst at one door over the confirmed tickets (by their short codes), killed
//!    the same way: every scan answered `admitted` is a check-in after the restart.
//!
//! A guard, run by `scripts/test` (and by hand: `cargo run --release --example crash -- -h`).
//! It owns only what it creates: a temporary SQLite file or a PostgreSQL database named
//! `etape_crash_*`, both removed at the end, and the server child process.

mod bench;

use app::db::registrations::{counts, list_registrations};
use app::db::{sql, Db};
use app::domain::registration::RegistrationStatus;
use bench::{EngineChoice, Failure, Scratch, Server};
use clap::Parser;
use std::collections::BTreeSet;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

#[derive(Parser)]
#[command(about = "Kill the release etape binary mid-rush and check it lost nothing")]
struct Args {
    #[arg(long, value_enum, default_value_t = EngineChoice::Both)]
    engine: EngineChoice,
    /// Registrations the clients try to send before the kill (which comes before the end).
    #[arg(short = 'n', long, default_value_t = 3000)]
    registrations: usize,
    /// Seats on the stage: fewer than `--kill-after`, so the waiting list has begun.
    #[arg(short = 'c', long, default_value_t = 300)]
    capacity: u32,
    /// Concurrent clients.
    #[arg(short = 'k', long, default_value_t = 32)]
    clients: usize,
    /// Acknowledged registrations (and then admitted scans) before the kill.
    #[arg(long, default_value_t = 400)]
    kill_after: usize,
    #[command(flatten)]
    target: bench::Target,
}

const EDITION: &str = "crash-week";
const STAGE: &str = "crash";
/// Registrations sent after the restart.
const AFTER_RESTART: usize = 50;

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    if args.clients == 0 || args.kill_after == 0 || args.kill_after >= args.registrations {
        eprintln!("crash: need -k ≥ 1 and 1 ≤ --kill-after < -n");
        return ExitCode::from(2);
    }
    if !args.target.server.is_file() {
        eprintln!(
            "crash: no server binary at {} (scripts/build makes it)",
            args.target.server.display()
        );
        return ExitCode::from(2);
    }
    let mut ok = true;
    for &engine in args.engine.engines() {
        println!("\n== crash guard on {}", engine.name());
        let outcome = match Scratch::create("etape_crash", engine, &args.target.postgres_url).await
        {
            Ok(database) => {
                let outcome = run(&database, &args).await;
                database.remove().await;
                outcome
            }
            Err(error) => Err(error),
        };
        if let Err(error) = outcome {
            eprintln!("crash: {}: {error}", engine.name());
            ok = false;
        }
    }
    if ok {
        println!("\ncrash: nothing acknowledged was lost");
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

async fn run(database: &Scratch, args: &Args) -> Result<(), Failure> {
    let db = etape::prepare_database(&database.storage()).await?;
    let ids = bench::programme::store(&db, EDITION, &[(STAGE, i64::from(args.capacity))]).await?;
    let stage_id = &ids[0];

    // 1. The registration rush, killed.
    let mut server = Server::start(&args.target.server, database).await?;
    let url = server.url(&format!("/{EDITION}/{STAGE}/register"));
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..args.clients)
        .map(|k| {
            let (url, acknowledged) = (url.clone(), acknowledged.clone());
            let share = (k..args.registrations).step_by(args.clients).collect();
            tokio::spawn(register_until_refused(url, share, acknowledged))
        })
        .collect();
    wait_for(&acknowledged, args.kill_after).await?;
    server.stop();
    let mut registered = BTreeSet::new();
    for client in clients {
        registered.extend(client.await?);
    }
    println!(
        "   registrations: killed after {} acknowledged",
        registered.len()
    );

    // 2. After the restart: everything acknowledged is there, and the seats are right; then
    // the rush goes on where it stopped, and they are still right.
    let mut server = Server::start(&args.target.server, database).await?;
    check_registrations(&db, stage_id, &registered, args.capacity).await?;
    let url = server.url(&format!("/{EDITION}/{STAGE}/register"));
    let more = (args.registrations..args.registrations + AFTER_RESTART).collect();
    let after = register_until_refused(url, more, Arc::new(AtomicUsize::new(0))).await;
    if after.len() != AFTER_RESTART {
        return Err(format!(
            "{} of {AFTER_RESTART} registered after the restart",
            after.len()
        )
        .into());
    }
    registered.extend(after);
    check_registrations(&db, stage_id, &registered, args.capacity).await?;

    // 3. The check-in burst, killed.
    let door = app::api::door::create_door_link(&db, stage_id, "Entrée", chrono::Utc::now())
        .await
        .map_err(|refused| format!("door link: {refused:?}"))?;
    let codes: Vec<(String,)> = db
        .fetch_all(
            sql(
                "SELECT short_code FROM registrations WHERE stage_id = $1 AND status = 'confirmed'",
            )
            .bind(stage_id.as_str()),
        )
        .await?;
    let codes: Vec<String> = codes.into_iter().map(|(code,)| code).collect();
    let kill_after = args.kill_after.min(codes.len() / 2).max(1);
    let url = server.url("/api/v1/checkins");
    let admitted = Arc::new(AtomicUsize::new(0));
    let doors: Vec<_> = (0..args.clients)
        .map(|k| {
            let share = codes
                .iter()
                .skip(k)
                .step_by(args.clients)
                .cloned()
                .collect();
            let (url, secret, admitted) = (url.clone(), door.secret.clone(), admitted.clone());
            tokio::spawn(scan_until_refused(url, secret, share, admitted))
        })
        .collect();
    wait_for(&admitted, kill_after).await?;
    server.stop();
    let mut scanned = BTreeSet::new();
    for door in doors {
        scanned.extend(door.await?);
    }
    println!(
        "   check-ins: {} tickets, killed after {} admitted",
        codes.len(),
        scanned.len()
    );
    let _server = Server::start(&args.target.server, database).await?;
    let stored: Vec<(String,)> = db
        .fetch_all(
            sql("SELECT r.short_code FROM checkins c \
                 JOIN registrations r ON r.id = c.registration_id WHERE c.stage_id = $1")
            .bind(stage_id.as_str()),
        )
        .await?;
    let stored: BTreeSet<String> = stored.into_iter().map(|(code,)| code).collect();
    let lost: Vec<&String> = scanned.difference(&stored).collect();
    if !lost.is_empty() {
        return Err(format!("{} admitted scans lost, e.g. {}", lost.len(), lost[0]).into());
    }
    println!(
        "   check-ins after the restart: {} stored, every one admitted is there: OK",
        stored.len()
    );
    db.close().await;
    Ok(())
}

/// Waits until `count` reaches `target`, for at most a minute.
async fn wait_for(count: &AtomicUsize, target: usize) -> Result<(), Failure> {
    for _ in 0..60_000 {
        if count.load(Ordering::Relaxed) >= target {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    Err(format!(
        "only {} of {target} acknowledged in a minute",
        count.load(Ordering::Relaxed)
    )
    .into())
}

fn email(n: usize) -> String {
    format!("crash-{n}@example.org")
}

/// Registers people `share` one after the other until the server stops answering; returns
/// the addresses whose registration was acknowledged.
async fn register_until_refused(
    url: String,
    share: Vec<usize>,
    acknowledged: Arc<AtomicUsize>,
) -> Vec<String> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap_or_default();
    let mut done = Vec::new();
    for n in share {
        let (name, address) = (format!("Personne {n}"), email(n));
        let form = [
            ("name", name.as_str()),
            ("email", address.as_str()),
            ("consent", "true"),
        ];
        if bench::register(&client, &url, &form).await.is_err() {
            // Killed (or refusing): what was not acknowledged may or may not be stored.
            break;
        }
        acknowledged.fetch_add(1, Ordering::Relaxed);
        done.push(address);
    }
    done
}

/// Scans the tickets `codes` at the door until the server stops answering; returns those
/// answered `admitted`.
async fn scan_until_refused(
    url: String,
    secret: String,
    codes: Vec<String>,
    admitted: Arc<AtomicUsize>,
) -> Vec<String> {
    let client = reqwest::Client::new();
    let mut done = Vec::new();
    for code in codes {
        let answer = client
            .post(&url)
            .bearer_auth(&secret)
            .json(&serde_json::json!({ "code": code }))
            .send()
            .await;
        let Ok(answer) = answer else { break };
        let Ok(body) = answer.json::<serde_json::Value>().await else {
            break;
        };
        if body["result"] != "admitted" {
            break;
        }
        admitted.fetch_add(1, Ordering::Relaxed);
        done.push(code);
    }
    done
}

/// Every acknowledged registration is stored with its email; the seats are exact and in
/// arrival order.
async fn check_registrations(
    db: &Db,
    stage_id: &str,
    acknowledged: &BTreeSet<String>,
    capacity: u32,
) -> Result<(), Failure> {
    let registrations = list_registrations(db, stage_id).await?;
    let stored: BTreeSet<String> = registrations
        .iter()
        .map(|r| r.attendee.email.as_str().to_owned())
        .collect();
    let lost: Vec<&String> = acknowledged.difference(&stored).collect();
    if !lost.is_empty() {
        return Err(format!(
            "{} acknowledged registrations lost, e.g. {}",
            lost.len(),
            lost[0]
        )
        .into());
    }
    let emailed: Vec<(String,)> = db
        .fetch_all(sql("SELECT DISTINCT recipient FROM outbox"))
        .await?;
    let emailed: BTreeSet<String> = emailed.into_iter().map(|(to,)| to).collect();
    let silent: Vec<&String> = stored.difference(&emailed).collect();
    if !silent.is_empty() {
        return Err(format!(
            "{} registrations without their email, e.g. {}",
            silent.len(),
            silent[0]
        )
        .into());
    }
    let got = counts(db, stage_id).await?;
    let seats = (capacity as usize).min(registrations.len());
    let in_order = registrations.iter().enumerate().all(|(i, r)| {
        let want = if i < seats {
            RegistrationStatus::Confirmed
        } else {
            RegistrationStatus::Waitlisted
        };
        r.arrival == i as i64 + 1 && r.status == want
    });
    if got.confirmed as usize != seats || !in_order {
        return Err(format!(
            "after the restart: {} confirmed for {seats} seats, arrivals and seats in order: {in_order}",
            got.confirmed
        )
        .into());
    }
    println!(
        "   after the restart: {} stored ({} acknowledged, all there), each with its email, \
         {} confirmed of {capacity} seats in arrival order: OK",
        registrations.len(),
        acknowledged.len(),
        got.confirmed
    );
    Ok(())
}
