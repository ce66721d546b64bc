//! Stages: one city's event within an edition, with its venue, times, capacity and window.

use super::edition::Edition;
use super::organisation::Organisation;
use super::slug::{Slug, SlugError};
use super::text::{self, TextError};
use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StageError {
    #[error("address: {0}")]
    Slug(SlugError),
    #[error("city: {0}")]
    City(TextError),
    #[error("venue: {0}")]
    Venue(TextError),
    #[error("venue address: {0}")]
    Address(TextError),
    #[error(
        "coordinates must be a latitude between -90 and 90 and a longitude between -180 and 180"
    )]
    Coordinates,
    #[error("« {0} » is not a time zone name such as Europe/Paris")]
    TimeZone(String),
    #[error("{0} does not exist in the stage's time zone (clocks change that night)")]
    NonexistentLocalTime(NaiveDateTime),
    #[error("the stage must end after it starts")]
    EndsBeforeStart,
    #[error("the stage must take place during its edition, {from} to {to}")]
    OutsideEdition { from: String, to: String },
    #[error("theme: {0}")]
    Theme(TextError),
    #[error("description: {0}")]
    Description(TextError),
    #[error("the capacity must be a number of places, 0 or more")]
    Capacity,
    #[error("registrations must open before they close")]
    RegistrationWindow,
    #[error("registrations must close before the stage ends")]
    RegistrationClosesAfterEnd,
    #[error(
        "the time to confirm an email address is a number of minutes, from 10 to 10080 (a week)"
    )]
    ConfirmEmailMinutes,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StageStatus {
    Draft,
    Published,
    Cancelled,
}

impl StageStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "draft" => Some(Self::Draft),
            "published" => Some(Self::Published),
            "cancelled" => Some(Self::Cancelled),
            _ => None,
        }
    }

    /// Published and cancelled stages are public (a cancellation must be seen); drafts never.
    pub fn is_public(self) -> bool {
        !matches!(self, Self::Draft)
    }

    /// Whether anyone may see the stage: public itself, in an edition that is published.
    pub fn is_public_in(self, edition: super::edition::EditionStatus) -> bool {
        self.is_public() && edition == super::edition::EditionStatus::Published
    }

    /// A cancelled stage is kept as it was when cancelled: its registrants were told, and a
    /// new time or line-up would tell them of an evening that will not happen.
    pub fn editable(self) -> bool {
        self != Self::Cancelled
    }

    /// Only a draft is published: a cancelled stage stays cancelled, since calendars have
    /// already shown it so.
    pub fn publishable(self) -> bool {
        self == Self::Draft
    }
}

/// A stage as an organiser types it: local times in the stage's own zone.
#[derive(Debug, Clone)]
pub struct NewStage<'a> {
    pub slug: &'a str,
    pub city: &'a str,
    pub venue_name: &'a str,
    pub venue_address: &'a str,
    pub coordinates: Option<(f64, f64)>,
    pub time_zone: &'a str,
    pub starts_local: NaiveDateTime,
    pub ends_local: NaiveDateTime,
    pub theme: &'a str,
    pub description: &'a str,
    pub capacity: i64,
    pub registration_opens_local: NaiveDateTime,
    pub registration_closes_local: NaiveDateTime,
    pub status: StageStatus,
    pub co_organisers: Vec<Organisation>,
    /// Minutes a new registration has to confirm its address; `None` when the stage does not ask.
    pub confirm_email_minutes: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    pub slug: Slug,
    pub city: String,
    pub city_slug: Slug,
    pub venue_name: String,
    pub venue_address: String,
    pub coordinates: Option<(f64, f64)>,
    pub time_zone: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub theme: String,
    pub description: String,
    pub capacity: u32,
    pub registration_opens_at: DateTime<Utc>,
    pub registration_closes_at: DateTime<Utc>,
    pub status: StageStatus,
    pub co_organisers: Vec<Organisation>,
    /// Registrants must follow an emailed link within this many minutes, or their seat goes
    /// back (`address_check`); `None` when the stage does not ask.
    #[serde(default)]
    pub confirm_email_minutes: Option<u32>,
}

