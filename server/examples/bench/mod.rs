//! What the benchmarks share: the `etape serve` child process on a scratch database, posting
//! the registration form, percentiles, a process's CPU time and memory, and the outbox's
//! counts. Included by each example with `mod bench;`.

// Each example uses only part of this module.
#![allow(dead_code)]

pub mod programme;

use app::db::sealed::MasterKey;
use app::db::Db;
use etape::config::Storage;
use etape::master_key::MasterKeySource;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::Duration;

#[derive(Clone, Copy, Debug)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }
}

pub type Failure = Box<dyn std::error::Error>;

/// Where a benchmark runs, the options every load tool takes: the server binary it starts
/// and the PostgreSQL server it makes its own database on.
#[derive(clap::Args)]
pub struct Target {
    /// The server binary to start (build it with `cargo build --release`).
    #[arg(long, default_value = "target/release/etape")]
    pub server: PathBuf,
    /// A PostgreSQL server where this user may CREATE DATABASE; the tool makes its own
    /// database there and drops it afterwards.
    #[arg(
        long,
        env = "TEST_DATABASE_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/test"
    )]
    pub postgres_url: String,
}

/// Which engines a benchmark measures (`--engine`).
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EngineChoice {
    Sqlite,
    Postgres,
    Both,
}

impl EngineChoice {
    pub fn engines(self) -> &'static [Engine] {
        match self {
            EngineChoice::Sqlite => &[Engine::Sqlite],
            EngineChoice::Postgres => &[Engine::Postgres],
            EngineChoice::Both => &[Engine::Sqlite, Engine::Postgres],
        }
    }
}

/// "2 cores, load average 1.87 2.46 2.59": other work on the machine takes cores from the
/// server, so each run says how busy it was.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<&str> = load.split_whitespace().take(3).collect();
    format!("{cores} cores, load average {}", load.join(" "))
}

/// The nearest-rank percentile of sorted latencies.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// User plus system CPU time of a process (`self` or a pid) so far, from Linux's `/proc`;
/// `None` elsewhere. Clock ticks are taken to be 1/100 s, as on every Linux we run.
pub fn cpu_seconds(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may contain spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i)?.parse::<f64>().ok();
    Some((ticks(11)? + ticks(12)?) / 100.0)
}

