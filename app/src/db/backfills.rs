//! Backfills that need the running application (the links secret, a computation in Rust): each
//! runs once, after the schema migrations, and is recorded by name in `backfills`. Backfills
//! plain SQL can do are migrations (migrations/).

use super::{sql, Db, DbError};
use chrono::{DateTime, Utc};

/// Whether the backfill called `name` has run on this database.
pub async fn is_done(db: &Db, name: &str) -> Result<bool, DbError> {
    let found: Option<(String,)> = db
        .fetch_optional(sql("SELECT name FROM backfills WHERE name = $1").bind(name))
        .await?;
    Ok(found.is_some())
}

/// Records that the backfill called `name` ran. Two servers that ran it at once agree: a
/// backfill must be safe to run twice.
pub async fn mark_done(db: &Db, name: &str, now: DateTime<Utc>) -> Result<(), DbError> {
    db.execute(
        sql("INSERT INTO backfills (name, done_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(now.timestamp()),
    )
    .await?;
    Ok(())
}
