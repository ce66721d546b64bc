//! The stage form as an organiser fills it: every field as typed, in the stage's local time,
//! checked all at once so that each mistake shows beside its field and nothing typed is lost.

use super::edition::Edition;
use super::organisation::{NewOrganisation, Organisation, OrganisationError};
use super::slug::Slug;
use super::stage::{NewStage, Stage, StageError, StageStatus};
use chrono::{DateTime, NaiveDateTime, Timelike, Utc};
use serde::{Deserialize, Serialize};

/// What was typed, field by field (the page keeps it when the form comes back).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StageForm {
    /// The page's address (`/{edition}/{slug}`); left blank, it is made from the city.
    pub slug: String,
    pub city: String,
    pub venue_name: String,
    pub venue_address: String,
    /// Decimal degrees; both blank when unknown.
    pub latitude: String,
    pub longitude: String,
    /// An IANA name such as `Europe/Paris`.
    pub time_zone: String,
    /// `YYYY-MM-DDTHH:MM` on the stage's clock, as `<input type="datetime-local">` sends it.
    pub starts: String,
    pub ends: String,
    pub theme: String,
    pub description: String,
    pub capacity: String,
    /// Blank: registrations open as soon as the stage is published, and close when it starts.
    pub registration_opens: String,
    pub registration_closes: String,
    /// One organisation per line: its name, then optionally its web address.
    pub co_organisers: String,
    /// Minutes a registrant has to follow the emailed link before their seat goes back;
    /// blank when the stage does not ask.
    pub confirm_email_minutes: String,
}

/// One mistake in the stage form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StageFieldError {
    /// A rule of stages themselves.
    Stage(StageError),
    /// Not a number of degrees, or only one of the two.
    Coordinates,
    /// Not a date and time (`YYYY-MM-DDTHH:MM`).
    Starts,
    Ends,
    RegistrationOpens,
    RegistrationCloses,
    /// Not a whole number.
    Capacity,
    /// Neither blank nor a whole number of minutes.
    ConfirmEmailMinutes,
    /// A co-organiser line, counted from 1, and what is wrong with it.
    CoOrganiser(usize, OrganisationError),
    /// Another stage of the edition already has this address.
    SlugTaken,
}

impl StageFieldError {
    /// The form field it belongs to (its `name` attribute).
    pub fn field(&self) -> &'static str {
        match self {
            StageFieldError::Stage(error) => match error {
                StageError::Slug(_) => "slug",
                StageError::City(_) => "city",
                StageError::Venue(_) => "venue_name",
                StageError::Address(_) => "venue_address",
                StageError::Coordinates => "latitude",
                StageError::TimeZone(_) => "time_zone",
                StageError::NonexistentLocalTime(_) => "starts",
                StageError::EndsBeforeStart => "ends",
                StageError::OutsideEdition { .. } => "starts",
                StageError::Theme(_) => "theme",
                StageError::Description(_) => "description",
                StageError::Capacity => "capacity",
                StageError::RegistrationWindow | StageError::RegistrationClosesAfterEnd => {
                    "registration_closes"
                }
                StageError::ConfirmEmailMinutes => "confirm_email_minutes",
            },
            StageFieldError::Coordinates => "latitude",
            StageFieldError::Starts => "starts",
            StageFieldError::Ends => "ends",
            StageFieldError::RegistrationOpens => "registration_opens",
            StageFieldError::RegistrationCloses => "registration_closes",
            StageFieldError::Capacity => "capacity",
            StageFieldError::ConfirmEmailMinutes => "confirm_email_minutes",
            StageFieldError::CoOrganiser(..) => "co_organisers",
            StageFieldError::SlugTaken => "slug",
        }
    }
}

