//! Test helpers: a fresh database per test on either engine, and a spawned server.

use app::db::sealed::MasterKey;
use app::db::Db;
use etape::config::Storage;
use etape::master_key::MasterKeySource;
use etape::{build_router, AppState, Config};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_name(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A migrated, empty database that removes itself at `teardown`.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    /// The key its secrets are sealed with, drawn for this database alone.
    pub master_key: MasterKey,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Database { admin_url: String, name: String },
}

/// `url` opened with `key`.
pub fn storage(url: &str, key: &MasterKey) -> Storage {
    Storage {
        url: url.to_owned(),
        master_key: MasterKeySource::Key(key.clone()),
    }
}

impl TestDb {
    /// This database and its key, as `etape::prepare_database` opens them.
    pub fn storage(&self) -> Storage {
        storage(&self.url, &self.master_key)
    }

    pub async fn sqlite() -> TestDb {
        TestDb::sqlite_as(Prepared::Migrated).await
    }

    pub async fn sqlite_as(prepared: Prepared) -> TestDb {
        let path = std::env::temp_dir().join(format!("{}.db", unique_name("etape_test")));
        let url = format!("sqlite://{}", path.display());
        let master_key = MasterKey::generate().expect("a master key");
        let db = prepared.open(&url, &master_key).await;
        TestDb {
            db,
            url,
            master_key,
            cleanup: Cleanup::File(path),
        }
    }

    /// A fresh PostgreSQL database, or `None` (with a notice) when no server answers outside
    /// CI. Under `CI=true` an unreachable PostgreSQL fails the test.
    pub async fn postgres() -> Option<TestDb> {
        TestDb::postgres_as(Prepared::Migrated).await
    }

    pub async fn postgres_as(prepared: Prepared) -> Option<TestDb> {
        let admin_url = std::env::var("TEST_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
        let admin = match sqlx::PgPool::connect(&admin_url).await {
            Ok(pool) => pool,
            Err(error) => {
                if std::env::var("CI").as_deref() == Ok("true") {
                    panic!("PostgreSQL at {admin_url} is unreachable under CI: {error}");
                }
                eprintln!(
                    "SKIPPED on PostgreSQL: {admin_url} is unreachable ({error}). \
                     Set TEST_DATABASE_URL=postgres://user@host:port/db to a server where that \
                     user may CREATE DATABASE."
                );
                return None;
            }
        };
        let name = unique_name("etape_test");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&admin)
            .await
            .expect("create a test database");
        admin.close().await;
        let url = replace_database(&admin_url, &name);
        let master_key = MasterKey::generate().expect("a master key");
        let db = prepared.open(&url, &master_key).await;
        Some(TestDb {
            db,
            url,
            master_key,
            cleanup: Cleanup::Database { admin_url, name },
        })
    }

    /// The `etape` command on this database, with its master key (arguments to add).
    pub fn etape_command(&self) -> std::process::Command {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_etape"));
        command
            .args(["--database-url", &self.url])
            .env("ETAPE_MASTER_KEY", self.master_key.encode())
            .env("ETAPE_LOG", "warn");
        command
    }

    pub async fn teardown(self) {
        self.db.close().await;
        match self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Database { admin_url, name } => {
                if let Ok(admin) = sqlx::PgPool::connect(&admin_url).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&admin)
                        .await;
                    admin.close().await;
                }
            }
        }
    }
}

/// How far a test's database is made ready before the test runs.
#[derive(Clone, Copy)]
pub enum Prepared {
    /// Migrated and unlocked, as a server opens it.
    Migrated,
    /// Only the migrations older than this version: a database as an older release left it,
    /// for the test to fill and then migrate (`Db::migrate`).
    MigratedBefore(i64),
}

impl Prepared {
    async fn open(self, url: &str, master_key: &MasterKey) -> Db {
        match self {
            Prepared::Migrated => etape::prepare_database(&storage(url, master_key))
                .await
                .expect("open and migrate the test database"),
            Prepared::MigratedBefore(version) => {
                let db = Db::connect(url).await.expect("open the test database");
                db.migrate_before(version)
                    .await
                    .expect("migrate the test database part of the way");
                db
            }
        }
    }
}

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

