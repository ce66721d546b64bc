//! Organisations: national partners of an edition, co-organisers of a stage, project holders.

use super::text::{self, TextError};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrganisationError {
    #[error("name: {0}")]
    Name(TextError),
    #[error("website: {0}")]
    Website(TextError),
    #[error("logo: {0}")]
    Logo(TextError),
    #[error("description: {0}")]
    Description(TextError),
}

/// What a person types to describe an organisation, before validation.
#[derive(Debug, Clone, Default)]
pub struct NewOrganisation<'a> {
    pub name: &'a str,
    pub website: Option<&'a str>,
    pub logo_url: Option<&'a str>,
    pub description: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub name: String,
    pub website: Option<String>,
    pub logo_url: Option<String>,
    pub description: Option<String>,
}

impl Organisation {
    pub fn parse(new: NewOrganisation<'_>) -> Result<Self, OrganisationError> {
        Ok(Self {
            name: text::required(new.name, 120).map_err(OrganisationError::Name)?,
            website: text::optional_url(new.website).map_err(OrganisationError::Website)?,
            logo_url: text::optional_url(new.logo_url).map_err(OrganisationError::Logo)?,
            description: text::optional(new.description, 500)
                .map_err(OrganisationError::Description)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_organisation_needs_a_name() {
        let err = Organisation::parse(NewOrganisation {
            name: " ",
            ..Default::default()
        });
        assert_eq!(err, Err(OrganisationError::Name(TextError::Required)));
    }

    #[test]
    fn an_organisation_website_must_be_a_web_address() {
        let err = Organisation::parse(NewOrganisation {
            name: "SFR",
            website: Some("sfr dot fr"),
            ..Default::default()
        });
        assert_eq!(err, Err(OrganisationError::Website(TextError::InvalidUrl)));
    }
}
