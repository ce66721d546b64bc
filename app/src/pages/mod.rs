//! One module per page. Views only: data comes from `api`, words from `i18n`.

pub mod confirm_address;
#[cfg(feature = "ssr")]
pub mod door;
pub mod edition;
pub mod home;
pub mod lost_link;
pub mod not_found;
pub mod privacy;
pub mod registration;
pub mod stage;
pub mod ticket;
pub mod workspace;

use crate::api::registration::PlaceView;
use crate::domain::edition::Phase;
use crate::i18n::Locale;
use leptos::prelude::*;

/// Who, where and when, for the registration and ticket pages.
pub(crate) fn place_facts(
    locale: Locale,
    place: &PlaceView,
    attendee: Option<&str>,
) -> impl IntoView {
    let m = locale.messages();
    view! {
        <dl class="facts">
            {attendee.map(|name| view! { <dt>{m.attendee}</dt><dd class="attendee-name">{name.to_owned()}</dd> })}
            <dt>{m.city}</dt>
            <dd><a href=place.stage_path()>{place.city.clone()}</a> " — " {place.edition_name.clone()}</dd>
            <dt>{m.date}</dt>
            <dd>
                <time datetime=place.starts.format("%Y-%m-%dT%H:%M").to_string()>{locale.long_date(place.starts.date())}</time>
                ", " {locale.time(place.starts)} " – " {locale.time(place.ends)}
                <br/><small class="muted">{locale.times_in_zone(&place.time_zone)}</small>
            </dd>
            <dt>{m.venue}</dt>
            <dd>{place.venue_name.clone()}<br/>{place.venue_address.clone()}</dd>
            {place.stage_cancelled.then(|| view! { <dd class="badge badge-cancelled">{m.stage_cancelled_notice}</dd> })}
        </dl>
    }
}

pub(crate) fn phase_label(locale: Locale, phase: Phase) -> &'static str {
    let messages = locale.messages();
    match phase {
        Phase::Upcoming => messages.phase_upcoming,
        Phase::Running => messages.phase_running,
        Phase::Past => messages.phase_past,
    }
}

pub(crate) fn phase_class(phase: Phase) -> &'static str {
    match phase {
        Phase::Upcoming => "phase phase-upcoming",
        Phase::Running => "phase phase-running",
        Phase::Past => "phase phase-past",
    }
}