/// Runs an async test body once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_engines {
    // The test is given a database migrated only up to this version (`Prepared`).
    ($test:ident, before $version:expr) => {
        mod $test {
            use $crate::support::{Prepared, TestDb};

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                let test_db = TestDb::sqlite_as(Prepared::MigratedBefore($version)).await;
                super::$test(&test_db.db).await;
                test_db.teardown().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                let Some(test_db) = TestDb::postgres_as(Prepared::MigratedBefore($version)).await
                else {
                    return;
                };
                super::$test(&test_db.db).await;
                test_db.teardown().await;
            }
        }
    };
    // The test is given the whole `TestDb` (its URL and master key), not only its pool.
    ($test:ident, test_db) => {
        mod $test {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                let test_db = $crate::support::TestDb::sqlite().await;
                super::$test(&test_db).await;
                test_db.teardown().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                let Some(test_db) = $crate::support::TestDb::postgres().await else {
                    return;
                };
                super::$test(&test_db).await;
                test_db.teardown().await;
            }
        }
    };
    ($test:ident) => {
        mod $test {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                let test_db = $crate::support::TestDb::sqlite().await;
                super::$test(&test_db.db).await;
                test_db.teardown().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                let Some(test_db) = $crate::support::TestDb::postgres().await else {
                    return;
                };
                super::$test(&test_db.db).await;
                test_db.teardown().await;
            }
        }
    };
}

/// A running server on a free port, with its own database.
pub struct TestApp {
    pub address: SocketAddr,
    pub db: Db,
    /// The server's own desk (its links, its caches), to write its emails as it would.
    pub desk: app::api::registration::Desk,
    test_db: Option<TestDb>,
    server: tokio::task::JoinHandle<()>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.address, path)
    }

    /// Stops this server and starts a new one on the same database: nothing is kept in memory.
    pub async fn restart(mut self) -> TestApp {
        self.server.abort();
        let test_db = self.test_db.take().expect("the server's database");
        spawn_app_on(test_db).await
    }

    pub async fn stop(mut self) {
        self.server.abort();
        if let Some(test_db) = self.test_db.take() {
            test_db.teardown().await;
        }
    }
}

/// Spawns the server on SQLite with the demo editions loaded.
pub async fn spawn_app() -> TestApp {
    spawn_app_on(TestDb::sqlite().await).await
}

pub async fn spawn_app_on(test_db: TestDb) -> TestApp {
    spawn_app_with(test_db, etape::config::LimitsConfig::OFF).await
}

/// Spawns the server with the demo editions and these abuse limits.
pub async fn spawn_app_with(test_db: TestDb, limits: etape::config::LimitsConfig) -> TestApp {
    let today = chrono::Utc::now().date_naive();
    app::demo::load(&test_db.db, today)
        .await
        .expect("load the demo");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a free port");
    let address = listener.local_addr().expect("local address");
    let config = Config {
        storage: test_db.storage(),
        addr: address,
        site_root: PathBuf::from("target/site"),
        demo_on_empty: false,
        public_url: None,
        limits,
        load: etape::config::LoadLimits::DEFAULT,
        retention_days: etape::purge::DEFAULT_RETENTION_DAYS,
        smtp_url: None,
        mail_from: etape::mail::DEFAULT_MAIL_FROM.to_owned(),
    };
    let state = AppState::new(&config, test_db.db.clone(), app::api::outbox::Outbox::new())
        .await
        .expect("server state");
    let desk = state.desk(None);
    let router = build_router(state).into_make_service_with_connect_info::<SocketAddr>();
    let server = tokio::spawn(async move {
        axum::serve(listener, router).await.expect("serve");
    });
    TestApp {
        address,
        desk,
        db: test_db.db.clone(),
        test_db: Some(test_db),
        server,
    }
}

/// A client that keeps cookies and does not follow redirects, so tests see them.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("HTTP client")
}

/// A valid edition for tests: one week from `starts_on`.
pub fn edition_fixture(
    slug: &str,
    starts_on: chrono::NaiveDate,
    status: app::domain::EditionStatus,
) -> app::domain::Edition {
    app::domain::Edition::parse(app::domain::NewEdition {
        name: "Édition de test",
        slug,
        number: 1,
        starts_on,
        ends_on: starts_on + chrono::Days::new(6),
        theme: "Thème",
        description: "",
        partners: vec![],
        status,
    })
    .expect("a valid test edition")
}

