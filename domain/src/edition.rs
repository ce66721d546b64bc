//! Editions: one week, one theme, national partners, many city stages.

use super::organisation::Organisation;
use super::slug::{Slug, SlugError};
use super::text::{self, TextError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditionError {
    #[error("name: {0}")]
    Name(TextError),
    #[error("address: {0}")]
    Slug(SlugError),
    #[error("the edition number must be 1 or more")]
    Number,
    #[error("the edition must end on or after the day it starts")]
    EndsBeforeStart,
    #[error("an edition lasts at most 31 days")]
    TooLong,
    #[error("theme: {0}")]
    Theme(TextError),
    #[error("description: {0}")]
    Description(TextError),
}

/// Drafts are visible to their organisers only; published editions are public.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EditionStatus {
    Draft,
    Published,
}

impl EditionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "draft" => Some(Self::Draft),
            "published" => Some(Self::Published),
            _ => None,
        }
    }

    /// A published edition stays published: its address is in calendars and emails.
    pub fn publishable(self) -> bool {
        self == Self::Draft
    }
}

/// Where an edition sits relative to a given day, so past editions are shown as such.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    Upcoming,
    Running,
    Past,
}

#[derive(Debug, Clone)]
pub struct NewEdition<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub number: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub theme: &'a str,
    pub description: &'a str,
    pub partners: Vec<Organisation>,
    pub status: EditionStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edition {
    pub name: String,
    pub slug: Slug,
    pub number: u32,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub theme: String,
    pub description: String,
    pub partners: Vec<Organisation>,
    pub status: EditionStatus,
}

impl Edition {
    /// A valid edition, or its first mistake.
    pub fn parse(new: NewEdition<'_>) -> Result<Self, EditionError> {
        Self::parse_all(new).map_err(|mut errors| errors.swap_remove(0))
    }

    /// A valid edition, or every mistake at once (for a form that shows each beside its field).
    pub fn parse_all(new: NewEdition<'_>) -> Result<Self, Vec<EditionError>> {
        let mut errors = Vec::new();
        let name = text::required(new.name, 120)
            .map_err(|e| errors.push(EditionError::Name(e)))
            .ok();
        let slug = Slug::parse_top_level(new.slug)
            .map_err(|e| errors.push(EditionError::Slug(e)))
            .ok();
        let number = u32::try_from(new.number).ok().filter(|n| *n >= 1);
        if number.is_none() {
            errors.push(EditionError::Number);
        }
        if new.ends_on < new.starts_on {
            errors.push(EditionError::EndsBeforeStart);
        } else if (new.ends_on - new.starts_on).num_days() > 30 {
            errors.push(EditionError::TooLong);
        }
        let theme = text::required(new.theme, 200)
            .map_err(|e| errors.push(EditionError::Theme(e)))
            .ok();
        let description = text::optional(Some(new.description), 4000)
            .map_err(|e| errors.push(EditionError::Description(e)))
            .ok();
        match (name, slug, number, theme, description) {
            (Some(name), Some(slug), Some(number), Some(theme), Some(description))
                if errors.is_empty() =>
            {
                Ok(Self {
                    name,
                    slug,
                    number,
                    starts_on: new.starts_on,
                    ends_on: new.ends_on,
                    theme,
                    description: description.unwrap_or_default(),
                    partners: new.partners,
                    status: new.status,
                })
            }
            _ => Err(errors),
        }
    }

    pub fn phase(&self, today: NaiveDate) -> Phase {
        phase(self.starts_on, self.ends_on, today)
    }
}

/// The phase of any span of days relative to `today`.
pub fn phase(starts_on: NaiveDate, ends_on: NaiveDate, today: NaiveDate) -> Phase {
    if today < starts_on {
        Phase::Upcoming
    } else if today > ends_on {
        Phase::Past
    } else {
        Phase::Running
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn sgw() -> NewEdition<'static> {
        NewEdition {
            name: "Social Good Week 2013",
            slug: "social-good-week-2013",
            number: 2,
            starts_on: date(2013, 12, 9),
            ends_on: date(2013, 12, 15),
            theme: "Le digital au service de l'intérêt général",
            description: "",
            partners: vec![],
            status: EditionStatus::Published,
        }
    }

    #[test]
    fn a_valid_edition_is_accepted() {
        let edition = Edition::parse(sgw()).unwrap();
        assert_eq!(edition.number, 2);
        assert_eq!(edition.slug.as_str(), "social-good-week-2013");
    }

    #[test]
    fn an_edition_cannot_end_before_it_starts() {
        let new = NewEdition {
            ends_on: date(2013, 12, 8),
            ..sgw()
        };
        assert_eq!(Edition::parse(new), Err(EditionError::EndsBeforeStart));
    }

    #[test]
    fn an_edition_number_is_positive() {
        assert_eq!(
            Edition::parse(NewEdition { number: 0, ..sgw() }),
            Err(EditionError::Number)
        );
        assert_eq!(
            Edition::parse(NewEdition {
                number: -3,
                ..sgw()
            }),
            Err(EditionError::Number)
        );
    }

    #[test]
    fn an_edition_slug_cannot_shadow_etape_routes() {
        let err = Edition::parse(NewEdition {
            slug: "feeds",
            ..sgw()
        })
        .unwrap_err();
        assert!(matches!(err, EditionError::Slug(SlugError::Reserved(_))));
    }

    #[test]
    fn an_edition_is_past_after_its_last_day() {
        let edition = Edition::parse(sgw()).unwrap();
        assert_eq!(edition.phase(date(2026, 11, 26)), Phase::Past);
        assert_eq!(edition.phase(date(2013, 12, 15)), Phase::Running);
        assert_eq!(edition.phase(date(2013, 12, 1)), Phase::Upcoming);
    }
}
