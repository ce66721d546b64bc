//! `etape`: serve the site (default), apply migrations, load the demo editions, or run an
//! organiser's or operator's command (capacity, cancellations, door links, reminders).

use clap::{Parser, Subcommand};
use etape::config::{Config, Storage, DEFAULT_DATABASE_URL};
use etape::master_key::MasterKeySource;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    name = "etape",
    version,
    about = "Étape — events that happen in many cities at once"
)]
struct Cli {
    /// Database: sqlite://path/to/file.db or postgres://user@host/database
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    database_url: String,
    /// The file holding the master key that seals the database's secrets, made on the first
    /// start of an empty database; ETAPE_MASTER_KEY, when set, is the key itself instead.
    #[arg(long, env = "ETAPE_MASTER_KEY_FILE", default_value = etape::master_key::DEFAULT_KEY_FILE, global = true)]
    master_key_file: PathBuf,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the site (the default): migrates, loads the demo into an empty database, listens.
    Serve(ServeArgs),
    /// Apply the database migrations that have not run yet, then exit.
    Migrate,
    /// Load the demo editions (a second run changes nothing), then exit.
    Demo,
    /// Set a stage's capacity; freed seats go to the waiting list, who get their tickets by
    /// email (sent by the running server).
    Capacity(CapacityArgs),
    /// Cancel a person's registration for a stage (an organiser's decision); the seat goes to
    /// the first person waiting, and both get an email (sent by the running server).
    Cancel(CancelArgs),
    /// Move a stage, with its programme, to a new start time (local to the stage); subscribed
    /// calendars follow.
    Reschedule(RescheduleArgs),
    /// Cancel a stage: it stays public, marked cancelled, calendars show it cancelled, its
    /// tickets no longer admit, and every registrant gets an email with the reason.
    CancelStage(CancelStageArgs),
    /// Move a stage to another venue; subscribed calendars follow.
    MoveVenue(VenueArgs),
    /// Organiser accounts.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Door links: what door staff open on their phones to check tickets in, one per door.
    #[command(subcommand)]
    DoorLink(DoorLinkCommand),
    /// What is stored about one person, by their email address.
    #[command(subcommand)]
    Person(PersonCommand),
    /// Forget the people of every stage that ended more than the retention time ago (their
    /// registrations, check-ins and emails), keeping anonymous counts; prints what went. The
    /// running server does the same by itself once a day.
    Purge(PurgeArgs),
    /// Print the audit log, newest first, one JSON object per line: every export, erasure and
    /// purge, when and by whom. People appear as a keyed hash of their address, never the
    /// address: `--email` finds the entries about one.
    Audit(AuditArgs),
    /// Print a new master key, for ETAPE_MASTER_KEY or a key file: give the same one to every
    /// server of one database (docs/deployment.md). Touches no database.
    MasterKey,
    /// Reminders: the email each person holding a seat gets the day before the stage. The
    /// running server sends them by itself, every minute.
    #[command(subcommand)]
    Reminders(RemindersCommand),
}

#[derive(Subcommand)]
enum PersonCommand {
    /// Print everything stored about the address as JSON: registrations (with check-ins),
    /// emails sent or waiting, an organiser account.
    Export(PersonArgs),
    /// Erase everything stored about the address: each seat it holds goes to the waiting list
    /// as for a cancel (the person promoted gets an email, sent by the running server), then
    /// its registrations, check-ins and emails are removed.
    Erase(PersonEraseArgs),
}

#[derive(Parser)]
struct PersonArgs {
    /// The person's email address
    email: String,
}

#[derive(Parser)]
struct PersonEraseArgs {
    /// The person's email address
    email: String,
    /// The site's public address, for the links in the emails of whoever gets a freed seat.
    #[arg(
        long,
        env = "ETAPE_PUBLIC_URL",
        default_value = "http://127.0.0.1:3000"
    )]
    public_url: String,
}

#[derive(Parser)]
struct PurgeArgs {
    /// Days after a stage ends that its registrations are kept.
    #[arg(long, env = "ETAPE_RETENTION_DAYS", default_value_t = etape::purge::DEFAULT_RETENTION_DAYS)]
    retention_days: u32,
    /// The moment to purge at, in RFC 3339, instead of now (to try it on a copy of the data).
    #[arg(long, value_parser = instant)]
    at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Parser)]
