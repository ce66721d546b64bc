//! Registering for a stage, seeing one's registration and ticket, cancelling, and "lost my
//! link". One code path for the page's form without JavaScript and the JSON API (which the
//! hydrated form calls): everything goes through `Desk`.

use crate::api::views::{FeedLinks, StageCalendar};
use crate::domain::entry::EntryRefused;
use crate::domain::registration::{Availability, RegistrationStatus};
use crate::error::AppError;
use chrono::NaiveDateTime;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub use desk::{ClientAddress, Desk};

/// What registering did, as the form and the API report it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationReceipt {
    /// The new registration's id and where it stands; `None` when the address was already
    /// registered, as whoever typed it may not own it: nothing about that registration is said.
    pub id: Option<String>,
    pub status: Option<RegistrationStatus>,
    /// The address was already registered: nothing was created, and the private links went to
    /// that address again rather than to whoever typed it.
    pub already_registered: bool,
    /// Private links, given only to the person who just registered.
    pub manage_url: Option<String>,
    pub ticket_url: Option<String>,
    /// On a stage that asks to confirm the address: until when the new registration's seat or
    /// place is only held (`domain::address_check`).
    pub confirm_by: Option<chrono::DateTime<chrono::Utc>>,
}

/// A registration as its "my registration" page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationView {
    pub status: RegistrationStatus,
    pub attendee_name: String,
    pub organisation: Option<String>,
    pub place: PlaceView,
    /// 1 when next in line; only while waiting.
    pub waiting_position: Option<u32>,
    /// Only while confirmed.
    pub ticket_path: Option<String>,
    /// The ticket's short code (`K7QM-4XPD`), only while confirmed.
    pub short_code: Option<String>,
    /// The seat came from the waiting list: the page says so plainly.
    pub promoted: bool,
    /// While the address is unconfirmed, on a stage that asks: until when (local time) the
    /// seat or place is held.
    pub held_until: Option<NaiveDateTime>,
    /// Cancelled because the address was not confirmed in time.
    pub released: bool,
    /// Once cancelled: where the stage stands for registering again, if it takes registrations.
    pub register_again: Option<Availability>,
    /// The private calendar feed of every registration of this address.
    pub attendee_feed: FeedLinks,
}

/// The ticket page: who, where, when, and the QR code while the ticket is valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketView {
    pub status: RegistrationStatus,
    pub attendee_name: String,
    pub place: PlaceView,
    /// Why the ticket does not let its holder in; `None` while it does.
    pub refused: Option<EntryRefused>,
    /// `/tickets/{token}/qr` — add `.svg` or `.png`; only while the ticket is valid.
    pub qr_path: Option<String>,
    /// The ticket's short code (`K7QM-4XPD`), for typing at the door; only while valid.
    pub short_code: Option<String>,
    /// `/tickets/{token}/ticket.png`: the whole ticket as one image; only while valid.
    pub card_path: Option<String>,
    pub calendar: StageCalendar,
}

/// The page behind the emailed link that confirms a registration's address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressCheckView {
    pub attendee_name: String,
    pub place: PlaceView,
    pub state: AddressCheckState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AddressCheckState {
    /// Not confirmed yet: the button confirms it, until `until` (local time); `waiting` when
    /// what is held is a place on the waiting list.
    Awaiting { until: NaiveDateTime, waiting: bool },
    /// Confirmed: "my registration" is at `registration_path`.
    Confirmed { registration_path: String },
    /// The hold ran out: the seat was given back.
    TooLate,
}

/// The stage a registration is for. Times are the stage's local times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceView {
    pub edition_name: String,
    pub edition_slug: String,
    pub stage_slug: String,
    pub city: String,
    pub venue_name: String,
    pub venue_address: String,
    pub starts: NaiveDateTime,
    pub ends: NaiveDateTime,
    pub time_zone: String,
    pub stage_cancelled: bool,
}

impl PlaceView {
    pub fn stage_path(&self) -> String {
        crate::paths::stage(&self.edition_slug, &self.stage_slug)
    }
}

#[server(endpoint = "my_registration")]
pub async fn get_registration(token: String) -> Result<RegistrationView, AppError> {
    super::answered(async move { Desk::from_context()?.registration(&token).await }.await)
}

#[server(endpoint = "address_check")]
pub async fn get_address_check(token: String) -> Result<AddressCheckView, AppError> {
    super::answered(
        async move {
            Desk::from_context()?
                .address_check(&token, chrono::Utc::now())
                .await
        }
        .await,
    )
}

#[server(endpoint = "ticket")]
pub async fn get_ticket(token: String) -> Result<TicketView, AppError> {
    super::answered(async move { Desk::from_context()?.ticket(&token).await }.await)
}

#[cfg(feature = "ssr")]
mod desk;
