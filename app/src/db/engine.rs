//! Running one statement on whichever engine the `Db` holds, and everything in which the two
//! dialects differ: beginning a write, locking a stage, packing rows into JSON.
//!
//! Queries elsewhere in `db` are written once, as a `Statement` (SQL with `$1` placeholders,
//! which both drivers understand, plus its arguments), and run through `Db` (the pool) or `Tx`
//! (a transaction). Rows decode with `#[derive(sqlx::FromRow)]`, which serves both engines.
//! Why not sqlx's `Any` driver: it gives up the typed pools' connect options (WAL, busy
//! timeout, foreign keys on SQLite), cannot read SQLite's BOOLEAN or a NULL-typed expression
//! column, and converts every row once more; this module is the small part of it we need.

use super::{Db, DbError};
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::query::{Query, QueryAs};
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Arguments, Encode, FromRow, Postgres, Sqlite, Transaction, Type};
use std::borrow::Cow;
use tokio::sync::MutexGuard;

/// Which database engine a `Db` talks to, for the few statements written twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

    /// An aggregate that packs the selected rows into one JSON text, an array of `[columns…]`
    /// arrays (`[]` when there is none): handing ten thousand rows over one by one costs more
    /// than the query that finds them.
    pub fn json_rows(self, columns: &str) -> String {
        match self {
            Engine::Sqlite => format!("json_group_array(json_array({columns}))"),
            Engine::Postgres => {
                format!("COALESCE(json_agg(json_build_array({columns}))::text, '[]')")
            }
        }
    }
}

/// A value bound to a `$n` placeholder.
#[derive(Debug, Clone)]
pub enum Arg<'a> {
    Text(Option<Cow<'a, str>>),
    Int(Option<i64>),
    Real(Option<f64>),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(value: &'a str) -> Self {
        Arg::Text(Some(Cow::Borrowed(value)))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(value: &'a String) -> Self {
        Arg::Text(Some(Cow::Borrowed(value)))
    }
}

impl From<String> for Arg<'_> {
    fn from(value: String) -> Self {
        Arg::Text(Some(Cow::Owned(value)))
    }
}

impl<'a> From<Option<&'a str>> for Arg<'a> {
    fn from(value: Option<&'a str>) -> Self {
        Arg::Text(value.map(Cow::Borrowed))
    }
}

impl From<Option<String>> for Arg<'_> {
    fn from(value: Option<String>) -> Self {
        Arg::Text(value.map(Cow::Owned))
    }
}

impl<'a> From<&'a Option<String>> for Arg<'a> {
    fn from(value: &'a Option<String>) -> Self {
        Arg::Text(value.as_deref().map(Cow::Borrowed))
    }
}

impl From<i64> for Arg<'_> {
    fn from(value: i64) -> Self {
        Arg::Int(Some(value))
    }
}

impl From<Option<i64>> for Arg<'_> {
    fn from(value: Option<i64>) -> Self {
        Arg::Int(value)
    }
}

impl From<Option<f64>> for Arg<'_> {
    fn from(value: Option<f64>) -> Self {
        Arg::Real(value)
    }
}

/// SQL with `$1`, `$2`… placeholders and the values bound to them, in order.
#[derive(Debug, Clone)]
pub struct Statement<'a> {
    sql: Cow<'a, str>,
    args: Vec<Arg<'a>>,
}

/// Starts a statement: `sql("SELECT … WHERE id = $1").bind(id)`.
pub fn sql<'a>(text: impl Into<Cow<'a, str>>) -> Statement<'a> {
    Statement {
        sql: text.into(),
        args: Vec::new(),
    }
}

impl<'a> Statement<'a> {
    /// Binds the next placeholder.
    pub fn bind(mut self, value: impl Into<Arg<'a>>) -> Self {
        self.args.push(value.into());
        self
    }