/// Resolves a wall-clock time in `zone` to an instant; an ambiguous time (clocks going back)
/// takes the earlier instant, a time that never exists (clocks going forward) is an error.
pub fn local_to_utc(zone: Tz, local: NaiveDateTime) -> Result<DateTime<Utc>, StageError> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(earlier, _) => Ok(earlier.with_timezone(&Utc)),
        LocalResult::None => Err(StageError::NonexistentLocalTime(local)),
    }
}

/// Where a stage takes place, checked as a new stage's venue is.
#[derive(Debug, Clone, PartialEq)]
pub struct Venue {
    pub name: String,
    pub address: String,
    /// Latitude, longitude.
    pub coordinates: Option<(f64, f64)>,
}

impl Venue {
    pub fn parse(
        name: &str,
        address: &str,
        coordinates: Option<(f64, f64)>,
    ) -> Result<Self, StageError> {
        Ok(Venue {
            name: text::required(name, 120).map_err(StageError::Venue)?,
            address: text::required(address, 300).map_err(StageError::Address)?,
            coordinates: check_coordinates(coordinates)?,
        })
    }
}

/// The value of `result`, or `None` after noting its mistake in `errors`.
fn keep<T>(errors: &mut Vec<StageError>, result: Result<T, StageError>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(error) => {
            errors.push(error);
            None
        }
    }
}

/// Latitude, longitude: on the globe, or none.
fn check_coordinates(coordinates: Option<(f64, f64)>) -> Result<Option<(f64, f64)>, StageError> {
    match coordinates {
        Some((lat, lon)) if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) => {
            Err(StageError::Coordinates)
        }
        _ => Ok(coordinates),
    }
}

/// Every zone a stage may take, by IANA name (`Europe/Paris`), for the form's searchable list.
pub fn time_zone_names() -> impl Iterator<Item = &'static str> {
    chrono_tz::TZ_VARIANTS
        .iter()
        .map(|zone| zone.name())
        .filter(|name| parse_time_zone(name).is_ok())
}

pub fn parse_time_zone(raw: &str) -> Result<Tz, StageError> {
    // Only Area/Location names: abbreviations such as CET are refused even where chrono-tz knows them.
    let zone: Tz = raw
        .parse()
        .map_err(|_| StageError::TimeZone(raw.to_owned()))?;
    if !raw.contains('/') && raw != "UTC" {
        return Err(StageError::TimeZone(raw.to_owned()));
    }
    Ok(zone)
}

impl Stage {
    /// A stage, or its first mistake (see `parse_all` for every one).
    pub fn parse(new: NewStage<'_>, edition: &Edition) -> Result<Self, StageError> {
        Self::parse_all(new, edition).map_err(|mut errors| errors.swap_remove(0))
    }

