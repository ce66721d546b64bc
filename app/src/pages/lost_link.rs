//! `/lost-link`: asks for an address and emails every registration's links to it. The answer
//! is the same whether the address is registered or not.

use crate::error::AppError;
use crate::i18n::use_locale;
use leptos::prelude::*;
use leptos_meta::Title;

/// What the server answered to the form, when it renders the page after a POST.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LostLinkAttempt {
    pub email: String,
    pub outcome: Result<(), AppError>,
}

#[component]
pub fn LostLinkPage() -> impl IntoView {
    let locale = use_locale();
    let m = locale.messages();
    let attempt = use_context::<LostLinkAttempt>();
    let typed = attempt
        .as_ref()
        .map(|a| a.email.clone())
        .unwrap_or_default();
    let (notice, field_error) = match attempt.map(|a| a.outcome) {
        Some(Ok(())) => (Some(m.lost_link_sent.to_owned()), None),
        Some(Err(AppError::Invalid(errors))) => {
            (None, errors.first().map(|error| locale.field_error(error)))
        }
        Some(Err(error)) => (Some(error.message(locale)), None),
        None => (None, None),
    };
    view! {
        <Title text=format!("{} — Étape", m.lost_link)/>
        <header class="page-header"><h1>{m.lost_link}</h1></header>
        {notice.map(|text| view! { <p class="receipt" role="status">{text}</p> })}
        <p>{m.lost_link_intro}</p>
        <form method="post" action="/lost-link" class="stacked" novalidate>
            <div class="field">
                <label for="lost-email">{m.field_email}</label>
                <input id="lost-email" name="email" type="email" autocomplete="email"
                    inputmode="email" maxlength="254" required value=typed
                    aria-invalid=field_error.is_some().to_string()
                    aria-describedby="lost-email-error"/>
                <p id="lost-email-error" class="field-error">{field_error}</p>
            </div>
            <button type="submit">{m.lost_link_submit}</button>
        </form>
    }
}
