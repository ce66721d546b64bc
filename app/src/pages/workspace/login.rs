//! `/workspace/login`: email and password. The form posts to the same path (a plain handler
//! on the server, which sets the session cookie); a failed attempt comes back here with what
//! was typed and why it failed.

use super::form::error_summary;
use crate::components::islands::SubmitButton;
use crate::i18n::use_locale;
use crate::paths;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

/// Why a login was not accepted, as the server tells the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginProblem {
    EmailMissing,
    PasswordMissing,
    /// Wrong address or wrong password: one answer for both.
    Refused,
    TooManyAttempts,
    /// The server could not check it (storage); the log says why.
    Internal,
}

/// A failed login, rendered back into the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginAttempt {
    pub email: String,
    pub problem: LoginProblem,
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let locale = use_locale();
    let w = locale.workspace();
    let m = locale.messages();
    let attempt = use_context::<LoginAttempt>();
    let query = use_query_map();
    let notice = move || match query.read().get("done").as_deref() {
        Some("logout") => Some(w.signed_out_notice),
        Some("logout-everywhere") => Some(w.signed_out_everywhere_notice),
        Some("expired") => Some(w.session_ended),
        _ => None,
    };
    let typed = attempt
        .as_ref()
        .map(|a| a.email.clone())
        .unwrap_or_default();
    let problem = attempt.map(|a| a.problem);
    let email_error = match problem {
        Some(LoginProblem::EmailMissing) => Some(w.login_email_missing),
        _ => None,
    };
    let password_error = match problem {
        Some(LoginProblem::PasswordMissing) => Some(w.login_password_missing),
        _ => None,
    };
    let form_error = match problem {
        Some(LoginProblem::Refused) => Some(w.login_failed.to_owned()),
        Some(LoginProblem::TooManyAttempts) => Some(m.error_too_many_requests.to_owned()),
        Some(LoginProblem::Internal) => Some(m.error_internal.to_owned()),
        _ => None,
    };
    let summary = error_summary(
        w.errors_summary,
        [("email", email_error), ("password", password_error)]
            .into_iter()
            .filter_map(|(field, error)| Some((field, error?.to_owned())))
            .collect(),
    );
    view! {
        <Title text=format!("{} — Étape", w.login_title)/>
        <Meta name="robots" content="noindex"/>
        <header class="page-header"><h1>{w.login_title}</h1></header>
        {move || notice().map(|text| view! { <p class="receipt" role="status">{text}</p> })}
        {summary}
        {form_error.map(|text| view! { <p class="notice form-error" role="alert">{text}</p> })}
        <p class="muted">{w.login_intro}</p>
        <form method="post" action=paths::WORKSPACE_LOGIN class="stacked" novalidate>
            <div class="field">
                <label for="field-email">{w.email}</label>
                <input id="field-email" name="email" type="email" autocomplete="username"
                    inputmode="email" maxlength="254" required value=typed
                    aria-invalid=email_error.is_some().to_string()
                    aria-describedby="field-email-error"/>
                <p id="field-email-error" class="field-error">{email_error}</p>
            </div>
            <div class="field">
                <label for="field-password">{w.password}</label>
                <input id="field-password" name="password" type="password"
                    autocomplete="current-password" maxlength="256" required
                    aria-invalid=password_error.is_some().to_string()
                    aria-describedby="field-password-error"/>
                <p id="field-password-error" class="field-error">{password_error}</p>
            </div>
            <SubmitButton label=w.login_submit.to_owned() pending=w.saving.to_owned()/>
        </form>
        <p><a href=crate::paths::WORKSPACE_PASSWORD_RESET>{locale.password().forgot}</a></p>
    }
}