    /// A stage, or every mistake at once (never an empty list), so that a form shows each
    /// beside its field. A rule that depends on another field is checked only once that field
    /// is right (the window against the end, say).
    pub fn parse_all(new: NewStage<'_>, edition: &Edition) -> Result<Self, Vec<StageError>> {
        let mut errors = Vec::new();
        let e = &mut errors;
        let slug = keep(e, Slug::parse(new.slug).map_err(StageError::Slug));
        let city = keep(e, text::required(new.city, 80).map_err(StageError::City));
        let city_slug = city
            .as_deref()
            .and_then(|city| keep(e, Slug::from_name(city).map_err(StageError::Slug)));
        let venue_name = keep(
            e,
            text::required(new.venue_name, 120).map_err(StageError::Venue),
        );
        let venue_address = keep(
            e,
            text::required(new.venue_address, 300).map_err(StageError::Address),
        );
        let coordinates = keep(e, check_coordinates(new.coordinates));
        let zone = keep(e, parse_time_zone(new.time_zone.trim()));
        let day = new.starts_local.date();
        let within_edition = keep(
            e,
            if day < edition.starts_on || day > edition.ends_on {
                Err(StageError::OutsideEdition {
                    from: edition.starts_on.to_string(),
                    to: edition.ends_on.to_string(),
                })
            } else {
                Ok(())
            },
        );
        let in_order = keep(
            e,
            if new.ends_local <= new.starts_local {
                Err(StageError::EndsBeforeStart)
            } else {
                Ok(())
            },
        );
        let theme = keep(e, text::required(new.theme, 300).map_err(StageError::Theme));
        let description = keep(
            e,
            text::optional(Some(new.description), 4000)
                .map_err(StageError::Description)
                .map(Option::unwrap_or_default),
        );
        let capacity = keep(
            e,
            u32::try_from(new.capacity).map_err(|_| StageError::Capacity),
        );
        let confirm_email_minutes = keep(
            e,
            new.confirm_email_minutes
                .map(|raw| {
                    super::address_check::hold_minutes(raw).ok_or(StageError::ConfirmEmailMinutes)
                })
                .transpose(),
        );
        let instants = match zone {
            Some(zone) => {
                let starts_at = keep(e, local_to_utc(zone, new.starts_local));
                let ends_at = keep(e, local_to_utc(zone, new.ends_local));
                let opens_at = keep(e, local_to_utc(zone, new.registration_opens_local));
                let closes_at = keep(e, local_to_utc(zone, new.registration_closes_local));
                starts_at
                    .zip(ends_at)
                    .zip(opens_at.zip(closes_at))
                    .map(|((s, en), (o, c))| (zone, s, en, o, c))
            }
            None => None,
        };
        if let Some((_, _, ends_at, opens_at, closes_at)) = instants {
            if closes_at <= opens_at {
                errors.push(StageError::RegistrationWindow);
            } else if in_order.is_some() && closes_at > ends_at {
                errors.push(StageError::RegistrationClosesAfterEnd);
            }
        }
        match (
            slug,
            city,
            city_slug,
            venue_name,
            venue_address,
            coordinates,
            within_edition,
            theme,
            description,
            capacity,
            instants,
            confirm_email_minutes,
        ) {
            (
                Some(slug),
                Some(city),
                Some(city_slug),
                Some(venue_name),
                Some(venue_address),
                Some(coordinates),
                Some(()),
                Some(theme),
                Some(description),
                Some(capacity),
                Some((zone, starts_at, ends_at, registration_opens_at, registration_closes_at)),
                Some(confirm_email_minutes),
            ) if errors.is_empty() => Ok(Self {
                slug,
                city,
                city_slug,
                venue_name,
                venue_address,
                coordinates,
                time_zone: zone.name().to_owned(),
                starts_at,
                ends_at,
                theme,
                description,
                capacity,
                registration_opens_at,
                registration_closes_at,
                status: new.status,
                co_organisers: new.co_organisers,
                confirm_email_minutes,
            }),
            _ => Err(errors),
        }
    }

    pub fn zone(&self) -> Tz {
        // The zone was validated by `parse`; a stored one that no longer parses falls back to UTC.
        self.time_zone.parse().unwrap_or(Tz::UTC)
    }

    /// The instant the stage starts if moved to `starts_local` (in its own zone), keeping its
    /// length, under the rules a new stage obeys: a day of its edition, a time that exists
    /// (an ambiguous one takes the earlier instant), and registrations that still close by
    /// its new end.
    pub fn rescheduled_start(
        &self,
        edition: &Edition,
        starts_local: NaiveDateTime,
    ) -> Result<DateTime<Utc>, StageError> {
        let day = starts_local.date();
        if day < edition.starts_on || day > edition.ends_on {
            return Err(StageError::OutsideEdition {
                from: edition.starts_on.to_string(),
                to: edition.ends_on.to_string(),
            });
        }
        let starts_at = local_to_utc(self.zone(), starts_local)?;
        if self.registration_closes_at > starts_at + (self.ends_at - self.starts_at) {
            return Err(StageError::RegistrationClosesAfterEnd);
        }
        Ok(starts_at)
    }

    /// Whether the registration window is open at `now` (opening inclusive, closing exclusive).
    pub fn registration_is_open(&self, now: DateTime<Utc>) -> bool {
        self.status == StageStatus::Published
            && now >= self.registration_opens_at
            && now < self.registration_closes_at
    }
}

/// What an edit changed that a stage's registrants and subscribed calendars must hear about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StageChanges {
    /// Its start or end moved.
    pub time: bool,
    /// Its city or venue changed.
    pub place: bool,
}