impl StageForm {
    /// The form filled with a stored stage, on its own clock.
    pub fn from_stage(stage: &Stage) -> Self {
        let zone = stage.zone();
        let local = |t: DateTime<Utc>| local_input(t.with_timezone(&zone).naive_local());
        let (latitude, longitude) = match stage.coordinates {
            Some((lat, lon)) => (lat.to_string(), lon.to_string()),
            None => (String::new(), String::new()),
        };
        StageForm {
            slug: stage.slug.as_str().to_owned(),
            city: stage.city.clone(),
            venue_name: stage.venue_name.clone(),
            venue_address: stage.venue_address.clone(),
            latitude,
            longitude,
            time_zone: stage.time_zone.clone(),
            starts: local(stage.starts_at),
            ends: local(stage.ends_at),
            theme: stage.theme.clone(),
            description: stage.description.clone(),
            capacity: stage.capacity.to_string(),
            registration_opens: local(stage.registration_opens_at),
            registration_closes: local(stage.registration_closes_at),
            co_organisers: stage
                .co_organisers
                .iter()
                .map(|o| match &o.website {
                    Some(website) => format!("{} {website}", o.name),
                    None => o.name.clone(),
                })
                .collect::<Vec<_>>()
                .join("\n"),
            confirm_email_minutes: stage
                .confirm_email_minutes
                .map(|minutes| minutes.to_string())
                .unwrap_or_default(),
        }
    }

    /// The address the stage gets: as typed, or made from its city when left blank.
    pub fn slug_or_from_city(&self) -> String {
        let typed = self.slug.trim();
        if typed.is_empty() {
            Slug::from_name(&self.city)
                .map(|slug| slug.as_str().to_owned())
                .unwrap_or_default()
        } else {
            typed.to_owned()
        }
    }

    /// The stage the form describes, with `status`, or every mistake at once. A blank opening
    /// of registrations means `now`; a blank closing means the stage's start.
    pub fn parse(
        &self,
        edition: &Edition,
        status: StageStatus,
        now: DateTime<Utc>,
    ) -> Result<Stage, Vec<StageFieldError>> {
        let mut errors = Vec::new();
        let starts = local_time(&self.starts);
        let ends = local_time(&self.ends);
        if starts.is_none() {
            errors.push(StageFieldError::Starts);
        }
        if ends.is_none() {
            errors.push(StageFieldError::Ends);
        }
        let opens = optional_local_time(&self.registration_opens);
        if opens.is_err() {
            errors.push(StageFieldError::RegistrationOpens);
        }
        let closes = optional_local_time(&self.registration_closes);
        if closes.is_err() {
            errors.push(StageFieldError::RegistrationCloses);
        }
        let coordinates = coordinates(&self.latitude, &self.longitude);
        if coordinates.is_err() {
            errors.push(StageFieldError::Coordinates);
        }
        let capacity = self.capacity.trim().parse::<i64>();
        if capacity.is_err() {
            errors.push(StageFieldError::Capacity);
        }
        let confirm_email_minutes = match self.confirm_email_minutes.trim() {
            "" => Ok(None),
            typed => typed.parse::<i64>().map(Some),
        };
        if confirm_email_minutes.is_err() {
            errors.push(StageFieldError::ConfirmEmailMinutes);
        }
        let co_organisers = self.co_organisers();
        let co_organisers = match co_organisers {
            Ok(list) => list,
            Err(mistakes) => {
                errors.extend(mistakes);
                vec![]
            }
        };
        // Each rule of stages is checked even when another field is unreadable: a stand-in
        // takes the unreadable value's place, and the mistakes it would cause are dropped.
        let stand_in = edition.starts_on.and_hms_opt(12, 0, 0).unwrap_or_default();
        let starts_local = starts.unwrap_or(stand_in);
        let ends_local = ends.unwrap_or(starts_local + chrono::Duration::hours(2));
        let now_local = self
            .time_zone
            .trim()
            .parse::<chrono_tz::Tz>()
            .map(|zone| now.with_timezone(&zone).naive_local())
            .unwrap_or_else(|_| now.naive_utc());
        let now_local = now_local.with_second(0).unwrap_or(now_local);
        let opens_local = opens.ok().flatten().unwrap_or(now_local);
        let closes_local = closes.ok().flatten().unwrap_or(starts_local);
        let slug = self.slug_or_from_city();
        let parsed = Stage::parse_all(
            NewStage {
                slug: &slug,
                city: &self.city,
                venue_name: &self.venue_name,
                venue_address: &self.venue_address,
                coordinates: coordinates.unwrap_or(None),
                time_zone: &self.time_zone,
                starts_local,
                ends_local,
                theme: &self.theme,
                description: &self.description,
                capacity: capacity.clone().unwrap_or(0),
                registration_opens_local: opens_local,
                registration_closes_local: closes_local,
                status,
                co_organisers,
                confirm_email_minutes: confirm_email_minutes.unwrap_or(None),
            },
            edition,
        );
        let times_known = starts.is_some() && ends.is_some();
        let city_missing = self.city.trim().is_empty();
        let window_known = times_known && opens.is_ok() && closes.is_ok();
        match parsed {
            Ok(stage) if errors.is_empty() => Ok(stage),
            Ok(_) => Err(errors),
            Err(stage_errors) => {
                let kept = stage_errors.into_iter().filter(|error| match error {
                    StageError::OutsideEdition { .. } | StageError::NonexistentLocalTime(_) => {
                        starts.is_some()
                    }
                    StageError::EndsBeforeStart => times_known,
                    StageError::RegistrationWindow | StageError::RegistrationClosesAfterEnd => {
                        window_known
                    }
                    StageError::Capacity => capacity.is_ok(),
                    StageError::Coordinates => coordinates.is_ok(),
                    // A blank address is made from the city: the city's mistake says it all.
                    StageError::Slug(_) => !(self.slug.trim().is_empty() && city_missing),
                    _ => true,
                });
                // Never empty: each mistake dropped above stands for one already reported.
                errors.extend(kept.map(StageFieldError::Stage));
                Err(errors)
            }
        }
    }

