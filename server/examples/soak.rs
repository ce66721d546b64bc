//! The soak: the release `etape` binary under mixed concurrent load for minutes on end (ten by
//! default), on a fresh database, on SQLite and/or PostgreSQL. K clients, each with one
//! keep-alive connection, send requests back to back until the deadline, in a fixed mix (`MIX`):
//! pages (most with a query string never asked before, so that the one-second page cache does
//! not absorb them), registrations through the stage's form (each with a new address, and the
//! "my registration" page its `303` leads to), calendar feeds (edition, city, stage, and the
//! attendee feeds of people registered earlier in the run) and the JSON API. Every request has
//! a 30 s timeout. Every 10 s the tool samples the server's resident memory and CPU time.
//!
//! At the end it prints a Markdown summary for docs/benchmarks.md, and fails when any request
//! got an answer other than the expected one or no answer, when the server's memory grew
//! (`memory_is_flat`), or when the database disagrees with what was answered (`check_seats`).
//!
//! A benchmark, not a test: `scripts/bench-soak` builds and runs it (see docs/benchmarks.md).
//! It owns only what it creates: a temporary SQLite file or a PostgreSQL database named
//! `etape_soak_*`, both removed at the end, and the server child process.

mod bench;

use app::db::registrations::counts;
use app::db::Db;
use bench::{cpu_seconds, percentile, Engine, EngineChoice, Failure, Posted, Scratch, Server};
use clap::Parser;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(about = "Mixed load against the release etape binary for minutes on end")]
struct Args {
    /// Which database engine(s) to soak, one after the other.
    #[arg(long, value_enum, default_value_t = EngineChoice::Sqlite)]
    engine: EngineChoice,
    /// How long the load lasts, in minutes (fractions too: 0.5).
    #[arg(long, default_value_t = 10.0)]
    minutes: f64,
    /// How long the load lasts, in seconds, instead of `--minutes`.
    #[arg(long, conflicts_with = "minutes")]
    seconds: Option<f64>,
    /// Concurrent clients (K), each with one keep-alive connection.
    #[arg(short = 'k', long, default_value_t = 64)]
    clients: usize,
    #[command(flatten)]
    target: bench::Target,
}

impl Args {
    fn seconds(&self) -> f64 {
        self.seconds.unwrap_or(self.minutes * 60.0)
    }
}

const EDITION: &str = "soak-week";

/// The edition's stages: `(slug, city, capacity)`. Registrations go to each in turn. The small
/// ones are full within seconds and put everyone after on the waiting list; `marseille` fills
/// within minutes; the large ones keep giving seats for the whole run (at a thousand
/// registrations a second, ten minutes bring each stage 75,000).
const STAGES: &[(&str, &str, i64)] = &[
    ("lyon-jeudi", "Lyon", 50),
    ("lyon-samedi", "Lyon", 1_000_000),
    ("paris-mardi", "Paris", 200),
    ("paris-mercredi", "Paris", 2_000),
    ("paris-vendredi", "Paris", 1_000_000),
    ("marseille", "Marseille", 20_000),
    ("lille", "Lille", 1_000_000),
    ("nantes", "Nantes", 500),
];

/// How long a client waits for an answer; past it, the request counts as unanswered. The
/// server's own limit (`ETAPE_REQUEST_TIMEOUT`) is as long, so a request it gives up on is
/// answered `503` before this passes.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// How often the server's memory and CPU time are sampled (and a progress line printed).
const SAMPLE_EVERY: Duration = Duration::from_secs(10);

/// Attendee feed addresses kept for the feed requests to pick from (the newest replace the
/// oldest), so that the tool's memory stays flat as well.
const ATTENDEE_FEEDS_KEPT: usize = 1024;

/// Problems printed per kind of request, the first ones.
const EXAMPLES_KEPT: usize = 3;

/// What a request asked for: a row of the summary.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    StagePage,
    EditionPage,
    CachedPage,
    Registration,
    MyRegistration,
    EditionFeed,
    CityFeed,
    StageFeed,
    AttendeeFeed,
    ApiProgramme,
    ApiStage,
}

const KINDS: [Kind; 11] = [
    Kind::StagePage,
    Kind::EditionPage,
    Kind::CachedPage,
    Kind::Registration,
    Kind::MyRegistration,
    Kind::EditionFeed,
    Kind::CityFeed,
    Kind::StageFeed,
    Kind::AttendeeFeed,
    Kind::ApiProgramme,
    Kind::ApiStage,
];

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::StagePage => "stage page, new query string",
            Kind::EditionPage => "edition page, new query string",
            Kind::CachedPage => "home, edition or stage page, no query",
            Kind::Registration => "registration form (`POST`, `303`)",
            Kind::MyRegistration => "\"my registration\" (the `303`'s page)",
            Kind::EditionFeed => "edition feed",
            Kind::CityFeed => "city feed",
            Kind::StageFeed => "stage feed",
            Kind::AttendeeFeed => "attendee feed",
            Kind::ApiProgramme => "API: editions, edition",
            Kind::ApiStage => "API: stage, line-up",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One turn's choice; a feed turn takes edition, city, stage and attendee feeds in turn.