/// The resident memory (`VmRSS`) of a process (`self` or a pid) in bytes, from Linux's
/// `/proc`; `None` elsewhere.
pub fn rss_bytes(pid: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    // "VmRSS:     123456 kB"
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The `etape serve` child process; killed when dropped, so a failed rush leaves nothing.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    /// `etape serve` on the scratch database, with its master key.
    pub async fn start(binary: &Path, scratch: &Scratch) -> Result<Self, Failure> {
        Server::start_with(binary, scratch, &[]).await
    }

    /// `start`, with more environment variables (`SMTP_URL`, say).
    pub async fn start_with(
        binary: &Path,
        scratch: &Scratch,
        env: &[(&str, &str)],
    ) -> Result<Self, Failure> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let child = Command::new(binary)
            .arg("serve")
            .env("DATABASE_URL", &scratch.url)
            .env("ETAPE_MASTER_KEY", scratch.master_key.encode())
            .env("ETAPE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_SITE_ROOT", &scratch.site_root)
            .env("ETAPE_NO_DEMO", "1")
            .env("ETAPE_REGISTRATION_RATE", "0")
            .env("ETAPE_LOGIN_RATE", "0")
            .env("ETAPE_LOG", "warn")
            .env_remove("SMTP_URL")
            .envs(env.iter().copied())
            .spawn()?;
        let mut server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let health = reqwest::Client::new();
        for _ in 0..150 {
            if let Some(status) = server.child.try_wait()? {
                return Err(format!("the server exited at start-up: {status}").into());
            }
            let answer = health.get(server.url("/healthz")).send().await;
            if matches!(&answer, Ok(r) if r.status().is_success()) {
                return Ok(server);
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        server.stop();
        Err("the server did not answer /healthz within 30 s".into())
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn cpu_seconds(&self) -> Option<f64> {
        cpu_seconds(&self.pid().to_string())
    }

    pub fn rss_bytes(&self) -> Option<u64> {
        rss_bytes(&self.pid().to_string())
    }

    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Registers through the stage's form, as a browser without JavaScript does: `Ok` for a `303`
/// to `/registrations/…`; otherwise what came back.
pub async fn register(
    client: &reqwest::Client,
    url: &str,
    form: &[(&str, &str)],
) -> Result<(), String> {
    match post_registration(client, url, form).await {
        Posted::Registered(_) => Ok(()),
        Posted::Refused(answer) => Err(answer),
        Posted::NoAnswer(error) => Err(format!("no answer: {error}")),
    }
}

/// What posting the registration form came to.
pub enum Posted {
    /// A `303` to "my registration": its path, `/registrations/{token}`.
    Registered(String),
    /// Any other answer: its status and the start of its body.
    Refused(String),
    /// No answer: the connection failed, or the client's timeout passed first.
    NoAnswer(reqwest::Error),
}

/// Posts the stage's registration form, as a browser without JavaScript does (`register`
/// without the detail).
pub async fn post_registration(
    client: &reqwest::Client,
    url: &str,
    form: &[(&str, &str)],
) -> Posted {
    let response = match client.post(url).form(form).send().await {
        Ok(response) => response,
        Err(error) => return Posted::NoAnswer(error),
    };
    let status = response.status();
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    // Read the body to the end, so the connection can carry the next request.
    let body = match response.text().await {
        Ok(body) => body,
        Err(error) => return Posted::NoAnswer(error),
    };
    match (status.as_u16(), location) {
        (303, Some(location)) if location.starts_with("/registrations/") => {
            Posted::Registered(location)
        }
        (code, _) => {
            let excerpt: String = body.chars().take(120).collect();
            Posted::Refused(format!("HTTP {code}: {excerpt}"))
        }
    }
}

/// How many emails are in the outbox, and how many the delivery worker has yet to take.
pub struct Emails {
    pub total: i64,
    pub pending: i64,
}

pub async fn outbox_counts(db: &Db) -> Result<Emails, Failure> {
    const SQL: &str = "SELECT COUNT(*), \
         COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0) FROM outbox";
    let (total, pending): (i64, i64) = match db {
        Db::Sqlite(pool, _) => sqlx::query_as(SQL).fetch_one(pool).await?,
        Db::Postgres(pool, _) => sqlx::query_as(SQL).fetch_one(pool).await?,
    };
    Ok(Emails { total, pending })
}

/// A fresh database for one rush (and an empty site root for the server): a SQLite file in a
/// temporary folder, or a new PostgreSQL database, with its own master key.
pub struct Scratch {
    pub url: String,
    pub master_key: MasterKey,
    folder: PathBuf,
    pub site_root: PathBuf,
    postgres: Option<(String, String)>,
}

impl Scratch {
    pub async fn create(prefix: &str, engine: Engine, postgres_url: &str) -> Result<Self, Failure> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .subsec_nanos();
        let name = format!("{prefix}_{}_{nanos}", std::process::id());
        let folder = std::env::temp_dir().join(&name);
        let (url, postgres) = match engine {
            Engine::Sqlite => (
                format!("sqlite://{}", folder.join("bench.db").display()),
                None,
            ),
            Engine::Postgres => {
                let admin = sqlx::PgPool::connect(postgres_url)
                    .await
                    .map_err(|error| format!("PostgreSQL at {postgres_url}: {error}"))?;
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&admin)
                    .await?;
                admin.close().await;
                (
                    replace_database(postgres_url, &name),
                    Some((postgres_url.to_owned(), name)),
                )
            }
        };
        // Benchmarks read no static file: an empty site root will do.
        let site_root = folder.join("site");
        std::fs::create_dir_all(&site_root)?;
        Ok(Scratch {
            url,
            master_key: MasterKey::generate()?,
            folder,
            site_root,
            postgres,
        })
    }

    /// The database and its key, as `etape::prepare_database` opens them.
    pub fn storage(&self) -> Storage {
        Storage {
            url: self.url.clone(),
            master_key: MasterKeySource::Key(self.master_key.clone()),
        }
    }

    pub async fn remove(&self) {
        if let Some((admin_url, name)) = &self.postgres {
            if let Ok(admin) = sqlx::PgPool::connect(admin_url).await {
                let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                if let Err(error) = sqlx::query(&drop).execute(&admin).await {
                    eprintln!("could not drop the database {name}: {error}");
                }
                admin.close().await;
            }
        }
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

/// `postgres://user@host:port/db?query` with `name` in place of `db`.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let base = match base.rfind('/') {
        Some(i) if i > "postgres://".len() => &base[..i],
        _ => base,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}
