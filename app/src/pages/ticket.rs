//! `/tickets/{token}`: the ticket to show at the door. Forwardable: it cannot cancel.

use super::place_facts;
use super::registration::LinkNotValid;
use crate::api::registration::{get_ticket, TicketView};
use crate::components::calendar::StageCalendarLinks;
use crate::components::error_notice::ErrorNotice;
use crate::domain::entry::EntryRefused;
use crate::i18n::use_locale;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

#[component]
pub fn TicketPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let ticket = Resource::new(
        move || params.read().get("token").unwrap_or_default(),
        get_ticket,
    );
    view! {
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=move || view! { <p>{locale.messages().loading}</p> }>
            {move || Suspend::new(async move {
                match ticket.await {
                    Ok(view) => view! { <TicketContent ticket=view/> }.into_any(),
                    Err(crate::error::AppError::NotFound) => view! { <LinkNotValid/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TicketContent(ticket: TicketView) -> impl IntoView {
    let locale = use_locale();
    let m = locale.messages();
    let place = ticket.place.clone();
    let notice = ticket.refused.map(|refused| match refused {
        EntryRefused::Waitlisted => m.ticket_waiting,
        EntryRefused::RegistrationCancelled
        | EntryRefused::StageCancelled
        | EntryRefused::StageNotPublished => m.ticket_cancelled,
    });
    view! {
        <Title text=format!("{} — {} — Étape", m.ticket, place.city)/>
        <header class="page-header">
            <p>{place.edition_name.clone()}</p>
            <h1>{m.ticket} " — " {place.city.clone()}</h1>
        </header>
        {notice.map(|text| view! { <p class="notice ticket-invalid" role="status">{text}</p> })}
        {ticket.qr_path.clone().map(|qr| view! {
            <figure class="ticket-qr">
                // 8 px per module plus the quiet zone: scans from a phone screen at arm's length.
                <img src=format!("{qr}.svg") width="296" height="296" alt=m.ticket_qr_alt/>
                <figcaption>{m.ticket_show_at_door}</figcaption>
            </figure>
            <ul class="inline-list">
                <li><a href=format!("{qr}.png") download="ticket.png">{m.download_qr_png}</a></li>
                <li><a href=format!("{qr}.svg") download="ticket.svg">{m.download_qr_svg}</a></li>
            </ul>
        })}
        {place_facts(locale, &place, Some(&ticket.attendee_name))}
        // A ticket that lets nobody in puts nothing in a calendar.
        {ticket.refused.is_none().then(|| view! { <StageCalendarLinks calendar=ticket.calendar.clone()/> })}
    }
}
