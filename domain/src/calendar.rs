//! One-click "add to my calendar" links for a single stage, and where the calendar feeds live.

use super::stage::percent_encode;
use chrono::{DateTime, Utc};

/// An event as calendar links describe it. Times are instants: the links carry them in UTC,
/// so every client shows them at the right local hour.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarEvent<'a> {
    pub title: &'a str,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub details: &'a str,
    pub location: &'a str,
}

/// Google Calendar's event template link.
pub fn google_calendar_url(event: &CalendarEvent<'_>) -> String {
    let format = "%Y%m%dT%H%M%SZ";
    format!(
        "https://calendar.google.com/calendar/render?action=TEMPLATE&text={}&dates={}/{}&details={}&location={}",
        percent_encode(event.title),
        event.starts_at.format(format),
        event.ends_at.format(format),
        percent_encode(event.details),
        percent_encode(event.location),
    )
}

/// Outlook's (outlook.com and Microsoft 365) event composer link.
pub fn outlook_calendar_url(event: &CalendarEvent<'_>) -> String {
    let format = "%Y-%m-%dT%H:%M:%SZ";
    format!(
        "https://outlook.live.com/calendar/0/deeplink/compose?path=%2Fcalendar%2Faction%2Fcompose&rru=addevent&subject={}&startdt={}&enddt={}&body={}&location={}",
        percent_encode(event.title),
        percent_encode(&event.starts_at.format(format).to_string()),
        percent_encode(&event.ends_at.format(format).to_string()),
        percent_encode(event.details),
        percent_encode(event.location),
    )
}

/// The feed of every public stage of an edition.
pub fn edition_feed_path(edition: &str) -> String {
    format!("/feeds/{edition}.ics")
}

/// The feed of an edition's stages in one city.
pub fn city_feed_path(edition: &str, city: &str) -> String {
    format!("/feeds/{edition}/{city}.ics")
}

/// The feed of one stage and its programme.
pub fn stage_feed_path(edition: &str, stage: &str) -> String {
    format!("/feeds/{edition}/stages/{stage}.ics")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_google_link_carries_utc_times_and_encoded_text() {
        let event = CalendarEvent {
            title: "Social Good Week — Lyon",
            starts_at: Utc.with_ymd_and_hms(2026, 12, 3, 17, 30, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2026, 12, 3, 20, 30, 0).unwrap(),
            details: "Numérique & solidarité",
            location: "La Cordée, Lyon",
        };
        let url = google_calendar_url(&event);
        assert!(
            url.contains("&dates=20261203T173000Z/20261203T203000Z&"),
            "{url}"
        );
        assert!(
            url.contains("text=Social%20Good%20Week%20%E2%80%94%20Lyon&"),
            "{url}"
        );
        assert!(
            url.contains("details=Num%C3%A9rique%20%26%20solidarit%C3%A9&"),
            "{url}"
        );
    }

    #[test]
    fn an_outlook_link_carries_utc_times_and_encoded_text() {
        let event = CalendarEvent {
            title: "Lyon & co",
            starts_at: Utc.with_ymd_and_hms(2026, 12, 3, 17, 30, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2026, 12, 3, 20, 30, 0).unwrap(),
            details: "d",
            location: "l",
        };
        let url = outlook_calendar_url(&event);
        assert!(url.starts_with("https://outlook.live.com/calendar/0/deeplink/compose?"));
        assert!(url.contains("&startdt=2026-12-03T17%3A30%3A00Z&"), "{url}");
        assert!(url.contains("&enddt=2026-12-03T20%3A30%3A00Z&"), "{url}");
        assert!(url.contains("&subject=Lyon%20%26%20co&"), "{url}");
    }

    #[test]
    fn feed_paths_are_the_published_contract() {
        assert_eq!(edition_feed_path("sgw"), "/feeds/sgw.ics");
        assert_eq!(city_feed_path("sgw", "lyon"), "/feeds/sgw/lyon.ics");
        assert_eq!(stage_feed_path("sgw", "lyon"), "/feeds/sgw/stages/lyon.ics");
    }
}