struct AuditArgs {
    /// Only the entries about this email address.
    #[arg(long)]
    email: Option<String>,
    /// At most this many entries.
    #[arg(long, default_value_t = 100)]
    limit: u32,
}

#[derive(Subcommand)]
enum RemindersCommand {
    /// Queue every reminder due at a moment (default: now), print how many, and exit; the
    /// serving process's worker sends them. A reminder is due from 09:00 on the day before
    /// its stage (the stage's own clock) until that day ends, for a confirmed registration of
    /// a published stage made at least 24 hours before; each is queued once, whatever the
    /// number of runs.
    Send(RemindersSendArgs),
}

#[derive(Parser)]
struct RemindersSendArgs {
    /// The moment to decide at, in RFC 3339 (e.g. 2026-12-09T09:00:00+01:00), instead of
    /// now: to try the rule on a copy of the data, or in tests. The emails still go out when
    /// the worker next runs, whatever this says.
    #[arg(long, value_parser = instant)]
    at: Option<chrono::DateTime<chrono::Utc>>,
    /// The site's public address, for the links in the emails.
    #[arg(
        long,
        env = "ETAPE_PUBLIC_URL",
        default_value = "http://127.0.0.1:3000"
    )]
    public_url: String,
}

fn instant(raw: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(raw.trim())
        .map(|at| at.with_timezone(&chrono::Utc))
        .map_err(|_| format!("« {raw} » is not an RFC 3339 instant like 2026-12-09T09:00:00+01:00"))
}

#[derive(Subcommand)]
enum DoorLinkCommand {
    /// Make a door link for a stage; prints the link to open on the door phone and, on its own
    /// line, its secret (shown once: only its hash is kept).
    Create(DoorLinkCreateArgs),
    /// List a stage's door links (labels and dates; secrets are never kept).
    List(StageArgs),
    /// Revoke a stage's door link by its label: a phone holding it checks nothing in any more.
    Revoke(DoorLinkRevokeArgs),
}

#[derive(Parser)]
struct StageArgs {
    /// The edition's slug
    edition: String,
    /// The stage's slug
    stage: String,
}

#[derive(Parser)]
struct DoorLinkCreateArgs {
    /// The edition's slug
    edition: String,
    /// The stage's slug
    stage: String,
    /// Which door, as door staff say it ("Entrée principale", "Side door")
    #[arg(long)]
    label: String,
    /// The site's public address, which the link starts with.
    #[arg(
        long,
        env = "ETAPE_PUBLIC_URL",
        default_value = "http://127.0.0.1:3000"
    )]
    public_url: String,
}

#[derive(Parser)]
struct DoorLinkRevokeArgs {
    /// The edition's slug
    edition: String,
    /// The stage's slug
    stage: String,
    /// The label of the door link to revoke
    label: String,
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create a platform administrator (the first account of a new site). The password is
    /// read from standard input; when standard input is a terminal or empty, one is generated
    /// and printed. Passwords have at least 12 characters.
    Create(AdminCreateArgs),
}

#[derive(Parser)]
struct AdminCreateArgs {
    /// Their email address, which they log in with
    #[arg(long)]
    email: String,
    /// The name shown to their team (default: the part of the address before @)
    #[arg(long)]
    name: Option<String>,
}

#[derive(Parser)]
struct VenueArgs {
    /// The edition's slug
    edition: String,
    /// The stage's slug
    stage: String,
    /// The venue's name
    name: String,
    /// Its street address
    address: String,
    /// Latitude and longitude, e.g. 45.7578,4.8320 (for the map and calendars)
    #[arg(long, value_parser = coordinates)]
    at: Option<(f64, f64)>,
    /// The site's public address, for the links in the emails.
    #[arg(
        long,
        env = "ETAPE_PUBLIC_URL",
        default_value = "http://127.0.0.1:3000"
    )]
    public_url: String,
}

