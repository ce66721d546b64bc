//! `/workspace/invitations/{token}`: the page an invitation's email links to. The invited
//! person creates their account (name, password) and joins, or joins with the account they are
//! signed in with; an invitation accepted, withdrawn or expired says so.

use super::form::{error_summary, field, Input};
use super::home::RefusedAction;
use crate::api::workspace::{get_invitation, InvitationView};
use crate::components::error_notice::ErrorNotice;
use crate::components::islands::SubmitButton;
use crate::domain::account::{InvitationState, PasswordError};
use crate::domain::text::TextError;
use crate::i18n::use_locale;
use crate::paths;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

/// What was wrong with a new account's form (the password is never sent back).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinAttempt {
    pub name: String,
    pub name_error: Option<TextError>,
    pub password_error: Option<PasswordError>,
}

#[component]
pub fn InvitationPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let invitation = Resource::new(token, get_invitation);
    view! {
        <Meta name="robots" content="noindex"/>
        <Meta name="referrer" content="no-referrer"/>
        <Suspense fallback=move || view! { <p>{locale.messages().loading}</p> }>
            {move || Suspend::new(async move {
                match invitation.await {
                    Ok(view) => view! { <Invitation invitation=view token=token()/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Invitation(invitation: InvitationView, token: String) -> impl IntoView {
    let locale = use_locale();
    let t = locale.team();
    let w = locale.workspace();
    let action = paths::workspace_invitation(&token);
    let intro = locale.invited_by_to(
        &invitation.invited_by,
        &invitation.edition_name,
        invitation.stage_city.as_deref(),
    );
    let refusal = use_context::<RefusedAction>().map(|RefusedAction(error)| {
        view! { <p class="notice form-error" role="alert">{error.message(locale)}</p> }
    });
    let body = match invitation.state {
        InvitationState::Accepted => view! {
            <p class="notice">{t.state_accepted} " " <a href=paths::WORKSPACE_LOGIN>{t.log_in}</a></p>
        }
        .into_any(),
        InvitationState::Withdrawn => view! { <p class="notice">{t.state_withdrawn}</p> }.into_any(),
        InvitationState::Expired => view! { <p class="notice">{t.state_expired}</p> }.into_any(),
        InvitationState::Pending => match (&invitation.signed_in_as, invitation.account_exists) {
            (Some(email), _) => view! {
                <form method="post" action=action class="stacked">
                    <input type="hidden" name="with" value="my-account"/>
                    <button type="submit">{locale.join_as(email)}</button>
                </form>
            }
            .into_any(),
            (None, true) => view! {
                <p>{locale.account_exists_log_in(&invitation.email)}</p>
                <p><a class="button" href=paths::WORKSPACE_LOGIN>{t.log_in}</a></p>
            }
            .into_any(),
            (None, false) => {
                let attempt = use_context::<JoinAttempt>();
                let name = attempt.as_ref().map(|a| a.name.clone()).unwrap_or_default();
                let name_error = attempt
                    .as_ref()
                    .and_then(|a| a.name_error.clone())
                    .map(|e| locale.text_error(&e, "votre nom", "your name"));
                let password_error = attempt
                    .as_ref()
                    .and_then(|a| a.password_error)
                    .map(|e| locale.password_error(e));
                let summary = error_summary(
                    w.errors_summary,
                    name_error
                        .iter()
                        .map(|e| ("name", e.clone()))
                        .chain(password_error.iter().map(|e| ("password", e.clone())))
                        .collect(),
                );
                view! {
                    {summary}
                    <form method="post" action=action class="stacked" novalidate>
                        <input type="hidden" name="with" value="new-account"/>
                        <div class="field">
                            <p class="label">{w.email}</p>
                            <p><strong>{invitation.email.clone()}</strong></p>
                        </div>
                        {field("name", t.your_name, None, Input::Text, name, name_error)}
                        {field("password", t.choose_password, Some(t.password_hint), Input::NewPassword, String::new(), password_error)}
                        <SubmitButton label=t.create_and_join.to_owned() pending=w.saving.to_owned()/>
                    </form>
                }
                .into_any()
            }
        },
    };
    view! {
        <Title text=format!("{} — Étape", t.join_title)/>
        <header class="page-header">
            <p>{w.workspace}</p>
            <h1>{t.join_title}</h1>
        </header>
        {refusal}
        <p>{intro}</p>
        {body}
    }
}
