//! Personal API tokens in the workspace: each person makes, lists and revokes their own. A
//! token acts with its owner's roles, no more (`SignedIn::from_bearer`); it is shown once when
//! made, and only its hash is stored.

use super::{SignedIn, TokenLine};
use crate::db::{self, Db};
use crate::domain::text::{self, TextError};
use crate::error::AppError;
use crate::links::{random_token, token_hash};
use chrono::{DateTime, Utc};

/// What every token starts with, so that a leaked one is recognised (by secret scanners too).
pub const TOKEN_PREFIX: &str = "etape_";

/// Whether `raw` has the shape of a personal API token.
pub fn looks_like_api_token(raw: &str) -> bool {
    raw.strip_prefix(TOKEN_PREFIX)
        .is_some_and(crate::links::looks_like_token)
}

/// Why a token was not made.
#[derive(Debug)]
pub enum TokenRefused {
    Name(TextError),
    Error(AppError),
}

/// The person's valid tokens.
pub async fn tokens(db: &Db, person: &SignedIn) -> Result<Vec<TokenLine>, AppError> {
    Ok(db::api_tokens::list(db, &person.account.id)
        .await?
        .into_iter()
        .map(|token| TokenLine {
            id: token.id,
            name: token.name,
            created_on: token.created_at.date_naive(),
            last_used_on: token.last_used_at.map(|t| t.date_naive()),
        })
        .collect())
}

/// Makes a token named `name` for the person; returns the token, to show once.
pub async fn create_token(
    db: &Db,
    person: &SignedIn,
    name: &str,
    now: DateTime<Utc>,
) -> Result<String, TokenRefused> {
    let name = text::required(name, 80).map_err(TokenRefused::Name)?;
    let secret = random_token().map_err(|e| TokenRefused::Error(e.into()))?;
    let token = format!("{TOKEN_PREFIX}{secret}");
    db::api_tokens::create(db, &person.account.id, &name, &token_hash(&token), now)
        .await
        .map_err(|e| TokenRefused::Error(e.into()))?;
    tracing::info!("api token made");
    Ok(token)
}

/// Revokes one of the person's tokens; `NotFound` for anyone else's.
pub async fn revoke_token(
    db: &Db,
    person: &SignedIn,
    id: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if db::api_tokens::revoke(db, &person.account.id, id, now).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}