#[derive(Clone, Copy)]
enum Turn {
    StagePage,
    EditionPage,
    CachedPage,
    Registration,
    Feed,
    ApiProgramme,
    ApiStage,
}

/// The mix, one round of 20 turns, interleaved so that every stretch of the run has each:
/// 9 pages (45 %: 4 stage pages and 3 edition pages with a new query string, 2 without),
/// 4 registrations (20 %; each also reads the page its `303` leads to, not counted as a turn),
/// 4 feeds (20 %) and 3 JSON API reads (15 %).
const MIX: [Turn; 20] = [
    Turn::StagePage,
    Turn::Registration,
    Turn::EditionPage,
    Turn::Feed,
    Turn::ApiStage,
    Turn::StagePage,
    Turn::CachedPage,
    Turn::Registration,
    Turn::Feed,
    Turn::EditionPage,
    Turn::ApiProgramme,
    Turn::StagePage,
    Turn::Registration,
    Turn::Feed,
    Turn::CachedPage,
    Turn::EditionPage,
    Turn::ApiStage,
    Turn::StagePage,
    Turn::Registration,
    Turn::Feed,
];

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let seconds = args.seconds();
    if args.clients == 0 || !seconds.is_finite() || seconds <= 0.0 {
        eprintln!("soak: -k must be at least 1 and the duration more than 0");
        return ExitCode::from(2);
    }
    if !args.target.server.is_file() {
        eprintln!(
            "soak: no server binary at {} (build it with `cargo build --release -p etape`)",
            args.target.server.display()
        );
        return ExitCode::from(2);
    }
    println!(
        "soak: {}, server {}",
        bench::machine(),
        args.target
            .server
            .canonicalize()
            .unwrap_or(args.target.server.clone())
            .display()
    );
    let mut reports = Vec::new();
    let mut failures = Vec::new();
    for &engine in args.engine.engines() {
        match run(engine, &args).await {
            Ok(report) => {
                failures.extend(
                    report
                        .failures
                        .iter()
                        .map(|failure| format!("{}: {failure}", engine.name())),
                );
                reports.push(report);
            }
            Err(error) => failures.push(format!("{}: {error}", engine.name())),
        }
    }
    for report in &reports {
        println!("\n{}", report.requests_table);
    }
    if !reports.is_empty() {
        println!(
            "\n| engine | minutes | K | requests | requests/s | errors | unanswered | RSS at 10 % \
             | at 20 % | at the end | max | memory | server CPU | seats |"
        );
        println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|");
        for report in &reports {
            println!("{}", report.overall_row);
        }
    }
    if failures.is_empty() {
        println!("\nsoak: every request answered as expected, memory flat, seats right");
        ExitCode::SUCCESS
    } else {
        eprintln!("\nsoak: FAILED");
        for failure in failures {
            eprintln!("  {failure}");
        }
        ExitCode::FAILURE
    }
}

struct Report {
    requests_table: String,
    overall_row: String,
    /// Why the soak fails; empty when it passes.
    failures: Vec<String>,
}

/// One soak on one engine: fresh database, fresh server, load, checks, cleanup.
async fn run(engine: Engine, args: &Args) -> Result<Report, Failure> {
    let database = Scratch::create("etape_soak", engine, &args.target.postgres_url).await?;
    let outcome = soak_on(&database, engine, args).await;
    database.remove().await;
    outcome
}

/// A stage the load asks for.
struct Target {
    id: String,
    slug: String,
    city_slug: String,
    capacity: u32,
}

