//! Storage: the only place with SQL. One module per aggregate, the same queries on SQLite and
//! PostgreSQL (runtime queries with `$1` placeholders, which both drivers understand).

pub mod accounts;
pub mod api_tokens;
pub mod audit;
pub mod backfills;
mod bulk;
pub mod checkins;
pub mod doors;
pub mod editions;
mod engine;
mod group_commit;
pub mod invitations;
pub mod outbox;
pub mod people;
pub mod registrations;
pub mod reminders;
pub mod sealed;
pub mod secrets;
pub mod sessions;
pub mod stages;
pub mod ticket_keys;
pub mod workspace;

pub use engine::{sql, Arg, Engine, EngineRow, Fetch, Statement, Tx};

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// The writing connection's page cache, in KiB (negative, as SQLite's `cache_size` counts
/// them): room for a busy edition's registration indexes. The readers keep SQLite's 2 MiB.
const WRITER_CACHE: &str = "-16384";

/// How many pages SQLite's write-ahead log may hold before the writer copies them into the
/// database file itself, at a commit (32 MiB; SQLite's default is 1,000 pages). A serving
/// process copies them sooner from another connection (`Db::checkpoint`), off the write path:
/// done by the writer, a commit in a registration rush paid for it every few batches, at about
/// three times a commit's cost (docs/benchmarks.md). This is the bound when nobody does.
const WRITER_AUTOCHECKPOINT: &str = "8000";

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

type Resolved = Result<Vec<sqlx::migrate::Migration>, sqlx::error::BoxDynError>;

/// The embedded migrations older than a version (`Db::migrate_before`).
#[derive(Debug)]
struct MigrationsBefore(i64);

impl<'s> sqlx::migrate::MigrationSource<'s> for MigrationsBefore {
    fn resolve(self) -> std::pin::Pin<Box<dyn std::future::Future<Output = Resolved> + Send + 's>> {
        let older = MIGRATIONS
            .iter()
            .filter(|migration| migration.version < self.0)
            .cloned()
            .collect();
        Box::pin(std::future::ready(Ok(older)))
    }
}

/// A pool on one of the two engines Étape supports, with this process's writer queues.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool, Arc<Writers>),
    Postgres(PgPool, Arc<Writers>),
}

/// What this process keeps beside the pool: the master key that opens the sealed secrets
/// (`sealed`, set once by `unlock`), and where its writers wait their turn. SQLite takes one
/// writer at a time: its writers queue at `gate` rather than in SQLite's busy handler, which
/// sleeps and retries (a long tail under a registration rush, docs/benchmarks.md), and then
/// write through `sqlite_writer`, a connection of their own. Registrations on either engine
/// queue at `admissions`, which admits them in batches, and doors' scans at `scans`
/// (`group_commit`).
#[derive(Default)]
pub struct Writers {
    master_key: std::sync::OnceLock<sealed::MasterKey>,
    gate: tokio::sync::Mutex<()>,
    /// SQLite's one writing connection. Always the same one, because a connection that finds
    /// the database changed by another drops its whole page cache: a writer shared with the
    /// readers would read its indexes back from the file at every turn.
    sqlite_writer: Option<SqlitePool>,
    admissions: registrations::Queue,
    scans: checkins::ScanQueue,
}

impl std::fmt::Debug for Writers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Writers")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("not found")]
    NotFound,
    #[error("already exists")]
    UniqueViolation,
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error("database: {0}")]
    Other(#[source] sqlx::Error),
    /// A sealed secret was asked for before the master key was given (`Db::unlock`).
    #[error("the master key was not loaded, so the sealed secrets cannot be read")]
    Locked,
    #[error(
        "the master key does not open this database's secrets: they were sealed with another key"
    )]
    WrongMasterKey,
    /// A write that was part of a batch (or retried alone after its batch failed) failed;
    /// its cause was logged where it happened.
    #[error("a batched write failed (its cause is logged above)")]
    BatchFailed,
}

