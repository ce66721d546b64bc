//! The edition form as a person fills it: every field as typed, checked all at once so that
//! each mistake shows beside its field, and nothing typed is lost.

use super::edition::{Edition, EditionError, EditionStatus, NewEdition};
use super::organisation::{NewOrganisation, Organisation, OrganisationError};
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
    /// National partners, one per line: the name, then its website and its logo's address.
    #[serde(default)]
    pub partners: String,
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
    /// A partner line, counted from 1, and what is wrong with it.
    Partner(usize, OrganisationError),
    /// A stage (its city) would fall outside the edition's new days.
    StageOutside(String),
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
            EditionFieldError::Partner(..) => "partners",
            EditionFieldError::StageOutside(_) => "starts_on",
        }
    }
}

impl EditionForm {
    /// The form filled with a stored edition.
    pub fn from_edition(edition: &Edition) -> Self {
        EditionForm {
            name: edition.name.clone(),
            slug: edition.slug.as_str().to_owned(),
            number: edition.number.to_string(),
            starts_on: edition.starts_on.to_string(),
            ends_on: edition.ends_on.to_string(),
            theme: edition.theme.clone(),
            description: edition.description.clone(),
            partners: edition
                .partners
                .iter()
                .map(|p| {
                    [
                        Some(p.name.as_str()),
                        p.website.as_deref(),
                        p.logo_url.as_deref(),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ")
                })
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    /// The partners, one per non-blank line: a name, then up to two web addresses (its site,
    /// then its logo).
    fn partners(&self) -> Result<Vec<Organisation>, Vec<EditionFieldError>> {
        let mut partners = Vec::new();
        let mut mistakes = Vec::new();
        for (index, line) in self.partners.lines().enumerate() {
            let words: Vec<&str> = line.split_whitespace().collect();
            if words.is_empty() {
                continue;
            }
            let addresses = words
                .iter()
                .rev()
                .take_while(|w| w.starts_with("http://") || w.starts_with("https://"))
                .count()
                .min(2);
            let name = words[..words.len() - addresses].join(" ");
            let urls = &words[words.len() - addresses..];
            let parsed = Organisation::parse(NewOrganisation {
                name: &name,
                website: urls.first().copied(),
                logo_url: urls.get(1).copied(),
                description: None,
            });
            match parsed {
                Ok(partner) => partners.push(partner),
                Err(error) => mistakes.push(EditionFieldError::Partner(index + 1, error)),
            }
        }
        if mistakes.is_empty() {
            Ok(partners)
        } else {
            Err(mistakes)
        }
    }

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
        self.parse_as(EditionStatus::Draft)
    }

    /// The edition the form describes, with `status`, or every mistake at once.
    pub fn parse_as(&self, status: EditionStatus) -> Result<Edition, Vec<EditionFieldError>> {
        let partners = self.partners();
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
            partners: partners.clone().unwrap_or_default(),
            status,
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
        if let Err(mistakes) = partners {
            errors.extend(mistakes);
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
    use crate::slug::SlugError;
    use crate::text::TextError;

    fn form() -> EditionForm {
        EditionForm {
            name: "Social Good Week 2027".into(),
            slug: String::new(),
            number: "4".into(),
            starts_on: "2027-12-06".into(),
            ends_on: "2027-12-12".into(),
            theme: "Le numérique solidaire".into(),
            description: "Une semaine, dix villes.".into(),
            partners:
                "HelloAsso https://www.helloasso.com https://www.helloasso.com/logo.svg\nLa Ruche"
                    .into(),
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
            partners: String::new(),
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

    #[test]
    fn partners_are_a_name_then_a_site_then_a_logo_and_come_back_as_typed() {
        let edition = form().parse().unwrap();
        assert_eq!(edition.partners.len(), 2);
        assert_eq!(edition.partners[0].name, "HelloAsso");
        assert_eq!(
            edition.partners[0].logo_url.as_deref(),
            Some("https://www.helloasso.com/logo.svg")
        );
        assert_eq!(edition.partners[1].website, None);
        assert_eq!(
            EditionForm::from_edition(&edition).parse().unwrap(),
            edition
        );
        let nameless = EditionForm {
            partners: "La Ruche\nhttps://x.example".into(),
            ..form()
        };
        assert_eq!(
            nameless.parse().unwrap_err(),
            vec![EditionFieldError::Partner(
                2,
                OrganisationError::Name(crate::text::TextError::Required)
            )]
        );
    }
}
