//! A feed as calendar clients want it: the calendar's own properties, one VTIMEZONE per zone
//! used, and one VEVENT per stage or programme item. Pure: the same `Feed` always gives the
//! same bytes, which is what makes the ETag and `304 Not Modified` answers right.

use super::ics::{plain_text, push_property};
use super::timezone::vtimezone;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use icalendar::{CalendarDateTime, Component, Event, EventLike, EventStatus, Property};
use std::collections::BTreeMap;

/// Who made the file (RFC 5545 §3.7.3).
const PRODUCT_ID: &str = "-//Etape//Etape calendar feeds//FR";

/// How often clients are asked to fetch the feed again, in both spellings clients read.
const REFRESH: &str = "PT1H";

/// A calendar to publish.
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    /// Shown by clients as the calendar's name.
    pub name: String,
    pub description: String,
    pub events: Vec<FeedEvent>,
}

/// Where an event stands, as a client shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Confirmed,
    /// On a waiting list: may or may not happen for this person.
    Tentative,
    /// Stays in the feed, so that clients remove it rather than keep a stale copy.
    Cancelled,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FeedEvent {
    /// Globally unique and stable: the same thing keeps the same UID forever.
    pub uid: String,
    pub summary: String,
    pub description: String,
    pub location: String,
    /// Latitude, longitude.
    pub geo: Option<(f64, f64)>,
    pub url: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: Tz,
    pub standing: Standing,
    /// Goes up each time the time or the place changes (RFC 5545 §3.8.7.4).
    pub sequence: u32,
    pub last_modified: DateTime<Utc>,
}

/// The file, with CRLF line ends and lines folded at 75 octets.
pub fn render(feed: &Feed) -> String {
    let mut calendar = vec![
        Property::new("VERSION", "2.0"),
        Property::new("PRODID", PRODUCT_ID),
        Property::new("CALSCALE", "GREGORIAN"),
        Property::new("METHOD", "PUBLISH"),
        // NAME is RFC 7986's; X-WR-CALNAME is what older clients read.
        Property::new("NAME", plain_text(&feed.name)),
        Property::new("X-WR-CALNAME", plain_text(&feed.name)),
        Property::new("REFRESH-INTERVAL", REFRESH)
            .add_parameter("VALUE", "DURATION")
            .done(),
        Property::new("X-PUBLISHED-TTL", REFRESH),
    ];
    if !feed.description.is_empty() {
        calendar.push(Property::new("X-WR-CALDESC", plain_text(&feed.description)));
    }
    // Each zone's block covers the years of its events.
    let mut zones: BTreeMap<&str, (Tz, DateTime<Utc>, DateTime<Utc>)> = BTreeMap::new();
    for event in &feed.events {
        zones
            .entry(event.time_zone.name())
            .and_modify(|(_, first, last)| {
                *first = (*first).min(event.starts_at);
                *last = (*last).max(event.ends_at);
            })
            .or_insert((event.time_zone, event.starts_at, event.ends_at));
    }
    let mut out = String::with_capacity(1024 + feed.events.len() * 1024);
    out.push_str("BEGIN:VCALENDAR\r\n");
    for property in &calendar {
        push_property(&mut out, property);
    }
    for (zone, first, last) in zones.values() {
        out.push_str(&vtimezone(*zone, *first, *last));
    }
    for event in &feed.events {
        let vevent = vevent(event);
        out.push_str("BEGIN:VEVENT\r\n");
        for property in vevent.properties().values() {
            push_property(&mut out, property);
        }
        for property in vevent.multi_properties().values().flatten() {
            push_property(&mut out, property);
        }
        out.push_str("END:VEVENT\r\n");
    }
    out.push_str("END:VCALENDAR\r\n");
    out
}

