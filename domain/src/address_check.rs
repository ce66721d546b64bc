//! Stages that fear fake sign-ups ask each new registrant to follow a link emailed to them. The
//! seat (or the place in line) is held meanwhile, and given back when the time runs out: a
//! made-up address never confirms, so its seat returns to people who exist.

use chrono::{DateTime, Duration, Utc};

/// The shortest hold an organiser may choose: time to reach one's inbox on a phone.
pub const FEWEST_MINUTES: u32 = 10;
/// The longest: a week. Longer, and a fake sign-up keeps a seat for most of the registrations.
pub const MOST_MINUTES: u32 = 7 * 24 * 60;

/// How long a stage holds a new registration for its address to be confirmed, checked.
pub fn hold_minutes(raw: i64) -> Option<u32> {
    u32::try_from(raw)
        .ok()
        .filter(|minutes| (FEWEST_MINUTES..=MOST_MINUTES).contains(minutes))
}

/// Until when a registration made at `now` is held, on a stage that asks for confirmation
/// within `minutes` and starts at `starts_at`. Never past the start, so that the door only
/// ever meets confirmed seats; `None` once the stage has started (whoever registers then is
/// on their way, and a hold would already be over).
pub fn hold_until(
    minutes: u32,
    now: DateTime<Utc>,
    starts_at: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    if now >= starts_at {
        return None;
    }
    Some((now + Duration::minutes(i64::from(minutes))).min(starts_at))
}

/// Whether a hold until `confirm_by` has run out at `now`: the link no longer confirms, and the
/// release pass gives the seat back.
pub fn hold_expired(confirm_by: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now >= confirm_by
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(hour: u32, minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 30, hour, minute, 0).unwrap()
    }

    #[test]
    fn an_organiser_chooses_between_ten_minutes_and_a_week() {
        assert_eq!(hold_minutes(60), Some(60));
        assert_eq!(hold_minutes(10), Some(10));
        assert_eq!(hold_minutes(10_080), Some(10_080));
        for refused in [-5, 0, 9, 10_081, i64::MAX] {
            assert_eq!(hold_minutes(refused), None, "{refused}");
        }
    }

    #[test]
    fn a_seat_is_held_for_the_chosen_time() {
        assert_eq!(hold_until(60, at(10, 0), at(18, 30)), Some(at(11, 0)));
    }

    #[test]
    fn a_hold_never_runs_past_the_start() {
        assert_eq!(hold_until(120, at(17, 45), at(18, 30)), Some(at(18, 30)));
        assert_eq!(hold_until(120, at(18, 30), at(18, 30)), None);
        assert_eq!(hold_until(120, at(19, 0), at(18, 30)), None);
    }

    #[test]
    fn a_hold_runs_out_at_its_last_minute() {
        assert!(!hold_expired(at(11, 0), at(10, 59)));
        assert!(hold_expired(at(11, 0), at(11, 0)));
        assert!(hold_expired(at(11, 0), at(12, 0)));
    }
}
