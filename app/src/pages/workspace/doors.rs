//! `/workspace/editions/{edition}/stages/{stage}/doors`: a stage's door links. Making one shows
//! it once, as a link and a QR code for the door phone to scan, on the page the form post
//! answers with (never in an address: only its hash is kept); each can be revoked.

use super::form::{error_summary, field, Input};
use super::home::{GoToLogin, RefusedAction};
use crate::api::workspace::{get_door_desk, DoorDesk};
use crate::components::error_notice::ErrorNotice;
use crate::components::islands::SubmitButton;
use crate::domain::text::TextError;
use crate::error::AppError;
use crate::i18n::use_locale;
use crate::paths;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// A door link just made, to show once: its label, its address, and its QR code as an image
/// (`data:` address of an SVG made on the server).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MadeDoorLink {
    pub label: String,
    pub url: String,
    pub qr_image: String,
}

/// The label typed for a door link, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoorAttempt {
    pub label: String,
    /// `None`: an open door of the stage already has this label.
    pub error: Option<TextError>,
}

#[component]
pub fn DoorsPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let desk = Resource::new(
        move || {
            let params = params.read();
            (
                params.get("edition").unwrap_or_default(),
                params.get("stage").unwrap_or_default(),
            )
        },
        |(edition, stage)| get_door_desk(edition, stage),
    );
    view! {
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=move || view! { <p>{locale.messages().loading}</p> }>
            {move || Suspend::new(async move {
                match desk.await {
                    Ok(desk) => view! { <DoorsView desk/> }.into_any(),
                    Err(AppError::SignedOut) => view! { <GoToLogin/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DoorsView(desk: DoorDesk) -> impl IntoView {
    let locale = use_locale();
    let d = locale.doors();
    let w = locale.workspace();
    let made = use_context::<MadeDoorLink>().map(|made| {
        view! {
            <div class="receipt" role="status">
                <p><strong>{locale.door_made(&made.label)}</strong></p>
                <img class="door-qr" src=made.qr_image alt=d.qr_title width="240" height="240"/>
                <p><a href=made.url.clone()>{made.url.clone()}</a></p>
                <p>{d.made_hint}</p>
            </div>
        }
    });
    let revoked = use_query_map()
        .read_untracked()
        .get("revoked")
        .map(|_| view! { <p class="receipt" role="status">{d.revoked}</p> });
    let refusal = use_context::<RefusedAction>().map(|RefusedAction(error)| {
        view! { <p class="notice form-error" role="alert">{error.message(locale)}</p> }
    });
    let attempt = use_context::<DoorAttempt>();
    let error = attempt.as_ref().map(|a| match &a.error {
        Some(error) => locale.text_error(error, "un nom", "a name"),
        None => d.label_taken.to_owned(),
    });
    let summary = error_summary(
        w.errors_summary,
        error.iter().map(|e| ("label", e.clone())).collect(),
    );
    let revoke_action = paths::workspace_revoke_door(&desk.edition_slug, &desk.stage_slug);
    let list = if desk.doors.is_empty() {
        view! { <p class="empty-state">{d.none}</p> }.into_any()
    } else {
        let lines = desk
            .doors
            .iter()
            .map(|door| {
                let revoke = (!door.revoked).then(|| {
                    view! {
                        <form method="post" action=revoke_action.clone()>
                            <input type="hidden" name="label" value=door.label.clone()/>
                            <button type="submit" class="secondary">{locale.revoke_door(&door.label)}</button>
                        </form>
                    }
                });
                view! {
                    <li>
                        <p>
                            <strong>{door.label.clone()}</strong>
                            <br/><small class="muted">{locale.door_line(door.checked_in, door.made_on, door.revoked)}</small>
                        </p>
                        {revoke}
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="team">{lines}</ul> }.into_any()
    };
    let doubles = (!desk.double_admissions.is_empty()).then(|| {
        let lines = desk
            .double_admissions
            .iter()
            .map(|double| view! { <li>{locale.double_admission(double)}</li> })
            .collect_view();
        view! {
            <section class="warning" aria-labelledby="double-admissions">
                <h2 id="double-admissions">{d.double_admissions}</h2>
                <p>{d.double_admissions_hint}</p>
                <ul>{lines}</ul>
            </section>
        }
    });
    let typed = attempt.map(|a| a.label).unwrap_or_default();
    let title = locale.doors_of(&desk.stage_city);
    view! {
        <Title text=format!("{title} — Étape")/>
        <nav class="breadcrumb">
            <a href=paths::workspace_stage(&desk.edition_slug, &desk.stage_slug)>{desk.stage_city.clone()}</a>
        </nav>
        <header class="page-header">
            <h1>{title}</h1>
            <p class="muted">{locale.checked_in_of(desk.checked_in, desk.confirmed)}</p>
        </header>
        {made}
        {revoked}
        {refusal}
        {summary}
        <p class="muted">{d.intro}</p>
        {list}
        {doubles}
        <form method="post" action=paths::workspace_doors(&desk.edition_slug, &desk.stage_slug) class="stacked" novalidate>
            {field("label", d.label, Some(d.label_hint), Input::Text, typed, error)}
            <SubmitButton label=d.make.to_owned() pending=w.saving.to_owned()/>
        </form>
    }
}
