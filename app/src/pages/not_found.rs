use crate::components::error_notice::NotFound;
use leptos::prelude::*;

/// Any address without a public page: unknown paths, unknown slugs and drafts alike.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! { <NotFound/> }
}
