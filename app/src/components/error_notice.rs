//! How a failed page load is shown, and the HTTP status it answers with.

use crate::error::AppError;
use crate::i18n::use_locale;
use crate::pages::not_found::NotFoundPage;
use leptos::prelude::*;

#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    if error == AppError::NotFound {
        return view! { <NotFoundPage/> }.into_any();
    }
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::INTERNAL_SERVER_ERROR);
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