fn coordinates(raw: &str) -> Result<(f64, f64), String> {
    raw.split_once(',')
        .and_then(|(lat, lon)| Some((lat.trim().parse().ok()?, lon.trim().parse().ok()?)))
        .ok_or_else(|| format!("« {raw} » is not a latitude,longitude pair like 45.7578,4.8320"))
}

#[derive(Parser)]
struct CancelStageArgs {
    /// The edition's slug
    edition: String,
    /// The stage's slug
    stage: String,
    /// Why, in a sentence: the email to every registrant and the stage's page say it
    #[arg(long)]
    reason: String,
    /// The site's public address, for the links in the emails.
    #[arg(
        long,
        env = "ETAPE_PUBLIC_URL",
        default_value = "http://127.0.0.1:3000"
    )]
    public_url: String,
}

#[derive(Parser)]
struct RescheduleArgs {
    /// The edition's slug
    edition: String,
    /// The stage's slug
    stage: String,
    /// The new start, in the stage's time zone, e.g. 2026-12-30T18:30
    #[arg(value_parser = local_time)]
    starts: chrono::NaiveDateTime,
    /// The site's public address, for the links in the emails.
    #[arg(
        long,
        env = "ETAPE_PUBLIC_URL",
        default_value = "http://127.0.0.1:3000"
    )]
    public_url: String,
}

fn local_time(raw: &str) -> Result<chrono::NaiveDateTime, String> {
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|format| chrono::NaiveDateTime::parse_from_str(raw.trim(), format).ok())
        .ok_or_else(|| format!("« {raw} » is not a local date and time like 2026-12-30T18:30"))
}

#[derive(Parser)]
struct CancelArgs {
    /// The edition's slug
    edition: String,
    /// The stage's slug
    stage: String,
    /// The email address the person registered with
    email: String,
    /// The site's public address, for the links in the emails.
    #[arg(
        long,
        env = "ETAPE_PUBLIC_URL",
        default_value = "http://127.0.0.1:3000"
    )]
    public_url: String,
}

#[derive(Parser)]
struct CapacityArgs {
    /// The edition's slug, e.g. social-good-week-demo
    edition: String,
    /// The stage's slug, e.g. lyon
    stage: String,
    /// The new number of seats
    capacity: u32,
    /// The site's public address, for the links in the emails.
    #[arg(
        long,
        env = "ETAPE_PUBLIC_URL",
        default_value = "http://127.0.0.1:3000"
    )]
    public_url: String,
}

