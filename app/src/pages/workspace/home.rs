//! `/workspace`: after logging in, the editions and stages within the person's roles, each
//! with its status and, per stage, seats taken, capacity and waiting list.

use crate::api::workspace::{get_workspace_home, EditionDesk, StageLine, WorkspaceHome};
use crate::components::error_notice::ErrorNotice;
use crate::error::AppError;
use crate::i18n::{use_locale, Locale};
use crate::paths;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

/// A form of the workspace that was refused (out of reach, not found, storage failed): the
/// page it came back to says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedAction(pub AppError);

#[component]
pub fn WorkspaceHomePage() -> impl IntoView {
    let locale = use_locale();
    let home = Resource::new(|| (), |_| get_workspace_home());
    view! {
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=move || view! { <p>{locale.messages().loading}</p> }>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(home) => view! { <HomeContent home/> }.into_any(),
                    Err(AppError::SignedOut) => view! { <GoToLogin/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Without a valid login: to the login page (a redirect; the link is for the rare client that
/// does not follow it). Set by hand rather than with `leptos_axum::redirect`, which answers a
/// client that does not ask for HTML with a 200 and a server-function header.
#[component]
pub fn GoToLogin() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::SEE_OTHER);
        response.insert_header(
            http::header::LOCATION,
            http::HeaderValue::from_static(paths::WORKSPACE_LOGIN),
        );
    }
    let w = use_locale().workspace();
    view! {
        <p class="notice"><a href=paths::WORKSPACE_LOGIN>{w.session_ended}</a></p>
    }
}

#[component]
fn HomeContent(home: WorkspaceHome) -> impl IntoView {
    let locale = use_locale();
    let w = locale.workspace();
    let empty = home.editions.is_empty().then(|| {
        let text = if home.platform_admin {
            w.no_edition_admin
        } else {
            w.no_edition_other
        };
        view! { <p class="empty-state">{text}</p> }
    });
    let query = use_query_map().read_untracked();
    let created = query
        .get("created")
        .and_then(|slug| home.editions.iter().find(|e| e.slug == slug))
        .map(|edition| locale.edition_created(&edition.name));
    let published = query.get("published").and_then(|published| {
        let (edition_slug, stage_slug) = match published.split_once('/') {
            Some((edition, stage)) => (edition.to_owned(), Some(stage.to_owned())),
            None => (published, None),
        };
        let edition = home.editions.iter().find(|e| e.slug == edition_slug)?;
        match stage_slug {
            None => Some(locale.edition_published(&edition.name)),
            Some(stage) => edition
                .stages
                .iter()
                .find(|s| s.slug == stage)
                .map(|s| locale.stage_published(&s.city, edition.status)),
        }
    });
    let joined = query
        .get("joined")
        .map(|_| locale.team().joined.to_owned())
        .or_else(|| query.get("left").map(|_| locale.team().left.to_owned()))
        .or_else(|| {
            query
                .get("password-changed")
                .map(|_| locale.password().changed.to_owned())
        });
    let receipt = created
        .or(published)
        .or(joined)
        .map(|text| view! { <p class="receipt" role="status">{text}</p> });
    let refusal = use_context::<RefusedAction>().map(|RefusedAction(error)| {
        view! { <p class="notice form-error" role="alert">{error.message(locale)}</p> }
    });
    let create = home.platform_admin.then(|| {
        view! { <p><a class="button" href=paths::WORKSPACE_NEW_EDITION>{w.create_edition}</a></p> }
    });
    let editions = home
        .editions
        .into_iter()
        .map(|edition| view! { <EditionSection edition/> })
        .collect_view();
    view! {
        <Title text=format!("{} — Étape", w.workspace)/>
        <header class="page-header">
            <p>{w.workspace}</p>
            <h1>{locale.hello(&home.name)}</h1>
            <p class="muted">{locale.signed_in_as(&home.email)}
                {home.platform_admin.then(|| view! { " · " <span class="badge">{w.platform_admin}</span> })}
            </p>
        </header>
        {receipt}
        {refusal}
        <section aria-labelledby="editions-heading">
            <h2 id="editions-heading">{w.your_editions}</h2>
            {create}
            {empty}
            {editions}
        </section>
        <section aria-labelledby="session-heading" class="session-actions">
            <h2 id="session-heading" class="visually-hidden">{w.logout}</h2>
            <p><a href=paths::WORKSPACE_TOKENS>{locale.tokens().title}</a></p>
            <form method="post" action=paths::WORKSPACE_LOGOUT>
                <button type="submit" class="secondary">{w.logout}</button>
            </form>
            <form method="post" action=paths::WORKSPACE_LOGOUT_EVERYWHERE>
                <button type="submit" class="secondary">{w.logout_everywhere}</button>
                <p class="muted">{w.logout_everywhere_hint}</p>
            </form>
        </section>
    }
}

#[component]
fn EditionSection(edition: EditionDesk) -> impl IntoView {
    let locale = use_locale();
    let w = locale.workspace();
    let heading_id = format!("edition-{}", edition.slug);
    let empty = edition.stages.is_empty().then(|| {
        let text = if edition.whole_edition {
            w.no_stage_admin
        } else {
            w.no_stage_other
        };
        view! { <p class="empty-state">{text}</p> }
    });
    let rows = edition
        .stages
        .iter()
        .map(|stage| stage_row(locale, &edition.slug, stage))
        .collect_view();
    let edit = edition.whole_edition.then(|| {
        view! { <a href=paths::workspace_edition(&edition.slug)>{w.edit_edition}</a> " · " }
    });
    let team = view! {
        <p>{edit}<a href=paths::workspace_team(&edition.slug)>{locale.team().team}</a></p>
    };
    let publish = (edition.whole_edition && edition.status.publishable()).then(|| {
        view! {
            <form method="post" action=paths::workspace_publish_edition(&edition.slug)>
                <button type="submit">{locale.publish_edition(&edition.name)}</button>
                <p class="hint">{w.publish_edition_hint}</p>
            </form>
        }
    });
    let add_stage = edition.whole_edition.then(|| {
        view! {
            <p><a class="button" href=paths::workspace_new_stage(&edition.slug)>{locale.stage_form().add_stage}</a></p>
        }
    });
    let table = (!edition.stages.is_empty()).then(|| {
        view! {
            <table class="stage-table">
                <thead>
                    <tr>
                        <th scope="col">{w.city}</th>
                        <th scope="col">{w.date}</th>
                        <th scope="col">{w.status}</th>
                        <th scope="col">{w.registrations}</th>
                        <th scope="col">{w.actions}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
    });
    let section_labelled_by = heading_id.clone();
    view! {
        <section class="edition-desk" aria-labelledby=section_labelled_by>
            <h3 id=heading_id>{edition.name.clone()}</h3>
            <p>
                <span class=format!("badge badge-{}", edition.status.as_str())>
                    {locale.edition_status(edition.status)}
                </span>
                " · " {locale.date_range(edition.starts_on, edition.ends_on)}
                " · " {if edition.whole_edition { w.whole_edition } else { w.your_stages }}
            </p>
            {team}
            {publish}
            {empty}
            {add_stage}
            {table}
        </section>
    }
}

fn stage_row(locale: Locale, edition: &str, stage: &StageLine) -> impl IntoView {
    let publish = stage.status.publishable().then(|| {
        view! {
            <form method="post" action=paths::workspace_publish_stage(edition, &stage.slug)>
                <button type="submit" class="secondary">{locale.publish_stage(&stage.city)}</button>
            </form>
        }
    });
    view! {
        <tr data-stage=stage.slug.clone()>
            <th scope="row"><a href=paths::workspace_stage(edition, &stage.slug)>{stage.city.clone()}</a></th>
            <td>{locale.long_date(stage.starts.date())} ", " {locale.time(stage.starts)}</td>
            <td>
                <span class=format!("badge badge-{}", stage.status.as_str())>
                    {locale.stage_status(stage.status)}
                </span>
            </td>
            <td class="counts">{locale.seat_counts(stage.confirmed, stage.capacity, stage.waiting, stage.held)}</td>
            <td>{publish}</td>
        </tr>
    }
}
