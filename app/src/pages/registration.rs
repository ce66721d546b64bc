//! `/registrations/{token}`: "my registration", the attendee's private page: status, ticket,
//! cancelling. Served with `Cache-Control: private, no-store` and no referrer (server side).

use super::place_facts;
use crate::api::registration::{get_registration, RegistrationView};
use crate::components::calendar::FeedLinksList;
use crate::components::error_notice::ErrorNotice;
use crate::domain::registration::RegistrationStatus;
use crate::error::AppError;
use crate::i18n::use_locale;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{de::DeserializeOwned, Serialize};

#[component]
pub fn MyRegistrationPage() -> impl IntoView {
    view! {
        <Meta name="robots" content="noindex"/>
        {with_private_link(get_registration, |registration, token| view! { <RegistrationContent registration token/> })}
    }
}

/// A page behind a private link: what `fetch` finds for the link's token, shown by `render`
/// (with the token). An unknown or mistyped link says so, with a 404 and the way to get the
/// links again; any other failure says what went wrong.
pub(crate) fn with_private_link<T, Fut, V>(
    fetch: impl Fn(String) -> Fut + Send + Sync + 'static,
    render: impl Fn(T, String) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
    V: IntoView + 'static,
{
    let locale = use_locale();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let found = Resource::new(token, fetch);
    view! {
        <Suspense fallback=move || view! { <p>{locale.messages().loading}</p> }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match found.await {
                        Ok(view) => render(view, token()).into_any(),
                        Err(AppError::NotFound) => view! { <LinkNotValid/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn RegistrationContent(registration: RegistrationView, token: String) -> impl IntoView {
    let locale = use_locale();
    let m = locale.messages();
    let query = use_query_map();
    let just_cancelled = query.read_untracked().get("cancelled").is_some();
    let feed_just_reset = query.read_untracked().get("feed_reset").is_some();
    let address_just_confirmed = query.read_untracked().get("address_confirmed").is_some();
    let a = locale.address_check();
    let place = registration.place.clone();
    let status_class = format!("badge badge-{}", registration.status.as_str());
    let cancelled = registration.status == RegistrationStatus::Cancelled;
    let short_code = registration.short_code.clone();
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
                {registration.waiting_position.map(|n| view! { " · " <span class="waiting-position">{locale.waiting_position(n)}</span> })}
            </p>
        </header>
        {registration.promoted.then(|| view! {
            <p class="notice-good" role="status">{m.promoted_notice}</p>
        })}
        {address_just_confirmed.then(|| view! {
            <p class="notice-good" role="status">{a.confirmed}</p>
        })}
        {registration.held_until.map(|until| {
            let waiting = registration.status == RegistrationStatus::Waitlisted;
            view! { <p class="notice consequence" role="status">{locale.held_until(waiting, until, &place.time_zone)}</p> }
        })}
        {cancelled.then(|| {
            let again = registration.register_again.clone().map(|availability| {
                let label = if availability.joins_waiting_list() { m.submit_join_waiting_list } else { m.register_again };
                let href = format!("{}#register", place.stage_path());
                view! { <p><a class="button" href=href>{label}</a></p> }
            });
            view! {
                <div class="notice-done" role="status">
                    <p>{if just_cancelled {
                        m.cancelled_done
                    } else if registration.released {
                        a.released
                    } else {
                        m.cancelled_notice
                    }}</p>
                    {again}
                </div>
            }
        })}
        <p class="muted">{m.private_page_note}</p>
        {place_facts(locale, &place, Some(&registration.attendee_name))}
        {registration.ticket_path.clone().map(|path| view! {
            <section aria-labelledby="ticket-heading">
                <h2 id="ticket-heading">{m.ticket}</h2>
                <figure class="ticket-qr">
                    <img src=format!("{path}/qr.svg") width="296" height="296" alt=m.ticket_qr_alt/>
                    <figcaption>{m.ticket_show_at_door}</figcaption>
                </figure>
                {short_code.clone().map(|code| super::ticket::short_code(locale, code))}
                <p><a class="button" href=path>{m.see_my_ticket}</a></p>
            </section>
        })}
        {(!cancelled).then(|| view! {
            <section aria-labelledby="calendar-heading">
                <h2 id="calendar-heading">{m.calendar_heading}</h2>
                <p class="muted">{m.attendee_feed_hint}</p>
                {feed_just_reset.then(|| view! {
                    <p class="notice-good" role="status">{m.attendee_feed_reset_done}</p>
                })}
                <FeedLinksList feed=registration.attendee_feed.clone() subscribe_label=m.attendee_feed_subscribe/>
                <form method="post" action=format!("/registrations/{token}/feed")>
                    <p class="muted">{m.attendee_feed_reset_explain}</p>
                    <button type="submit" class="secondary">{m.attendee_feed_reset}</button>
                </form>
            </section>
            <section aria-labelledby="cancel-heading">
                <h2 id="cancel-heading">{m.cancel_heading}</h2>
                <p>{m.cancel_explain}</p>
                <p><a class="button secondary" href=format!("/registrations/{token}/cancel")>{m.cancel_button}</a></p>
            </section>
        })}
    }
}

/// `/registrations/{token}/cancel`: the second step of cancelling, which says what will happen.
/// Only its form's POST, with `confirm`, cancels.
#[component]
pub fn CancelRegistrationPage() -> impl IntoView {
    view! {
        <Meta name="robots" content="noindex"/>
        {with_private_link(get_registration, |registration, token| view! { <CancelConfirmation registration token/> })}
    }
}

#[component]
fn CancelConfirmation(registration: RegistrationView, token: String) -> impl IntoView {
    let locale = use_locale();
    let m = locale.messages();
    let place = registration.place.clone();
    let back = format!("/registrations/{token}");
    let consequence = match registration.status {
        RegistrationStatus::Confirmed => Some(m.cancel_confirm_seat),
        RegistrationStatus::Waitlisted => Some(m.cancel_confirm_waiting),
        RegistrationStatus::Cancelled => None,
    };
    view! {
        <Title text=format!("{} — {} — Étape", m.cancel_confirm_title, place.city)/>
        <header class="page-header">
            <p>{place.edition_name.clone()} " · " {place.city.clone()}</p>
            <h1>{match consequence { Some(_) => m.cancel_confirm_title, None => m.cancelled_notice }}</h1>
        </header>
        {place_facts(locale, &place, Some(&registration.attendee_name))}
        {match consequence {
            Some(consequence) => view! {
                <p class="consequence"><strong>{consequence}</strong></p>
                <form method="post" action=format!("/registrations/{token}/cancel")>
                    <input type="hidden" name="confirm" value="yes"/>
                    <button type="submit" class="danger">{m.cancel_confirm_button}</button>
                </form>
                <p><a href=back>{m.cancel_keep}</a></p>
            }.into_any(),
            None => view! { <p><a href=back>{m.see_my_registration}</a></p> }.into_any(),
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
