//! The edition form as a person fills it: every field as typed, checked all at once so that
//! each mistake shows beside its field, and nothing typed is lost.

use super::edition::{Edition, EditionError, EditionStatus, NewEdition};
use super::slug::Slug;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What was typed, field by field (the page keeps it when the form comes back).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditionForm {
    pub name: String,
    /// The page's address (`/{slug}`); left blank, it is made from the name.
    #[serde(default)]
    pub slug: String,
    pub number: String,
    /// `YYYY-MM-DD`, as `<input type="date">` sends it.
    pub starts_on: String,
    pub ends_on: String,
    pub theme: String,
    #[serde(default)]
    pub description: String,
}

/// One mistake in the edition form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditionFieldError {
    /// A rule of editions themselves.
    Edition(EditionError),
    /// Not a day (`YYYY-MM-DD`).
    StartsOn,
    EndsOn,
    /// Another edition already has this address.
    SlugTaken,
}

impl EditionFieldError {
    /// The form field it belongs to (its `name` attribute).
    pub fn field(&self) -> &'static str {
        match self {
            EditionFieldError::Edition(error) => match error {
                EditionError::Name(_) => "name",
                EditionError::Slug(_) => "slug",
                EditionError::Number => "number",
                EditionError::EndsBeforeStart | EditionError::TooLong => "ends_on",
                EditionError::Theme(_) => "theme",
                EditionError::Description(_) => "description",
            },
            EditionFieldError::StartsOn => "starts_on",
            EditionFieldError::EndsOn => "ends_on",
            EditionFieldError::SlugTaken => "slug",
        }
    }
}

impl EditionForm {
    /// The address the edition gets: as typed, or made from its name when left blank.
    pub fn slug_or_from_name(&self) -> String {
        let typed = self.slug.trim();
        if typed.is_empty() {
            Slug::from_name(&self.name)
                .map(|slug| slug.as_str().to_owned())
                .unwrap_or_default()
        } else {
            typed.to_owned()
        }
    }

    /// A new draft edition, or every mistake at once.
    pub fn parse(&self) -> Result<Edition, Vec<EditionFieldError>> {
        let starts_on = date(&self.starts_on);
        let ends_on = date(&self.ends_on);
        let slug = self.slug_or_from_name();
        let edition = Edition::parse_all(NewEdition {
            name: &self.name,
            slug: &slug,
            // Not a number is the same mistake as a number below 1.
            number: self.number.trim().parse().unwrap_or(0),
            starts_on: starts_on.unwrap_or_default(),
            ends_on: ends_on.or(starts_on).unwrap_or_default(),
            theme: &self.theme,
            description: &self.description,
            partners: vec![],
            status: EditionStatus::Draft,
        });
        let mut errors: Vec<EditionFieldError> = match &edition {
            Ok(_) => vec![],
            Err(errors) => errors
                .iter()
                .filter(|e| {
                    // Without both days, their order means nothing yet.
                    let dates_known = starts_on.is_some() && ends_on.is_some();
                    dates_known
                        || !matches!(e, EditionError::EndsBeforeStart | EditionError::TooLong)
                })
                .cloned()
                .map(EditionFieldError::Edition)
                .collect(),
        };
        if starts_on.is_none() {
            errors.push(EditionFieldError::StartsOn);
        }
        if ends_on.is_none() {
            errors.push(EditionFieldError::EndsOn);
        }
        match edition {
            Ok(edition) if errors.is_empty() => Ok(edition),
            _ => Err(errors),
        }
    }
}

fn date(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::slug::SlugError;
    use crate::domain::text::TextError;

    fn form() -> EditionForm {
        EditionForm {
            name: "Social Good Week 2027".into(),
            slug: String::new(),
            number: "4".into(),
            starts_on: "2027-12-06".into(),
            ends_on: "2027-12-12".into(),
            theme: "Le numérique solidaire".into(),
            description: "Une semaine, dix villes.".into(),
        }
    }

    #[test]
    fn a_good_form_makes_a_draft_named_after_itself() {
        let edition = form().parse().unwrap();
        assert_eq!(edition.slug.as_str(), "social-good-week-2027");
        assert_eq!(edition.status, EditionStatus::Draft);
        assert_eq!(edition.number, 4);
        let chosen = EditionForm {
            slug: " sgw-2027 ".into(),
            ..form()
        };
        assert_eq!(chosen.parse().unwrap().slug.as_str(), "sgw-2027");
    }

    #[test]
    fn every_mistake_is_reported_at_once_beside_its_field() {
        let errors = EditionForm {
            name: "  ".into(),
            slug: "Not A Slug".into(),
            number: "third".into(),
            starts_on: "06/12/2027".into(),
            ends_on: "2027-12-12".into(),
            theme: String::new(),
            description: "x".repeat(4001),
        }
        .parse()
        .unwrap_err();
        let fields: Vec<_> = errors.iter().map(EditionFieldError::field).collect();
        assert_eq!(
            fields,
            [
                "name",
                "slug",
                "number",
                "theme",
                "description",
                "starts_on"
            ]
        );
        assert!(
            errors.contains(&EditionFieldError::Edition(EditionError::Name(
                TextError::Required
            )))
        );
        assert!(
            errors.contains(&EditionFieldError::Edition(EditionError::Slug(
                SlugError::InvalidCharacters
            )))
        );
    }

    #[test]
    fn the_days_must_come_in_order_within_a_month() {
        let backwards = EditionForm {
            ends_on: "2027-12-01".into(),
            ..form()
        };
        assert_eq!(
            backwards.parse().unwrap_err(),
            vec![EditionFieldError::Edition(EditionError::EndsBeforeStart)]
        );
        let long = EditionForm {
            ends_on: "2028-02-01".into(),
            ..form()
        };
        assert_eq!(
            long.parse().unwrap_err(),
            vec![EditionFieldError::Edition(EditionError::TooLong)]
        );
        let missing_end = EditionForm {
            ends_on: String::new(),
            ..form()
        };
        assert_eq!(
            missing_end.parse().unwrap_err(),
            vec![EditionFieldError::EndsOn]
        );
    }

    #[test]
    fn a_name_that_makes_no_address_asks_for_one() {
        let errors = EditionForm {
            name: "***".into(),
            ..form()
        }
        .parse()
        .unwrap_err();
        assert_eq!(
            errors.iter().map(|e| e.field()).collect::<Vec<_>>(),
            ["slug"]
        );
    }
}
