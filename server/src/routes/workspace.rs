//! Logging in and out of the organiser workspace: plain form posts, so they work without
//! JavaScript. The password is checked off the async threads (`auth::password`); a wrong
//! password and an unknown address get the same answer after the same work.

use crate::auth::password;
use crate::state::AppState;
use app::api::registration::ClientAddress;
use app::api::workspace::{session_id_hash, SESSION_COOKIE};
use app::db::{accounts, sessions};
use app::domain::account::SESSION_LIFETIME;
use app::domain::registration::Email;
use app::pages::workspace::login::{LoginAttempt, LoginProblem};
use app::paths;
use axum::extract::rejection::FormRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use leptos::prelude::provide_context;
use serde::Deserialize;
use std::time::Instant;

#[derive(Debug, Default, Deserialize)]
pub struct PostedLogin {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// `POST /workspace/login`: on success a new session cookie and the workspace's home; on
/// failure the login page again, with the address as typed (never the password).
pub async fn login(
    State(state): State<AppState>,
    client: Option<Extension<ClientAddress>>,
    headers: HeaderMap,
    posted: Result<Form<PostedLogin>, FormRejection>,
) -> Response {
    // A body that is not a form is treated as an empty one: the page says what is missing.
    let Form(posted) = posted.unwrap_or_default();
    let email_typed = posted.email.trim().to_owned();
    let problem = match check(&state, client.map(|Extension(c)| c.0), &posted).await {
        Ok(account_id) => match open_session(&state, &account_id).await {
            Ok(cookie) => return signed_in(cookie),
            Err(()) => LoginProblem::Internal,
        },
        Err(problem) => problem,
    };
    let status = match problem {
        LoginProblem::EmailMissing | LoginProblem::PasswordMissing => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        LoginProblem::Refused => StatusCode::UNAUTHORIZED,
        LoginProblem::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
        LoginProblem::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let attempt = LoginAttempt {
        email: email_typed,
        problem,
    };
    state
        .pages
        .render(paths::WORKSPACE_LOGIN, &headers, status, move || {
            provide_context(attempt.clone())
        })
        .await
}

/// The account a login attempt proves, or why it does not.
async fn check(
    state: &AppState,
    client: Option<std::net::IpAddr>,
    posted: &PostedLogin,
) -> Result<String, LoginProblem> {
    if posted.email.trim().is_empty() {
        return Err(LoginProblem::EmailMissing);
    }
    if posted.password.is_empty() {
        return Err(LoginProblem::PasswordMissing);
    }
    let now = Instant::now();
    let account_key = posted.email.trim().to_lowercase();
    let address_allowed = client.is_none_or(|c| state.limits.login.allow(c, now));
    if !address_allowed || !state.limits.login_account.allow(account_key, now) {
        tracing::warn!("login attempts over the limit");
        return Err(LoginProblem::TooManyAttempts);
    }
    // An address that cannot exist still costs a hash check: its answer must not come sooner.
    let stored = match Email::parse(&posted.email) {
        Ok(email) => accounts::login_by_email(&state.db, &email)
            .await
            .map_err(|error| {
                tracing::error!(%error, "login: storage failed");
                LoginProblem::Internal
            })?,
        Err(_) => None,
    };
    let (account, hash) = match stored {
        Some((account, hash)) => (Some(account), Some(hash)),
        None => (None, None),
    };
    let matches = password::verify(&posted.password, hash)
        .await
        .map_err(|error| {
            tracing::error!(%error, "login: password check failed");
            LoginProblem::Internal
        })?;
    match account {
        Some(account) if matches => Ok(account.id),
        _ => Err(LoginProblem::Refused),
    }
}

/// Stores a new session for the account; returns the cookie that carries it.
async fn open_session(state: &AppState, account_id: &str) -> Result<String, ()> {
    let seed = app::db::ticket_keys::random_seed().map_err(|error| {
        tracing::error!(%error, "login: no random source");
    })?;
    let id = URL_SAFE_NO_PAD.encode(seed);
    sessions::open(
        &state.db,
        &session_id_hash(&id),
        account_id,
        chrono::Utc::now(),
    )
    .await
    .map_err(|error| tracing::error!(%error, "login: storage failed"))?;
    Ok(session_cookie(
        &id,
        SESSION_LIFETIME.num_seconds(),
        state.secure_cookies,
    ))
}

/// The `Set-Cookie` value for a session id (`max_age` 0 removes it).
fn session_cookie(id: &str, max_age: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={id}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}")
}

fn signed_in(cookie: String) -> Response {
    see_other(paths::WORKSPACE, Some(cookie))
}

fn see_other(location: &'static str, cookie: Option<String>) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    headers.insert(header::LOCATION, HeaderValue::from_static(location));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(cookie) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        headers.insert(header::SET_COOKIE, cookie);
    }
    response
}

/// `POST /workspace/logout`: ends this browser's session.
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(id) = app::api::workspace::session_cookie(&headers) {
        if let Err(error) = sessions::close(&state.db, &session_id_hash(id)).await {
            tracing::error!(%error, "logout: storage failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    }
    let cleared = session_cookie("", 0, state.secure_cookies);
    see_other("/workspace/login?done=logout", Some(cleared))
}

/// `POST /workspace/logout-everywhere`: ends every session of the signed-in account.
pub async fn logout_everywhere(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let cleared = session_cookie("", 0, state.secure_cookies);
    let Some(id) = app::api::workspace::session_cookie(&headers) else {
        return see_other(paths::WORKSPACE_LOGIN, Some(cleared));
    };
    let now = chrono::Utc::now();
    let outcome = async {
        match sessions::account(&state.db, &session_id_hash(id), now).await? {
            Some(account) => sessions::close_all(&state.db, &account.id).await.map(Some),
            None => Ok(None),
        }
    }
    .await;
    match outcome {
        Ok(Some(_)) => see_other("/workspace/login?done=logout-everywhere", Some(cleared)),
        Ok(None) => see_other(paths::WORKSPACE_LOGIN, Some(cleared)),
        Err(error) => {
            tracing::error!(%error, "logout everywhere: storage failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::session_cookie;

    #[test]
    fn the_session_cookie_is_http_only_lax_and_secure_over_https() {
        let cookie = session_cookie("abc", 60, true);
        assert_eq!(
            cookie,
            "etape_session=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure"
        );
        assert!(!session_cookie("abc", 60, false).contains("Secure"));
    }
}
