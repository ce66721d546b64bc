//! `/tickets/{token}`: the ticket to show at the door. Forwardable: it cannot cancel. It is made
//! to be kept: an image of the whole ticket to save, a print layout that leaves the site out,
//! and a copy on the device for a door with no network (`public/ticket.js`, README "Tickets
//! offline").

use super::place_facts;
use super::registration::with_private_link;
use crate::api::registration::{get_ticket, TicketView};
use crate::components::calendar::StageCalendarLinks;
use crate::domain::entry::EntryRefused;
use crate::i18n::{use_locale, Locale};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// The page's own script: offline copy and printing, no island.
const TICKET_SCRIPT: &str = "/ticket.js";

#[component]
pub fn TicketPage() -> impl IntoView {
    view! {
        <Meta name="robots" content="noindex"/>
        {with_private_link(get_ticket, |ticket, _token| view! { <TicketContent ticket/> })}
    }
}

#[component]
fn TicketContent(ticket: TicketView) -> impl IntoView {
    let locale = use_locale();
    let m = locale.messages();
    let place = ticket.place.clone();
    let notice = ticket.refused.map(|refused| match refused {
        EntryRefused::Waitlisted => m.ticket_waiting,
        EntryRefused::AwaitingConfirmation => locale.address_check().ticket_held,
        EntryRefused::RegistrationCancelled
        | EntryRefused::StageCancelled
        | EntryRefused::StageNotPublished => m.ticket_cancelled,
    });
    // "billet-lyon.png": recognisable among the photos and downloads it joins.
    let file_name = format!("{}-{}.png", m.ticket.to_lowercase(), place.stage_slug);
    view! {
        <Title text=format!("{} — {} — Étape", m.ticket, place.city)/>
        <header class="page-header">
            <p>{place.edition_name.clone()}</p>
            <h1>{m.ticket} " — " {place.city.clone()}</h1>
        </header>
        {notice.map(|text| view! { <p class="notice ticket-invalid" role="status">{text}</p> })}
        <article class="ticket">
            {ticket.qr_path.clone().map(|qr| view! {
                <figure class="ticket-qr">
                    // 8 px per module plus the quiet zone: scans from a phone screen at arm's length.
                    <img src=format!("{qr}.svg") width="296" height="296" alt=m.ticket_qr_alt/>
                    <figcaption>{m.ticket_show_at_door}</figcaption>
                </figure>
            })}
            {ticket.short_code.clone().map(|code| short_code(locale, code))}
            {place_facts(locale, &place, Some(&ticket.attendee_name))}
        </article>
        {ticket.card_path.clone().map(|card| view! {
            <section class="ticket-keep" aria-labelledby="keep-heading">
                <h2 id="keep-heading">{m.keep_ticket_heading}</h2>
                <ul class="inline-list keep-list">
                    <li><a class="button" href=card download=file_name>{m.save_ticket_image}</a></li>
                    // Shown by the page's script; without it, the hint below says how.
                    <li><button type="button" class="secondary" data-print="" hidden>{m.print_ticket}</button></li>
                </ul>
                <p class="muted">{m.print_ticket_hint}</p>
                <p class="muted" data-offline="" hidden>
                    {m.ticket_kept_offline} " "
                    <button type="button" class="link-button" data-forget="">{m.forget_ticket}</button>
                </p>
                <p class="notice-done" role="status" tabindex="-1" data-forgotten="" hidden>{m.ticket_forgotten}</p>
            </section>
        })}
        // A ticket that lets nobody in puts nothing in a calendar.
        {ticket.refused.is_none().then(|| view! { <StageCalendarLinks calendar=ticket.calendar.clone()/> })}
        <script src=TICKET_SCRIPT defer=""></script>
    }
}

/// The short code under the QR code: what door staff type when the QR code will not scan.
pub(crate) fn short_code(locale: Locale, code: String) -> impl IntoView {
    let m = locale.messages();
    view! {
        <p class="ticket-code">
            <span class="ticket-code-label">{m.ticket_short_code}</span>
            " "
            <strong class="ticket-code-value">{code}</strong>
        </p>
        <p class="muted ticket-code-hint">{m.ticket_short_code_hint}</p>
    }
}
