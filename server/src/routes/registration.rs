//! The registration forms without JavaScript, cancelling, "lost my link", and ticket QR
//! images. Thin: translate the request, call the registration desk, answer.

use crate::state::AppState;
use app::api::registration::{ClientAddress, Desk};
use app::components::registration_form::RegistrationAttempt;
use app::domain::registration::RegistrationForm;
use app::i18n::RequestLocale;
use app::pages::lost_link::LostLinkAttempt;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use leptos::prelude::provide_context;
use serde::Deserialize;

/// The form as browsers send it: a checkbox is absent when not ticked.
#[derive(Debug, Deserialize)]
pub struct PostedRegistration {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    organisation: Option<String>,
    consent: Option<String>,
}

pub(crate) fn desk(state: &AppState, client: Option<Extension<ClientAddress>>) -> Desk {
    state.desk(client.map(|Extension(address)| address.0))
}

/// `POST /{edition}/{stage}/register`: success goes to "my registration"; anything else
/// shows the stage page again with the outcome and the form as it was typed.
pub async fn register(
    State(state): State<AppState>,
    Path((edition, stage)): Path<(String, String)>,
    client: Option<Extension<ClientAddress>>,
    RequestLocale(locale): RequestLocale,
    headers: HeaderMap,
    Form(posted): Form<PostedRegistration>,
) -> Response {
    let form = RegistrationForm {
        name: posted.name,
        email: posted.email,
        organisation: posted.organisation,
        consent: posted.consent.is_some(),
    };
    let outcome = desk(&state, client)
        .register(&edition, &stage, &form, locale, chrono::Utc::now())
        .await;
    if let Ok(receipt) = &outcome {
        // A new registration goes to its page; an address already registered does not get
        // its link here (it goes by email).
        if let (Some(_), Some(id)) = (&receipt.manage_url, &receipt.id) {
            return Redirect::to(&state.links.manage_path(id)).into_response();
        }
    }
    let status = match &outcome {
        Ok(_) => StatusCode::OK,
        Err(error) => error.status(),
    };
    let attempt = RegistrationAttempt { form, outcome };
    state
        .pages
        .render(
            &app::paths::stage(&edition, &stage),
            &headers,
            status,
            move || provide_context(attempt.clone()),
        )
        .await
}

/// The cancel step's form: `confirm` is there only when the person confirmed on that page.
#[derive(Debug, Deserialize)]
pub struct PostedCancel {
    confirm: Option<String>,
}

/// `POST /registrations/{token}/cancel`: with `confirm`, cancels and says so on "my
/// registration"; without it (an old form, a stray tap), changes nothing and shows the step
/// that asks.
pub async fn cancel(
    State(state): State<AppState>,
    Path(token): Path<String>,
    client: Option<Extension<ClientAddress>>,
    headers: HeaderMap,
    posted: Result<Form<PostedCancel>, FormRejection>,
) -> Response {
    let confirmed = posted.is_ok_and(|Form(posted)| posted.confirm.as_deref() == Some("yes"));
    if !confirmed {
        return Redirect::to(&format!("/registrations/{token}/cancel")).into_response();
    }
    match desk(&state, client)
        .cancel(&token, chrono::Utc::now())
        .await
    {
        Ok(()) => Redirect::to(&format!("/registrations/{token}?cancelled")).into_response(),
        Err(error) => {
            let status = error.status();
            state
                .pages
                .render(&format!("/registrations/{token}"), &headers, status, || {})
                .await
        }
    }
}

/// `POST /registrations/{token}/feed`: gives the person's attendee feed a new address (the
/// old one stops working) and shows it on "my registration".
pub async fn reset_feed(
    State(state): State<AppState>,
    Path(token): Path<String>,
    client: Option<Extension<ClientAddress>>,
    headers: HeaderMap,
) -> Response {
    match desk(&state, client).reset_feed(&token).await {
        Ok(()) => Redirect::to(&format!(
            "/registrations/{token}?feed_reset#calendar-heading"
        ))
        .into_response(),
        Err(error) => {
            let status = error.status();
            state
                .pages
                .render(&format!("/registrations/{token}"), &headers, status, || {})
                .await
        }
    }
}

