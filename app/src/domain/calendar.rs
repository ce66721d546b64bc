//! One-click "add to my calendar" links for a single stage.

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
}