    /// The arguments, encoded for one engine's driver.
    fn arguments<'q, A>(&'q self) -> Result<A, DbError>
    where
        A: Arguments<'q>,
        Option<&'q str>: Encode<'q, A::Database> + Type<A::Database>,
        Option<i64>: Encode<'q, A::Database> + Type<A::Database>,
        Option<f64>: Encode<'q, A::Database> + Type<A::Database>,
    {
        let mut out = A::default();
        for arg in &self.args {
            let added = match arg {
                Arg::Text(value) => out.add(value.as_deref()),
                Arg::Int(value) => out.add(*value),
                Arg::Real(value) => out.add(*value),
            };
            added.map_err(|e| DbError::Other(sqlx::Error::Encode(e)))?;
        }
        Ok(out)
    }
}

/// A row type that decodes on both engines: what `#[derive(sqlx::FromRow)]` and tuples give.
pub trait EngineRow:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

impl<T> EngineRow for T where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

fn on_sqlite<'q, T: EngineRow>(
    s: &'q Statement<'_>,
) -> Result<QueryAs<'q, Sqlite, T, SqliteArguments<'q>>, DbError> {
    Ok(sqlx::query_as_with(&s.sql, s.arguments()?))
}

fn on_postgres<'q, T: EngineRow>(
    s: &'q Statement<'_>,
) -> Result<QueryAs<'q, Postgres, T, PgArguments>, DbError> {
    Ok(sqlx::query_as_with(&s.sql, s.arguments()?))
}

fn write_on_sqlite<'q>(
    s: &'q Statement<'_>,
) -> Result<Query<'q, Sqlite, SqliteArguments<'q>>, DbError> {
    Ok(sqlx::query_with(&s.sql, s.arguments()?))
}

fn write_on_postgres<'q>(
    s: &'q Statement<'_>,
) -> Result<Query<'q, Postgres, PgArguments>, DbError> {
    Ok(sqlx::query_with(&s.sql, s.arguments()?))
}

impl Db {
    pub fn engine(&self) -> Engine {
        match self {
            Db::Sqlite(..) => Engine::Sqlite,
            Db::Postgres(..) => Engine::Postgres,
        }
    }

    pub async fn fetch_all<T: EngineRow>(&self, s: Statement<'_>) -> Result<Vec<T>, DbError> {
        Ok(match self {
            Db::Sqlite(pool, _) => on_sqlite(&s)?.fetch_all(pool).await?,
            Db::Postgres(pool, _) => on_postgres(&s)?.fetch_all(pool).await?,
        })
    }

    pub async fn fetch_optional<T: EngineRow>(
        &self,
        s: Statement<'_>,
    ) -> Result<Option<T>, DbError> {
        Ok(match self {
            Db::Sqlite(pool, _) => on_sqlite(&s)?.fetch_optional(pool).await?,
            Db::Postgres(pool, _) => on_postgres(&s)?.fetch_optional(pool).await?,
        })
    }

    /// The one row the statement returns; `DbError::NotFound` when there is none.
    pub async fn fetch_one<T: EngineRow>(&self, s: Statement<'_>) -> Result<T, DbError> {
        Ok(match self {
            Db::Sqlite(pool, _) => on_sqlite(&s)?.fetch_one(pool).await?,
            Db::Postgres(pool, _) => on_postgres(&s)?.fetch_one(pool).await?,
        })
    }

    /// Runs a write outside any transaction (one statement is atomic by itself), after this
    /// process's write turn on SQLite. Returns how many rows it changed.
    pub async fn execute(&self, s: Statement<'_>) -> Result<u64, DbError> {
        let _turn = self.write_turn().await;
        let done = match self {
            Db::Sqlite(pool, _) => write_on_sqlite(&s)?
                .execute(self.sqlite_writer(pool))
                .await?
                .rows_affected(),
            Db::Postgres(pool, _) => write_on_postgres(&s)?.execute(pool).await?.rows_affected(),
        };
        Ok(done)
    }