async fn soak_on(database: &Scratch, engine: Engine, args: &Args) -> Result<Report, Failure> {
    let db = etape::prepare_database(&database.storage()).await?;
    let stored = bench::programme::store_in_cities(&db, EDITION, STAGES).await?;
    let stages: Vec<Target> = stored
        .into_iter()
        .map(|record| Target {
            id: record.id,
            slug: record.stage.slug.as_str().to_owned(),
            city_slug: record.stage.city_slug.as_str().to_owned(),
            capacity: record.stage.capacity,
        })
        .collect();
    let mut cities: Vec<String> = stages.iter().map(|s| s.city_slug.clone()).collect();
    cities.sort();
    cities.dedup();

    let mut server = Server::start(&args.target.server, database).await?;
    let duration = Duration::from_secs_f64(args.seconds());
    println!(
        "\n== {}: {:.2} min, K={} clients, {} stages in {} cities",
        engine.name(),
        duration.as_secs_f64() / 60.0,
        args.clients,
        stages.len(),
        cities.len()
    );
    let rss_at_start = server.rss_bytes();
    if let Some(rss) = rss_at_start {
        println!("   RSS before the load {}", mib(rss));
    }

    let started = Instant::now();
    let load = Arc::new(Load {
        base: server.base.clone(),
        started,
        deadline: started + duration,
        registered: stages.iter().map(|_| Registered::default()).collect(),
        stages,
        cities,
        turn: AtomicUsize::new(0),
        registrations: AtomicUsize::new(0),
        feeds: AtomicUsize::new(0),
        done: AtomicUsize::new(0),
        errors: AtomicUsize::new(0),
        unanswered: AtomicUsize::new(0),
        attendee_feeds: Mutex::new(Vec::new()),
        examples: Mutex::new(Vec::new()),
    });
    let tool_cpu_before = cpu_seconds("self");
    let server_cpu_before = server.cpu_seconds();
    let sampler = tokio::spawn(sample(load.clone(), server.pid(), started, duration));
    let clients: Vec<_> = (0..args.clients)
        .map(|_| tokio::spawn(client(load.clone())))
        .collect();
    let mut tally = Tally::default();
    for client in clients {
        tally.add(client.await??);
    }
    let wall = started.elapsed();
    let mut samples = sampler.await?;
    // The end: the load is over, the server still runs.
    let end = Sample::take(&load, server.pid(), wall);
    end.print(samples.last());
    samples.push(end);
    let server_cpu = match (server_cpu_before, server.cpu_seconds()) {
        (Some(before), Some(after)) => Some(after - before),
        _ => None,
    };
    let tool_cpu = match (tool_cpu_before, cpu_seconds("self")) {
        (Some(before), Some(after)) => Some(after - before),
        _ => None,
    };
    server.stop();

    let mut failures = Vec::new();
    let totals = tally.totals();
    println!(
        "   {} requests in {:.1} s: {:.0} requests/s, {} errors, {} unanswered",
        totals.requests,
        wall.as_secs_f64(),
        totals.requests as f64 / wall.as_secs_f64(),
        totals.errors,
        totals.unanswered
    );
    if let (Some(server_cpu), Some(tool_cpu)) = (server_cpu, tool_cpu) {
        println!(
            "   CPU: server {server_cpu:.1} s ({:.2} cores), load tool {tool_cpu:.1} s ({:.2} cores)",
            server_cpu / wall.as_secs_f64(),
            tool_cpu / wall.as_secs_f64()
        );
    }
    if totals.errors > 0 || totals.unanswered > 0 {
        failures.push(format!(
            "{} requests errored and {} went unanswered",
            totals.errors, totals.unanswered
        ));
        print_examples(&load);
    }

    let memory = Memory::of(&samples, duration, rss_at_start);
    println!("   {}", memory.verdict);
    if !memory.flat {
        failures.push(memory.verdict.clone());
    }

    let seats = check_seats(&db, &load).await?;
    for line in &seats.lines {
        println!("   {line}");
    }
    if !seats.passed {
        failures.push("the seats in the database disagree with the answers".to_owned());
    }
    db.close().await;

    let requests_table = format!(
        "{}\nLatency in the first and the last tenth of the run:\n\n{}",
        tally.table(engine, duration, args.clients, wall),
        tally.drift_table()
    );
    let overall_row = format!(
        "| {} | {:.2} | {} | {} | {:.0} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
        engine.name(),
        duration.as_secs_f64() / 60.0,
        args.clients,
        totals.requests,
        totals.requests as f64 / wall.as_secs_f64(),
        totals.errors,
        totals.unanswered,
        memory.at_10.map_or("?".to_owned(), mib),
        memory.at_20.map_or("?".to_owned(), mib),
        memory.at_end.map_or("?".to_owned(), mib),
        memory.max.map_or("?".to_owned(), mib),
        if memory.flat { "flat" } else { "GREW" },
        server_cpu.map_or("?".to_owned(), |s| format!("{s:.0} s")),
        if seats.passed { "ok" } else { "WRONG" },
    );
    Ok(Report {
        requests_table,
        overall_row,
        failures,
    })
}

/// What the clients share: where to send, what to ask for, and what came back so far.
struct Load {
    base: String,
    started: Instant,
    deadline: Instant,
    stages: Vec<Target>,
    cities: Vec<String>,
    /// The next turn of the mix, over all clients.
    turn: AtomicUsize,
    /// The next registration: its number makes its address.
    registrations: AtomicUsize,
    /// The next feed turn: edition, city, stage or attendee feed.
    feeds: AtomicUsize,
    /// Per stage, in `stages`' order.
    registered: Vec<Registered>,
    /// Requests done, answered or not.
    done: AtomicUsize,
    errors: AtomicUsize,
    unanswered: AtomicUsize,
    /// Attendee feed paths read from "my registration" pages (at most `ATTENDEE_FEEDS_KEPT`).
    attendee_feeds: Mutex<Vec<String>>,
    /// The first few problems of each kind, to print.
    examples: Mutex<Vec<(Kind, String)>>,
}

