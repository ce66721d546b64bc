//! The organiser workspace's forms: logging in and out, creating and publishing. Plain form
//! posts, so they work without JavaScript; the actions themselves are in
//! `app::api::workspace::actions`. The password is checked off the async threads
//! (`auth::password`); a wrong password and an unknown address get the same answer after the
//! same work.

use crate::auth::password;
use crate::state::AppState;
use app::api::registration::ClientAddress;
use app::api::workspace::actions::{self, EditionRefused};
use app::api::workspace::lineup::{self, LineupRefused};
use app::api::workspace::password as password_reset;
use app::api::workspace::stages::{self, CancelRefused, StageRefused};
use app::api::workspace::team::{self, InviteForm, InviteRefused};
use app::api::workspace::tokens::{self, TokenRefused};
use app::api::workspace::{session_id_hash, SignedIn, SESSION_COOKIE};
use app::db::{accounts, sessions};
use app::domain::account::SESSION_LIFETIME;
use app::domain::account::{person_name, NewPassword};
use app::domain::edition_form::EditionForm;
use app::domain::lineup_form::LineupPost;
use app::domain::registration::Email;
use app::domain::stage_form::StageForm;
use app::error::AppError;
use app::pages::workspace::cancel_stage::CancelAttempt;
use app::pages::workspace::home::RefusedAction;
use app::pages::workspace::invitation::JoinAttempt;
use app::pages::workspace::lineup::LineupAttempt;
use app::pages::workspace::login::{LoginAttempt, LoginProblem};
use app::pages::workspace::new_edition::EditionAttempt;
use app::pages::workspace::password_reset::{NewPasswordAttempt, ResetTooMany};
use app::pages::workspace::stage::StageAttempt;
use app::pages::workspace::team::InviteAttempt;
use app::pages::workspace::tokens::{MadeToken, TokenAttempt};
use app::paths;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use leptos::prelude::provide_context;
use serde::Deserialize;
use std::time::Instant;

/// The login form as posted. No `Debug`: it holds a password, which must never reach a log.
#[derive(Default, Deserialize)]
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
            Ok(cookie) => return see_other(paths::WORKSPACE, Some(cookie)),
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
    again(&state, &headers, paths::WORKSPACE_LOGIN, status, attempt).await
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
    let address_allowed = client.is_none_or(|c| state.limits.login.allow_client(c, now));
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
    let id = app::links::random_token().map_err(|error| {
        tracing::error!(%error, "login: no random source");
    })?;
    let now = chrono::Utc::now();
    // Expired logins go as new ones come, so the table holds only the living.
    if let Err(error) = sessions::sweep(&state.db, now).await {
        tracing::warn!(%error, "login: expired sessions not swept");
    }
    sessions::open(&state.db, &session_id_hash(&id), account_id, now)
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

/// A `303 See Other` to a local path, never stored, with a cookie to set if any.
pub(super) fn see_other(location: &str, cookie: Option<String>) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    let location = HeaderValue::from_str(location).unwrap_or(HeaderValue::from_static("/"));
    headers.insert(header::LOCATION, location);
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

/// The person signed in by the request's session cookie.
pub(super) async fn signed_in(state: &AppState, headers: &HeaderMap) -> Result<SignedIn, AppError> {
    let id = app::api::workspace::session_cookie(headers).ok_or(AppError::SignedOut)?;
    SignedIn::from_session_id(&state.db, id, chrono::Utc::now()).await
}

/// The page at `path` again, with `status` and `context` provided to it (a form's attempt, a
/// token to show once…).
pub(super) async fn again<T>(
    state: &AppState,
    headers: &HeaderMap,
    path: &str,
    status: StatusCode,
    context: T,
) -> Response
where
    T: Clone + Send + Sync + 'static,
{
    state
        .pages
        .render(path, headers, status, move || {
            provide_context(context.clone())
        })
        .await
}