/// `POST /confirm/{token}`: the confirmation page's button. Confirmed, it goes to "my
/// registration", which says so; too late, back to the page, which says why.
pub async fn confirm_address(
    State(state): State<AppState>,
    Path(token): Path<String>,
    client: Option<Extension<ClientAddress>>,
    headers: HeaderMap,
) -> Response {
    match desk(&state, client)
        .confirm_address(&token, chrono::Utc::now())
        .await
    {
        Ok(next) => Redirect::to(&next).into_response(),
        Err(error) => {
            let status = error.status();
            state
                .pages
                .render(
                    &app::paths::confirm_address(&token),
                    &headers,
                    status,
                    || {},
                )
                .await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct PostedLostLink {
    #[serde(default)]
    email: String,
}

/// `POST /lost-link`: sends the links and says so, whether or not the address is known.
pub async fn lost_link(
    State(state): State<AppState>,
    client: Option<Extension<ClientAddress>>,
    RequestLocale(locale): RequestLocale,
    headers: HeaderMap,
    Form(posted): Form<PostedLostLink>,
) -> Response {
    let outcome = desk(&state, client)
        .send_links(&posted.email, locale, chrono::Utc::now())
        .await;
    let status = match &outcome {
        Ok(()) => StatusCode::OK,
        Err(error) => error.status(),
    };
    let attempt = LostLinkAttempt {
        email: posted.email,
        outcome,
    };
    state
        .pages
        .render("/lost-link", &headers, status, move || {
            provide_context(attempt.clone())
        })
        .await
}

/// `GET /tickets/{token}/qr.svg` and `qr.png`: the ticket's QR code while it is valid;
/// `ticket.png`: the whole ticket as one image, in the reader's language.
pub async fn ticket_file(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    Path((token, file)): Path<(String, String)>,
) -> Response {
    let desk = desk(&state, None);
    let image = match file.as_str() {
        "qr.svg" => desk.ticket_code(&token).await.map(|code| {
            crate::qr::svg(&code, 296, "Étape")
                .map(|svg| ("image/svg+xml", svg.into_bytes()))
                .map_err(|error| error.to_string())
        }),
        "qr.png" => desk.ticket_code(&token).await.map(|code| {
            crate::qr::png(&code, 8)
                .map(|png| ("image/png", png))
                .map_err(|error| error.to_string())
        }),
        "ticket.png" => desk
            .valid_ticket(&token)
            .await
            .map(|(code, ticket)| ticket_card(locale, &code, &ticket)),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let (content_type, body) = match image {
        Ok(Ok(image)) => image,
        Ok(Err(error)) => {
            tracing::error!(%error, "could not draw a ticket image");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
        Err(error) => return error.status().into_response(),
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

/// The ticket image: its QR code, short code, edition, holder, time and place.
fn ticket_card(
    locale: app::i18n::Locale,
    code: &str,
    ticket: &app::api::registration::TicketView,
) -> Result<(&'static str, Vec<u8>), String> {
    let place = &ticket.place;
    let m = locale.messages();
    let heading = format!("{} — {}", place.edition_name, place.city);
    let when = locale.stage_when(place.starts, place.ends, &place.time_zone);
    let venue = format!("{}, {}", place.venue_name, place.venue_address);
    let text = crate::ticket_card::CardText {
        heading: &heading,
        name: &ticket.attendee_name,
        when: &when,
        venue: &venue,
        short_code: ticket.short_code.as_deref().unwrap_or_default(),
        short_code_label: if ticket.short_code.is_some() {
            m.ticket_short_code
        } else {
            ""
        },
    };
    crate::ticket_card::ticket_png(code, &text)
        .map(|png| ("image/png", png))
        .map_err(|error| error.to_string())
}