#[derive(Parser)]
struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "ETAPE_ADDR", default_value = "127.0.0.1:3000")]
    addr: SocketAddr,
    /// Folder of the compiled site (scripts/build output).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    site_root: PathBuf,
    /// Do not load the demo editions into an empty database.
    #[arg(long, env = "ETAPE_NO_DEMO", action = clap::ArgAction::SetTrue,
          value_parser = clap::builder::BoolishValueParser::new())]
    no_demo: bool,
    /// The site's public address, for links in emails and the API (default: http://ADDR).
    #[arg(long, env = "ETAPE_PUBLIC_URL")]
    public_url: Option<String>,
    /// Registrations one client address may send per minute; 0 for no limit.
    #[arg(long, env = "ETAPE_REGISTRATION_RATE", default_value_t = 20)]
    registration_rate: u32,
    /// "Lost my link" requests one client address may send per minute; 0 for no limit.
    #[arg(long, env = "ETAPE_LOST_LINK_RATE", default_value_t = 5)]
    lost_link_rate: u32,
    /// Login attempts per minute, per client address and per account tried; 0 for no limit.
    #[arg(long, env = "ETAPE_LOGIN_RATE", default_value_t = 10)]
    login_rate: u32,
    /// Days after a stage ends that its registrations are kept; purged once a day.
    #[arg(long, env = "ETAPE_RETENTION_DAYS", default_value_t = etape::purge::DEFAULT_RETENTION_DAYS)]
    retention_days: u32,
    /// Emails one address may be sent per minute by requests anyone can make (links sent
    /// again, password resets); 0 for no limit.
    #[arg(long, env = "ETAPE_EMAIL_RATE", default_value_t = 3)]
    email_rate: u32,
    /// Behind reverse proxies of our own: how many (true means one), to take the client
    /// address from X-Forwarded-For; false or 0 when clients connect directly.
    #[arg(long, env = "ETAPE_TRUST_PROXY", num_args = 0..=1, default_value = "0",
          default_missing_value = "1", value_parser = proxy_hops)]
    trust_proxy: u8,
    /// Requests one server handles at once.
    #[arg(long, env = "ETAPE_MAX_REQUESTS", default_value_t = etape::config::LoadLimits::DEFAULT.most_running,
          value_parser = clap::value_parser!(usize))]
    max_requests: usize,
    /// Requests that may wait for a turn; beyond them the answer is 503 with Retry-After.
    #[arg(long, env = "ETAPE_MAX_WAITING", default_value_t = etape::config::LoadLimits::DEFAULT.most_waiting)]
    max_waiting: usize,
    /// Seconds a request may wait for its turn, and then seconds it may take (503 beyond).
    #[arg(long, env = "ETAPE_REQUEST_TIMEOUT", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    request_timeout: u64,
    /// SMTP server for attendee emails, e.g. smtp://127.0.0.1:2525 or smtps://user:pass@host;
    /// without it, emails are logged and kept in the outbox.
    #[arg(long, env = "SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// Sender of attendee emails.
    #[arg(long, env = "MAIL_FROM", default_value = etape::mail::DEFAULT_MAIL_FROM)]
    mail_from: String,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("ETAPE_LOG")
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .compact()
        .init();
    let cli = Cli::parse();
    let storage = Storage {
        url: cli.database_url,
        master_key: MasterKeySource::from_env_or_file(cli.master_key_file),
    };
    let outcome = match cli.command {
        Some(Command::Migrate) => migrate(&storage).await,
        Some(Command::MasterKey) => new_master_key(),
        Some(Command::Person(PersonCommand::Export(args))) => person_export(&storage, args).await,
        Some(Command::Person(PersonCommand::Erase(args))) => person_erase(&storage, args).await,
        Some(Command::Purge(args)) => purge(&storage, args).await,
        Some(Command::Audit(args)) => audit(&storage, args).await,
        Some(Command::Demo) => demo(&storage).await,
        Some(Command::Capacity(args)) => capacity(&storage, args).await,
        Some(Command::Cancel(args)) => cancel(&storage, args).await,
        Some(Command::Reschedule(args)) => reschedule(&storage, args).await,
        Some(Command::CancelStage(args)) => cancel_stage(&storage, args).await,
        Some(Command::MoveVenue(args)) => move_venue(&storage, args).await,
        Some(Command::Admin(AdminCommand::Create(args))) => create_admin(&storage, args).await,
        Some(Command::DoorLink(command)) => door_link(&storage, command).await,
        Some(Command::Reminders(RemindersCommand::Send(args))) => {
            send_reminders(&storage, args).await
        }
        Some(Command::Serve(args)) => serve(storage, args).await,
        None => {
            let args = ServeArgs::parse_from(["serve"]);
            serve(storage, args).await
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            eprintln!("etape: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(storage: Storage, args: ServeArgs) -> Result<(), etape::StartupError> {
    etape::serve(Config {
        storage,
        addr: args.addr,
        site_root: args.site_root,
        demo_on_empty: !args.no_demo,
        public_url: args.public_url,
        limits: etape::config::LimitsConfig {
            registrations_per_minute: args.registration_rate,
            lost_links_per_minute: args.lost_link_rate,
            logins_per_minute: args.login_rate,
            emails_per_address_per_minute: args.email_rate,
            trust_proxy: args.trust_proxy,
        },
        retention_days: args.retention_days,
        load: etape::config::LoadLimits {
            most_running: args.max_requests.max(1),
            most_waiting: args.max_waiting,
            request_timeout: std::time::Duration::from_secs(args.request_timeout),
        },
        smtp_url: args.smtp_url.map(etape::mail::SmtpUrl::new),
        mail_from: args.mail_from,
    })
    .await
}

/// `ETAPE_TRUST_PROXY`: a number of proxies, or `true`/`false` as before it counted them.
fn proxy_hops(raw: &str) -> Result<u8, String> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" => Ok(1),
        "false" | "no" | "off" | "" => Ok(0),
        number => number.parse().map_err(|_| {
            format!("expected a number of proxies (0 to 255), or true or false: {raw}")
        }),
    }
}

