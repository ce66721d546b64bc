//! `/workspace/editions/{edition}/team`: who organises the edition, the invitations still open
//! (each can be withdrawn) and the form to invite someone to a role within the person's reach.

use super::form::{error_summary, field, Input};
use super::home::{GoToLogin, RefusedAction};
use crate::api::workspace::{get_team_desk, TeamDesk};
use crate::components::error_notice::ErrorNotice;
use crate::components::islands::SubmitButton;
use crate::domain::account::InvitationState;
use crate::domain::registration::EmailError;
use crate::error::AppError;
use crate::i18n::use_locale;
use crate::paths;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// An invitation form that came back: what was typed and what is wrong with the address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteAttempt {
    pub email: String,
    pub role: String,
    pub error: EmailError,
}

#[component]
pub fn TeamPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let desk = Resource::new(
        move || params.read().get("edition").unwrap_or_default(),
        get_team_desk,
    );
    view! {
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=move || view! { <p>{locale.messages().loading}</p> }>
            {move || Suspend::new(async move {
                match desk.await {
                    Ok(desk) => view! { <TeamView desk/> }.into_any(),
                    Err(AppError::SignedOut) => view! { <GoToLogin/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TeamView(desk: TeamDesk) -> impl IntoView {
    let locale = use_locale();
    let t = locale.team();
    let w = locale.workspace();
    let query = use_query_map().read_untracked();
    let receipt = if query.get("invited").is_some() {
        Some(t.invited)
    } else if query.get("withdrawn").is_some() {
        Some(t.withdrawn)
    } else if query.get("removed").is_some() {
        Some(t.removed)
    } else {
        None
    }
    .map(|text| view! { <p class="receipt" role="status">{text}</p> });
    let refusal = use_context::<RefusedAction>().map(|RefusedAction(error)| {
        view! { <p class="notice form-error" role="alert">{error.message(locale)}</p> }
    });
    let attempt = use_context::<InviteAttempt>();
    let error = attempt.as_ref().map(|a| locale.invite_email_error(a.error));
    let summary = error_summary(
        w.errors_summary,
        error.iter().map(|e| ("email", e.clone())).collect(),
    );
    let members = if desk.members.is_empty() {
        view! { <p class="empty-state">{t.no_member}</p> }.into_any()
    } else {
        let lines = desk
            .members
            .iter()
            .map(|m| {
                view! {
                    <li>
                        <p>
                            <strong>{m.name.clone()}</strong> " (" {m.email.clone()} ") — "
                            {locale.role_label(m.stage_city.as_deref())}
                        </p>
                        {m.removable.then(|| view! {
                            <form method="post" action=paths::workspace_remove_member(&desk.edition_slug)>
                                <input type="hidden" name="account" value=m.account_id.clone()/>
                                <input type="hidden" name="role" value=m.role.clone()/>
                                <button type="submit" class="secondary">{locale.remove_member(&m.name)}</button>
                            </form>
                        })}
                        {m.mine.then(|| view! {
                            <form method="post" action=paths::workspace_remove_member(&desk.edition_slug)>
                                <input type="hidden" name="account" value=m.account_id.clone()/>
                                <input type="hidden" name="role" value=m.role.clone()/>
                                <p class="hint">{t.leave_hint}</p>
                                <button type="submit" class="secondary">{locale.leave_role(m.stage_city.as_deref())}</button>
                            </form>
                        })}
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="team">{lines}</ul> }.into_any()
    };
    let pending = (!desk.pending.is_empty()).then(|| {
        let lines = desk
            .pending
            .iter()
            .map(|i| {
                let state = match i.state {
                    InvitationState::Expired => t.expired.to_owned(),
                    _ => locale.invitation_until(i.expires_on),
                };
                view! {
                    <li>
                        <p>
                            <strong>{i.email.clone()}</strong> " — " {locale.role_label(i.stage_city.as_deref())}
                            <br/><small class="muted">{t.invited_by} " " {i.invited_by.clone()} " · " {state}</small>
                        </p>
                        <form method="post" action=paths::workspace_withdraw_invitation(&desk.edition_slug, &i.id)>
                            <button type="submit" class="secondary">{locale.withdraw_invitation(&i.email)}</button>
                        </form>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section aria-labelledby="pending-heading">
                <h2 id="pending-heading">{t.pending}</h2>
                <ul class="team">{lines}</ul>
            </section>
        }
    });
    let mut options: Vec<(String, String)> = Vec::new();
    if desk.may_invite_admins {
        options.push(("edition".to_owned(), locale.role_label(None)));
    }
    for (slug, city) in &desk.stages {
        options.push((slug.clone(), locale.role_label(Some(city))));
    }
    let chosen = attempt.as_ref().map(|a| a.role.clone()).unwrap_or_default();
    let typed = attempt
        .as_ref()
        .map(|a| a.email.clone())
        .unwrap_or_default();
    let invite = (!options.is_empty()).then(|| {
        let choices = options
            .into_iter()
            .map(|(value, label)| {
                let selected = value == chosen;
                view! { <option value=value selected=selected>{label}</option> }
            })
            .collect_view();
        view! {
            <section aria-labelledby="invite-heading">
                <h2 id="invite-heading">{t.invite}</h2>
                <p class="muted">{t.invite_intro}</p>
                <form method="post" action=paths::workspace_team(&desk.edition_slug) class="stacked" novalidate>
                    {field("email", t.email, None, Input::Email, typed, error)}
                    <div class="field">
                        <label for="field-role">{t.role}</label>
                        <select id="field-role" name="role">{choices}</select>
                    </div>
                    <SubmitButton label=t.send_invitation.to_owned() pending=w.saving.to_owned()/>
                </form>
            </section>
        }
    });
    view! {
        <Title text=format!("{} — {} — Étape", t.team, desk.edition_name)/>
        <nav class="breadcrumb"><a href=paths::WORKSPACE>{w.back_to_workspace}</a></nav>
        <header class="page-header">
            <p>{desk.edition_name.clone()}</p>
            <h1>{locale.team_of(&desk.edition_name)}</h1>
        </header>
        {receipt}
        {refusal}
        {summary}
        <section aria-labelledby="members-heading">
            <h2 id="members-heading">{t.members}</h2>
            {members}
        </section>
        {pending}
        {invite}
    }
}