fn vevent(event: &FeedEvent) -> Event {
    let local = |instant: DateTime<Utc>| CalendarDateTime::WithTimezone {
        date_time: instant.with_timezone(&event.time_zone).naive_local(),
        tzid: event.time_zone.name().to_owned(),
    };
    let mut vevent = Event::new();
    vevent
        .uid(&event.uid)
        // The time of the last change, not of this request: the same data, the same bytes.
        .timestamp(event.last_modified)
        .last_modified(event.last_modified)
        .sequence(event.sequence)
        .starts(local(event.starts_at))
        .ends(local(event.ends_at))
        .summary(&plain_text(&event.summary))
        .description(&plain_text(&event.description))
        .location(&plain_text(&event.location))
        .url(&event.url)
        .status(match event.standing {
            Standing::Confirmed => EventStatus::Confirmed,
            Standing::Tentative => EventStatus::Tentative,
            Standing::Cancelled => EventStatus::Cancelled,
        })
        .append_property(("TRANSP", "OPAQUE"));
    if let Some((latitude, longitude)) = event.geo {
        vevent.append_property(("GEO", format!("{latitude:.6};{longitude:.6}").as_str()));
    }
    vevent.done()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn event(summary: &str) -> FeedEvent {
        FeedEvent {
            uid: "stage.sgw-2026.lyon@etape.example".into(),
            summary: summary.into(),
            description: "Numérique, solidarité; et \\ le reste\r\nLigne 2".into(),
            location: "La Cordée, 3 rue X, Lyon".into(),
            geo: Some((45.764043, 4.835659)),
            url: "https://etape.example/sgw-2026/lyon".into(),
            starts_at: Utc.with_ymd_and_hms(2026, 12, 30, 17, 30, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2026, 12, 30, 20, 30, 0).unwrap(),
            time_zone: chrono_tz::Europe::Paris,
            standing: Standing::Cancelled,
            sequence: 2,
            last_modified: Utc.with_ymd_and_hms(2026, 11, 29, 10, 0, 0).unwrap(),
        }
    }

    fn feed() -> Feed {
        Feed {
            name: "Social Good Week 2026, Lyon".into(),
            description: "Thème".into(),
            events: vec![event("Lyon — Social Good Week")],
        }
    }

    #[test]
    fn the_calendar_says_what_clients_need() {
        let ics = render(&feed());
        for line in [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Etape//Etape calendar feeds//FR",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "NAME:Social Good Week 2026\\, Lyon",
            "X-WR-CALNAME:Social Good Week 2026\\, Lyon",
            "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
            "X-PUBLISHED-TTL:PT1H",
            "TZID:Europe/Paris",
            "UID:stage.sgw-2026.lyon@etape.example",
            "DTSTAMP:20261129T100000Z",
            "LAST-MODIFIED:20261129T100000Z",
            "SEQUENCE:2",
            "DTSTART;TZID=Europe/Paris:20261230T183000",
            "DTEND;TZID=Europe/Paris:20261230T213000",
            "STATUS:CANCELLED",
            "GEO:45.764043;4.835659",
            "URL:https://etape.example/sgw-2026/lyon",
            "LOCATION:La Cordée\\, 3 rue X\\, Lyon",
            "END:VCALENDAR",
        ] {
            assert!(
                ics.split("\r\n").any(|l| l == line),
                "missing {line:?} in\n{ics}"
            );
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded
            .contains("DESCRIPTION:Numérique\\, solidarité\\; et \\\\ le reste\\nLigne 2\r\n"));
        // Zones come before the events, and no component but events has a UID.
        let vtimezone = ics.find("BEGIN:VTIMEZONE").unwrap();
        assert!(vtimezone < ics.find("BEGIN:VEVENT").unwrap());
        assert_eq!(ics.matches("UID:").count(), 1);
        assert_eq!(ics.matches("DTSTAMP:").count(), 1);
    }

    #[test]
    fn the_same_feed_gives_the_same_bytes() {
        assert_eq!(render(&feed()), render(&feed()));
    }

    #[test]
    fn every_line_ends_with_crlf_and_fits_75_octets() {
        let mut long = feed();
        long.events[0].summary = "Économie sociale et solidaire à Saint-Étienne — ".repeat(5);
        let ics = render(&long);
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains(['\r', '\n']));
        assert!(ics.split_terminator("\r\n").all(|line| line.len() <= 75));
    }

    #[test]
    fn one_block_per_zone_however_many_events() {
        let mut two = feed();
        let mut other = event("Montréal");
        other.uid = "stage.sgw-2026.montreal@etape.example".into();
        other.time_zone = chrono_tz::America::Montreal;
        two.events.push(event("Lyon again"));
        two.events.push(other);
        let ics = render(&two);
        assert_eq!(ics.matches("BEGIN:VTIMEZONE").count(), 2);
        assert!(ics.contains("TZID:America/Montreal\r\n"));
    }

    #[test]
    fn an_empty_feed_is_still_a_calendar() {
        let ics = render(&Feed {
            name: "Rien".into(),
            description: String::new(),
            events: vec![],
        });
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.contains("VTIMEZONE"));
    }
}
