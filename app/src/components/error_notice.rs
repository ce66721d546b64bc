//! How a failed page load is shown, and the HTTP status it answers with: "not found" (unknown
//! paths, unknown slugs and drafts alike) or a sentence for anything else, with the status
//! the error names (`AppError::status`).

use crate::error::AppError;
use crate::i18n::use_locale;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    if error == AppError::NotFound {
        return view! { <NotFound/> }.into_any();
    }
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        // 500 for a failure, 403 for a role that does not reach, and so on.
        response.set_status(error.status());
    }
    let locale = use_locale();
    view! {
        <section class="notice" role="alert">
            <h1>{locale.messages().error_title}</h1>
            <p>{error.message(locale)}</p>
        </section>
    }
    .into_any()
}

/// The "page not found" notice, with its title and the 404 status.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let messages = use_locale().messages();
    view! {
        <Title text=format!("{} — Étape", messages.not_found_title)/>
        <Meta name="robots" content="noindex"/>
        <section class="notice">
            <h1>{messages.not_found_title}</h1>
            <p>{messages.not_found_text}</p>
            <p><a href="/">{messages.back_home}</a></p>
        </section>
    }
}
