//! Personal API tokens: made for an account, found by the hash of the token, revoked for good.

use super::accounts::{Account, AccountRow};
use super::{new_id, sql, to_instant, Db, DbError};
use chrono::{DateTime, Utc};

/// A token as its owner's list shows it (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    pub id: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// Stores a token for the account; returns its id.
pub async fn create(
    db: &Db,
    account_id: &str,
    name: &str,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<String, DbError> {
    let id = new_id();
    db.execute(
        sql(
            "INSERT INTO api_tokens (id, account_id, name, token_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&id)
        .bind(account_id)
        .bind(name)
        .bind(token_hash)
        .bind(now.timestamp()),
    )
    .await?;
    Ok(id)
}

/// The account's tokens still valid, newest first.
pub async fn list(db: &Db, account_id: &str) -> Result<Vec<TokenRecord>, DbError> {
    let rows: Vec<(String, String, i64, Option<i64>)> = db
        .fetch_all(
            sql("SELECT id, name, created_at, last_used_at FROM api_tokens \
                 WHERE account_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC, id")
            .bind(account_id),
        )
        .await?;
    rows.into_iter()
        .map(|(id, name, created_at, last_used_at)| {
            Ok(TokenRecord {
                id,
                name,
                created_at: to_instant(created_at)?,
                last_used_at: last_used_at.map(to_instant).transpose()?,
            })
        })
        .collect()
}

/// Revokes one of the account's tokens; `false` when it has no such valid token.
pub async fn revoke(
    db: &Db,
    account_id: &str,
    id: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let changed = db
        .execute(
            sql(
                "UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND account_id = $2 \
                 AND revoked_at IS NULL",
            )
            .bind(id)
            .bind(account_id)
            .bind(now.timestamp()),
        )
        .await?;
    Ok(changed == 1)
}

/// The account a valid token acts for; notes when it was last used (to the minute, so that a
/// busy script does not write on every request).
pub async fn account(
    db: &Db,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<Account>, DbError> {
    let row: Option<AccountRow> = db
        .fetch_optional(
            sql(
                "SELECT a.id, a.email, a.name, a.platform_admin FROM api_tokens t \
                 JOIN accounts a ON a.id = t.account_id \
                 WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
            )
            .bind(token_hash),
        )
        .await?;
    if row.is_some() {
        db.execute(
            sql(
                "UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1 \
                 AND (last_used_at IS NULL OR last_used_at < $2 - 60)",
            )
            .bind(token_hash)
            .bind(now.timestamp()),
        )
        .await?;
    }
    Ok(row.map(Account::from))
}