/// Registrations posted for one stage, and those answered with a `303`.
#[derive(Default)]
struct Registered {
    posted: AtomicUsize,
    acknowledged: AtomicUsize,
}

/// How a request ended.
enum Outcome {
    Expected,
    /// An answer, not the expected one: what it was.
    Error(String),
    /// No answer within `REQUEST_TIMEOUT`, or the connection failed.
    Unanswered(String),
}

impl Load {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn record(&self, tally: &mut Tally, kind: Kind, sent: Instant, outcome: Outcome) {
        let latency = sent.elapsed();
        let row = &mut tally.kinds[kind.index()];
        self.done.fetch_add(1, Ordering::Relaxed);
        let problem = match outcome {
            Outcome::Expected => {
                row.answered(latency, self.tenth(sent));
                return;
            }
            Outcome::Error(error) => {
                // An answer all the same: its time counts.
                row.answered(latency, self.tenth(sent));
                row.errors += 1;
                self.errors.fetch_add(1, Ordering::Relaxed);
                error
            }
            Outcome::Unanswered(error) => {
                row.unanswered += 1;
                self.unanswered.fetch_add(1, Ordering::Relaxed);
                error
            }
        };
        let mut examples = self.examples.lock().unwrap_or_else(|e| e.into_inner());
        if examples.iter().filter(|(k, _)| *k == kind).count() < EXAMPLES_KEPT {
            examples.push((kind, problem));
        }
    }

    /// Whether a request sent at `sent` was in the first or the last tenth of the run.
    fn tenth(&self, sent: Instant) -> Tenth {
        let tenth = (self.deadline - self.started) / 10;
        if sent < self.started + tenth {
            Tenth::First
        } else if sent >= self.deadline - tenth {
            Tenth::Last
        } else {
            Tenth::Between
        }
    }

    fn keep_attendee_feed(&self, registration: usize, path: String) {
        let mut feeds = self
            .attendee_feeds
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if feeds.len() < ATTENDEE_FEEDS_KEPT {
            feeds.push(path);
        } else {
            feeds[registration % ATTENDEE_FEEDS_KEPT] = path;
        }
    }

    fn attendee_feed(&self, n: usize) -> Option<String> {
        let feeds = self
            .attendee_feeds
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        (!feeds.is_empty()).then(|| feeds[spread(n) % feeds.len()].clone())
    }
}

/// One client: one keep-alive connection, a request as soon as the previous one is answered,
/// until the deadline.
async fn client(load: Arc<Load>) -> Result<Tally, reqwest::Error> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(1)
        .timeout(REQUEST_TIMEOUT)
        .build()?;
    let mut tally = Tally::default();
    while Instant::now() < load.deadline {
        let n = load.turn.fetch_add(1, Ordering::Relaxed);
        // A turn's place in the mix is fixed, so what alternates within a turn alternates by
        // round: with `n` itself, a turn always at an even place would always take one side.
        let round = n / MIX.len();
        let stage = &load.stages[spread(n) % load.stages.len()];
        match MIX[n % MIX.len()] {
            Turn::StagePage => {
                let path = format!("/{EDITION}/{}?soak={n}", stage.slug);
                get(
                    &load,
                    &client,
                    &mut tally,
                    Kind::StagePage,
                    &path,
                    page(round),
                )
                .await;
            }
            Turn::EditionPage => {
                let path = if round.is_multiple_of(2) {
                    format!("/{EDITION}?soak={n}")
                } else {
                    let city = &load.cities[spread(n + 1) % load.cities.len()];
                    format!("/{EDITION}?city={city}&soak={n}")
                };
                get(
                    &load,
                    &client,
                    &mut tally,
                    Kind::EditionPage,
                    &path,
                    page(round),
                )
                .await;
            }
            Turn::CachedPage => {
                let path = match round % 3 {
                    0 => "/".to_owned(),
                    1 => format!("/{EDITION}"),
                    _ => format!("/{EDITION}/{}", stage.slug),
                };
                get(
                    &load,
                    &client,
                    &mut tally,
                    Kind::CachedPage,
                    &path,
                    page(round),
                )
                .await;
            }
            Turn::Registration => register(&load, &client, &mut tally).await,
            Turn::Feed => {
                let f = load.feeds.fetch_add(1, Ordering::Relaxed);
                let attendee = if f % 4 == 3 {
                    load.attendee_feed(f)
                } else {
                    None
                };
                let (kind, path) = match (f % 4, attendee) {
                    (0, _) => (Kind::EditionFeed, format!("/feeds/{EDITION}.ics")),
                    (1, _) => (
                        Kind::CityFeed,
                        format!("/feeds/{EDITION}/{}.ics", stage.city_slug),
                    ),
                    (3, Some(path)) => (Kind::AttendeeFeed, path),
                    // Before the first registration, a stage feed instead.
                    _ => (
                        Kind::StageFeed,
                        format!("/feeds/{EDITION}/stages/{}.ics", stage.slug),
                    ),
                };
                get(&load, &client, &mut tally, kind, &path, CALENDAR_APP).await;
            }
            Turn::ApiProgramme => {
                let path = if round.is_multiple_of(2) {
                    "/api/v1/editions".to_owned()
                } else {
                    format!("/api/v1/editions/{EDITION}")
                };
                get(&load, &client, &mut tally, Kind::ApiProgramme, &path, API).await;
            }
            Turn::ApiStage => {
                let path = if round.is_multiple_of(2) {
                    format!("/api/v1/editions/{EDITION}/stages/{}", stage.slug)
                } else {
                    format!("/api/v1/editions/{EDITION}/stages/{}/lineup", stage.slug)
                };
                get(&load, &client, &mut tally, Kind::ApiStage, &path, API).await;
            }
        }
    }
    Ok(tally)
}

