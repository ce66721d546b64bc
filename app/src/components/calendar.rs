//! Links that put stages in a calendar app: subscribe (`webcal://`), download the `.ics` file,
//! or add one stage to Google Calendar or Outlook.

use crate::api::views::{FeedLinks, StageCalendar};
use crate::i18n::use_locale;
use leptos::prelude::*;

/// Subscribe to and download one feed, whichever the phone: `webcal://` for the apps that take
/// it (iPhone, Mac, Outlook), Google Calendar's subscription for Android, and the `https`
/// address to paste elsewhere.
#[component]
pub fn FeedLinksList(feed: FeedLinks, #[prop(into)] subscribe_label: String) -> impl IntoView {
    let m = use_locale().messages();
    view! {
        <ul class="inline-list calendar-links">
            <li><a href=feed.subscribe class="feed-subscribe">{subscribe_label}</a></li>
            <li><a href=feed.google_subscribe class="feed-google" rel="noopener" target="_blank">{m.calendar_subscribe_google}</a></li>
            <li><a href=feed.download class="feed-download" download="">{m.calendar_download}</a></li>
        </ul>
        <FeedAddress address=feed.address/>
    }
}

/// The feed's `https` address, ready to select and copy.
#[component]
fn FeedAddress(address: String) -> impl IntoView {
    let m = use_locale().messages();
    view! {
        <details class="feed-address">
            <summary>{m.calendar_other_app}</summary>
            <input type="text" readonly value=address aria-label=m.calendar_other_app/>
        </details>
    }
}

/// Everything that puts one stage in a calendar, in one place: add the one event (Google,
/// Outlook, or a file any calendar opens), or subscribe to the stage so that a change of time
/// or place follows.
#[component]
pub fn StageCalendarLinks(calendar: StageCalendar) -> impl IntoView {
    let m = use_locale().messages();
    view! {
        <section class="calendar" aria-labelledby="calendar-heading">
            <h2 id="calendar-heading">{m.calendar_heading}</h2>
            <ul class="inline-list calendar-links">
                <li><a href=calendar.google rel="noopener" target="_blank">{m.add_to_google_calendar}</a></li>
                <li><a href=calendar.outlook rel="noopener" target="_blank">{m.add_to_outlook}</a></li>
                <li><a href=calendar.feed.download class="feed-download" download="">{m.calendar_download}</a></li>
                <li><a href=calendar.feed.subscribe class="feed-subscribe">{m.calendar_subscribe}</a></li>
                <li><a href=calendar.feed.google_subscribe class="feed-google" rel="noopener" target="_blank">{m.calendar_subscribe_google}</a></li>
            </ul>
            <FeedAddress address=calendar.feed.address/>
        </section>
    }
}
