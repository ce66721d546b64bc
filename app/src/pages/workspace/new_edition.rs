//! `/workspace/editions/new`: a platform administrator creates an edition, as a draft. The form
//! posts to the same path (a plain handler); mistakes come back beside their fields, with
//! everything typed.

use super::form::{error_summary, field, Input};
use super::home::GoToLogin;
use crate::api::workspace::get_edition_form_access;
use crate::components::error_notice::ErrorNotice;
use crate::domain::edition_form::{EditionFieldError, EditionForm};
use crate::error::AppError;
use crate::i18n::use_locale;
use crate::paths;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// A form that came back with mistakes, rendered into the page by the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditionAttempt {
    pub form: EditionForm,
    pub errors: Vec<EditionFieldError>,
}

#[component]
pub fn NewEditionPage() -> impl IntoView {
    let locale = use_locale();
    let access = Resource::new(|| (), |_| get_edition_form_access());
    view! {
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=move || view! { <p>{locale.messages().loading}</p> }>
            {move || Suspend::new(async move {
                match access.await {
                    Ok(()) => view! { <EditionFormView/> }.into_any(),
                    Err(AppError::SignedOut) => view! { <GoToLogin/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditionFormView() -> impl IntoView {
    let locale = use_locale();
    let w = locale.workspace();
    let attempt = use_context::<EditionAttempt>();
    let form = attempt.as_ref().map(|a| a.form.clone()).unwrap_or_default();
    let errors = attempt.map(|a| a.errors).unwrap_or_default();
    let error_for = |name: &str| {
        errors
            .iter()
            .find(|e| e.field() == name)
            .map(|e| locale.edition_field_error(e))
    };
    let summary = error_summary(
        w.errors_summary,
        errors
            .iter()
            .map(|e| (e.field(), locale.edition_field_error(e)))
            .collect(),
    );
    view! {
        <Title text=format!("{} — Étape", w.new_edition_title)/>
        <nav class="breadcrumb"><a href=paths::WORKSPACE>{w.back_to_workspace}</a></nav>
        <header class="page-header"><h1>{w.new_edition_title}</h1></header>
        {summary}
        <p class="muted">{w.new_edition_intro}</p>
        <form method="post" action=paths::WORKSPACE_NEW_EDITION class="stacked" novalidate>
            {field("name", w.edition_name, Some(w.edition_name_hint), Input::Text, form.name.clone(), error_for("name"))}
            {field("slug", w.edition_slug, Some(w.edition_slug_hint), Input::Text, form.slug.clone(), error_for("slug"))}
            {field("number", w.edition_number, Some(w.edition_number_hint), Input::Number, form.number.clone(), error_for("number"))}
            {field("starts_on", w.edition_starts_on, None, Input::Date, form.starts_on.clone(), error_for("starts_on"))}
            {field("ends_on", w.edition_ends_on, None, Input::Date, form.ends_on.clone(), error_for("ends_on"))}
            {field("theme", w.edition_theme, None, Input::Text, form.theme.clone(), error_for("theme"))}
            {field("description", w.edition_description, Some(w.edition_description_hint), Input::LongText, form.description.clone(), error_for("description"))}
            <button type="submit">{w.create_edition_submit}</button>
        </form>
    }
}
