use crate::i18n::use_locale;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// Any address without a public page: unknown paths, unknown slugs and drafts alike.
#[component]
pub fn NotFoundPage() -> impl IntoView {
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
