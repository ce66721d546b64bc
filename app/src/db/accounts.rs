//! Organiser accounts and the roles they hold.

use super::outbox::insert_email;
use super::{new_id, sql, Db, DbError};
use crate::domain::access::Role;
use crate::domain::registration::Email;
use crate::mail::OutgoingEmail;
use chrono::{DateTime, Utc};

/// An organiser, as the workspace shows them. The password hash stays in `db`'s callers that
/// check a login (`login_by_email`), nowhere else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub email: String,
    pub name: String,
    pub platform_admin: bool,
}

#[derive(sqlx::FromRow)]
pub(super) struct AccountRow {
    id: String,
    email: String,
    name: String,
    platform_admin: i64,
}

impl From<AccountRow> for Account {
    fn from(row: AccountRow) -> Self {
        Account {
            id: row.id,
            email: row.email,
            name: row.name,
            platform_admin: row.platform_admin == 1,
        }
    }
}

/// What a new account is made of. The password is already hashed (Argon2id PHC string).
pub struct NewAccount<'a> {
    pub email: &'a Email,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub platform_admin: bool,
}

/// Stores a new account and returns its id; `DbError::UniqueViolation` when the address
/// already has one.
pub async fn create(db: &Db, new: NewAccount<'_>, now: DateTime<Utc>) -> Result<String, DbError> {
    let id = new_id();
    db.execute(
        sql(
            "INSERT INTO accounts (id, email, name, password_hash, platform_admin, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(new.email.as_str())
        .bind(new.name)
        .bind(new.password_hash)
        .bind(i64::from(new.platform_admin))
        .bind(now.timestamp()),
    )
    .await?;
    Ok(id)
}

/// The account of `email` with its password hash, to check a login.
pub async fn login_by_email(db: &Db, email: &Email) -> Result<Option<(Account, String)>, DbError> {
    #[derive(sqlx::FromRow)]
    struct LoginRow {
        #[sqlx(flatten)]
        account: AccountRow,
        password_hash: String,
    }
    let row: Option<LoginRow> = db
        .fetch_optional(
            sql("SELECT id, email, name, platform_admin, password_hash \
                 FROM accounts WHERE email = $1")
            .bind(email.as_str()),
        )
        .await?;
    Ok(row.map(|row| (row.account.into(), row.password_hash)))
}

pub async fn find(db: &Db, id: &str) -> Result<Option<Account>, DbError> {
    let row: Option<AccountRow> = db
        .fetch_optional(
            sql("SELECT id, email, name, platform_admin FROM accounts WHERE id = $1").bind(id),
        )
        .await?;
    Ok(row.map(Account::from))
}

pub async fn find_by_email(db: &Db, email: &Email) -> Result<Option<Account>, DbError> {
    let row: Option<AccountRow> = db
        .fetch_optional(
            sql("SELECT id, email, name, platform_admin FROM accounts WHERE email = $1")
                .bind(email.as_str()),
        )
        .await?;
    Ok(row.map(Account::from))
}

/// Replaces an account's password hash.
pub async fn set_password_hash(db: &Db, id: &str, password_hash: &str) -> Result<(), DbError> {
    let changed = db
        .execute(
            sql("UPDATE accounts SET password_hash = $1 WHERE id = $2")
                .bind(password_hash)
                .bind(id),
        )
        .await?;
    if changed == 0 {
        return Err(DbError::NotFound);
    }
    Ok(())
}

/// Every role the account holds, the platform admin's first.
pub async fn roles(db: &Db, account: &Account) -> Result<Vec<Role>, DbError> {
    let rows: Vec<(String, Option<String>)> = db
        .fetch_all(
            sql(
                "SELECT edition_id, stage_id FROM roles WHERE account_id = $1 \
                 ORDER BY edition_id, stage_id",
            )
            .bind(&account.id),
        )
        .await?;
    let mut roles = Vec::with_capacity(rows.len() + 1);
    if account.platform_admin {
        roles.push(Role::PlatformAdmin);
    }
    roles.extend(rows.into_iter().map(|(edition, stage)| match stage {
        None => Role::EditionAdmin { edition },
        Some(stage) => Role::StageOrganiser { edition, stage },
    }));
    Ok(roles)
}

/// Gives an account a role within an edition; granting it twice changes nothing.
pub async fn grant(
    db: &Db,
    account_id: &str,
    role: &Role,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let (edition, stage) = match role {
        Role::PlatformAdmin => {
            db.execute(
                sql("UPDATE accounts SET platform_admin = 1 WHERE id = $1").bind(account_id),
            )
            .await?;
            return Ok(());
        }
        Role::EditionAdmin { edition } => (edition.as_str(), None),
        Role::StageOrganiser { edition, stage } => (edition.as_str(), Some(stage.as_str())),
    };
    db.execute(
        sql(
            "INSERT INTO roles (account_id, edition_id, stage_id, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(account_id)
        .bind(edition)
        .bind(stage)
        .bind(now.timestamp()),
    )
    .await?;
    Ok(())
}

/// Stores a password reset token (its hash) for the account, usable once until `expires_at`.
pub async fn create_reset(
    db: &Db,
    token_hash: &str,
    account_id: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    message: &OutgoingEmail,
) -> Result<(), DbError> {
    let mut tx = db.begin_write().await?;
    tx.execute(
        sql(
            "INSERT INTO password_resets (token_hash, account_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(account_id)
        .bind(now.timestamp())
        .bind(expires_at.timestamp()),
    )
    .await?;
    tx.execute(insert_email(&new_id(), message, now)).await?;
    tx.commit().await?;
    Ok(())
}

/// Whether a reset token is unused and unexpired.
pub async fn reset_is_open(db: &Db, token_hash: &str, now: DateTime<Utc>) -> Result<bool, DbError> {
    let row: Option<(String,)> = db
        .fetch_optional(
            sql(
                "SELECT account_id FROM password_resets WHERE token_hash = $1 \
                 AND used_at IS NULL AND expires_at > $2",
            )
            .bind(token_hash)
            .bind(now.timestamp()),
        )
        .await?;
    Ok(row.is_some())
}

/// Uses a reset token: sets the account's new password and ends all its logins, in one
/// transaction. Returns the account's id, or `None` when the token is spent, expired or unknown.
pub async fn use_reset(
    db: &Db,
    token_hash: &str,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, DbError> {
    let mut tx = db.begin_write().await?;
    let used = tx
        .execute(
            sql(
                "UPDATE password_resets SET used_at = $2 WHERE token_hash = $1 \
                 AND used_at IS NULL AND expires_at > $2",
            )
            .bind(token_hash)
            .bind(now.timestamp()),
        )
        .await?;
    if used == 0 {
        return Ok(None);
    }
    let (account_id,): (String,) = tx
        .fetch_one(
            sql("SELECT account_id FROM password_resets WHERE token_hash = $1").bind(token_hash),
        )
        .await?;
    tx.execute(
        sql("UPDATE accounts SET password_hash = $2 WHERE id = $1")
            .bind(&account_id)
            .bind(password_hash),
    )
    .await?;
    tx.execute(sql("DELETE FROM sessions WHERE account_id = $1").bind(&account_id))
        .await?;
    tx.commit().await?;
    Ok(Some(account_id))
}