/// A form's page again, `422`, with `attempt`: what was typed and what is wrong with it.
pub(super) async fn with_mistakes<T>(
    state: &AppState,
    headers: &HeaderMap,
    path: &str,
    attempt: T,
) -> Response
where
    T: Clone + Send + Sync + 'static,
{
    again(
        state,
        headers,
        path,
        StatusCode::UNPROCESSABLE_ENTITY,
        attempt,
    )
    .await
}

/// What a workspace form answers when it is refused: to the login page without a login;
/// otherwise the page at `path` again, with the status and the reason said on it.
pub(super) async fn refused(
    state: &AppState,
    headers: &HeaderMap,
    path: &str,
    error: AppError,
) -> Response {
    if error == AppError::SignedOut {
        return see_other(paths::WORKSPACE_LOGIN, None);
    }
    let status = error.status();
    let refusal = RefusedAction(error);
    again(state, headers, path, status, refusal).await
}

/// `POST /workspace/editions/new`: stores a draft edition and goes to the workspace, which
/// says so; mistakes come back beside their fields with everything typed.
pub async fn create_edition(
    State(state): State<AppState>,
    headers: HeaderMap,
    posted: Result<Form<EditionForm>, FormRejection>,
) -> Response {
    let path = paths::WORKSPACE_NEW_EDITION;
    let person = match signed_in(&state, &headers).await {
        Ok(person) => person,
        Err(error) => return refused(&state, &headers, path, error).await,
    };
    let form = posted.map(|Form(form)| form).unwrap_or_default();
    match actions::create_edition(&state.db, &person, &form).await {
        Ok(slug) => see_other(&format!("{}?created={slug}", paths::WORKSPACE), None),
        Err(EditionRefused::Invalid(errors)) => {
            let attempt = EditionAttempt { form, errors };
            with_mistakes(&state, &headers, path, attempt).await
        }
        Err(EditionRefused::Error(error)) => refused(&state, &headers, path, error).await,
    }
}

/// `POST /workspace/editions/{edition}`: saves the edition form; mistakes come back beside
/// their fields with everything typed.
pub async fn save_edition(
    State(state): State<AppState>,
    Path(edition): Path<String>,
    headers: HeaderMap,
    posted: Result<Form<EditionForm>, FormRejection>,
) -> Response {
    let path = paths::workspace_edition(&edition);
    let person = match signed_in(&state, &headers).await {
        Ok(person) => person,
        Err(error) => return refused(&state, &headers, &path, error).await,
    };
    let form = posted.map(|Form(form)| form).unwrap_or_default();
    match actions::save_edition(&state.db, &person, &edition, &form).await {
        Ok(slug) => see_other(&format!("{}?saved", paths::workspace_edition(&slug)), None),
        Err(EditionRefused::Invalid(errors)) => {
            let attempt = EditionAttempt { form, errors };
            with_mistakes(&state, &headers, &path, attempt).await
        }
        Err(EditionRefused::Error(error)) => refused(&state, &headers, &path, error).await,
    }
}

/// `POST /workspace/editions/{edition}/publish`: a draft edition goes public, with the stages
/// already published in it.
pub async fn publish_edition(
    State(state): State<AppState>,
    Path(edition): Path<String>,
    headers: HeaderMap,
) -> Response {
    let outcome = match signed_in(&state, &headers).await {
        Ok(person) => actions::publish_edition(&state.db, &person, &edition).await,
        Err(error) => Err(error),
    };
    let done = format!("{}?published={edition}", paths::WORKSPACE);
    answer(&state, &headers, outcome, &done).await
}

