//! `/confirm/{token}`: the emailed link that confirms a registration's address, on a stage
//! that asks for it. Opening it changes nothing (mail scanners open links too); its button
//! posts, and "my registration" then says it is done.

use super::place_facts;
use super::registration::with_private_link;
use crate::api::registration::{get_address_check, AddressCheckState, AddressCheckView};
use crate::i18n::use_locale;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn ConfirmAddressPage() -> impl IntoView {
    view! {
        <Meta name="robots" content="noindex"/>
        {with_private_link(get_address_check, |check, token| view! { <AddressCheck check token/> })}
    }
}

#[component]
fn AddressCheck(check: AddressCheckView, token: String) -> impl IntoView {
    let locale = use_locale();
    let a = locale.address_check();
    let place = check.place.clone();
    let stage_path = format!("{}#register", place.stage_path());
    view! {
        <Title text=format!("{} — {} — Étape", a.title, place.city)/>
        <header class="page-header">
            <p>{place.edition_name.clone()} " · " {place.city.clone()}</p>
            <h1>{a.title}</h1>
        </header>
        {place_facts(locale, &place, Some(&check.attendee_name))}
        {match check.state {
            AddressCheckState::Awaiting { until, waiting } => view! {
                <p>{a.intro}</p>
                <p class="consequence">{locale.held_until_on_confirming(waiting, until, &place.time_zone)}</p>
                <form method="post" action=crate::paths::confirm_address(&token)>
                    <button type="submit">{a.button}</button>
                </form>
            }.into_any(),
            AddressCheckState::Confirmed { registration_path } => view! {
                <p class="notice-good" role="status">{a.already_confirmed}</p>
                <p><a class="button" href=registration_path>{a.see_registration}</a></p>
            }.into_any(),
            AddressCheckState::TooLate => view! {
                <div class="notice-done" role="status">
                    <p>{a.too_late}</p>
                    <p><a class="button" href=stage_path>{locale.messages().register_again}</a></p>
                </div>
            }.into_any(),
        }}
    }
}
