//! Who is signed in: the session cookie of the request, checked against storage.

use crate::db::accounts::Account;
use crate::domain::access::{may, Action, Role};
use crate::error::AppError;

/// The cookie that carries a login's random id. Only its hash is stored (`sessions.id_hash`).
pub const SESSION_COOKIE: &str = "etape_session";

/// What storage keeps of a session id.
pub fn session_id_hash(id: &str) -> String {
    crate::links::token_hash(id)
}

/// A person signed in to the workspace, with every role they hold.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub account: Account,
    pub roles: Vec<Role>,
}

impl SignedIn {
    /// The person behind the current request's session cookie; `AppError::SignedOut` when
    /// there is none, or it expired or was ended.
    pub async fn from_request() -> Result<Self, AppError> {
        let parts =
            leptos::prelude::use_context::<http::request::Parts>().ok_or(AppError::SignedOut)?;
        let id = session_cookie(&parts.headers).ok_or(AppError::SignedOut)?;
        Self::from_session_id(&super::super::db()?, id, chrono::Utc::now()).await
    }

    pub async fn from_session_id(
        db: &crate::db::Db,
        id: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Self, AppError> {
        if !crate::links::looks_like_token(id) {
            return Err(AppError::SignedOut);
        }
        let account = crate::db::sessions::account(db, &session_id_hash(id), now)
            .await?
            .ok_or(AppError::SignedOut)?;
        let roles = crate::db::accounts::roles(db, &account).await?;
        Ok(SignedIn { account, roles })
    }

    /// The person a personal API token acts for (`Authorization: Bearer …`); `SignedOut` for
    /// a missing, unknown or revoked token.
    pub async fn from_bearer(
        db: &crate::db::Db,
        headers: &http::HeaderMap,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Self, AppError> {
        let token = headers
            .get(http::header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|token| super::tokens::looks_like_api_token(token))
            .ok_or(AppError::SignedOut)?;
        let account = crate::db::api_tokens::account(db, &session_id_hash(token), now)
            .await?
            .ok_or(AppError::SignedOut)?;
        let roles = crate::db::accounts::roles(db, &account).await?;
        Ok(SignedIn { account, roles })
    }

    /// Whether this person may do `action`.
    pub fn may(&self, action: Action<'_>) -> bool {
        may(&self.roles, action)
    }

    /// `Ok` when this person may do `action`; otherwise `NotFound` for something they may not
    /// even see (a draft of another city stays invisible), `Forbidden` for the rest.
    pub fn require(&self, action: Action<'_>) -> Result<(), AppError> {
        if self.may(action) {
            return Ok(());
        }
        let visible = match action {
            Action::CreateEdition => true,
            Action::SeeEdition { .. } | Action::SeeStage { .. } => false,
            Action::EditEdition { edition }
            | Action::ManageEditionAdmins { edition }
            | Action::AddStage { edition } => self.may(Action::SeeEdition { edition }),
            Action::EditStage { edition, stage }
            | Action::ManageStageOrganisers { edition, stage } => {
                self.may(Action::SeeStage { edition, stage })
            }
        };
        Err(if visible {
            AppError::Forbidden
        } else {
            AppError::NotFound
        })
    }
}

/// The session id in a request's `Cookie` headers, if any.
pub fn session_cookie(headers: &http::HeaderMap) -> Option<&str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            http::header::COOKIE,
            "lang=fr; etape_session=abc_DEF-123; other=x"
                .parse()
                .unwrap(),
        );
        assert_eq!(session_cookie(&headers), Some("abc_DEF-123"));
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::COOKIE, "not_etape_session=x".parse().unwrap());
        assert_eq!(session_cookie(&headers), None);
        assert_eq!(session_cookie(&http::HeaderMap::new()), None);
    }
}