    /// The co-organisers, one per non-blank line: the name, then an optional web address as
    /// the line's last word.
    fn co_organisers(&self) -> Result<Vec<Organisation>, Vec<StageFieldError>> {
        let mut list = Vec::new();
        let mut mistakes = Vec::new();
        for (index, line) in self.co_organisers.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let is_address =
                |word: &str| word.starts_with("http://") || word.starts_with("https://");
            let (name, website) = match line.rsplit_once(char::is_whitespace) {
                Some((name, last)) if is_address(last) => (name.trim(), Some(last)),
                None if is_address(line) => ("", Some(line)),
                _ => (line, None),
            };
            match Organisation::parse(NewOrganisation {
                name,
                website,
                ..Default::default()
            }) {
                Ok(organisation) => list.push(organisation),
                Err(error) => mistakes.push(StageFieldError::CoOrganiser(index + 1, error)),
            }
        }
        if mistakes.is_empty() {
            Ok(list)
        } else {
            Err(mistakes)
        }
    }
}

/// A time as `<input type="datetime-local">` shows it.
pub fn local_input(time: NaiveDateTime) -> String {
    time.format("%Y-%m-%dT%H:%M").to_string()
}

/// A date and time as typed: `YYYY-MM-DDTHH:MM`, with seconds or a space also accepted.
fn local_time(raw: &str) -> Option<NaiveDateTime> {
    let raw = raw.trim();
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(raw, format).ok())
}

/// Blank is `None`; anything else must be a date and time.
fn optional_local_time(raw: &str) -> Result<Option<NaiveDateTime>, ()> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        local_time(raw).map(Some).ok_or(())
    }
}

