//! `/workspace/editions/{edition}/stages/new` and `/workspace/editions/{edition}/stages/{stage}`:
//! a stage's form, blank or as stored. It posts to its own path (a plain handler); mistakes come
//! back beside their fields with everything typed. A stored stage's page also offers to publish
//! a draft, and the way to cancel a published one.

use super::form::{error_summary, field, time_zone_list, Input};
use super::home::{GoToLogin, RefusedAction};
use crate::api::workspace::{get_stage_desk, StageDesk, StageSheet};
use crate::components::error_notice::ErrorNotice;
use crate::components::islands::SubmitButton;
use crate::domain::stage_form::{StageFieldError, StageForm};
use crate::domain::{EditionStatus, StageStatus};
use crate::error::AppError;
use crate::i18n::{use_locale, Locale};
use crate::paths;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// A stage form that came back with mistakes, rendered into the page by the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageAttempt {
    pub form: StageForm,
    pub errors: Vec<StageFieldError>,
}

#[component]
pub fn StageFormPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let desk = Resource::new(
        move || {
            let params = params.read();
            (
                params.get("edition").unwrap_or_default(),
                params.get("stage"),
            )
        },
        |(edition, stage)| get_stage_desk(edition, stage),
    );
    view! {
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=move || view! { <p>{locale.messages().loading}</p> }>
            {move || Suspend::new(async move {
                match desk.await {
                    Ok(desk) => view! { <StageFormView desk/> }.into_any(),
                    Err(AppError::SignedOut) => view! { <GoToLogin/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StageFormView(desk: StageDesk) -> impl IntoView {
    let locale = use_locale();
    let w = locale.workspace();
    let s = locale.stage_form();
    let attempt = use_context::<StageAttempt>();
    let form = attempt
        .as_ref()
        .map(|a| a.form.clone())
        .unwrap_or_else(|| desk.form.clone());
    let errors = attempt.map(|a| a.errors).unwrap_or_default();
    let error_for = |name: &str| {
        errors
            .iter()
            .filter(|e| e.field() == name)
            .map(|e| locale.stage_field_error(e))
            .reduce(|a, b| format!("{a} {b}"))
    };
    let summary = error_summary(
        w.errors_summary,
        errors
            .iter()
            .map(|e| (e.field(), locale.stage_field_error(e)))
            .collect(),
    );
    let refusal = use_context::<RefusedAction>().map(|RefusedAction(error)| {
        view! { <p class="notice form-error" role="alert">{error.message(locale)}</p> }
    });
    let sheet = desk.stage.clone();
    let receipt = sheet
        .as_ref()
        .and_then(|sheet| receipt(locale, sheet))
        .map(|text| view! { <p class="receipt" role="status">{text}</p> });
    let action = match &sheet {
        Some(sheet) => paths::workspace_stage(&desk.edition_slug, &sheet.slug),
        None => paths::workspace_new_stage(&desk.edition_slug),
    };
    let heading = match &sheet {
        Some(sheet) => sheet.city.clone(),
        None => s.new_stage.to_owned(),
    };
    let status = sheet.as_ref().map(|sheet| {
        view! {
            <p>
                <span class=format!("badge badge-{}", sheet.status.as_str())>
                    {locale.stage_status(sheet.status)}
                </span>
            </p>
        }
    });
    let slug_fixed = sheet
        .as_ref()
        .is_some_and(|sheet| sheet.status != StageStatus::Draft);
    let slug_field = if slug_fixed {
        view! {
            <div class="field">
                <p class="label">{s.slug}</p>
                <p><code>{form.slug.clone()}</code></p>
                <p class="hint">{s.slug_fixed}</p>
            </div>
        }
        .into_any()
    } else {
        field(
            "slug",
            s.slug,
            Some(s.slug_hint),
            Input::Text,
            form.slug.clone(),
            error_for("slug"),
        )
        .into_any()
    };
    let map_link = sheet.as_ref().map(|sheet| {
        view! { <p><a href=sheet.map_url.clone() rel="noopener" target="_blank">{s.check_on_map}</a></p> }
    });
    let submit = match &sheet {
        Some(sheet) => locale.save_stage(&sheet.city),
        None => s.create_stage_submit.to_owned(),
    };
    let consequence = sheet
        .as_ref()
        .filter(|sheet| sheet.status == StageStatus::Published)
        .map(
            |sheet| view! { <p class="hint">{locale.registrants_will_hear(sheet.registrants)}</p> },
        );
    let editable = sheet.as_ref().is_none_or(|sheet| sheet.status.editable());
    let intro = sheet
        .is_none()
        .then(|| view! { <p class="muted">{s.new_stage_intro}</p> });
    let aside = sheet
        .as_ref()
        .map(|sheet| stage_aside(locale, &desk.edition_slug, desk.edition_status, sheet));
    view! {
        <Title text=format!("{heading} — {} — Étape", desk.edition_name)/>
        <nav class="breadcrumb"><a href=paths::WORKSPACE>{w.back_to_workspace}</a></nav>
        <header class="page-header">
            <p>{desk.edition_name.clone()}</p>
            <h1>{heading}</h1>
            {status}
        </header>
        {receipt}
        {refusal}
        {summary}
        {intro}
        {aside}
        <form method="post" action=action class="stacked" novalidate>
            <fieldset>
                <legend>{s.place_legend}</legend>
                {field("city", s.city, None, Input::Text, form.city.clone(), error_for("city"))}
                {slug_field}
                {field("venue_name", s.venue_name, None, Input::Text, form.venue_name.clone(), error_for("venue_name"))}
                {field("venue_address", s.venue_address, None, Input::Text, form.venue_address.clone(), error_for("venue_address"))}
                {field("latitude", s.latitude, Some(s.coordinates_hint), Input::Text, form.latitude.clone(), error_for("latitude"))}
                {field("longitude", s.longitude, None, Input::Text, form.longitude.clone(), error_for("longitude"))}
                {map_link}
            </fieldset>
            <fieldset>
                <legend>{s.time_legend}</legend>
                {field("time_zone", s.time_zone, Some(s.time_zone_hint), Input::TimeZone, form.time_zone.clone(), error_for("time_zone"))}
                {time_zone_list()}
                {field("starts", s.starts, Some(s.local_time_hint), Input::DateTime, form.starts.clone(), error_for("starts"))}
                {field("ends", s.ends, Some(s.local_time_hint), Input::DateTime, form.ends.clone(), error_for("ends"))}
            </fieldset>
            <fieldset>
                <legend>{s.content_legend}</legend>
                {field("theme", s.theme, Some(s.theme_hint), Input::Text, form.theme.clone(), error_for("theme"))}
                {field("description", s.description, Some(s.description_hint), Input::LongText, form.description.clone(), error_for("description"))}
                {field("co_organisers", s.co_organisers, Some(s.co_organisers_hint), Input::LongText, form.co_organisers.clone(), error_for("co_organisers"))}
            </fieldset>
            <fieldset>
                <legend>{s.registrations_legend}</legend>
                {field("capacity", s.capacity, Some(s.capacity_hint), Input::Number, form.capacity.clone(), error_for("capacity"))}
                {field("confirm_email_minutes", s.confirm_email_minutes, Some(s.confirm_email_minutes_hint), Input::Number, form.confirm_email_minutes.clone(), error_for("confirm_email_minutes"))}
                {field("registration_opens", s.registration_opens, Some(s.registration_opens_hint), Input::DateTime, form.registration_opens.clone(), error_for("registration_opens"))}
                {field("registration_closes", s.registration_closes, Some(s.registration_closes_hint), Input::DateTime, form.registration_closes.clone(), error_for("registration_closes"))}
            </fieldset>
            {consequence}
            {editable.then(|| view! { <SubmitButton label=submit pending=w.saving.to_owned()/> })}
        </form>
    }
}

/// What the page says after a save, a creation or a cancellation (from its query).
fn receipt(locale: Locale, sheet: &StageSheet) -> Option<String> {
    let query = use_query_map().read_untracked();
    let count = |key: &str| query.get(key).and_then(|n| n.parse::<u32>().ok());
    if query.get("created").is_some() {
        return Some(locale.stage_created(&sheet.city));
    }
    if let Some(told) = count("saved") {
        return Some(locale.stage_saved(&sheet.city, told));
    }
    if let Some(told) = count("cancelled") {
        return Some(locale.stage_cancelled_receipt(&sheet.city, told));
    }
    if query.get("published").is_some() && sheet.status == StageStatus::Published {
        return Some(locale.stage_published(&sheet.city, EditionStatus::Published));
    }
    None
}

/// Beside the form of a stored stage: its public page, publishing a draft, cancelling a
/// published stage, or why it was cancelled.
fn stage_aside(
    locale: Locale,
    edition: &str,
    edition_status: EditionStatus,
    sheet: &StageSheet,
) -> impl IntoView {
    let s = locale.stage_form();
    let public = sheet.status.is_public_in(edition_status).then(|| {
        view! { <p><a href=paths::stage(edition, &sheet.slug)>{s.see_public_page}</a></p> }
    });
    let preview = view! {
        <p><a class="button" href=paths::workspace_lineup(edition, &sheet.slug)>{locale.lineup().lineup}</a></p>
        <p><a href=paths::workspace_preview_stage(edition, &sheet.slug)>{locale.workspace().preview_link}</a></p>
        <p><a href=paths::workspace_doors(edition, &sheet.slug)>{locale.doors().doors}</a></p>
    };
    let publish = sheet.status.publishable().then(|| {
        view! {
            <form method="post" action=paths::workspace_publish_stage(edition, &sheet.slug)>
                <button type="submit" class="secondary">{locale.publish_stage(&sheet.city)}</button>
            </form>
        }
    });
    let cancel = (sheet.status == StageStatus::Published).then(|| {
        view! {
            <p><a class="danger-link" href=paths::workspace_cancel_stage(edition, &sheet.slug)>{s.cancel_stage}</a></p>
        }
    });
    let cancelled = (sheet.status == StageStatus::Cancelled).then(|| {
        view! {
            <p class="notice-inline">{s.cancelled_note}</p>
            {sheet.cancellation_reason.clone().map(|reason| view! { <blockquote>{reason}</blockquote> })}
        }
    });
    view! { <div class="stage-aside">{preview}{public}{publish}{cancel}{cancelled}</div> }
}
