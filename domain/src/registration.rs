//! Registering for a stage: who may register, what a valid form is, and who gets a seat.
//! The seat decision here is the rule; storage applies it inside one transaction so that it
//! holds when hundreds register in the same second.

use super::stage::{Stage, StageStatus};
use super::text::{self, TextError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// The form as a person filled it in, before any check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationForm {
    pub name: String,
    pub email: String,
    pub organisation: Option<String>,
    pub consent: bool,
}

/// Which field is wrong and why, so each message can sit beside its input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum FieldError {
    #[error("name: {0}")]
    Name(TextError),
    #[error("email: {0}")]
    Email(EmailError),
    #[error("organisation: {0}")]
    Organisation(TextError),
    #[error("consent is required")]
    ConsentMissing,
}

impl FieldError {
    /// The form field (and JSON field) this error belongs to.
    pub fn field(&self) -> &'static str {
        match self {
            FieldError::Name(_) => "name",
            FieldError::Email(_) => "email",
            FieldError::Organisation(_) => "organisation",
            FieldError::ConsentMissing => "consent",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum EmailError {
    #[error("an email address is required")]
    Missing,
    #[error("this is not an email address")]
    Invalid,
    #[error("an email address has at most 254 characters")]
    TooLong,
}

/// An email address, trimmed, lower-cased and in Unicode's composed form (NFC), so that the same
/// person is recognised however they type it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        // Composed (NFC) after lower-casing, so "é" typed as one character or as "e" and an
        // accent is the same address.
        let email: String = raw.trim().to_lowercase().nfc().collect();
        if email.is_empty() {
            return Err(EmailError::Missing);
        }
        if email.chars().count() > 254 {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = email.rsplit_once('@').ok_or(EmailError::Invalid)?;
        let domain_ok = domain.len() >= 3
            && domain.contains('.')
            && !domain.starts_with(['.', '-'])
            && !domain.ends_with(['.', '-'])
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.contains('@')
            && local
                .chars()
                .all(|c| !c.is_whitespace() && !c.is_control() && !"<>()[],;:\"\\".contains(c));
        if domain_ok && local_ok {
            Ok(Email(email))
        } else {
            Err(EmailError::Invalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = EmailError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Email::parse(&raw)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> Self {
        email.0
    }
}

/// A checked registration: what Étape keeps about an attendee, and nothing more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    pub name: String,
    pub email: Email,
    pub organisation: Option<String>,
}

impl RegistrationForm {
    /// Checks every field at once, so a person sees all their mistakes in one go.
    pub fn parse(&self) -> Result<Attendee, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = text::required(&self.name, 120).map_err(FieldError::Name);
        let email = Email::parse(&self.email).map_err(FieldError::Email);
        let organisation =
            text::optional(self.organisation.as_deref(), 120).map_err(FieldError::Organisation);
        if let Err(e) = &name {
            errors.push(e.clone());
        }
        if let Err(e) = &email {
            errors.push(e.clone());
        }
        if let Err(e) = &organisation {
            errors.push(e.clone());
        }
        if !self.consent {
            errors.push(FieldError::ConsentMissing);
        }
        match (name, email, organisation) {
            (Ok(name), Ok(email), Ok(organisation)) if errors.is_empty() => Ok(Attendee {
                name,
                email,
                organisation,
            }),
            _ => Err(errors),
        }
    }
}

/// Where a registration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegistrationStatus {
    Confirmed,
    Waitlisted,
    Cancelled,
}

impl RegistrationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::Waitlisted => "waitlisted",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "confirmed" => Some(Self::Confirmed),
            "waitlisted" => Some(Self::Waitlisted),
            "cancelled" => Some(Self::Cancelled),
            _ => None,
        }
    }
}

/// Why a stage takes no registration right now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum RegistrationRefused {
    #[error("this stage is not published")]
    NotPublished,
    #[error("this stage is cancelled")]
    StageCancelled,
    #[error("registrations open on {opens_at}")]
    NotYetOpen { opens_at: DateTime<Utc> },
    #[error("registrations are closed")]
    Closed,
}

/// Decides the status of a new registration: a seat while there is one, else the waiting list.
/// `confirmed` is the number of confirmed registrations at the moment of deciding.
pub fn admit(
    stage: &Stage,
    confirmed: u32,
    now: DateTime<Utc>,
) -> Result<RegistrationStatus, RegistrationRefused> {
    match stage.status {
        StageStatus::Draft => return Err(RegistrationRefused::NotPublished),
        StageStatus::Cancelled => return Err(RegistrationRefused::StageCancelled),
        StageStatus::Published => {}
    }
    if now < stage.registration_opens_at {
        return Err(RegistrationRefused::NotYetOpen {
            opens_at: stage.registration_opens_at,
        });
    }
    if now >= stage.registration_closes_at {
        return Err(RegistrationRefused::Closed);
    }
    Ok(if confirmed < stage.capacity {
        RegistrationStatus::Confirmed
    } else {
        RegistrationStatus::Waitlisted
    })
}

/// At most this many seats left, and at most half of them: the stage says how many remain.
pub const FEW_SEATS: u32 = 10;

