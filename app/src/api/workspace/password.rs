//! "Forgot my password": a link by email, usable once for an hour, that sets a new password and
//! ends every login of the account. Asking says the same thing, after the same work, whether
//! or not the address has an account.

use crate::api::registration::Desk;
use crate::db::{self, Db};
use crate::domain::account::RESET_LIFETIME;
use crate::domain::registration::Email;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::links::{looks_like_token, random_token, token_hash};
use chrono::{DateTime, Utc};

/// Emails a reset link to `email` if it has an account. Always `Ok` for a well-formed request:
/// the page says "if an account uses this address".
pub async fn ask_reset(
    desk: &Desk,
    email: &str,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let token = random_token()?;
    let hash = token_hash(&token);
    let account = match Email::parse(email) {
        Ok(email) => db::accounts::find_by_email(&desk.db, &email).await?,
        Err(_) => None,
    };
    let Some(account) = account else {
        tracing::info!("password reset asked for an address with no account");
        return Ok(());
    };
    if !desk.limits.allow_email_to(account.email.as_str()) {
        tracing::info!("password reset not sent: the address has had its share this minute");
        return Ok(());
    }
    let url = desk
        .links
        .absolute(&crate::paths::workspace_password_reset(&token));
    let message = crate::mail::password_reset_email(locale, &account.email, &account.name, &url);
    // The link and its email are stored together: no link without its email, nor the reverse.
    db::accounts::create_reset(
        &desk.db,
        &hash,
        &account.id,
        now,
        now + RESET_LIFETIME,
        &message,
    )
    .await?;
    desk.outbox.wake();
    Ok(())
}

/// Whether a reset link still works.
pub async fn reset_is_open(db: &Db, token: &str, now: DateTime<Utc>) -> Result<bool, AppError> {
    if !looks_like_token(token) {
        return Ok(false);
    }
    Ok(db::accounts::reset_is_open(db, &token_hash(token), now).await?)
}

/// Sets the password (already hashed) with a reset link; returns the account's id. `Forbidden`
/// when the link is spent, expired or unknown.
pub async fn reset_password(
    db: &Db,
    token: &str,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    if !looks_like_token(token) {
        return Err(AppError::Forbidden);
    }
    db::accounts::use_reset(db, &token_hash(token), password_hash, now)
        .await?
        .ok_or(AppError::Forbidden)
}