/// Both blank is `None`; both numbers (a comma taken as a decimal point) are a point; else wrong.
fn coordinates(latitude: &str, longitude: &str) -> Result<Option<(f64, f64)>, ()> {
    let number = |raw: &str| raw.trim().replace(',', ".").parse::<f64>().ok();
    match (latitude.trim().is_empty(), longitude.trim().is_empty()) {
        (true, true) => Ok(None),
        _ => match (number(latitude), number(longitude)) {
            (Some(lat), Some(lon)) if lat.is_finite() && lon.is_finite() => Ok(Some((lat, lon))),
            _ => Err(()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edition::{EditionStatus, NewEdition};
    use crate::text::TextError;
    use chrono::NaiveDate;

    fn edition() -> Edition {
        Edition::parse(NewEdition {
            name: "Social Good Week 2027",
            slug: "sgw-2027",
            number: 4,
            starts_on: NaiveDate::from_ymd_opt(2027, 12, 6).unwrap(),
            ends_on: NaiveDate::from_ymd_opt(2027, 12, 12).unwrap(),
            theme: "Digital",
            description: "",
            partners: vec![],
            status: EditionStatus::Draft,
        })
        .unwrap()
    }

    fn now() -> DateTime<Utc> {
        "2027-10-01T08:00:27Z".parse().unwrap()
    }

    fn lyon() -> StageForm {
        StageForm {
            slug: String::new(),
            city: "Lyon".into(),
            venue_name: "H7".into(),
            venue_address: "70 quai Perrache, 69002 Lyon".into(),
            latitude: "45,7431".into(),
            longitude: "4.8176".into(),
            time_zone: "Europe/Paris".into(),
            starts: "2027-12-09T18:30".into(),
            ends: "2027-12-09T22:00".into(),
            theme: "Le numérique, pour qui ?".into(),
            description: String::new(),
            capacity: "120".into(),
            registration_opens: String::new(),
            registration_closes: String::new(),
            co_organisers: "SFR https://www.sfr.fr\n\n  Les Interconnectés  \n".into(),
            confirm_email_minutes: String::new(),
        }
    }

    #[test]
    fn a_stage_may_ask_registrants_to_confirm_their_address_within_a_time() {
        let asking = StageForm {
            confirm_email_minutes: " 90 ".into(),
            ..lyon()
        };
        let stage = asking.parse(&edition(), StageStatus::Draft, now()).unwrap();
        assert_eq!(stage.confirm_email_minutes, Some(90));
        assert_eq!(StageForm::from_stage(&stage).confirm_email_minutes, "90");
        assert_eq!(
            lyon()
                .parse(&edition(), StageStatus::Draft, now())
                .unwrap()
                .confirm_email_minutes,
            None
        );
        for typed in ["an hour", "5", "99999"] {
            let errors = StageForm {
                confirm_email_minutes: typed.into(),
                ..lyon()
            }
            .parse(&edition(), StageStatus::Draft, now())
            .unwrap_err();
            let fields: Vec<_> = errors.iter().map(StageFieldError::field).collect();
            assert_eq!(fields, ["confirm_email_minutes"], "{typed}");
        }
    }

    #[test]
    fn a_good_form_makes_a_stage_on_its_own_clock() {
        let stage = lyon().parse(&edition(), StageStatus::Draft, now()).unwrap();
        assert_eq!(stage.slug.as_str(), "lyon");
        assert_eq!(stage.starts_at.to_rfc3339(), "2027-12-09T17:30:00+00:00");
        assert_eq!(stage.coordinates, Some((45.7431, 4.8176)));
        // Blank window: open from now (to the minute), closed when the stage starts.
        assert_eq!(
            stage.registration_opens_at.to_rfc3339(),
            "2027-10-01T08:00:00+00:00"
        );
        assert_eq!(stage.registration_closes_at, stage.starts_at);
        let names: Vec<_> = stage
            .co_organisers
            .iter()
            .map(|o| o.name.as_str())
            .collect();
        assert_eq!(names, ["SFR", "Les Interconnectés"]);
        assert_eq!(
            stage.co_organisers[0].website.as_deref(),
            Some("https://www.sfr.fr")
        );
    }

    #[test]
    fn a_stored_stage_fills_the_form_it_came_from() {
        let stage = lyon().parse(&edition(), StageStatus::Draft, now()).unwrap();
        let form = StageForm::from_stage(&stage);
        assert_eq!(form.starts, "2027-12-09T18:30");
        assert_eq!(form.registration_closes, "2027-12-09T18:30");
        assert_eq!(
            form.co_organisers,
            "SFR https://www.sfr.fr\nLes Interconnectés"
        );
        assert_eq!(
            form.parse(&edition(), StageStatus::Draft, now()).unwrap(),
            stage
        );
    }

    #[test]
    fn every_mistake_is_reported_at_once_beside_its_field() {
        let errors = StageForm {
            city: " ".into(),
            venue_address: String::new(),
            latitude: "north".into(),
            time_zone: "Lyon".into(),
            starts: "9 décembre".into(),
            capacity: "lots".into(),
            co_organisers: "SFR sfr.fr\nhttps://x.example".into(),
            ..lyon()
        }
        .parse(&edition(), StageStatus::Draft, now())
        .unwrap_err();
        let mut fields: Vec<_> = errors.iter().map(StageFieldError::field).collect();
        fields.sort_unstable();
        assert_eq!(
            fields,
            [
                "capacity",
                "city",
                "co_organisers",
                "latitude",
                "starts",
                "time_zone",
                "venue_address"
            ]
        );
        assert!(errors.contains(&StageFieldError::Stage(StageError::City(
            TextError::Required
        ))));
    }

    #[test]
    fn a_co_organiser_line_is_a_name_then_perhaps_a_web_address() {
        let errors = StageForm {
            co_organisers: "SFR https://www.sfr.fr\nhttps://nameless.example".into(),
            ..lyon()
        }
        .parse(&edition(), StageStatus::Draft, now())
        .unwrap_err();
        assert_eq!(
            errors,
            [StageFieldError::CoOrganiser(
                2,
                OrganisationError::Name(TextError::Required)
            )]
        );
    }

    #[test]
    fn the_times_must_be_in_order_and_inside_the_edition() {
        let backwards = StageForm {
            ends: "2027-12-09T17:00".into(),
            ..lyon()
        };
        assert_eq!(
            backwards
                .parse(&edition(), StageStatus::Draft, now())
                .unwrap_err(),
            [StageFieldError::Stage(StageError::EndsBeforeStart)]
        );
        let outside = StageForm {
            starts: "2027-12-20T18:30".into(),
            ends: "2027-12-20T22:00".into(),
            ..lyon()
        };
        assert_eq!(
            outside
                .parse(&edition(), StageStatus::Draft, now())
                .unwrap_err()
                .iter()
                .map(StageFieldError::field)
                .collect::<Vec<_>>(),
            ["starts"]
        );
        let late_window = StageForm {
            registration_closes: "2027-12-09T23:00".into(),
            ..lyon()
        };
        assert_eq!(
            late_window
                .parse(&edition(), StageStatus::Draft, now())
                .unwrap_err(),
            [StageFieldError::Stage(
                StageError::RegistrationClosesAfterEnd
            )]
        );
    }

    #[test]
    fn one_coordinate_alone_is_a_mistake() {
        let half = StageForm {
            longitude: String::new(),
            ..lyon()
        };
        assert_eq!(
            half.parse(&edition(), StageStatus::Draft, now())
                .unwrap_err(),
            [StageFieldError::Coordinates]
        );
        let none = StageForm {
            latitude: " ".into(),
            longitude: String::new(),
            ..lyon()
        };
        let stage = none.parse(&edition(), StageStatus::Draft, now()).unwrap();
        assert_eq!(stage.coordinates, None);
    }
}
