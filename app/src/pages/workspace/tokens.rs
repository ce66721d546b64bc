//! `/workspace/tokens`: the person's personal API tokens. Making one shows it once, on the page
//! the form post answers with (never in an address); each can be revoked.

use super::form::{error_summary, field, Input};
use super::home::{GoToLogin, RefusedAction};
use crate::api::workspace::{get_tokens, TokenLine};
use crate::components::error_notice::ErrorNotice;
use crate::components::islands::SubmitButton;
use crate::domain::text::TextError;
use crate::error::AppError;
use crate::i18n::use_locale;
use crate::paths;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

/// A token just made, to show once.
#[derive(Clone, PartialEq, Eq)]
pub struct MadeToken(pub String);

/// The name typed for a token, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenAttempt {
    pub name: String,
    pub error: TextError,
}

#[component]
pub fn TokensPage() -> impl IntoView {
    let locale = use_locale();
    let tokens = Resource::new(|| (), |_| get_tokens());
    view! {
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=move || view! { <p>{locale.messages().loading}</p> }>
            {move || Suspend::new(async move {
                match tokens.await {
                    Ok(tokens) => view! { <TokensView tokens/> }.into_any(),
                    Err(AppError::SignedOut) => view! { <GoToLogin/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TokensView(tokens: Vec<TokenLine>) -> impl IntoView {
    let locale = use_locale();
    let t = locale.tokens();
    let w = locale.workspace();
    let made = use_context::<MadeToken>().map(|MadeToken(token)| {
        view! {
            <div class="receipt" role="status">
                <p><strong>{t.made}</strong></p>
                <p><code class="token">{token}</code></p>
                <p>{t.made_hint}</p>
            </div>
        }
    });
    let revoked = use_query_map()
        .read_untracked()
        .get("revoked")
        .map(|_| view! { <p class="receipt" role="status">{t.revoked}</p> });
    let refusal = use_context::<RefusedAction>().map(|RefusedAction(error)| {
        view! { <p class="notice form-error" role="alert">{error.message(locale)}</p> }
    });
    let attempt = use_context::<TokenAttempt>();
    let error = attempt
        .as_ref()
        .map(|a| locale.text_error(&a.error, "un nom", "a name"));
    let summary = error_summary(
        w.errors_summary,
        error.iter().map(|e| ("name", e.clone())).collect(),
    );
    let list = if tokens.is_empty() {
        view! { <p class="empty-state">{t.none}</p> }.into_any()
    } else {
        let lines = tokens
            .iter()
            .map(|token| {
                let used = match token.last_used_on {
                    Some(day) => format!("{} {}", t.used_on, locale.long_date(day)),
                    None => t.never_used.to_owned(),
                };
                view! {
                    <li>
                        <p>
                            <strong>{token.name.clone()}</strong>
                            <br/><small class="muted">{t.made_on} " " {locale.long_date(token.created_on)} " · " {used}</small>
                        </p>
                        <form method="post" action=paths::workspace_revoke_token(&token.id)>
                            <button type="submit" class="secondary">{locale.revoke_token(&token.name)}</button>
                        </form>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="team">{lines}</ul> }.into_any()
    };
    let typed = attempt.map(|a| a.name).unwrap_or_default();
    view! {
        <Title text=format!("{} — Étape", t.title)/>
        <nav class="breadcrumb"><a href=paths::WORKSPACE>{w.back_to_workspace}</a></nav>
        <header class="page-header"><h1>{t.title}</h1></header>
        {made}
        {revoked}
        {refusal}
        {summary}
        <p class="muted">{t.intro}</p>
        {list}
        <form method="post" action=paths::WORKSPACE_TOKENS class="stacked" novalidate>
            {field("name", t.name, Some(t.name_hint), Input::Text, typed, error)}
            <SubmitButton label=t.make.to_owned() pending=w.saving.to_owned()/>
        </form>
    }
}
