//! The reminder: one email the day before a stage, to each person holding a seat. This module
//! decides *when* a registration is due for it; storage marks it sent and the outbox carries it.
//!
//! The rule, in the stage's own time zone so that Lyon and Montréal are both reminded in their
//! morning:
//! - due from [`REMINDER_HOUR`] on the day before the stage's start date, and only until that
//!   day ends: a reminder says "tomorrow", so it is never sent on the day itself (a server that
//!   was down all evening sends nothing late), nor once the stage has started;
//! - only for a confirmed registration (it holds the ticket) of a published stage: never for
//!   the waiting list, a cancelled registration, a cancelled or draft stage;
//! - not when the registration was made less than [`FRESH_REGISTRATION`] before the moment of
//!   sending: its confirmation, with the same ticket, has just arrived;
//! - once: a registration already reminded is never reminded again (storage guards it too).

use super::registration::RegistrationStatus;
use super::stage::{Stage, StageStatus};
use chrono::{DateTime, Days, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The local hour, on the day before the stage, from which its reminders go out: morning, so
/// that nobody is woken by one and there is a day left to give a seat back.
pub const REMINDER_HOUR: u32 = 9;

/// A registration younger than this at the moment of sending gets no reminder.
pub const FRESH_REGISTRATION: Duration = Duration::hours(24);

/// No stage's reminder is due earlier than this before its start (09:00 the day before is at
/// most 39 hours ahead, plus an hour for a clock change): storage looks no further ahead for
/// stages to remind.
pub const LOOKAHEAD: Duration = Duration::hours(48);

/// Why a registration gets no reminder now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NoReminder {
    #[error("the stage is not published (a draft, or cancelled)")]
    StageNotPublished,
    #[error("the registration holds no seat (waiting list or cancelled)")]
    NoSeat,
    #[error("the registration was already reminded")]
    AlreadyReminded,
    #[error("it is before the reminder's time, on the day before the stage")]
    TooEarly,
    #[error("the day before the stage is over")]
    TooLate,
    #[error("the registration was made less than 24 hours ago")]
    RegisteredRecently,
}

/// The instant from which a stage's reminders are due: [`REMINDER_HOUR`] on the day before its
/// start date, on the stage's clock. Should that hour not exist that day (clocks jumping over
/// it), the first instant after the jump.
pub fn reminder_due_at(stage: &Stage) -> DateTime<Utc> {
    let zone = stage.zone();
    let day_before = stage_day(stage, zone) - Days::new(1);
    let hour = NaiveTime::from_hms_opt(REMINDER_HOUR, 0, 0).unwrap_or(NaiveTime::MIN);
    first_instant_from(zone, day_before, hour)
}

/// Whether `registration`'s reminder is due at `now`: `Ok(())` to send it, else why not.
/// `registered_at` is when the registration was made; `reminded` whether its reminder went.
pub fn reminder_due(
    stage: &Stage,
    status: RegistrationStatus,
    registered_at: DateTime<Utc>,
    reminded: bool,
    now: DateTime<Utc>,
) -> Result<(), NoReminder> {
    if stage.status != StageStatus::Published {
        return Err(NoReminder::StageNotPublished);
    }
    if status != RegistrationStatus::Confirmed {
        return Err(NoReminder::NoSeat);
    }
    if reminded {
        return Err(NoReminder::AlreadyReminded);
    }
    if now < reminder_due_at(stage) {
        return Err(NoReminder::TooEarly);
    }
    // Compared as local dates rather than against a computed midnight: midnight itself does
    // not exist in zones whose clocks jump forward at 00:00.
    let zone = stage.zone();
    if now >= stage.starts_at || now.with_timezone(&zone).date_naive() >= stage_day(stage, zone) {
        return Err(NoReminder::TooLate);
    }
    if now - registered_at < FRESH_REGISTRATION {
        return Err(NoReminder::RegisteredRecently);
    }
    Ok(())
}

fn stage_day(stage: &Stage, zone: Tz) -> NaiveDate {
    stage.starts_at.with_timezone(&zone).date_naive()
}

