//! Configuration, from the command line or the environment (see README).

use leptos::config::{Env, LeptosOptions};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Default database: a SQLite file under `data/`, created on first start.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/etape.db";

/// The database, and the master key that opens the secrets it keeps sealed.
#[derive(Debug, Clone)]
pub struct Storage {
    pub url: String,
    pub master_key: crate::master_key::MasterKeySource,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub storage: Storage,
    pub addr: SocketAddr,
    /// Where scripts/build put the compiled site (`pkg/`, styles, public files).
    pub site_root: PathBuf,
    /// Load the demo editions when the database holds no edition yet.
    pub demo_on_empty: bool,
    /// The public address of the site; `http://{addr}` when not given.
    pub public_url: Option<String>,
    pub limits: LimitsConfig,
    pub load: LoadLimits,
    /// Days after its stage ends that a registration is kept (`purge.rs`).
    pub retention_days: u32,
    /// Where attendee emails go; `None` logs them and keeps them in the outbox.
    pub smtp_url: Option<crate::mail::SmtpUrl>,
    /// The sender of attendee emails, e.g. `Étape <noreply@example.org>`.
    pub mail_from: String,
}

/// Abuse limits (README: ETAPE_REGISTRATION_RATE, ETAPE_LOST_LINK_RATE, ETAPE_LOGIN_RATE,
/// ETAPE_TRUST_PROXY).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitsConfig {
    pub registrations_per_minute: u32,
    pub lost_links_per_minute: u32,
    /// Login attempts per minute, per client address and per account tried.
    pub logins_per_minute: u32,
    /// Emails one address may be sent per minute by requests anyone can make (links sent
    /// again, password resets): no one can flood an inbox from many client addresses.
    pub emails_per_address_per_minute: u32,
    /// How many reverse proxies of our own stand before the server (0: clients connect
    /// directly).
    pub trust_proxy: u8,
}

/// How much work one server takes on at once (README: ETAPE_MAX_REQUESTS, ETAPE_MAX_WAITING,
/// ETAPE_REQUEST_TIMEOUT; `admission.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadLimits {
    /// Requests handled at once.
    pub most_running: usize,
    /// Requests waiting for a turn; beyond them, `503` with `Retry-After` at once.
    pub most_waiting: usize,
    /// How long a request may wait for its turn, and then how long it may take.
    pub request_timeout: std::time::Duration,
}

impl LoadLimits {
    pub const DEFAULT: LoadLimits = LoadLimits {
        most_running: 256,
        most_waiting: 1024,
        request_timeout: std::time::Duration::from_secs(30),
    };
}

impl LimitsConfig {
    /// No limit at all: for tests and benchmarks.
    pub const OFF: LimitsConfig = LimitsConfig {
        registrations_per_minute: 0,
        lost_links_per_minute: 0,
        logins_per_minute: 0,
        emails_per_address_per_minute: 0,
        trust_proxy: 0,
    };
}

impl Config {
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) if !url.trim().is_empty() => url.trim().trim_end_matches('/').to_owned(),
            _ => format!("http://{}", self.addr),
        }
    }

    /// The options leptos needs to render pages. Hashed asset names are used when the build
    /// wrote a `hash.txt` beside the binary (release builds), unless `LEPTOS_HASH_FILES` says.
    pub fn leptos_options(&self) -> LeptosOptions {
        let hash_files = match std::env::var("LEPTOS_HASH_FILES") {
            Ok(value) => value == "true",
            Err(_) => std::env::current_exe()
                .ok()
                .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt").exists()))
                .unwrap_or(false),
        };
        let env = match std::env::var("LEPTOS_ENV").as_deref() {
            Ok("DEV") | Ok("dev") => Env::DEV,
            _ => Env::PROD,
        };
        LeptosOptions::builder()
            .output_name("etape")
            .site_root(self.site_root.to_string_lossy().to_string())
            .site_pkg_dir("pkg")
            .site_addr(self.addr)
            .env(env)
            .hash_files(hash_files)
            .build()
    }
}
