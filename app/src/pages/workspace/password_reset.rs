//! "Forgot my password": `/workspace/password-reset` asks for the account's address (and always
//! answers the same), `/workspace/password-reset/{token}` sets a new password with the emailed
//! link, once, within the hour.

use super::form::{error_summary, field, Input};
use crate::api::workspace::get_reset_open;
use crate::components::error_notice::ErrorNotice;
use crate::components::islands::SubmitButton;
use crate::domain::account::PasswordError;
use crate::i18n::use_locale;
use crate::paths;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// The address form came back: too many requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResetTooMany;

/// The new password was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewPasswordAttempt(pub PasswordError);

#[component]
pub fn AskResetPage() -> impl IntoView {
    let locale = use_locale();
    let p = locale.password();
    let sent = use_query_map()
        .read_untracked()
        .get("sent")
        .is_some()
        .then(|| view! { <p class="receipt" role="status">{p.sent}</p> });
    let too_many = use_context::<ResetTooMany>()
        .map(|_| view! { <p class="notice form-error" role="alert">{p.too_many}</p> });
    view! {
        <Meta name="robots" content="noindex"/>
        <Title text=format!("{} — Étape", p.ask_title)/>
        <header class="page-header"><h1>{p.ask_title}</h1></header>
        {sent}
        {too_many}
        <p>{p.ask_intro}</p>
        <form method="post" action=paths::WORKSPACE_PASSWORD_RESET class="stacked" novalidate>
            {field("email", p.email, None, Input::Email, String::new(), None)}
            <button type="submit">{p.send_link}</button>
        </form>
    }
}

#[component]
pub fn NewPasswordPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let open = Resource::new(token, get_reset_open);
    view! {
        <Meta name="robots" content="noindex"/>
        <Meta name="referrer" content="no-referrer"/>
        <Suspense fallback=move || view! { <p>{locale.messages().loading}</p> }>
            {move || Suspend::new(async move {
                match open.await {
                    Ok(true) => view! { <NewPasswordForm token=token()/> }.into_any(),
                    Ok(false) => {
                        let p = locale.password();
                        view! {
                            <Title text=format!("{} — Étape", p.new_title)/>
                            <header class="page-header"><h1>{p.new_title}</h1></header>
                            <p class="notice">{p.link_closed}</p>
                            <p><a class="button" href=paths::WORKSPACE_PASSWORD_RESET>{p.ask_again}</a></p>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NewPasswordForm(token: String) -> impl IntoView {
    let locale = use_locale();
    let p = locale.password();
    let error = use_context::<NewPasswordAttempt>().map(|a| locale.password_error(a.0));
    let summary = error_summary(
        locale.workspace().errors_summary,
        error.iter().map(|e| ("password", e.clone())).collect(),
    );
    view! {
        <Title text=format!("{} — Étape", p.new_title)/>
        <header class="page-header"><h1>{p.new_title}</h1></header>
        {summary}
        <form method="post" action=paths::workspace_password_reset(&token) class="stacked" novalidate>
            {field("password", p.new_password, Some(p.hint), Input::NewPassword, String::new(), error)}
            <SubmitButton label=p.set_password.to_owned() pending=locale.workspace().saving.to_owned()/>
        </form>
    }
}
