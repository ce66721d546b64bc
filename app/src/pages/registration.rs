//! `/registrations/{token}`: "my registration", the attendee's private page: status, ticket,
//! cancelling. Served with `Cache-Control: private, no-store` and no referrer (server side).

use super::place_facts;
use crate::api::registration::{get_registration, RegistrationView};
use crate::components::calendar::FeedLinksList;
use crate::components::error_notice::ErrorNotice;
use crate::domain::registration::RegistrationStatus;
use crate::i18n::use_locale;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

#[component]
pub fn MyRegistrationPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let registration = Resource::new(token, get_registration);
    view! {
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=move || view! { <p>{locale.messages().loading}</p> }>
            {move || Suspend::new(async move {
                match registration.await {
                    Ok(view) => view! { <RegistrationContent registration=view token=token()/> }.into_any(),
                    Err(crate::error::AppError::NotFound) => view! { <LinkNotValid/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RegistrationContent(registration: RegistrationView, token: String) -> impl IntoView {
    let locale = use_locale();
    let m = locale.messages();
    let place = registration.place.clone();
    let status_class = format!("badge badge-{}", registration.status.as_str());
    view! {
        <Title text=format!("{} — {} — Étape", m.my_registration, place.city)/>
        <header class="page-header">
            <p>{place.edition_name.clone()}</p>
            <h1>{m.my_registration}</h1>
            <p>
                {locale.label(m.status)} " "
                <strong class=status_class data-status=registration.status.as_str()>
                    {locale.status(registration.status)}
                </strong>
            </p>
        </header>
        <p class="muted">{m.private_page_note}</p>
        {place_facts(locale, &place, Some(&registration.attendee_name))}
        {registration.waiting_position.map(|n| view! { <p>{locale.waiting_position(n)}</p> })}
        {registration.ticket_path.clone().map(|path| view! {
            <section aria-labelledby="ticket-heading">
                <h2 id="ticket-heading">{m.ticket}</h2>
                <p><a class="button" href=path>{m.see_my_ticket}</a></p>
            </section>
        })}
        <section aria-labelledby="calendar-heading">
            <h2 id="calendar-heading">{m.calendar_heading}</h2>
            <p class="muted">{m.attendee_feed_hint}</p>
            <FeedLinksList feed=registration.attendee_feed.clone() subscribe_label=m.attendee_feed_subscribe/>
        </section>
        {match registration.status {
            RegistrationStatus::Cancelled => view! {
                <p class="notice" role="status">{m.cancelled_notice}</p>
            }.into_any(),
            _ => view! {
                <section aria-labelledby="cancel-heading">
                    <h2 id="cancel-heading">{m.cancel_heading}</h2>
                    <p>{m.cancel_explain}</p>
                    <form method="post" action=format!("/registrations/{token}/cancel")>
                        <button type="submit" class="danger">{m.cancel_button}</button>
                    </form>
                </section>
            }.into_any(),
        }}
    }
}

/// An unknown or mistyped private link: say so, and offer to send the links again.
#[component]
pub fn LinkNotValid() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let m = use_locale().messages();
    view! {
        <Title text=format!("{} — Étape", m.not_found_title)/>
        <section class="notice">
            <h1>{m.not_found_title}</h1>
            <p>{m.link_not_valid}</p>
            <p><a href="/lost-link">{m.lost_link}</a></p>
        </section>
    }
}