/// A browser's headers: compressed pages, as browsers ask for them (compressing is a good part
/// of a page's cost), in French one round and English the next, so that both languages have
/// their cached pages.
fn page(round: usize) -> &'static [(&'static str, &'static str)] {
    if round.is_multiple_of(2) {
        &[
            ("accept-encoding", "gzip, deflate, br"),
            ("accept-language", "fr-FR,fr;q=0.9"),
        ]
    } else {
        &[
            ("accept-encoding", "gzip, deflate, br"),
            ("accept-language", "en-GB,en;q=0.8"),
        ]
    }
}

const CALENDAR_APP: &[(&str, &str)] = &[("accept-encoding", "gzip")];
const API: &[(&str, &str)] = &[("accept", "application/json"), ("accept-encoding", "gzip")];

/// A `GET` that must be answered `200`.
async fn get(
    load: &Load,
    client: &reqwest::Client,
    tally: &mut Tally,
    kind: Kind,
    path: &str,
    headers: &[(&str, &str)],
) {
    let mut request = client.get(load.url(path));
    for &(name, value) in headers {
        request = request.header(name, value);
    }
    let sent = Instant::now();
    let outcome = match answer(request).await {
        Ok((200, _)) => Outcome::Expected,
        Ok((status, body)) => Outcome::Error(unexpected(path, status, &body)),
        Err(error) => Outcome::Unanswered(no_answer(&format!("GET {path}"), error)),
    };
    load.record(tally, kind, sent, outcome);
}

/// Registers a new address for the next stage in turn, then reads the "my registration" page
/// the `303` leads to, as a browser does, and keeps its attendee feed's address.
async fn register(load: &Load, client: &reqwest::Client, tally: &mut Tally) {
    let r = load.registrations.fetch_add(1, Ordering::Relaxed);
    let i = r % load.stages.len();
    let path = format!("/{EDITION}/{}/register", load.stages[i].slug);
    let (name, email) = (format!("Personne {r}"), format!("soak-{r}@example.org"));
    let form = [
        ("name", name.as_str()),
        ("email", email.as_str()),
        ("consent", "true"),
    ];
    load.registered[i].posted.fetch_add(1, Ordering::Relaxed);
    let sent = Instant::now();
    let location = match bench::post_registration(client, &load.url(&path), &form).await {
        Posted::Registered(location) => {
            load.registered[i]
                .acknowledged
                .fetch_add(1, Ordering::Relaxed);
            load.record(tally, Kind::Registration, sent, Outcome::Expected);
            location
        }
        Posted::Refused(answer) => {
            let error = format!("POST {path}: {answer}");
            return load.record(tally, Kind::Registration, sent, Outcome::Error(error));
        }
        Posted::NoAnswer(error) => {
            let error = no_answer(&format!("POST {path}"), error);
            return load.record(tally, Kind::Registration, sent, Outcome::Unanswered(error));
        }
    };
    // Uncompressed, to read the feed's address in it.
    let request = client
        .get(load.url(&location))
        .header("accept-language", "fr-FR,fr;q=0.9");
    let sent = Instant::now();
    // The token stays out of what is printed.
    let shown = "/registrations/…";
    let outcome = match answer(request).await {
        Ok((200, body)) => match attendee_feed_path(&body) {
            Some(feed) => {
                load.keep_attendee_feed(r, feed);
                Outcome::Expected
            }
            None => Outcome::Error(format!("{shown}: 200 without an attendee feed link")),
        },
        Ok((status, body)) => Outcome::Error(unexpected(shown, status, &body)),
        Err(error) => Outcome::Unanswered(no_answer(&format!("GET {shown}"), error)),
    };
    load.record(tally, Kind::MyRegistration, sent, outcome);
}