/// A valid evening stage on the edition's first day (18:00–21:00, Europe/Paris), whose
/// registrations open at `opens_local` and close at 17:00 that day.
pub fn stage_fixture(
    edition: &app::domain::Edition,
    slug: &str,
    capacity: i64,
    status: app::domain::StageStatus,
    opens_local: chrono::NaiveDateTime,
) -> app::domain::Stage {
    let day = edition.starts_on;
    app::domain::Stage::parse(
        app::domain::NewStage {
            slug,
            city: "Saint-Étienne",
            venue_name: "La Cité du design",
            venue_address: "3 rue Javelin Pagnon, 42000 Saint-Étienne",
            coordinates: None,
            time_zone: "Europe/Paris",
            starts_local: day.and_hms_opt(18, 0, 0).expect("18:00"),
            ends_local: day.and_hms_opt(21, 0, 0).expect("21:00"),
            theme: "Question",
            description: "",
            capacity,
            registration_opens_local: opens_local,
            registration_closes_local: day.and_hms_opt(17, 0, 0).expect("17:00"),
            status,
            co_organisers: vec![],
            confirm_email_minutes: None,
        },
        edition,
    )
    .expect("a valid test stage")
}

/// An instant written `YYYY-MM-DD HH:MM`, in UTC.
pub fn utc(s: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
        .expect("YYYY-MM-DD HH:MM")
        .and_utc()
}

/// The private links `command_desk` makes, to read a registration's links back.
pub fn command_links() -> app::links::Links {
    app::links::Links::new("https://etape.example", [7; 32])
}

/// Stores a published edition `edition_slug` starting Tuesday 10 December 2030, with one
/// `stage_fixture` stage of `capacity` seats (registrations open 1 November, 09:00), changed
/// by `adjust` first; returns the stage's id.
pub async fn store_december_stage(
    db: &Db,
    edition_slug: &str,
    stage_slug: &str,
    capacity: i64,
    adjust: impl FnOnce(&mut app::domain::Stage),
) -> String {
    use app::db::{editions, stages};
    let day = chrono::NaiveDate::from_ymd_opt(2030, 12, 10).expect("a date");
    let edition = edition_fixture(edition_slug, day, app::domain::EditionStatus::Published);
    let opens = chrono::NaiveDate::from_ymd_opt(2030, 11, 1)
        .and_then(|day| day.and_hms_opt(9, 0, 0))
        .expect("a time");
    let mut stage = stage_fixture(
        &edition,
        stage_slug,
        capacity,
        app::domain::StageStatus::Published,
        opens,
    );
    adjust(&mut stage);
    editions::insert_edition_programme(db, &edition, &[(stage, app::domain::Lineup::default())])
        .await
        .expect("the programme stored");
    let edition = editions::find_edition(db, edition_slug)
        .await
        .expect("the edition read")
        .expect("the edition stored");
    stages::find_public_stage(db, &edition.id, stage_slug)
        .await
        .expect("the stage read")
        .expect("the stage stored")
        .id
}

/// The desk an organiser command uses: no rate limit, nothing cached, emails to the outbox.
pub fn command_desk(db: &Db) -> app::api::registration::Desk {
    use std::sync::Arc;
    app::api::registration::Desk {
        db: db.clone(),
        links: Arc::new(command_links()),
        outbox: app::api::outbox::Outbox::new(),
        limits: Arc::new(app::api::limits::Limits::off()),
        cache: app::api::cache::ProgrammeCache::new(std::time::Duration::ZERO),
        client: None,
    }
}

/// Every email queued for `recipient`, oldest first, as `desk` sends it: written, for those
/// stored before they were (`Desk::write_email`).
pub async fn emails_to(
    desk: &app::api::registration::Desk,
    recipient: &str,
) -> Vec<app::mail::OutgoingEmail> {
    let mut emails = Vec::new();
    for record in app::db::outbox::list_for_recipient(&desk.db, recipient)
        .await
        .expect("the outbox")
    {
        if let Some(email) = desk.write_email(&record.email).await.expect("written") {
            emails.push(email);
        }
    }
    emails
}

/// Runs an HTTP scenario against a server on SQLite, then on PostgreSQL when it is there; the
/// scenario hands its app back to be stopped.
pub async fn on_both_engines<F, Fut>(scenario: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: std::future::Future<Output = TestApp>,
{
    scenario(spawn_app().await).await.stop().await;
    if let Some(postgres) = TestDb::postgres().await {
        scenario(spawn_app_on(postgres).await).await.stop().await;
    }
}