impl From<sqlx::Error> for DbError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => DbError::NotFound,
            sqlx::Error::Database(e) if e.is_unique_violation() => DbError::UniqueViolation,
            _ => DbError::Other(error),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for DbError {
    fn from(error: sqlx::migrate::MigrateError) -> Self {
        DbError::Other(sqlx::Error::Migrate(Box::new(error)))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("DATABASE_URL must start with sqlite:// or postgres:// (got « {0} »)")]
    Scheme(String),
    #[error("cannot create the folder for the SQLite database {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("ETAPE_SQLITE_SYNCHRONOUS must be full or normal (got « {0} »)")]
    Synchronous(String),
    #[error("cannot open the database: {0}")]
    Open(#[from] sqlx::Error),
}

/// `FULL` unless `ETAPE_SQLITE_SYNCHRONOUS=normal`: with `FULL` a power cut loses no
/// acknowledged registration; `NORMAL` saves a flush per commit and a power cut (not a crash
/// of the process) may lose the last commits. Registrations and scans commit in batches, so
/// the flush is paid once per batch (docs/benchmarks.md measures both).
fn sqlite_synchronous() -> Result<SqliteSynchronous, ConnectError> {
    match std::env::var("ETAPE_SQLITE_SYNCHRONOUS") {
        Err(_) => Ok(SqliteSynchronous::Full),
        Ok(raw) => match raw.trim().to_ascii_lowercase().as_str() {
            "" | "full" => Ok(SqliteSynchronous::Full),
            "normal" => Ok(SqliteSynchronous::Normal),
            _ => Err(ConnectError::Synchronous(raw)),
        },
    }
}

impl Db {
    /// Opens a pool for `url`. SQLite is opened as production needs it: the file is created if
    /// missing, write-ahead log, every commit flushed to the disk before it is acknowledged
    /// (`sqlite_synchronous`), foreign keys enforced, and a busy timeout instead of errors
    /// when writers meet.
    pub async fn connect(url: &str) -> Result<Self, ConnectError> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(sqlite_synchronous()?)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5));
            if let Some(folder) = options.get_filename().parent() {
                if !folder.as_os_str().is_empty() {
                    std::fs::create_dir_all(folder).map_err(|source| ConnectError::Folder {
                        path: folder.display().to_string(),
                        source,
                    })?;
                }
            }
            let readers = SqlitePoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options.clone())
                .await?;
            // Kept open for good: its page cache is the point (`Writers::sqlite_writer`).
            let writer = SqlitePoolOptions::new()
                .min_connections(1)
                .max_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(
                    options
                        .pragma("cache_size", WRITER_CACHE)
                        .pragma("wal_autocheckpoint", WRITER_AUTOCHECKPOINT),
                )
                .await?;
            let writers = Writers {
                sqlite_writer: Some(writer),
                ..Writers::default()
            };
            Ok(Db::Sqlite(readers, Arc::new(writers)))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            Ok(Db::Postgres(pool, Arc::default()))
        } else {
            Err(ConnectError::Scheme(url.chars().take(40).collect()))
        }
    }

    /// Applies the migrations that have not run yet.
    pub async fn migrate(&self) -> Result<(), DbError> {
        match self {
            Db::Sqlite(pool, _) => MIGRATIONS.run(self.sqlite_writer(pool)).await?,
            Db::Postgres(pool, _) => MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    /// Applies only the migrations older than `version`, as a release that did not have the
    /// others left the database: for tests of a migration on the data it finds.
    #[doc(hidden)]
    pub async fn migrate_before(&self, version: i64) -> Result<(), DbError> {
        let older = sqlx::migrate::Migrator::new(MigrationsBefore(version)).await?;
        match self {
            Db::Sqlite(pool, _) => older.run(self.sqlite_writer(pool)).await?,
            Db::Postgres(pool, _) => older.run(pool).await?,
        }
        Ok(())
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), DbError> {
        let _: (i64,) = self.fetch_one(sql("SELECT CAST(1 AS BIGINT)")).await?;
        Ok(())
    }

    /// Waits for this process's turn to write, on SQLite; nothing to wait for on PostgreSQL,
    /// whose row locks queue writers by themselves. Hold the guard until the commit.
    pub async fn write_turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match self {
            Db::Sqlite(_, writers) => Some(writers.gate.lock().await),
            Db::Postgres(..) => None,
        }
    }

    /// Copies the pages SQLite's write-ahead log holds into the database file, as far as the
    /// readers allow, through a reading connection and without waiting for the writer (a
    /// passive checkpoint). Returns how many pages the log holds and how many of them are now
    /// in the file; `None` on PostgreSQL, which has nothing to copy.
    ///
    /// The log starts over from its beginning only when a write finds it wholly copied, which
    /// under steady writes and reads a passive checkpoint never leaves it: it then grows
    /// without end (to 1.9 GB in a ten-minute soak). So once it holds `restart_at` pages or
    /// more, the checkpoint takes the write turn, waits for the readers still on the log (at
    /// most the busy timeout) and empties it (`TRUNCATE`), and returns `(0, 0)`.
    pub async fn checkpoint(&self, restart_at: i64) -> Result<Option<(i64, i64)>, DbError> {
        let Db::Sqlite(pool, _) = self else {
            return Ok(None);
        };
        let (_busy, in_log, copied): (i64, i64, i64) =
            sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
                .fetch_one(pool)
                .await?;
        if in_log < restart_at {
            return Ok(Some((in_log, copied)));
        }
        let _turn = self.write_turn().await;
        let (_busy, in_log, copied): (i64, i64, i64) =
            sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(pool)
                .await?;
        Ok(Some((in_log, copied)))
    }

    /// Gives this pool the master key its sealed secrets open with. The first key given stays.
    pub fn unlock(&self, key: sealed::MasterKey) {
        let _ = self.writers().master_key.set(key);
    }

    pub(crate) fn master_key(&self) -> Result<&sealed::MasterKey, DbError> {
        self.writers().master_key.get().ok_or(DbError::Locked)
    }

    /// The connection SQLite's writes go through, held by whoever has the write turn.
    fn sqlite_writer<'a>(&'a self, readers: &'a SqlitePool) -> &'a SqlitePool {
        self.writers().sqlite_writer.as_ref().unwrap_or(readers)
    }

    fn writers(&self) -> &Writers {
        match self {
            Db::Sqlite(_, writers) | Db::Postgres(_, writers) => writers,
        }
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(pool, _) => {
                self.sqlite_writer(pool).close().await;
                pool.close().await;
            }
            Db::Postgres(pool, _) => pool.close().await,
        }
    }
}

/// A new primary key: UUIDv7, so keys sort by creation time on both engines.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A new registration's id, which its ticket's QR code carries: a random UUIDv4. A UUIDv7
/// would tell whoever reads a ticket when it was made (its first 48 bits are the time), and
/// tickets made together would share most of their bits.
pub fn new_ticket_id() -> Result<String, DbError> {
    let seed = ticket_keys::random_seed()?;
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&seed[..16]);
    Ok(uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string())
}

pub(crate) fn to_instant(seconds: i64) -> Result<chrono::DateTime<chrono::Utc>, DbError> {
    chrono::DateTime::from_timestamp(seconds, 0)
        .ok_or_else(|| DbError::Corrupt(format!("instant {seconds} out of range")))
}

pub(crate) fn to_date(raw: &str) -> Result<chrono::NaiveDate, DbError> {
    raw.parse()
        .map_err(|_| DbError::Corrupt(format!("date « {raw} »")))
}