/// Sends the request and reads the whole body (so that the connection carries the next one).
async fn answer(request: reqwest::RequestBuilder) -> Result<(u16, Vec<u8>), reqwest::Error> {
    let response = request.send().await?;
    let status = response.status().as_u16();
    let body = response.bytes().await?;
    Ok((status, body.to_vec()))
}

/// `/feeds/attendee/{token}.ics`, from "my registration"'s calendar links.
fn attendee_feed_path(page: &[u8]) -> Option<String> {
    const PREFIX: &str = "/feeds/attendee/";
    let page = std::str::from_utf8(page).ok()?;
    let start = page.find(PREFIX)?;
    let rest = &page[start + PREFIX.len()..];
    let token_length = rest.find(".ics")?;
    let token = &rest[..token_length];
    let plain = !token.is_empty()
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    plain.then(|| format!("{PREFIX}{token}.ics"))
}

fn unexpected(path: &str, status: u16, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(400)]);
    // On one line: an error page's lines are joined.
    let words: Vec<&str> = text.split_whitespace().collect();
    let excerpt: String = words.join(" ").chars().take(120).collect();
    format!("GET {path}: HTTP {status}: {excerpt}")
}

/// Why `request` went unanswered, without its address (`request` says which it was; a private
/// link's token stays out).
fn no_answer(request: &str, error: reqwest::Error) -> String {
    let error = error.without_url();
    if error.is_timeout() {
        return format!(
            "{request}: no answer within {} s",
            REQUEST_TIMEOUT.as_secs()
        );
    }
    // reqwest's message alone says little ("error sending request"); its causes say why.
    let mut message = format!("{request}: no answer: {error}");
    let mut cause = std::error::Error::source(&error);
    while let Some(error) = cause {
        message.push_str(&format!(": {error}"));
        cause = error.source();
    }
    message
}

fn print_examples(load: &Load) {
    let examples = load.examples.lock().unwrap_or_else(|e| e.into_inner());
    println!("   the first problems of each kind:");
    for kind in KINDS {
        for (_, example) in examples.iter().filter(|(k, _)| *k == kind) {
            println!("     {}: {example}", kind.label());
        }
    }
}

/// Spreads turn numbers over stages and cities without a random generator: a run asks for the
/// same things in the same order (splitmix64's finaliser).
fn spread(n: usize) -> usize {
    let mut z = (n as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) as usize
}

/// What the clients saw, per kind of request.
#[derive(Default)]
struct Tally {
    kinds: [KindTally; KINDS.len()],
}

#[derive(Default)]
struct KindTally {
    /// Of answered requests, expected or not.
    latencies: Vec<Duration>,
    /// The same, of requests sent in the first and in the last tenth of the run: whether the
    /// server slows down as its tables grow.
    first_tenth: Vec<Duration>,
    last_tenth: Vec<Duration>,
    errors: usize,
    unanswered: usize,
}

enum Tenth {
    First,
    Between,
    Last,
}

impl KindTally {
    fn answered(&mut self, latency: Duration, tenth: Tenth) {
        self.latencies.push(latency);
        match tenth {
            Tenth::First => self.first_tenth.push(latency),
            Tenth::Between => {}
            Tenth::Last => self.last_tenth.push(latency),
        }
    }
}

