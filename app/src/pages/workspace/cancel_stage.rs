//! `/workspace/editions/{edition}/stages/{stage}/cancel`: the confirmation step of cancelling a
//! published stage. It says what will happen and to how many people, asks for the reason they
//! will read, and posts to its own path. Without this step's post nothing is cancelled.

use super::form::{error_summary, field, Input};
use super::home::{GoToLogin, RefusedAction};
use crate::api::workspace::{get_stage_desk, StageDesk};
use crate::components::error_notice::ErrorNotice;
use crate::components::islands::SubmitButton;
use crate::domain::text::TextError;
use crate::domain::StageStatus;
use crate::error::AppError;
use crate::i18n::use_locale;
use crate::paths;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

/// A cancellation that came back: the reason as typed, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancelAttempt {
    pub reason: String,
    pub error: Option<TextError>,
}

#[component]
pub fn CancelStagePage() -> impl IntoView {
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
                    Ok(desk) => view! { <CancelView desk/> }.into_any(),
                    Err(AppError::SignedOut) => view! { <GoToLogin/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CancelView(desk: StageDesk) -> impl IntoView {
    let locale = use_locale();
    let w = locale.workspace();
    let s = locale.stage_form();
    let Some(sheet) = desk.stage else {
        return view! { <ErrorNotice error=AppError::NotFound/> }.into_any();
    };
    let back = paths::workspace_stage(&desk.edition_slug, &sheet.slug);
    if sheet.status != StageStatus::Published {
        // Only a published stage is cancelled: a draft was never public, a cancelled one is done.
        return view! {
            <p class="notice"><a href=back>{sheet.city.clone()}</a></p>
        }
        .into_any();
    }
    let attempt = use_context::<CancelAttempt>();
    let reason = attempt
        .as_ref()
        .map(|a| a.reason.clone())
        .unwrap_or_default();
    let error = attempt
        .and_then(|a| a.error)
        .map(|e| locale.text_error(&e, "le motif de l'annulation", "why it is cancelled"));
    let summary = error_summary(
        w.errors_summary,
        error.iter().map(|e| ("reason", e.clone())).collect(),
    );
    let refusal = use_context::<RefusedAction>().map(|RefusedAction(error)| {
        view! { <p class="notice form-error" role="alert">{error.message(locale)}</p> }
    });
    let heading = format!("{} — {}", s.cancel_stage, sheet.city);
    view! {
        <Title text=format!("{heading} — Étape")/>
        <nav class="breadcrumb"><a href=back.clone()>{sheet.city.clone()}</a></nav>
        <header class="page-header">
            <p>{desk.edition_name.clone()}</p>
            <h1>{heading}</h1>
        </header>
        {refusal}
        {summary}
        <div class="warning" role="note">
            <p><strong>{s.cancel_stage_intro}</strong></p>
            <p>{s.cancel_consequences}</p>
        </div>
        <form method="post" action=paths::workspace_cancel_stage(&desk.edition_slug, &sheet.slug) class="stacked" novalidate>
            {field("reason", s.cancel_reason, Some(s.cancel_reason_hint), Input::LongText, reason, error)}
            <SubmitButton label=locale.cancel_stage_button(&sheet.city, sheet.registrants) pending=w.saving.to_owned() class="danger".to_owned()/>
        </form>
        <p><a href=back>{s.keep_stage}</a></p>
    }
    .into_any()
}