/// Where registrations for a stage stand, as someone about to register needs to know it:
/// the stage page, the edition's stage cards and the JSON API all say it from here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Availability {
    /// Seats are free, plenty of them.
    Open { seats_left: u32 },
    /// Seats are free, but few: say how many.
    FewSeatsLeft { seats_left: u32 },
    /// Every seat is taken: registering joins the waiting list, behind `waiting` people.
    Full { waiting: u32 },
    /// Registering is not possible now.
    Refused(RegistrationRefused),
}

impl Availability {
    /// Where a stage stands with `confirmed` seats taken and `waiting` people waiting.
    pub fn of(stage: &Stage, confirmed: u32, waiting: u32, now: DateTime<Utc>) -> Self {
        match admit(stage, confirmed, now) {
            Err(refused) => Self::Refused(refused),
            Ok(RegistrationStatus::Confirmed) => {
                let seats_left = seats_left(stage.capacity, confirmed);
                if seats_left <= FEW_SEATS && seats_left.saturating_mul(2) <= stage.capacity {
                    Self::FewSeatsLeft { seats_left }
                } else {
                    Self::Open { seats_left }
                }
            }
            Ok(_) => Self::Full { waiting },
        }
    }

    /// Whether registering now would join the waiting list.
    pub fn joins_waiting_list(&self) -> bool {
        matches!(self, Self::Full { .. })
    }
}

/// Free seats: never negative, even after the capacity was lowered below the seats taken.
pub fn seats_left(capacity: u32, confirmed: u32) -> u32 {
    capacity.saturating_sub(confirmed)
}

