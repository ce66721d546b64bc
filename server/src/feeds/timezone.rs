//! VTIMEZONE blocks from the IANA database (chrono-tz), so that a `DTSTART;TZID=Europe/Paris`
//! means the same instant in every client, whatever time-zone data the client carries.
//!
//! A block lists the zone's offset at the start of the first year that holds an event, then
//! each change of offset until the end of the last such year, as one-off observances (no
//! RRULE): exact for the dates a feed holds, even where a zone's rules changed.

use chrono::{DateTime, Datelike, Duration, Offset as _, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

/// What a zone observes at one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Observed {
    utc_offset_seconds: i32,
    daylight: bool,
    name: Option<String>,
}

impl Observed {
    fn at(zone: Tz, instant: DateTime<Utc>) -> Self {
        let offset = zone.offset_from_utc_datetime(&instant.naive_utc());
        Observed {
            utc_offset_seconds: offset.fix().local_minus_utc(),
            daylight: !offset.dst_offset().is_zero(),
            name: offset.abbreviation().map(str::to_owned),
        }
    }
}

/// The VTIMEZONE block of `zone` for events between `first` and `last`, CRLF-ended lines.
pub fn vtimezone(zone: Tz, first: DateTime<Utc>, last: DateTime<Utc>) -> String {
    let year_start = |year: i32| {
        Utc.with_ymd_and_hms(year, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or(first)
    };
    let start = year_start(first.year());
    let end = year_start(last.year().saturating_add(1)).max(last);
    let mut block = format!("BEGIN:VTIMEZONE\r\nTZID:{}\r\n", zone.name());
    let mut current = Observed::at(zone, start);
    push_observance(&mut block, &current, &current, start);
    let mut day = start;
    while day < end {
        let next = day + Duration::days(1);
        let observed = Observed::at(zone, next);
        if observed != current {
            let change = first_instant_of(zone, day, next, &current);
            push_observance(&mut block, &current, &observed, change);
            current = observed;
        }
        day = next;
    }
    block.push_str("END:VTIMEZONE\r\n");
    block
}

/// The first second in `(before, after]` at which `zone` no longer observes `old`.
fn first_instant_of(
    zone: Tz,
    mut before: DateTime<Utc>,
    mut after: DateTime<Utc>,
    old: &Observed,
) -> DateTime<Utc> {
    while after - before > Duration::seconds(1) {
        let middle = before + (after - before) / 2;
        if Observed::at(zone, middle) == *old {
            before = middle;
        } else {
            after = middle;
        }
    }
    after
}

fn push_observance(block: &mut String, from: &Observed, to: &Observed, at: DateTime<Utc>) {
    let kind = if to.daylight { "DAYLIGHT" } else { "STANDARD" };
    // DTSTART of an observance is the local time just before the change, in the old offset.
    let local = at.naive_utc() + Duration::seconds(i64::from(from.utc_offset_seconds));
    block.push_str(&format!(
        "BEGIN:{kind}\r\nDTSTART:{}\r\nTZOFFSETFROM:{}\r\nTZOFFSETTO:{}\r\n",
        local.format("%Y%m%dT%H%M%S"),
        utc_offset(from.utc_offset_seconds),
        utc_offset(to.utc_offset_seconds),
    ));
    if let Some(name) = &to.name {
        block.push_str(&format!("TZNAME:{}\r\n", super::ics::escape_text(name)));
    }
    block.push_str(&format!("END:{kind}\r\n"));
}

/// `+0100`, `-0330`, or `+053328` when seconds are not zero (RFC 5545 §3.3.14).
fn utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let seconds = seconds.unsigned_abs();
    let (hours, minutes, rest) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if rest == 0 {
        format!("{sign}{hours:02}{minutes:02}")
    } else {
        format!("{sign}{hours:02}{minutes:02}{rest:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instant(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    #[test]
    fn paris_in_2026_starts_in_winter_time_then_changes_twice() {
        let block = vtimezone(
            chrono_tz::Europe::Paris,
            instant(2026, 12, 30, 17),
            instant(2026, 12, 30, 20),
        );
        assert_eq!(
            block,
            "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n\
             BEGIN:STANDARD\r\nDTSTART:20260101T010000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nEND:STANDARD\r\n\
             BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nEND:DAYLIGHT\r\n\
             BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nEND:STANDARD\r\n\
             END:VTIMEZONE\r\n"
        );
    }

    #[test]
    fn a_zone_without_daylight_time_has_one_observance() {
        let block = vtimezone(
            chrono_tz::Asia::Kolkata,
            instant(2026, 6, 1, 0),
            instant(2026, 6, 2, 0),
        );
        assert_eq!(block.matches("BEGIN:STANDARD").count(), 1);
        assert!(block.contains("TZOFFSETTO:+0530\r\n"), "{block}");
        assert!(!block.contains("DAYLIGHT"));
    }

    #[test]
    fn events_over_two_years_get_both_years_changes() {
        let block = vtimezone(
            chrono_tz::America::New_York,
            instant(2026, 12, 1, 0),
            instant(2027, 4, 1, 0),
        );
        assert!(block.contains("DTSTART:20261101T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500"));
        assert!(block.contains("DTSTART:20270314T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400"));
    }

    #[test]
    fn offsets_are_written_as_rfc_5545_wants() {
        assert_eq!(utc_offset(3600), "+0100");
        assert_eq!(utc_offset(-12_600), "-0330");
        assert_eq!(utc_offset(0), "+0000");
        assert_eq!(utc_offset(561), "+000921");
    }
}
