//! Each edition's ticket signing keys. The active key signs new tickets; retired keys are kept
//! so that scanners still accept the tickets they signed (rotation, docs/tickets.md).
//! Seeds come from the operating system's random source and are kept sealed (`sealed`).

use super::sealed::{edition_key_purpose, is_sealed};
use super::{new_id, sql, Db, DbError, Tx};
use crate::domain::ticket::{TicketKey, TicketPublicKey};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};

/// 32 bytes from the operating system, for a new key.
pub fn random_seed() -> Result<[u8; 32], DbError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| DbError::Corrupt(format!("no random source: {e}")))?;
    Ok(seed)
}

fn decode32(raw: &str, what: &str) -> Result<[u8; 32], DbError> {
    URL_SAFE_NO_PAD
        .decode(raw)
        .ok()
        .and_then(|bytes| <[u8; 32]>::try_from(bytes.as_slice()).ok())
        .ok_or_else(|| DbError::Corrupt(format!("edition key: {what}")))
}

/// Stores `seed` as the edition's active key, retiring the previous one: key rotation.
pub async fn rotate_key(
    db: &Db,
    edition_id: &str,
    seed: [u8; 32],
    now: DateTime<Utc>,
) -> Result<TicketPublicKey, DbError> {
    let public = TicketKey::from_seed(seed).public_key();
    let mut tx = db.begin_write().await?;
    tx.execute(
        sql("UPDATE edition_keys SET retired_at = $2 WHERE edition_id = $1 AND retired_at IS NULL")
            .bind(edition_id)
            .bind(now.timestamp()),
    )
    .await?;
    insert_key(db, &mut tx, edition_id, seed, now).await?;
    tx.commit().await?;
    Ok(public)
}

/// Adds `seed` as an edition key, its seed sealed under the master key (`sealed`).
pub(crate) async fn insert_key(
    db: &Db,
    tx: &mut Tx<'_>,
    edition_id: &str,
    seed: [u8; 32],
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let id = new_id();
    let public = TicketKey::from_seed(seed).public_key();
    let sealed_seed = db.master_key()?.seal(&edition_key_purpose(&id), &seed)?;
    tx.execute(
        sql(
            "INSERT INTO edition_keys (id, edition_id, public_key, private_seed, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&id)
        .bind(edition_id)
        .bind(URL_SAFE_NO_PAD.encode(public.to_bytes()))
        .bind(sealed_seed)
        .bind(now.timestamp()),
    )
    .await?;
    Ok(())
}

/// The key that signs the edition's new tickets, if it has one.
pub async fn find_active_key(db: &Db, edition_id: &str) -> Result<Option<TicketKey>, DbError> {
    let row: Option<(String, String)> = db
        .fetch_optional(
            sql("SELECT id, private_seed FROM edition_keys \
                 WHERE edition_id = $1 AND retired_at IS NULL")
            .bind(edition_id),
        )
        .await?;
    let Some((id, stored)) = row else {
        return Ok(None);
    };
    let seed = db.master_key()?.open(&edition_key_purpose(&id), &stored)?;
    Ok(Some(TicketKey::from_seed(seed)))
}

/// Seals the seeds that versions before the master key kept plain; returns how many. Each is
/// replaced only if still plain, so servers starting together do it once.
pub async fn seal_plain_seeds(db: &Db) -> Result<usize, DbError> {
    let key = db.master_key()?;
    let rows: Vec<(String, String)> = db
        .fetch_all(sql("SELECT id, private_seed FROM edition_keys"))
        .await?;
    let mut sealed = 0;
    for (id, stored) in rows.iter().filter(|(_, stored)| !is_sealed(stored)) {
        let purpose = edition_key_purpose(id);
        let seed = key.open(&purpose, stored)?;
        sealed += db
            .execute(
                sql(
                    "UPDATE edition_keys SET private_seed = $2 WHERE id = $1 AND private_seed = $3",
                )
                .bind(id)
                .bind(key.seal(&purpose, &seed)?)
                .bind(stored),
            )
            .await? as usize;
    }
    Ok(sealed)
}

/// Opens one sealed seed, if any: `WrongMasterKey` when the key given is not theirs. Returns
/// whether there was one to open.
pub async fn check_master_key(db: &Db) -> Result<bool, DbError> {
    let row: Option<(String, String)> = db
        .fetch_optional(sql(
            "SELECT id, private_seed FROM edition_keys WHERE private_seed LIKE 'sealed:%' LIMIT 1",
        ))
        .await?;
    match row {
        Some((id, stored)) => {
            db.master_key()?.open(&edition_key_purpose(&id), &stored)?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// The active key, made now if the edition has none yet (editions stored before keys existed).
pub async fn ensure_active_key(
    db: &Db,
    edition_id: &str,
    now: DateTime<Utc>,
) -> Result<TicketKey, DbError> {
    if let Some(key) = find_active_key(db, edition_id).await? {
        return Ok(key);
    }
    match rotate_key(db, edition_id, random_seed()?, now).await {
        // Another request made it first: the unique index keeps one active key; use that one.
        Ok(_) | Err(DbError::UniqueViolation) => {}
        Err(other) => return Err(other),
    }
    find_active_key(db, edition_id)
        .await?
        .ok_or(DbError::NotFound)
}

/// Every public key a scanner should accept for the edition, the active one first.
pub async fn list_public_keys(db: &Db, edition_id: &str) -> Result<Vec<TicketPublicKey>, DbError> {
    let rows: Vec<(String,)> = db
        .fetch_all(
            sql("SELECT public_key FROM edition_keys WHERE edition_id = $1 \
                 ORDER BY CASE WHEN retired_at IS NULL THEN 0 ELSE 1 END, created_at DESC")
            .bind(edition_id),
        )
        .await?;
    rows.iter()
        .map(|(raw,)| {
            TicketPublicKey::from_bytes(&decode32(raw, "public key")?)
                .map_err(|_| DbError::Corrupt("edition key: public key".into()))
        })
        .collect()
}

/// How many edition keys have their seed sealed.
pub async fn count_sealed(db: &Db) -> Result<i64, DbError> {
    let (count,): (i64,) = db
        .fetch_one(sql(
            "SELECT COUNT(*) FROM edition_keys WHERE private_seed LIKE 'sealed:%'",
        ))
        .await?;
    Ok(count)
}
