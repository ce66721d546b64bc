//! Logins: one row per signed-in browser, found by the hash of its cookie.

use super::accounts::{Account, AccountRow};
use super::{sql, to_instant, Db, DbError};
use crate::domain::account::session_expires_at;
use chrono::{DateTime, Duration, Utc};

/// A login is marked as used at most this often: every request of an organiser would
/// otherwise be a write.
const TOUCH_EVERY: Duration = Duration::minutes(5);

/// Opens a login for `account_id`; `id_hash` is the hash of the cookie's random id.
pub async fn open(
    db: &Db,
    id_hash: &str,
    account_id: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    db.execute(
        sql(
            "INSERT INTO sessions (id_hash, account_id, created_at, last_seen_at, expires_at) \
             VALUES ($1, $2, $3, $3, $4)",
        )
        .bind(id_hash)
        .bind(account_id)
        .bind(now.timestamp())
        .bind(session_expires_at(now, now).timestamp()),
    )
    .await?;
    Ok(())
}

/// The account signed in by the login `id_hash`, if that login is still valid; using it pushes
/// its idle expiry back.
pub async fn account(
    db: &Db,
    id_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<Account>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        account: AccountRow,
        created_at: i64,
        last_seen_at: i64,
    }
    let row: Option<Row> = db
        .fetch_optional(
            sql(
                "SELECT a.id, a.email, a.name, a.platform_admin, s.created_at, s.last_seen_at \
                 FROM sessions s JOIN accounts a ON a.id = s.account_id \
                 WHERE s.id_hash = $1 AND s.expires_at > $2",
            )
            .bind(id_hash)
            .bind(now.timestamp()),
        )
        .await?;
    let Some(row) = row else { return Ok(None) };
    if now - to_instant(row.last_seen_at)? >= TOUCH_EVERY {
        let expires_at = session_expires_at(to_instant(row.created_at)?, now);
        db.execute(
            sql("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id_hash = $3")
                .bind(now.timestamp())
                .bind(expires_at.timestamp())
                .bind(id_hash),
        )
        .await?;
    }
    Ok(Some(row.account.into()))
}

/// Ends one login (logging out).
pub async fn close(db: &Db, id_hash: &str) -> Result<(), DbError> {
    db.execute(sql("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash))
        .await?;
    Ok(())
}

/// Ends every login of an account (logging out everywhere, a password change); returns how
/// many there were.
pub async fn close_all(db: &Db, account_id: &str) -> Result<u64, DbError> {
    db.execute(sql("DELETE FROM sessions WHERE account_id = $1").bind(account_id))
        .await
}

/// Forgets logins that have expired.
pub async fn sweep(db: &Db, now: DateTime<Utc>) -> Result<u64, DbError> {
    db.execute(sql("DELETE FROM sessions WHERE expires_at <= $1").bind(now.timestamp()))
        .await
}