async fn person_export(storage: &Storage, args: PersonArgs) -> Result<(), etape::StartupError> {
    let data = etape::admin::person_export(storage, &args.email).await?;
    let json = serde_json::to_string_pretty(&data)
        .map_err(|error| etape::StartupError::Command(error.to_string()))?;
    print_lines([json])
}

async fn person_erase(storage: &Storage, args: PersonEraseArgs) -> Result<(), etape::StartupError> {
    let erased = etape::admin::person_erase(storage, &args.public_url, &args.email).await?;
    println!(
        "{}: {} registrations and {} emails erased",
        args.email, erased.registrations, erased.emails
    );
    Ok(())
}

async fn purge(storage: &Storage, args: PurgeArgs) -> Result<(), etape::StartupError> {
    let at = args.at.unwrap_or_else(chrono::Utc::now);
    let purged = etape::admin::purge(storage, args.retention_days, at).await?;
    println!(
        "purged: {} stages counted, {} registrations and {} emails removed",
        purged.stages, purged.registrations, purged.emails
    );
    Ok(())
}

async fn audit(storage: &Storage, args: AuditArgs) -> Result<(), etape::StartupError> {
    let entries = etape::admin::audit_log(storage, args.email.as_deref(), args.limit).await?;
    let lines = entries
        .iter()
        .map(serde_json::to_string)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| etape::StartupError::Command(error.to_string()))?;
    print_lines(lines)
}

/// Writes a command's output, a line each. A reader that stops early (`etape audit | head`)
/// has what it wanted: that is not a failure, where `println!` would panic.
fn print_lines(lines: impl IntoIterator<Item = String>) -> Result<(), etape::StartupError> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    for line in lines {
        match writeln!(out, "{line}") {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
            Err(error) => return Err(etape::StartupError::Command(error.to_string())),
        }
    }
    match out.flush() {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(etape::StartupError::Command(error.to_string()))
        }
        _ => Ok(()),
    }
}

fn new_master_key() -> Result<(), etape::StartupError> {
    let key = app::db::sealed::MasterKey::generate().map_err(etape::StartupError::Storage)?;
    println!("{}", key.encode());
    Ok(())
}

async fn migrate(storage: &Storage) -> Result<(), etape::StartupError> {
    let db = etape::prepare_database(storage).await?;
    tracing::info!(database = db.engine().name(), "migrations applied");
    db.close().await;
    Ok(())
}

async fn capacity(storage: &Storage, args: CapacityArgs) -> Result<(), etape::StartupError> {
    let confirmed = etape::admin::change_capacity(
        storage,
        &args.public_url,
        &args.edition,
        &args.stage,
        args.capacity,
    )
    .await?;
    println!(
        "{}/{}: capacity {}, {confirmed} confirmed from the waiting list",
        args.edition, args.stage, args.capacity
    );
    Ok(())
}

async fn cancel(storage: &Storage, args: CancelArgs) -> Result<(), etape::StartupError> {
    etape::admin::cancel_registration(
        storage,
        &args.public_url,
        &args.edition,
        &args.stage,
        &args.email,
    )
    .await?;
    println!(
        "{}/{}: registration of {} cancelled",
        args.edition, args.stage, args.email
    );
    Ok(())
}

async fn reschedule(storage: &Storage, args: RescheduleArgs) -> Result<(), etape::StartupError> {
    let moved = etape::admin::reschedule(
        storage,
        &args.public_url,
        &args.edition,
        &args.stage,
        args.starts,
    )
    .await?;
    if moved {
        println!(
            "{}/{}: now starts at {}",
            args.edition, args.stage, args.starts
        );
    } else {
        println!(
            "{}/{}: already starts at {}",
            args.edition, args.stage, args.starts
        );
    }
    Ok(())
}