impl StageChanges {
    /// Whether registrants get an email and calendars a new SEQUENCE (RFC 5545: a change of
    /// time or place is significant; a reworded description is not).
    pub fn announced(self) -> bool {
        self.time || self.place
    }
}

impl Stage {
    /// What changed from `old` (the stored stage) to this one.
    pub fn changes_since(&self, old: &Stage) -> StageChanges {
        StageChanges {
            time: self.starts_at != old.starts_at || self.ends_at != old.ends_at,
            place: self.city != old.city
                || self.venue_name != old.venue_name
                || self.venue_address != old.venue_address
                || self.coordinates != old.coordinates,
        }
    }

    /// How far the programme moves with the stage: when the whole evening moved (same length,
    /// new start), its items move with it; when its hours were re-cut, they stay where they
    /// were put.
    pub fn programme_shift_since(&self, old: &Stage) -> Option<chrono::Duration> {
        let moved = self.starts_at != old.starts_at;
        let same_length = self.ends_at - self.starts_at == old.ends_at - old.starts_at;
        (moved && same_length).then(|| self.starts_at - old.starts_at)
    }
}

/// Why organisers cancel a stage, as its registrants will read it: required, one paragraph.
pub fn cancellation_reason(raw: &str) -> Result<String, TextError> {
    text::required(raw, 500)
}

/// An OpenStreetMap link: the exact point when coordinates are known, else a search for the address.
pub fn openstreetmap_url(coordinates: Option<(f64, f64)>, address: &str) -> String {
    match coordinates {
        Some((lat, lon)) => {
            format!("https://www.openstreetmap.org/?mlat={lat:.5}&mlon={lon:.5}#map=17/{lat:.5}/{lon:.5}")
        }
        None => format!(
            "https://www.openstreetmap.org/search?query={}",
            percent_encode(address)
        ),
    }
}

/// The venue as a `geo:` URI, which phones open in their own maps app (RFC 5870, with the
/// `q` that Android's apps read to put a pin and a label).
pub fn geo_uri(coordinates: Option<(f64, f64)>, label: &str) -> String {
    match coordinates {
        Some((lat, lon)) => format!(
            "geo:{lat:.5},{lon:.5}?q={lat:.5},{lon:.5}({})",
            percent_encode(label)
        ),
        None => format!("geo:0,0?q={}", percent_encode(label)),
    }
}

pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edition::{EditionStatus, NewEdition};
    use chrono::NaiveDate;

    fn edition() -> Edition {
        Edition::parse(NewEdition {
            name: "Social Good Week 2013",
            slug: "social-good-week-2013",
            number: 2,
            starts_on: NaiveDate::from_ymd_opt(2013, 12, 9).unwrap(),
            ends_on: NaiveDate::from_ymd_opt(2013, 12, 15).unwrap(),
            theme: "Digital",
            description: "",
            partners: vec![],
            status: EditionStatus::Published,
        })
        .unwrap()
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn lyon() -> NewStage<'static> {
        NewStage {
            slug: "lyon",
            city: "Lyon",
            venue_name: "Vieux Lyon",
            venue_address: "Place Saint-Jean, 69005 Lyon",
            coordinates: Some((45.7606, 4.8274)),
            time_zone: "Europe/Paris",
            starts_local: at("2013-12-12 18:30"),
            ends_local: at("2013-12-12 22:00"),
            theme: "Quel est l'enjeu du digital ?",
            description: "",
            capacity: 120,
            registration_opens_local: at("2013-11-12 09:00"),
            registration_closes_local: at("2013-12-12 18:00"),
            status: StageStatus::Published,
            co_organisers: vec![],
            confirm_email_minutes: None,
        }
    }

    #[test]
    fn local_times_are_stored_as_utc_instants() {
        let stage = Stage::parse(lyon(), &edition()).unwrap();
        assert_eq!(stage.starts_at.to_rfc3339(), "2013-12-12T17:30:00+00:00");
        assert_eq!(stage.city_slug.as_str(), "lyon");
    }

    #[test]
    fn a_stage_must_end_after_it_starts() {
        let new = NewStage {
            ends_local: at("2013-12-12 18:30"),
            ..lyon()
        };
        assert_eq!(
            Stage::parse(new, &edition()),
            Err(StageError::EndsBeforeStart)
        );
    }

    #[test]
    fn a_stage_must_fall_within_its_edition() {
        let new = NewStage {
            starts_local: at("2013-12-20 18:30"),
            ends_local: at("2013-12-20 22:00"),
            ..lyon()
        };
        assert!(matches!(
            Stage::parse(new, &edition()),
            Err(StageError::OutsideEdition { .. })
        ));
    }

    #[test]
    fn capacity_cannot_be_negative() {
        let new = NewStage {
            capacity: -1,
            ..lyon()
        };
        assert_eq!(Stage::parse(new, &edition()), Err(StageError::Capacity));
    }

    #[test]
    fn time_zone_abbreviations_are_refused() {
        for bad in ["CET", "Paris", "Europe/Lyon"] {
            let new = NewStage {
                time_zone: bad,
                ..lyon()
            };
            assert_eq!(
                Stage::parse(new, &edition()),
                Err(StageError::TimeZone(bad.into()))
            );
        }
    }

    #[test]
    fn registrations_must_close_before_the_stage_ends() {
        let new = NewStage {
            registration_closes_local: at("2013-12-12 23:00"),
            ..lyon()
        };
        assert_eq!(
            Stage::parse(new, &edition()),
            Err(StageError::RegistrationClosesAfterEnd)
        );
        let new = NewStage {
            registration_opens_local: at("2013-12-12 18:00"),
            ..lyon()
        };
        assert_eq!(
            Stage::parse(new, &edition()),
            Err(StageError::RegistrationWindow)
        );
    }

    #[test]
    fn a_time_skipped_by_the_clock_change_is_refused() {
        let zone = parse_time_zone("Europe/Paris").unwrap();
        assert!(matches!(
            local_to_utc(zone, at("2014-03-30 02:30")),
            Err(StageError::NonexistentLocalTime(_))
        ));
    }

    #[test]
    fn registration_is_open_only_inside_its_window_and_when_published() {
        let stage = Stage::parse(lyon(), &edition()).unwrap();
        let utc = |s: &str| at(s).and_utc();
        assert!(!stage.registration_is_open(utc("2013-11-12 07:59")));
        assert!(stage.registration_is_open(utc("2013-11-12 08:00")));
        assert!(!stage.registration_is_open(utc("2013-12-12 17:00")));
        let cancelled = Stage {
            status: StageStatus::Cancelled,
            ..stage
        };
        assert!(!cancelled.registration_is_open(utc("2013-12-01 12:00")));
    }

    #[test]
    fn out_of_range_coordinates_are_refused() {
        let new = NewStage {
            coordinates: Some((95.0, 4.8)),
            ..lyon()
        };
        assert_eq!(Stage::parse(new, &edition()), Err(StageError::Coordinates));
    }

    #[test]
    fn the_map_link_points_at_the_coordinates_or_searches_the_address() {
        assert!(
            openstreetmap_url(Some((45.76, 4.8274)), "x").contains("mlat=45.76000&mlon=4.82740")
        );
        assert_eq!(
            openstreetmap_url(None, "Place Saint-Jean, Lyon"),
            "https://www.openstreetmap.org/search?query=Place%20Saint-Jean%2C%20Lyon"
        );
        assert_eq!(
            geo_uri(Some((45.76, 4.8274)), "Vieux Lyon"),
            "geo:45.76000,4.82740?q=45.76000,4.82740(Vieux%20Lyon)"
        );
        assert_eq!(
            geo_uri(None, "Place Saint-Jean, Lyon"),
            "geo:0,0?q=Place%20Saint-Jean%2C%20Lyon"
        );
    }

    #[test]
    fn only_a_new_time_or_place_is_announced() {
        let old = Stage::parse(lyon(), &edition()).unwrap();
        let reworded = Stage {
            description: "Nouveau texte".into(),
            capacity: 300,
            ..old.clone()
        };
        assert!(!reworded.changes_since(&old).announced());
        let later = Stage {
            ends_at: old.ends_at + chrono::Duration::minutes(30),
            ..old.clone()
        };
        assert_eq!(
            later.changes_since(&old),
            StageChanges {
                time: true,
                place: false
            }
        );
        let moved = Stage {
            venue_address: "1 place Bellecour, 69002 Lyon".into(),
            ..old.clone()
        };
        assert!(moved.changes_since(&old).place);
    }

    #[test]
    fn the_programme_moves_with_the_evening_but_not_when_its_hours_are_recut() {
        let old = Stage::parse(lyon(), &edition()).unwrap();
        let day_later = Stage {
            starts_at: old.starts_at + chrono::Duration::days(1),
            ends_at: old.ends_at + chrono::Duration::days(1),
            ..old.clone()
        };
        assert_eq!(
            day_later.programme_shift_since(&old),
            Some(chrono::Duration::days(1))
        );
        let earlier_start = Stage {
            starts_at: old.starts_at - chrono::Duration::minutes(30),
            ..old.clone()
        };
        assert_eq!(earlier_start.programme_shift_since(&old), None);
        assert_eq!(old.programme_shift_since(&old), None);
    }

    #[test]
    fn a_stage_moves_within_its_edition_keeping_its_length() {
        let stage = Stage::parse(lyon(), &edition()).unwrap();
        let starts_at = stage
            .rescheduled_start(&edition(), at("2013-12-13 19:00"))
            .unwrap();
        assert_eq!(starts_at.to_rfc3339(), "2013-12-13T18:00:00+00:00");
    }

    #[test]
    fn a_stage_cannot_move_outside_its_edition() {
        let stage = Stage::parse(lyon(), &edition()).unwrap();
        assert!(matches!(
            stage.rescheduled_start(&edition(), at("2013-12-16 18:30")),
            Err(StageError::OutsideEdition { .. })
        ));
    }

    #[test]
    fn a_stage_cannot_move_to_end_before_its_registrations_close() {
        let stage = Stage::parse(lyon(), &edition()).unwrap();
        // Registrations close on the 12th at 18:00; three and a half hours from 9:00 end sooner.
        assert_eq!(
            stage.rescheduled_start(&edition(), at("2013-12-12 09:00")),
            Err(StageError::RegistrationClosesAfterEnd)
        );
    }

    /// A week of 2026 from `first_day`, and its 18:30 stage in Paris on that day.
    fn week_of_2026(first_day: u32, month: u32) -> (Edition, Stage) {
        let starts_on = NaiveDate::from_ymd_opt(2026, month, first_day).unwrap();
        let week = Edition::parse(NewEdition {
            name: "Semaine 2026",
            slug: "semaine-2026",
            number: 4,
            starts_on,
            ends_on: starts_on + chrono::Days::new(6),
            theme: "Digital",
            description: "",
            partners: vec![],
            status: EditionStatus::Published,
        })
        .unwrap();
        let evening = |h: u32, m: u32| starts_on.and_hms_opt(h, m, 0).unwrap();
        let stage = Stage::parse(
            NewStage {
                starts_local: evening(18, 30),
                ends_local: evening(22, 0),
                registration_opens_local: evening(9, 0) - chrono::Days::new(10),
                registration_closes_local: evening(18, 0),
                ..lyon()
            },
            &week,
        )
        .unwrap();
        (week, stage)
    }

    #[test]
    fn a_stage_cannot_move_to_a_time_the_clock_change_skips() {
        let (week, stage) = week_of_2026(23, 3);
        assert!(matches!(
            stage.rescheduled_start(&week, at("2026-03-29 02:30")),
            Err(StageError::NonexistentLocalTime(_))
        ));
    }

    #[test]
    fn a_stage_moved_to_an_ambiguous_time_takes_the_earlier_instant() {
        let (week, stage) = week_of_2026(19, 10);
        // 02:30 happens twice on 25 October 2026 in Paris: the first, still on summer time.
        let moved = stage.rescheduled_start(&week, at("2026-10-25 02:30"));
        assert_eq!(moved.unwrap().to_rfc3339(), "2026-10-25T00:30:00+00:00");
    }
}
