//! `/workspace/editions/new`: a platform administrator creates an edition, as a draft;
//! `/workspace/editions/{edition}`: its team changes it (its address is fixed once published).
//! Each form posts to its own path (a plain handler); mistakes come back beside their fields,
//! with everything typed.

use super::form::{error_summary, field, Input};
use super::home::GoToLogin;
use crate::api::workspace::{get_edition_form_access, get_edition_sheet, EditionSheet};
use crate::components::error_notice::ErrorNotice;
use crate::components::islands::SubmitButton;
use crate::domain::edition_form::{EditionFieldError, EditionForm};
use crate::error::AppError;
use crate::i18n::use_locale;
use crate::paths;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

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
                    Ok(()) => view! { <EditionFormView sheet=None/> }.into_any(),
                    Err(AppError::SignedOut) => view! { <GoToLogin/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/workspace/editions/{edition}`: a stored edition's form.
#[component]
pub fn EditEditionPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let sheet = Resource::new(
        move || params.read().get("edition").unwrap_or_default(),
        get_edition_sheet,
    );
    view! {
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=move || view! { <p>{locale.messages().loading}</p> }>
            {move || Suspend::new(async move {
                match sheet.await {
                    Ok(sheet) => view! { <EditionFormView sheet=Some(sheet)/> }.into_any(),
                    Err(AppError::SignedOut) => view! { <GoToLogin/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditionFormView(sheet: Option<EditionSheet>) -> impl IntoView {
    let locale = use_locale();
    let w = locale.workspace();
    let attempt = use_context::<EditionAttempt>();
    let stored = sheet.as_ref().map(|s| s.form.clone()).unwrap_or_default();
    let form = attempt.as_ref().map(|a| a.form.clone()).unwrap_or(stored);
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
    let (title, action, submit) = match &sheet {
        Some(sheet) => (
            sheet.name.clone(),
            paths::workspace_edition(&sheet.slug),
            locale.save_edition(&sheet.name),
        ),
        None => (
            w.new_edition_title.to_owned(),
            paths::WORKSPACE_NEW_EDITION.to_owned(),
            w.create_edition_submit.to_owned(),
        ),
    };
    let slug_fixed = sheet
        .as_ref()
        .is_some_and(|s| s.status == crate::domain::EditionStatus::Published);
    let slug_field = if slug_fixed {
        view! {
            <div class="field">
                <p class="label">{w.edition_slug}</p>
                <p><code>{form.slug.clone()}</code></p>
                <p class="hint">{w.edition_slug_fixed}</p>
            </div>
        }
        .into_any()
    } else {
        field(
            "slug",
            w.edition_slug,
            Some(w.edition_slug_hint),
            Input::Text,
            form.slug.clone(),
            error_for("slug"),
        )
        .into_any()
    };
    let saved = (sheet.is_some()
        && attempt_missing()
        && use_query_map().read_untracked().get("saved").is_some())
    .then(|| view! { <p class="receipt" role="status">{w.edition_saved}</p> });
    let intro = sheet
        .is_none()
        .then(|| view! { <p class="muted">{w.new_edition_intro}</p> });
    view! {
        <Title text=format!("{title} — Étape")/>
        <nav class="breadcrumb"><a href=paths::WORKSPACE>{w.back_to_workspace}</a></nav>
        <header class="page-header"><h1>{title.clone()}</h1></header>
        {saved}
        {summary}
        {intro}
        <form method="post" action=action class="stacked" novalidate>
            {field("name", w.edition_name, Some(w.edition_name_hint), Input::Text, form.name.clone(), error_for("name"))}
            {slug_field}
            {field("number", w.edition_number, Some(w.edition_number_hint), Input::Number, form.number.clone(), error_for("number"))}
            {field("starts_on", w.edition_starts_on, None, Input::Date, form.starts_on.clone(), error_for("starts_on"))}
            {field("ends_on", w.edition_ends_on, None, Input::Date, form.ends_on.clone(), error_for("ends_on"))}
            {field("theme", w.edition_theme, None, Input::Text, form.theme.clone(), error_for("theme"))}
            {field("description", w.edition_description, Some(w.edition_description_hint), Input::LongText, form.description.clone(), error_for("description"))}
            {field("partners", w.edition_partners, Some(w.edition_partners_hint), Input::LongText, form.partners.clone(), error_for("partners"))}
            <SubmitButton label=submit pending=w.saving.to_owned()/>
        </form>
    }
}

fn attempt_missing() -> bool {
    use_context::<EditionAttempt>().is_none()
}