async fn cancel_stage(storage: &Storage, args: CancelStageArgs) -> Result<(), etape::StartupError> {
    let told = etape::admin::cancel_stage(
        storage,
        &args.public_url,
        &args.edition,
        &args.stage,
        &args.reason,
    )
    .await?;
    match told {
        Some(told) => println!(
            "{}/{}: cancelled; {told} registrants will get an email",
            args.edition, args.stage
        ),
        None => println!("{}/{}: was already cancelled", args.edition, args.stage),
    }
    Ok(())
}

async fn move_venue(storage: &Storage, args: VenueArgs) -> Result<(), etape::StartupError> {
    let venue = app::domain::Venue::parse(&args.name, &args.address, args.at)
        .map_err(|error| etape::StartupError::Command(error.to_string()))?;
    let moved = etape::admin::change_venue(
        storage,
        &args.public_url,
        &args.edition,
        &args.stage,
        &venue,
    )
    .await?;
    if moved {
        println!("{}/{}: now at {}", args.edition, args.stage, venue.name);
    } else {
        println!("{}/{}: already at {}", args.edition, args.stage, venue.name);
    }
    Ok(())
}

async fn door_link(storage: &Storage, command: DoorLinkCommand) -> Result<(), etape::StartupError> {
    match command {
        DoorLinkCommand::Create(args) => {
            let made =
                etape::admin::create_door_link(storage, &args.edition, &args.stage, &args.label)
                    .await?;
            println!(
                "{}",
                etape::admin::door_link_url(&args.public_url, &made.secret)
            );
            println!("{}", made.secret);
        }
        DoorLinkCommand::List(args) => {
            let links = etape::admin::door_links(storage, &args.edition, &args.stage).await?;
            if links.is_empty() {
                println!("{}/{}: no door link yet", args.edition, args.stage);
            }
            for link in links {
                let state = match link.revoked_at {
                    Some(at) => format!("revoked {}", at.format("%Y-%m-%d %H:%M UTC")),
                    None => "open".to_owned(),
                };
                println!(
                    "{}\tmade {}\t{state}",
                    link.label,
                    link.created_at.format("%Y-%m-%d %H:%M UTC")
                );
            }
        }
        DoorLinkCommand::Revoke(args) => {
            etape::admin::revoke_door_link(storage, &args.edition, &args.stage, &args.label)
                .await?;
            println!(
                "{}/{}: door link « {} » revoked",
                args.edition, args.stage, args.label
            );
        }
    }
    Ok(())
}

async fn send_reminders(
    storage: &Storage,
    args: RemindersSendArgs,
) -> Result<(), etape::StartupError> {
    let at = args.at.unwrap_or_else(chrono::Utc::now);
    let queued = etape::admin::send_reminders(storage, &args.public_url, at).await?;
    println!("reminders queued: {queued}");
    Ok(())
}

async fn create_admin(storage: &Storage, args: AdminCreateArgs) -> Result<(), etape::StartupError> {
    let password = password_from_stdin()?;
    let created = etape::admin::create_admin(
        storage,
        &args.email,
        args.name.as_deref(),
        password.as_deref(),
    )
    .await?;
    println!("created platform administrator {}", created.email);
    if let Some(password) = created.generated_password {
        println!("password (shown once, keep it somewhere safe):");
        println!("{password}");
    }
    Ok(())
}

/// The password piped to standard input, without its final line break; `None` when standard
/// input is a terminal (nobody should type a password where it echoes).
fn password_from_stdin() -> Result<Option<String>, etape::StartupError> {
    use std::io::{IsTerminal, Read};
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Ok(None);
    }
    let mut raw = String::new();
    stdin.lock().read_to_string(&mut raw).map_err(|error| {
        etape::StartupError::Command(format!("cannot read standard input: {error}"))
    })?;
    let line = raw.strip_suffix('\n').unwrap_or(&raw);
    let line = line.strip_suffix('\r').unwrap_or(line);
    Ok(Some(line.to_owned()))
}

async fn demo(storage: &Storage) -> Result<(), etape::StartupError> {
    let db = etape::prepare_database(storage).await?;
    let report = app::demo::load(&db, chrono::Utc::now().date_naive()).await?;
    for slug in &report.loaded {
        println!("loaded {slug}");
    }
    for slug in &report.already_there {
        println!("already there, unchanged: {slug}");
    }
    db.close().await;
    Ok(())
}
