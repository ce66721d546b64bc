//! An organisation's name, linked to its website when it has one.

use crate::domain::Organisation;
use leptos::prelude::*;

#[component]
pub fn OrganisationName(organisation: Organisation) -> impl IntoView {
    match organisation.website {
        Some(url) => view! { <a href=url>{organisation.name}</a> }.into_any(),
        None => view! { <span>{organisation.name}</span> }.into_any(),
    }
}
