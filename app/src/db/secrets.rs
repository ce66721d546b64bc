//! Secrets the site draws once and keeps, sealed under the master key (`sealed`): the key
//! behind private links.

use super::sealed::{is_sealed, site_secret_purpose};
use super::ticket_keys::random_seed;
use super::{sql, Db, DbError};
use chrono::{DateTime, Utc};

/// The 32-byte secret called `name`, drawn from the operating system the first time it is
/// asked for. Two servers starting together on one database agree: the first insert wins.
pub async fn site_secret(db: &Db, name: &str, now: DateTime<Utc>) -> Result<[u8; 32], DbError> {
    let key = db.master_key()?;
    let purpose = site_secret_purpose(name);
    let candidate = key.seal(&purpose, &random_seed()?)?;
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
    key.open(&purpose, &stored)
}

/// Seals the secrets that versions before the master key kept plain; returns how many. Each
/// is replaced only if still plain, so servers starting together do it once.
pub async fn seal_plain_secrets(db: &Db) -> Result<usize, DbError> {
    let key = db.master_key()?;
    let rows: Vec<(String, String)> = db
        .fetch_all(sql("SELECT name, value FROM site_secrets"))
        .await?;
    let mut sealed = 0;
    for (name, stored) in rows.iter().filter(|(_, stored)| !is_sealed(stored)) {
        let purpose = site_secret_purpose(name);
        let secret = key.open(&purpose, stored)?;
        sealed += db
            .execute(
                sql("UPDATE site_secrets SET value = $2 WHERE name = $1 AND value = $3")
                    .bind(name)
                    .bind(key.seal(&purpose, &secret)?)
                    .bind(stored),
            )
            .await? as usize;
    }
    Ok(sealed)
}

/// Opens every sealed site secret: `WrongMasterKey` when the key given is not theirs.
/// Returns whether there was any.
pub async fn check_master_key(db: &Db) -> Result<bool, DbError> {
    let rows: Vec<(String, String)> = db
        .fetch_all(sql(
            "SELECT name, value FROM site_secrets WHERE value LIKE 'sealed:%'",
        ))
        .await?;
    let key = db.master_key()?;
    for (name, stored) in &rows {
        key.open(&site_secret_purpose(name), stored)?;
    }
    Ok(!rows.is_empty())
}

/// How many site secrets are sealed.
pub async fn count_sealed(db: &Db) -> Result<i64, DbError> {
    let (count,): (i64,) = db
        .fetch_one(sql(
            "SELECT COUNT(*) FROM site_secrets WHERE value LIKE 'sealed:%'",
        ))
        .await?;
    Ok(count)
}
