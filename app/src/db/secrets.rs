//! Secrets the site draws once and keeps: the key behind private links.

use super::ticket_keys::random_seed;
use super::{sql, Db, DbError};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};

/// The 32-byte secret called `name`, drawn from the operating system the first time it is
/// asked for. Two servers starting together on one database agree: the first insert wins.
pub async fn site_secret(db: &Db, name: &str, now: DateTime<Utc>) -> Result<[u8; 32], DbError> {
    let candidate = URL_SAFE_NO_PAD.encode(random_seed()?);
    db.execute(
        sql(
            "INSERT INTO site_secrets (name, value, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(&candidate)
        .bind(now.timestamp()),
    )
    .await?;
    let (stored,): (String,) = db
        .fetch_one(sql("SELECT value FROM site_secrets WHERE name = $1").bind(name))
        .await?;
    URL_SAFE_NO_PAD
        .decode(&stored)
        .ok()
        .and_then(|bytes| <[u8; 32]>::try_from(bytes.as_slice()).ok())
        .ok_or_else(|| DbError::Corrupt(format!("site secret {name}")))
}