/// The instant `time` on `day` in `zone`; the earlier one when it happens twice, the end of
/// the gap when it does not happen (no gap lasts longer than a few hours).
fn first_instant_from(zone: Tz, day: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let mut local = day.and_time(time);
    for _ in 0..4 * 24 {
        match zone.from_local_datetime(&local) {
            LocalResult::Single(t) => return t.with_timezone(&Utc),
            LocalResult::Ambiguous(earlier, _) => return earlier.with_timezone(&Utc),
            LocalResult::None => local += Duration::minutes(15),
        }
    }
    // Unreachable with real zones; UTC keeps the answer within hours of the right one.
    Utc.from_utc_datetime(&day.and_time(time))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stage::local_to_utc;
    use chrono::NaiveDateTime;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        at(s).and_utc()
    }

    /// A published stage starting at `starts_local` in `zone`, lasting three hours.
    fn stage(zone: &str, starts_local: &str) -> Stage {
        let tz: Tz = zone.parse().unwrap();
        let starts_at = local_to_utc(tz, at(starts_local)).unwrap();
        Stage {
            slug: crate::Slug::parse("lyon").unwrap(),
            city: "Lyon".into(),
            city_slug: crate::Slug::parse("lyon").unwrap(),
            venue_name: "La Cordée".into(),
            venue_address: "2 rue d'Italie".into(),
            coordinates: None,
            time_zone: zone.into(),
            starts_at,
            ends_at: starts_at + Duration::hours(3),
            theme: String::new(),
            description: String::new(),
            capacity: 50,
            registration_opens_at: starts_at - Duration::days(30),
            registration_closes_at: starts_at,
            status: StageStatus::Published,
            co_organisers: vec![],
            confirm_email_minutes: None,
        }
    }

    fn long_ago() -> DateTime<Utc> {
        utc("2026-01-01 00:00")
    }

    fn due(stage: &Stage, now: DateTime<Utc>) -> Result<(), NoReminder> {
        reminder_due(stage, RegistrationStatus::Confirmed, long_ago(), false, now)
    }

    #[test]
    fn the_reminder_is_due_at_nine_on_the_day_before_in_the_stages_zone() {
        // Paris in December is UTC+1: 09:00 local is 08:00 UTC.
        let lyon = stage("Europe/Paris", "2026-12-10 18:30");
        assert_eq!(reminder_due_at(&lyon), utc("2026-12-09 08:00"));
        assert_eq!(
            due(&lyon, utc("2026-12-09 07:59")),
            Err(NoReminder::TooEarly)
        );
        assert_eq!(due(&lyon, utc("2026-12-09 08:00")), Ok(()));
        // Montréal is UTC-5: its morning comes later.
        let montreal = stage("America/Toronto", "2026-12-10 18:30");
        assert_eq!(reminder_due_at(&montreal), utc("2026-12-09 14:00"));
        assert_eq!(
            due(&montreal, utc("2026-12-09 08:00")),
            Err(NoReminder::TooEarly)
        );
    }

    #[test]
    fn the_reminder_stays_due_until_the_day_before_ends_then_never() {
        let lyon = stage("Europe/Paris", "2026-12-10 18:30");
        assert_eq!(due(&lyon, utc("2026-12-09 22:59")), Ok(()));
        // Midnight in Paris: the day of the stage, when "tomorrow" would be wrong.
        assert_eq!(
            due(&lyon, utc("2026-12-09 23:00")),
            Err(NoReminder::TooLate)
        );
        assert_eq!(
            due(&lyon, utc("2026-12-10 17:30")),
            Err(NoReminder::TooLate)
        );
    }

    #[test]
    fn a_started_stage_gets_no_reminder() {
        let lyon = stage("Europe/Paris", "2026-12-10 18:30");
        assert_eq!(due(&lyon, lyon.starts_at), Err(NoReminder::TooLate));
        assert_eq!(
            due(&lyon, lyon.starts_at + Duration::hours(1)),
            Err(NoReminder::TooLate)
        );
    }

    #[test]
    fn a_stage_starting_just_after_midnight_is_reminded_the_morning_before() {
        // 00:15 on 10 December: the reminder goes on the 9th at 09:00, fifteen hours ahead,
        // and up to the stroke of midnight, a quarter of an hour before the start.
        let night = stage("Europe/Paris", "2026-12-10 00:15");
        assert_eq!(reminder_due_at(&night), utc("2026-12-09 08:00"));
        assert_eq!(due(&night, utc("2026-12-09 22:59")), Ok(()));
        assert_eq!(
            due(&night, utc("2026-12-09 23:00")),
            Err(NoReminder::TooLate)
        );
        assert_eq!(
            due(&night, utc("2026-12-09 23:14")),
            Err(NoReminder::TooLate)
        );
    }

    #[test]
    fn the_hour_follows_the_clock_change_the_night_before_the_reminder() {
        // Clocks in Paris go forward on Sunday 29 March 2026 at 02:00. A stage on Monday the
        // 30th is reminded on Sunday at 09:00 summer time (07:00 UTC), one on Sunday the 29th
        // on Saturday at 09:00 winter time (08:00 UTC).
        let monday = stage("Europe/Paris", "2026-03-30 18:00");
        assert_eq!(reminder_due_at(&monday), utc("2026-03-29 07:00"));
        let sunday = stage("Europe/Paris", "2026-03-29 18:00");
        assert_eq!(reminder_due_at(&sunday), utc("2026-03-28 08:00"));
        // Clocks go back on Sunday 25 October 2026: Monday's reminder is at 08:00 UTC again.
        let autumn = stage("Europe/Paris", "2026-10-26 18:00");
        assert_eq!(reminder_due_at(&autumn), utc("2026-10-25 08:00"));
    }

    #[test]
    fn where_midnight_does_not_exist_the_day_before_still_ends_at_the_jump() {
        // Santiago's clocks jump from 00:00 to 01:00 on Sunday 6 September 2026: Saturday ends
        // at 04:00 UTC. A stage at 01:30 that Sunday is reminded all Saturday, not after.
        let santiago = stage("America/Santiago", "2026-09-06 01:30");
        assert_eq!(reminder_due_at(&santiago), utc("2026-09-05 13:00"));
        assert_eq!(due(&santiago, utc("2026-09-06 03:59")), Ok(()));
        assert_eq!(
            due(&santiago, utc("2026-09-06 04:00")),
            Err(NoReminder::TooLate)
        );
    }

    #[test]
    fn a_reminder_hour_skipped_by_the_clocks_moves_to_the_end_of_the_gap() {
        let zone: Tz = "Europe/Paris".parse().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        let skipped = NaiveTime::from_hms_opt(2, 30, 0).unwrap();
        // 02:30 does not exist that night; 03:00 summer time is 01:00 UTC.
        assert_eq!(
            first_instant_from(zone, day, skipped),
            utc("2026-03-29 01:00")
        );
    }

    #[test]
    fn only_a_confirmed_registration_is_reminded() {
        let lyon = stage("Europe/Paris", "2026-12-10 18:30");
        let now = utc("2026-12-09 10:00");
        for (status, expected) in [
            (RegistrationStatus::Confirmed, Ok(())),
            (RegistrationStatus::Waitlisted, Err(NoReminder::NoSeat)),
            (RegistrationStatus::Cancelled, Err(NoReminder::NoSeat)),
        ] {
            assert_eq!(
                reminder_due(&lyon, status, long_ago(), false, now),
                expected,
                "{status:?}"
            );
        }
    }

    #[test]
    fn a_cancelled_or_draft_stage_reminds_nobody() {
        let now = utc("2026-12-09 10:00");
        for status in [StageStatus::Cancelled, StageStatus::Draft] {
            let stage = Stage {
                status,
                ..stage("Europe/Paris", "2026-12-10 18:30")
            };
            assert_eq!(
                due(&stage, now),
                Err(NoReminder::StageNotPublished),
                "{status:?}"
            );
        }
    }

    #[test]
    fn a_registration_is_reminded_once() {
        let lyon = stage("Europe/Paris", "2026-12-10 18:30");
        let now = utc("2026-12-09 10:00");
        assert_eq!(
            reminder_due(&lyon, RegistrationStatus::Confirmed, long_ago(), true, now),
            Err(NoReminder::AlreadyReminded)
        );
    }

    #[test]
    fn a_registration_younger_than_a_day_waits_until_it_is_a_day_old_that_same_day() {
        let lyon = stage("Europe/Paris", "2026-12-10 18:30");
        let registered = utc("2026-12-08 12:00");
        let check =
            |now| reminder_due(&lyon, RegistrationStatus::Confirmed, registered, false, now);
        assert_eq!(
            check(utc("2026-12-09 08:00")),
            Err(NoReminder::RegisteredRecently)
        );
        assert_eq!(
            check(utc("2026-12-09 11:59")),
            Err(NoReminder::RegisteredRecently)
        );
        assert_eq!(check(utc("2026-12-09 12:00")), Ok(()));
    }

    #[test]
    fn a_registration_made_the_evening_before_is_never_reminded() {
        let lyon = stage("Europe/Paris", "2026-12-10 18:30");
        let registered = utc("2026-12-09 19:00");
        for now in [
            utc("2026-12-09 22:00"),
            utc("2026-12-10 08:00"),
            utc("2026-12-10 18:00"),
        ] {
            assert!(
                reminder_due(&lyon, RegistrationStatus::Confirmed, registered, false, now).is_err(),
                "{now}"
            );
        }
    }

    #[test]
    fn no_reminder_is_due_further_ahead_than_the_lookahead() {
        // The latest start on a day, in zones far from UTC and across clock changes.
        for (zone, start) in [
            ("Europe/Paris", "2026-12-10 23:59"),
            ("Europe/Paris", "2026-03-30 23:59"),
            ("Europe/Paris", "2026-10-26 23:59"),
            ("Pacific/Kiritimati", "2026-12-10 23:59"),
            ("Pacific/Pago_Pago", "2026-12-10 23:59"),
            ("America/Santiago", "2026-09-06 23:59"),
        ] {
            let stage = stage(zone, start);
            assert!(
                stage.starts_at - reminder_due_at(&stage) <= LOOKAHEAD,
                "{zone} {start}"
            );
        }
    }
}