struct Totals {
    requests: usize,
    errors: usize,
    unanswered: usize,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        for (mine, theirs) in self.kinds.iter_mut().zip(other.kinds) {
            mine.latencies.extend(theirs.latencies);
            mine.first_tenth.extend(theirs.first_tenth);
            mine.last_tenth.extend(theirs.last_tenth);
            mine.errors += theirs.errors;
            mine.unanswered += theirs.unanswered;
        }
    }

    fn totals(&self) -> Totals {
        Totals {
            requests: self
                .kinds
                .iter()
                .map(|k| k.latencies.len() + k.unanswered)
                .sum(),
            errors: self.kinds.iter().map(|k| k.errors).sum(),
            unanswered: self.kinds.iter().map(|k| k.unanswered).sum(),
        }
    }

    /// The Markdown table of requests per kind, and all together.
    fn table(
        &mut self,
        engine: Engine,
        duration: Duration,
        clients: usize,
        wall: Duration,
    ) -> String {
        let mut out = format!(
            "{}, {:.2} min, K={clients}:\n\n\
             | requests | count | requests/s | p50 | p95 | p99 | max | errors | unanswered |\n\
             |---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
            engine.name(),
            duration.as_secs_f64() / 60.0,
        );
        let mut all = Vec::new();
        let seconds = wall.as_secs_f64();
        let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
        let mut row = |label: &str, latencies: &mut Vec<Duration>, errors, unanswered| {
            latencies.sort_unstable();
            let count = latencies.len() + unanswered;
            out.push_str(&format!(
                "| {label} | {count} | {:.0} | {} | {} | {} | {} | {errors} | {unanswered} |\n",
                count as f64 / seconds,
                ms(percentile(latencies, 50.0)),
                ms(percentile(latencies, 95.0)),
                ms(percentile(latencies, 99.0)),
                ms(latencies.last().copied().unwrap_or_default()),
            ));
        };
        for kind in KINDS {
            let tally = &mut self.kinds[kind.index()];
            all.extend_from_slice(&tally.latencies);
            row(
                kind.label(),
                &mut tally.latencies,
                tally.errors,
                tally.unanswered,
            );
        }
        let totals = self.totals();
        row("**all**", &mut all, totals.errors, totals.unanswered);
        out
    }

    /// The Markdown table of latencies in the first and the last tenth of the run.
    fn drift_table(&mut self) -> String {
        let mut out = String::from(
            "| requests | p50, first tenth | p50, last tenth | p95, first tenth | p95, last tenth |\n\
             |---|---:|---:|---:|---:|\n",
        );
        let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
        let (mut all_first, mut all_last) = (Vec::new(), Vec::new());
        let mut row = |label: &str, first: &mut Vec<Duration>, last: &mut Vec<Duration>| {
            first.sort_unstable();
            last.sort_unstable();
            out.push_str(&format!(
                "| {label} | {} | {} | {} | {} |\n",
                ms(percentile(first, 50.0)),
                ms(percentile(last, 50.0)),
                ms(percentile(first, 95.0)),
                ms(percentile(last, 95.0)),
            ));
        };
        for kind in KINDS {
            let tally = &mut self.kinds[kind.index()];
            all_first.extend_from_slice(&tally.first_tenth);
            all_last.extend_from_slice(&tally.last_tenth);
            row(kind.label(), &mut tally.first_tenth, &mut tally.last_tenth);
        }
        row("**all**", &mut all_first, &mut all_last);
        out
    }
}

/// The server's memory and CPU time at one moment of the run.
struct Sample {
    at: Duration,
    rss: Option<u64>,
    cpu: Option<f64>,
    requests: usize,
    errors: usize,
    unanswered: usize,
}

impl Sample {
    fn take(load: &Load, pid: u32, at: Duration) -> Sample {
        let pid = pid.to_string();
        Sample {
            at,
            rss: bench::rss_bytes(&pid),
            cpu: cpu_seconds(&pid),
            requests: load.done.load(Ordering::Relaxed),
            errors: load.errors.load(Ordering::Relaxed),
            unanswered: load.unanswered.load(Ordering::Relaxed),
        }
    }

    /// A progress line: when, how many requests so far and at what rate since `previous`,
    /// memory, CPU, problems.
    fn print(&self, previous: Option<&Sample>) {
        let (at, requests) = previous.map_or((Duration::ZERO, 0), |p| (p.at, p.requests));
        let interval = (self.at - at).as_secs_f64().max(f64::EPSILON);
        let cores = match (previous.and_then(|p| p.cpu), self.cpu) {
            (Some(before), Some(now)) => format!("{:.2} cores", (now - before) / interval),
            _ => "? cores".to_owned(),
        };
        println!(
            "   {:>6.1} s  {:>9} requests  {:>6.0}/s  RSS {:>10}  {cores}  errors {}, \
             unanswered {}",
            self.at.as_secs_f64(),
            self.requests,
            (self.requests - requests) as f64 / interval,
            self.rss.map_or("?".to_owned(), mib),
            self.errors,
            self.unanswered,
        );
    }
}

/// Samples every `SAMPLE_EVERY`, and at 10 % and 20 % of the run (`Memory`'s marks), until
/// the deadline; prints each sample.
async fn sample(load: Arc<Load>, pid: u32, started: Instant, duration: Duration) -> Vec<Sample> {
    let mut marks: Vec<Duration> = (1..)
        .map(|i| SAMPLE_EVERY * i)
        .take_while(|at| *at < duration)
        .collect();
    marks.extend([duration / 10, duration / 5]);
    marks.sort();
    marks.dedup();
    let mut samples: Vec<Sample> = Vec::with_capacity(marks.len() + 1);
    for at in marks {
        tokio::time::sleep_until((started + at).into()).await;
        let sample = Sample::take(&load, pid, at);
        sample.print(samples.last());
        samples.push(sample);
    }
    samples
}

/// The server's memory over the run, and whether it stayed flat.
struct Memory {
    at_10: Option<u64>,
    at_20: Option<u64>,
    at_end: Option<u64>,
    max: Option<u64>,
    flat: bool,
    verdict: String,
}