    /// Begins a transaction that will write. On SQLite it first waits for this process's write
    /// turn, then takes the database's write lock at once (`BEGIN IMMEDIATE`): a deferred
    /// transaction that reads, then writes, would fail when another writer came in between,
    /// instead of waiting. On PostgreSQL writers lock what they change (`Tx::lock_stage`).
    pub async fn begin_write(&self) -> Result<Tx<'_>, DbError> {
        match self {
            Db::Sqlite(pool, _) => {
                let turn = self.write_turn().await;
                let tx = self
                    .sqlite_writer(pool)
                    .begin_with("BEGIN IMMEDIATE")
                    .await?;
                Ok(Tx {
                    inner: TxInner::Sqlite(tx),
                    _turn: turn,
                })
            }
            Db::Postgres(pool, _) => Ok(Tx {
                inner: TxInner::Postgres(pool.begin().await?),
                _turn: None,
            }),
        }
    }
}

/// Reads rows through the pool or inside a transaction: a reading function written once serves
/// pages (the pool) and a change that must read what it is about to replace (a transaction).
pub trait Fetch {
    fn fetch_rows<T: EngineRow>(
        &mut self,
        s: Statement<'_>,
    ) -> impl std::future::Future<Output = Result<Vec<T>, DbError>> + Send;
}

impl Fetch for &Db {
    async fn fetch_rows<T: EngineRow>(&mut self, s: Statement<'_>) -> Result<Vec<T>, DbError> {
        self.fetch_all(s).await
    }
}

impl Fetch for Tx<'_> {
    async fn fetch_rows<T: EngineRow>(&mut self, s: Statement<'_>) -> Result<Vec<T>, DbError> {
        self.fetch_all(s).await
    }
}

/// An open transaction on either engine. Dropped without `commit`, it rolls back.
pub struct Tx<'d> {
    // Declared first, so dropped first: the rollback happens before the write turn passes on.
    inner: TxInner,
    _turn: Option<MutexGuard<'d, ()>>,
}

enum TxInner {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx<'_> {
    pub async fn fetch_all<T: EngineRow>(&mut self, s: Statement<'_>) -> Result<Vec<T>, DbError> {
        Ok(match &mut self.inner {
            TxInner::Sqlite(tx) => on_sqlite(&s)?.fetch_all(&mut **tx).await?,
            TxInner::Postgres(tx) => on_postgres(&s)?.fetch_all(&mut **tx).await?,
        })
    }

    pub async fn fetch_optional<T: EngineRow>(
        &mut self,
        s: Statement<'_>,
    ) -> Result<Option<T>, DbError> {
        Ok(match &mut self.inner {
            TxInner::Sqlite(tx) => on_sqlite(&s)?.fetch_optional(&mut **tx).await?,
            TxInner::Postgres(tx) => on_postgres(&s)?.fetch_optional(&mut **tx).await?,
        })
    }

    /// The one row the statement returns; `DbError::NotFound` when there is none.
    pub async fn fetch_one<T: EngineRow>(&mut self, s: Statement<'_>) -> Result<T, DbError> {
        Ok(match &mut self.inner {
            TxInner::Sqlite(tx) => on_sqlite(&s)?.fetch_one(&mut **tx).await?,
            TxInner::Postgres(tx) => on_postgres(&s)?.fetch_one(&mut **tx).await?,
        })
    }

    /// Returns how many rows the statement changed.
    pub async fn execute(&mut self, s: Statement<'_>) -> Result<u64, DbError> {
        let done = match &mut self.inner {
            TxInner::Sqlite(tx) => write_on_sqlite(&s)?
                .execute(&mut **tx)
                .await?
                .rows_affected(),
            TxInner::Postgres(tx) => write_on_postgres(&s)?
                .execute(&mut **tx)
                .await?
                .rows_affected(),
        };
        Ok(done)
    }

    /// Holds the stage's row until the transaction ends, so that seat decisions on one stage
    /// happen one at a time. SQLite's `BEGIN IMMEDIATE` already holds the whole database.
    /// Lock stages in id order when a transaction needs several: two processes then never
    /// wait for each other in a circle.
    pub async fn lock_stage(&mut self, stage_id: &str) -> Result<(), DbError> {
        if let TxInner::Postgres(tx) = &mut self.inner {
            sqlx::query("SELECT id FROM stages WHERE id = $1 FOR UPDATE")
                .bind(stage_id)
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    pub async fn commit(self) -> Result<(), DbError> {
        match self.inner {
            TxInner::Sqlite(tx) => tx.commit().await?,
            TxInner::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}