/// How many people to take from the head of the waiting list when seats free up (a
/// cancellation, or a larger capacity). `stage` must be as stored at the moment of deciding
/// (read under its lock): nobody is promoted on a stage that is not going ahead or has
/// already ended, and never beyond its capacity, even after the capacity was lowered.
pub fn seats_to_fill(stage: &Stage, confirmed: u32, waiting: u32, now: DateTime<Utc>) -> u32 {
    if stage.status != StageStatus::Published || now >= stage.ends_at {
        return 0;
    }
    stage.capacity.saturating_sub(confirmed).min(waiting)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Slug;
    use chrono::TimeZone;

    fn stage(capacity: u32, status: StageStatus) -> Stage {
        Stage {
            slug: Slug::parse("lyon").unwrap(),
            city: "Lyon".into(),
            city_slug: Slug::parse("lyon").unwrap(),
            venue_name: "V".into(),
            venue_address: "A".into(),
            coordinates: None,
            time_zone: "Europe/Paris".into(),
            starts_at: Utc.with_ymd_and_hms(2026, 12, 30, 17, 30, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2026, 12, 30, 20, 30, 0).unwrap(),
            theme: "T".into(),
            description: String::new(),
            capacity,
            registration_opens_at: Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap(),
            registration_closes_at: Utc.with_ymd_and_hms(2026, 12, 30, 17, 0, 0).unwrap(),
            status,
            co_organisers: vec![],
            confirm_email_minutes: None,
        }
    }

    fn during_registrations() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 29, 12, 0, 0).unwrap()
    }

    fn form() -> RegistrationForm {
        RegistrationForm {
            name: "Camille Durand".into(),
            email: "  Camille.Durand@Example.ORG ".into(),
            organisation: Some("HelloAsso".into()),
            consent: true,
        }
    }

    #[test]
    fn a_complete_form_gives_an_attendee_with_a_normalised_email() {
        let attendee = form().parse().unwrap();
        assert_eq!(attendee.email.as_str(), "camille.durand@example.org");
        assert_eq!(attendee.organisation.as_deref(), Some("HelloAsso"));
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let bad = RegistrationForm {
            name: " ".into(),
            email: "camille@".into(),
            organisation: None,
            consent: false,
        };
        let fields: Vec<_> = bad
            .parse()
            .unwrap_err()
            .iter()
            .map(FieldError::field)
            .collect();
        assert_eq!(fields, ["name", "email", "consent"]);
    }

    #[test]
    fn an_address_is_the_same_however_its_accents_were_typed() {
        let composed = Email::parse("\u{c9}lise@\u{e9}cole.fr").unwrap();
        let decomposed = Email::parse("E\u{301}lise@e\u{301}cole.FR").unwrap();
        assert_eq!(composed, decomposed);
        assert_eq!(decomposed.as_str(), "\u{e9}lise@\u{e9}cole.fr");
    }

    #[test]
    fn odd_email_addresses_are_refused() {
        for raw in [
            "",
            "a",
            "a@b",
            "a@@b.org",
            "a b@c.org",
            "a@b..org",
            "a@.b.org",
            "<a>@b.org",
            "a@b.org-",
        ] {
            assert!(Email::parse(raw).is_err(), "{raw:?} should be refused");
        }
        assert!(Email::parse("prénom.nom+étape@exemple.fr").is_ok());
        assert_eq!(
            Email::parse(&format!("{}@b.org", "a".repeat(300))),
            Err(EmailError::TooLong)
        );
    }

    #[test]
    fn a_seat_is_given_while_the_stage_has_one_then_the_waiting_list() {
        let stage = stage(2, StageStatus::Published);
        assert_eq!(
            admit(&stage, 0, during_registrations()),
            Ok(RegistrationStatus::Confirmed)
        );
        assert_eq!(
            admit(&stage, 1, during_registrations()),
            Ok(RegistrationStatus::Confirmed)
        );
        assert_eq!(
            admit(&stage, 2, during_registrations()),
            Ok(RegistrationStatus::Waitlisted)
        );
        let no_seats = self::stage(0, StageStatus::Published);
        assert_eq!(
            admit(&no_seats, 0, during_registrations()),
            Ok(RegistrationStatus::Waitlisted)
        );
    }

    #[test]
    fn registration_is_refused_outside_the_window_or_on_an_unpublished_stage() {
        let open = stage(10, StageStatus::Published);
        let before = Utc.with_ymd_and_hms(2026, 10, 1, 0, 0, 0).unwrap();
        assert!(matches!(
            admit(&open, 0, before),
            Err(RegistrationRefused::NotYetOpen { .. })
        ));
        assert_eq!(
            admit(&open, 0, open.registration_closes_at),
            Err(RegistrationRefused::Closed)
        );
        assert_eq!(
            admit(
                &stage(10, StageStatus::Cancelled),
                0,
                during_registrations()
            ),
            Err(RegistrationRefused::StageCancelled)
        );
        assert_eq!(
            admit(&stage(10, StageStatus::Draft), 0, during_registrations()),
            Err(RegistrationRefused::NotPublished)
        );
    }

    #[test]
    fn freed_seats_go_to_the_waiting_list_up_to_its_length() {
        let now = during_registrations();
        assert_eq!(
            seats_to_fill(&stage(50, StageStatus::Published), 49, 10, now),
            1
        );
        assert_eq!(
            seats_to_fill(&stage(60, StageStatus::Published), 50, 3, now),
            3
        );
        assert_eq!(
            seats_to_fill(&stage(50, StageStatus::Published), 50, 10, now),
            0
        );
    }

    #[test]
    fn a_lowered_capacity_confirms_nobody() {
        let lowered = stage(40, StageStatus::Published);
        assert_eq!(seats_to_fill(&lowered, 50, 10, during_registrations()), 0);
    }

    #[test]
    fn nobody_is_promoted_on_a_stage_that_is_not_going_ahead() {
        let now = during_registrations();
        assert_eq!(
            seats_to_fill(&stage(50, StageStatus::Cancelled), 10, 10, now),
            0
        );
        assert_eq!(
            seats_to_fill(&stage(50, StageStatus::Draft), 10, 10, now),
            0
        );
    }

    #[test]
    fn nobody_is_promoted_once_the_stage_has_ended() {
        let over = stage(50, StageStatus::Published);
        assert_eq!(seats_to_fill(&over, 10, 10, over.ends_at), 0);
        let before_the_end = over.ends_at - chrono::Duration::minutes(1);
        assert_eq!(seats_to_fill(&over, 10, 10, before_the_end), 10);
    }

    #[test]
    fn a_stage_says_how_many_seats_remain_only_when_few_do() {
        let now = during_registrations();
        let big = stage(120, StageStatus::Published);
        assert_eq!(
            Availability::of(&big, 30, 0, now),
            Availability::Open { seats_left: 90 }
        );
        assert_eq!(
            Availability::of(&big, 116, 0, now),
            Availability::FewSeatsLeft { seats_left: 4 }
        );
        // Ten free seats out of twelve is not "few", four out of twelve is.
        let small = stage(12, StageStatus::Published);
        assert_eq!(
            Availability::of(&small, 2, 0, now),
            Availability::Open { seats_left: 10 }
        );
        assert_eq!(
            Availability::of(&small, 8, 0, now),
            Availability::FewSeatsLeft { seats_left: 4 }
        );
    }

    #[test]
    fn a_full_stage_joins_the_waiting_list_even_after_its_capacity_was_lowered() {
        let now = during_registrations();
        let full = Availability::of(&stage(10, StageStatus::Published), 10, 12, now);
        assert_eq!(full, Availability::Full { waiting: 12 });
        assert!(full.joins_waiting_list());
        let lowered = Availability::of(&stage(5, StageStatus::Published), 10, 0, now);
        assert_eq!(lowered, Availability::Full { waiting: 0 });
        assert_eq!(seats_left(5, 10), 0);
    }

    #[test]
    fn a_stage_that_takes_no_registration_says_why_rather_than_its_seats() {
        let cancelled = stage(10, StageStatus::Cancelled);
        assert_eq!(
            Availability::of(&cancelled, 0, 0, during_registrations()),
            Availability::Refused(RegistrationRefused::StageCancelled)
        );
        let open = stage(10, StageStatus::Published);
        let before = Utc.with_ymd_and_hms(2026, 10, 1, 8, 0, 0).unwrap();
        assert!(matches!(
            Availability::of(&open, 0, 0, before),
            Availability::Refused(RegistrationRefused::NotYetOpen { .. })
        ));
        assert!(!Availability::of(&open, 0, 0, before).joins_waiting_list());
    }
}