impl Memory {
    fn of(samples: &[Sample], duration: Duration, at_start: Option<u64>) -> Memory {
        let at = |mark: Duration| samples.iter().find(|s| s.at >= mark).and_then(|s| s.rss);
        let at_10 = at(duration / 10);
        let at_20 = at(duration / 5);
        let end = samples.last();
        let at_end = end.and_then(|s| s.rss);
        let max = samples.iter().filter_map(|s| s.rss).chain(at_start).max();
        let (flat, verdict) = match (at_20, at_end) {
            (Some(baseline), Some(last)) => {
                let allowed = baseline + allowance(baseline);
                let requests_after = end.map_or(0, |e| e.requests)
                    - samples
                        .iter()
                        .find(|s| s.at >= duration / 5)
                        .map_or(0, |s| s.requests);
                let flat = memory_is_flat(baseline, last);
                let leak = allowance(baseline) as f64 / requests_after.max(1) as f64;
                (
                    flat,
                    format!(
                        "memory {}: RSS {} at 20 % of the run, {} at the end, at most {} \
                         allowed (a leak of {leak:.0} bytes per request over the {} requests \
                         since would pass it)",
                        if flat { "flat" } else { "GREW" },
                        mib(baseline),
                        mib(last),
                        mib(allowed),
                        requests_after
                    ),
                )
            }
            _ => (
                false,
                "memory: the server's RSS could not be read (/proc/<pid>/status)".to_owned(),
            ),
        };
        Memory {
            at_10,
            at_20,
            at_end,
            max,
            flat,
            verdict,
        }
    }
}

/// How much the server's RSS may grow after the baseline, sampled at 20 % of the run: a
/// quarter of it, plus 16 MiB.
///
/// By then every bounded store has reached its working size: the page cache (its entry limit
/// is reached within seconds, since nearly every page asked for is new), the programme and
/// feed caches, the pools' connections and their statement caches, SQLite's page cache per
/// connection, and the allocator's per-thread arenas. What grows after that with the number of
/// requests is a leak, and over the remaining 80 % of the run it adds four times what it had
/// added by the baseline. The margin is for what still moves without being a leak: the
/// allocator keeps freed memory as fragmentation under a changing mix of sizes, and the one
/// arena a thread makes when it first allocates under contention is several MiB (hence the
/// fixed 16 MiB; the quarter covers fragmentation, which scales with what is in use). The
/// verdict prints the smallest leak per request this still catches.
fn allowance(baseline: u64) -> u64 {
    baseline / 4 + 16 * 1024 * 1024
}

fn memory_is_flat(baseline: u64, at_end: u64) -> bool {
    at_end <= baseline + allowance(baseline)
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

struct SeatCheck {
    passed: bool,
    lines: Vec<String>,
}

/// Through the database, per stage: no more confirmed than seats; nobody waiting while a seat
/// is free (the soak cancels nothing); every registration answered `303` stored, and nothing
/// stored that was not posted. Then every stored registration has its email in the outbox.
async fn check_seats(db: &Db, load: &Load) -> Result<SeatCheck, Failure> {
    let mut lines = Vec::new();
    let mut passed = true;
    let (mut stored_total, mut full, mut open) = (0, Vec::new(), Vec::new());
    for (stage, registered) in load.stages.iter().zip(&load.registered) {
        let got = counts(db, &stage.id).await?;
        let stored = (got.confirmed + got.waitlisted) as usize;
        stored_total += stored;
        let posted = registered.posted.load(Ordering::Relaxed);
        let acknowledged = registered.acknowledged.load(Ordering::Relaxed);
        let within_capacity = got.confirmed <= stage.capacity;
        let no_free_seat_wasted = got.waitlisted == 0 || got.confirmed == stage.capacity;
        let all_there = acknowledged <= stored && stored <= posted;
        let ok = within_capacity && no_free_seat_wasted && all_there;
        passed &= ok;
        if got.waitlisted > 0 {
            full.push(stage.slug.as_str());
        } else {
            open.push(stage.slug.as_str());
        }
        lines.push(format!(
            "{}: {} confirmed of {} seats, {} waiting; {acknowledged} answered 303 of {posted} \
             posted => {}",
            stage.slug,
            got.confirmed,
            stage.capacity,
            got.waitlisted,
            if ok { "OK" } else { "WRONG" }
        ));
    }
    lines.push(format!(
        "stages with a waiting list: {}; still giving seats: {}",
        list(&full),
        list(&open)
    ));
    let emails = bench::outbox_counts(db).await?;
    let emails_ok = emails.total as usize == stored_total;
    passed &= emails_ok;
    lines.push(format!(
        "emails queued {} for {stored_total} registrations ({} still pending) => {}",
        emails.total,
        emails.pending,
        if emails_ok { "OK" } else { "WRONG" }
    ));
    Ok(SeatCheck { passed, lines })
}

fn list(slugs: &[&str]) -> String {
    if slugs.is_empty() {
        "none".to_owned()
    } else {
        slugs.join(", ")
    }
}