/// `POST /workspace/editions/{edition}/stages/{stage}/publish`: a draft stage goes public (once
/// its edition is).
pub async fn publish_stage(
    State(state): State<AppState>,
    Path((edition, stage)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let now = chrono::Utc::now();
    let outcome = match signed_in(&state, &headers).await {
        Ok(person) => actions::publish_stage(&state.db, &person, &edition, &stage, now).await,
        Err(error) => Err(error),
    };
    let done = format!("{}?published={edition}/{stage}", paths::WORKSPACE);
    answer(&state, &headers, outcome, &done).await
}

/// `POST /workspace/editions/{edition}/stages/new`: stores a draft stage and goes to its page,
/// which says so; mistakes come back beside their fields with everything typed.
pub async fn create_stage(
    State(state): State<AppState>,
    Path(edition): Path<String>,
    headers: HeaderMap,
    posted: Result<Form<StageForm>, FormRejection>,
) -> Response {
    let path = paths::workspace_new_stage(&edition);
    let person = match signed_in(&state, &headers).await {
        Ok(person) => person,
        Err(error) => return refused(&state, &headers, &path, error).await,
    };
    let form = posted.map(|Form(form)| form).unwrap_or_default();
    let now = chrono::Utc::now();
    match stages::create_stage(&state.db, &person, &edition, &form, now).await {
        Ok(slug) => see_other(
            &format!("{}?created", paths::workspace_stage(&edition, &slug)),
            None,
        ),
        Err(refusal) => stage_refused(&state, &headers, &path, form, refusal).await,
    }
}

/// `POST /workspace/editions/{edition}/stages/{stage}`: saves the stage form. A new time or
/// place of a public stage emails its registrants; the page that follows says how many.
pub async fn save_stage(
    State(state): State<AppState>,
    client: Option<Extension<ClientAddress>>,
    Path((edition, stage)): Path<(String, String)>,
    headers: HeaderMap,
    posted: Result<Form<StageForm>, FormRejection>,
) -> Response {
    let path = paths::workspace_stage(&edition, &stage);
    let person = match signed_in(&state, &headers).await {
        Ok(person) => person,
        Err(error) => return refused(&state, &headers, &path, error).await,
    };
    let form = posted.map(|Form(form)| form).unwrap_or_default();
    let desk = state.desk(client.map(|Extension(c)| c.0));
    let now = chrono::Utc::now();
    match stages::save_stage(&desk, &person, &edition, &stage, &form, now).await {
        Ok((slug, told)) => see_other(
            &format!("{}?saved={told}", paths::workspace_stage(&edition, &slug)),
            None,
        ),
        Err(refusal) => stage_refused(&state, &headers, &path, form, refusal).await,
    }
}

/// A stage form that was refused: its page again, with the mistakes beside their fields, or
/// with why it was refused.
async fn stage_refused(
    state: &AppState,
    headers: &HeaderMap,
    path: &str,
    form: StageForm,
    refusal: StageRefused,
) -> Response {
    match refusal {
        StageRefused::Invalid(errors) => {
            let attempt = StageAttempt { form, errors };
            with_mistakes(state, headers, path, attempt).await
        }
        StageRefused::Error(error) => refused(state, headers, path, error).await,
    }
}

/// The cancellation form as posted.
#[derive(Debug, Default, Deserialize)]
pub struct PostedCancellation {
    #[serde(default)]
    reason: String,
}

/// `POST /workspace/editions/{edition}/stages/{stage}/cancel`: cancels a published stage and
/// tells its registrants why; the stage's page then says how many were told.
pub async fn cancel_stage(
    State(state): State<AppState>,
    client: Option<Extension<ClientAddress>>,
    Path((edition, stage)): Path<(String, String)>,
    headers: HeaderMap,
    posted: Result<Form<PostedCancellation>, FormRejection>,
) -> Response {
    let path = paths::workspace_cancel_stage(&edition, &stage);
    let person = match signed_in(&state, &headers).await {
        Ok(person) => person,
        Err(error) => return refused(&state, &headers, &path, error).await,
    };
    let Form(posted) = posted.unwrap_or_default();
    let desk = state.desk(client.map(|Extension(c)| c.0));
    let now = chrono::Utc::now();
    match stages::cancel_stage(&desk, &person, &edition, &stage, &posted.reason, now).await {
        Ok(told) => see_other(
            &format!(
                "{}?cancelled={told}",
                paths::workspace_stage(&edition, &stage)
            ),
            None,
        ),
        Err(CancelRefused::Reason(error)) => {
            let attempt = CancelAttempt {
                reason: posted.reason,
                error: Some(error),
            };
            with_mistakes(&state, &headers, &path, attempt).await
        }
        Err(CancelRefused::Error(error)) => refused(&state, &headers, &path, error).await,
    }
}

/// `POST /workspace/editions/{edition}/stages/{stage}/lineup`: one line-up form (add, save,
/// move or remove a speaker, a project or a programme item). Then the line-up page again,
/// which says it is saved, or the form with its mistakes, or that the line-up changed meanwhile.
pub async fn change_lineup(
    State(state): State<AppState>,
    Path((edition, stage)): Path<(String, String)>,
    headers: HeaderMap,
    posted: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let path = paths::workspace_lineup(&edition, &stage);
    let person = match signed_in(&state, &headers).await {
        Ok(person) => person,
        Err(error) => return refused(&state, &headers, &path, error).await,
    };
    let pairs = posted.map(|Form(pairs)| pairs).unwrap_or_default();
    let Some(post) = LineupPost::from_pairs(&pairs) else {
        // Not a form of the page: the page as it is.
        return state
            .pages
            .render(&path, &headers, StatusCode::BAD_REQUEST, || ())
            .await;
    };
    let now = chrono::Utc::now();
    let (status, errors, stale) =
        match lineup::change_lineup(&state.db, &person, &edition, &stage, &post, now).await {
            Ok(()) => return see_other(&format!("{path}?saved"), None),
            Err(LineupRefused::Invalid(errors)) => {
                (StatusCode::UNPROCESSABLE_ENTITY, errors, false)
            }
            Err(LineupRefused::Stale) => (StatusCode::CONFLICT, vec![], true),
            Err(LineupRefused::Error(error)) => {
                return refused(&state, &headers, &path, error).await
            }
        };
    let attempt = LineupAttempt {
        part: post.part,
        op: post.op,
        form: post.form,
        errors,
        stale,
    };
    again(&state, &headers, &path, status, attempt).await
}

/// `POST /workspace/editions/{edition}/team`: invites someone to a role, by email.
pub async fn invite(
    State(state): State<AppState>,
    client: Option<Extension<ClientAddress>>,
    Path(edition): Path<String>,
    headers: HeaderMap,
    posted: Result<Form<InviteForm>, FormRejection>,
) -> Response {
    let path = paths::workspace_team(&edition);
    let person = match signed_in(&state, &headers).await {
        Ok(person) => person,
        Err(error) => return refused(&state, &headers, &path, error).await,
    };
    let form = posted.map(|Form(form)| form).unwrap_or_default();
    let desk = state.desk(client.map(|Extension(c)| c.0));
    let locale = app::i18n::Locale::from_headers(&headers);
    let now = chrono::Utc::now();
    match team::invite(&desk, &person, &edition, &form, locale, now).await {
        Ok(_) => see_other(&format!("{path}?invited"), None),
        Err(InviteRefused::Email(error)) => {
            let attempt = InviteAttempt {
                email: form.email,
                role: form.role,
                error,
            };
            with_mistakes(&state, &headers, &path, attempt).await
        }
        Err(InviteRefused::Error(error)) => refused(&state, &headers, &path, error).await,
    }
}

/// The "remove from the team" form as posted.
#[derive(Debug, Default, Deserialize)]
pub struct PostedRemoval {
    #[serde(default)]
    account: String,
    #[serde(default)]
    role: String,
}

/// `POST /workspace/editions/{edition}/team/remove`: takes one role away from someone.
pub async fn remove_member(
    State(state): State<AppState>,
    Path(edition): Path<String>,
    headers: HeaderMap,
    posted: Result<Form<PostedRemoval>, FormRejection>,
) -> Response {
    let path = paths::workspace_team(&edition);
    let Form(posted) = posted.unwrap_or_default();
    let outcome = match signed_in(&state, &headers).await {
        Ok(person) => {
            team::remove_member(&state.db, &person, &edition, &posted.account, &posted.role)
                .await
                .map(|()| posted.account == person.account.id)
        }
        Err(error) => Err(error),
    };
    match outcome {
        // Someone who left may no longer see this team: home, where what remains is.
        Ok(true) => see_other(&format!("{}?left", paths::WORKSPACE), None),
        Ok(false) => see_other(&format!("{path}?removed"), None),
        Err(error) => refused(&state, &headers, &path, error).await,
    }
}

/// `POST /workspace/editions/{edition}/team/invitations/{id}/withdraw`: its link stops working.
pub async fn withdraw_invitation(
    State(state): State<AppState>,
    Path((edition, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let path = paths::workspace_team(&edition);
    let outcome = match signed_in(&state, &headers).await {
        Ok(person) => team::withdraw(&state.db, &person, &edition, &id, chrono::Utc::now()).await,
        Err(error) => Err(error),
    };
    match outcome {
        Ok(()) => see_other(&format!("{path}?withdrawn"), None),
        Err(error) => refused(&state, &headers, &path, error).await,
    }
}

/// The invitation page's form as posted: with the signed-in account, or a new one.
#[derive(Default, Deserialize)]
pub struct PostedJoin {
    #[serde(default)]
    with: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
}

/// `POST /workspace/invitations/{token}`: accepts the invitation, with the account signed in on
/// this browser or with a new one (then logged in).
pub async fn accept_invitation(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    posted: Result<Form<PostedJoin>, FormRejection>,
) -> Response {
    let path = paths::workspace_invitation(&token);
    let Form(posted) = posted.unwrap_or_default();
    let now = chrono::Utc::now();
    if posted.with == "my-account" {
        let outcome = match signed_in(&state, &headers).await {
            Ok(person) => team::accept_signed_in(&state.db, &token, &person, now).await,
            Err(error) => Err(error),
        };
        return match outcome {
            Ok(_) => see_other(&format!("{}?joined", paths::WORKSPACE), None),
            Err(error) => refused(&state, &headers, &path, error).await,
        };
    }
    let name = person_name(&posted.name);
    let password = NewPassword::parse(&posted.password);
    let (name, password) = match (name, password) {
        (Ok(name), Ok(password)) => (name, password),
        (name, password) => {
            let attempt = JoinAttempt {
                name: posted.name.clone(),
                name_error: name.err(),
                password_error: password.err(),
            };
            return with_mistakes(&state, &headers, &path, attempt).await;
        }
    };
    let hash = match password::hash(&password).await {
        Ok(hash) => hash,
        Err(error) => {
            tracing::error!(%error, "invitation: password hashing failed");
            return refused(&state, &headers, &path, AppError::Internal).await;
        }
    };
    match team::accept_new_account(&state.db, &token, &name, &hash, now).await {
        Ok(account_id) => match open_session(&state, &account_id).await {
            Ok(cookie) => see_other(&format!("{}?joined", paths::WORKSPACE), Some(cookie)),
            Err(()) => refused(&state, &headers, &path, AppError::Internal).await,
        },
        Err(error) => refused(&state, &headers, &path, error).await,
    }
}

/// The "forgot my password" form as posted.
#[derive(Debug, Default, Deserialize)]
pub struct PostedResetAsk {
    #[serde(default)]
    email: String,
}

/// `POST /workspace/password-reset`: emails a reset link if the address has an account, and
/// answers the same either way. Counted against the login limits (per client and per address).
pub async fn ask_password_reset(
    State(state): State<AppState>,
    client: Option<Extension<ClientAddress>>,
    headers: HeaderMap,
    posted: Result<Form<PostedResetAsk>, FormRejection>,
) -> Response {
    let path = paths::WORKSPACE_PASSWORD_RESET;
    let Form(posted) = posted.unwrap_or_default();
    let client = client.map(|Extension(c)| c.0);
    let now = Instant::now();
    let address_allowed = client.is_none_or(|c| state.limits.login.allow_client(c, now));
    let key = posted.email.trim().to_lowercase();
    if !address_allowed || !state.limits.login_account.allow(key, now) {
        return again(
            &state,
            &headers,
            path,
            StatusCode::TOO_MANY_REQUESTS,
            ResetTooMany,
        )
        .await;
    }
    let locale = app::i18n::Locale::from_headers(&headers);
    let desk = state.desk(client);
    match password_reset::ask_reset(&desk, &posted.email, locale, chrono::Utc::now()).await {
        Ok(()) => see_other(&format!("{path}?sent"), None),
        Err(error) => refused(&state, &headers, path, error).await,
    }
}

/// The new password as posted. No `Debug`: it holds a password.
#[derive(Default, Deserialize)]
pub struct PostedNewPassword {
    #[serde(default)]
    password: String,
}

/// `POST /workspace/password-reset/{token}`: sets the new password, ends every other login of
/// the account, and logs this browser in.
pub async fn set_password(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    posted: Result<Form<PostedNewPassword>, FormRejection>,
) -> Response {
    let path = paths::workspace_password_reset(&token);
    let Form(posted) = posted.unwrap_or_default();
    let password = match NewPassword::parse(&posted.password) {
        Ok(password) => password,
        Err(error) => {
            let attempt = NewPasswordAttempt(error);
            return with_mistakes(&state, &headers, &path, attempt).await;
        }
    };
    let hash = match password::hash(&password).await {
        Ok(hash) => hash,
        Err(error) => {
            tracing::error!(%error, "password reset: hashing failed");
            return refused(&state, &headers, &path, AppError::Internal).await;
        }
    };
    match password_reset::reset_password(&state.db, &token, &hash, chrono::Utc::now()).await {
        Ok(account_id) => match open_session(&state, &account_id).await {
            Ok(cookie) => see_other(
                &format!("{}?password-changed", paths::WORKSPACE),
                Some(cookie),
            ),
            Err(()) => refused(&state, &headers, &path, AppError::Internal).await,
        },
        Err(error) => refused(&state, &headers, &path, error).await,
    }
}

/// The "make a token" form as posted.
#[derive(Debug, Default, Deserialize)]
pub struct PostedToken {
    #[serde(default)]
    name: String,
}

/// `POST /workspace/tokens`: makes a personal API token and shows it, once, on the page this
/// post answers with (never in an address, never stored).
pub async fn make_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    posted: Result<Form<PostedToken>, FormRejection>,
) -> Response {
    let path = paths::WORKSPACE_TOKENS;
    let person = match signed_in(&state, &headers).await {
        Ok(person) => person,
        Err(error) => return refused(&state, &headers, path, error).await,
    };
    let Form(posted) = posted.unwrap_or_default();
    match tokens::create_token(&state.db, &person, &posted.name, chrono::Utc::now()).await {
        Ok(token) => {
            let made = MadeToken(token);
            again(&state, &headers, path, StatusCode::CREATED, made).await
        }
        Err(TokenRefused::Name(error)) => {
            let attempt = TokenAttempt {
                name: posted.name,
                error,
            };
            with_mistakes(&state, &headers, path, attempt).await
        }
        Err(TokenRefused::Error(error)) => refused(&state, &headers, path, error).await,
    }
}

/// `POST /workspace/tokens/{id}/revoke`: the token opens nothing from the next request on.
pub async fn revoke_token(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let path = paths::WORKSPACE_TOKENS;
    let outcome = match signed_in(&state, &headers).await {
        Ok(person) => tokens::revoke_token(&state.db, &person, &id, chrono::Utc::now()).await,
        Err(error) => Err(error),
    };
    match outcome {
        Ok(()) => see_other(&format!("{path}?revoked"), None),
        Err(error) => refused(&state, &headers, path, error).await,
    }
}

/// A workspace action's answer: to `done` (which says it is done), or the workspace again
/// saying why not.
async fn answer(
    state: &AppState,
    headers: &HeaderMap,
    outcome: Result<(), AppError>,
    done: &str,
) -> Response {
    match outcome {
        Ok(()) => see_other(done, None),
        Err(error) => refused(state, headers, paths::WORKSPACE, error).await,
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
