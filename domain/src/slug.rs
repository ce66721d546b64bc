//! URL slugs for editions, stages and cities: the words people see in addresses.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Paths that belong to Étape itself, so no edition may take them as its slug (nor a stage:
/// `/workspace/editions/{edition}/stages/new` is the new-stage form).
pub const RESERVED: &[&str] = &[
    "api",
    "pkg",
    "feeds",
    // `/feeds/attendee/…` is the attendee feed, not an edition's.
    "attendee",
    "healthz",
    "lang",
    "privacy",
    "tickets",
    "registrations",
    // `/confirm/…`: the emailed link that confirms a registration's address.
    "confirm",
    "admin",
    "static",
    "assets",
    "login",
    "logout",
    "scan",
    "door",
    "my",
    "lost-link",
    "workspace",
    "new",
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    #[error("the address part is empty")]
    Empty,
    #[error("the address part is longer than {max} characters")]
    TooLong { max: usize },
    #[error("use only lowercase letters a–z, digits and single hyphens, not at either end")]
    InvalidCharacters,
    #[error("« {0} » is reserved by Étape")]
    Reserved(String),
}

/// A validated slug: `[a-z0-9]+(-[a-z0-9]+)*`, at most 64 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    pub const MAX_LEN: usize = 64;

    pub fn parse(raw: &str) -> Result<Self, SlugError> {
        if raw.is_empty() {
            return Err(SlugError::Empty);
        }
        if raw.len() > Self::MAX_LEN {
            return Err(SlugError::TooLong { max: Self::MAX_LEN });
        }
        let valid_chars = raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid_chars || raw.starts_with('-') || raw.ends_with('-') || raw.contains("--") {
            return Err(SlugError::InvalidCharacters);
        }
        Ok(Self(raw.to_owned()))
    }

    /// A slug for a top-level path (an edition), which must not shadow Étape's own routes.
    pub fn parse_top_level(raw: &str) -> Result<Self, SlugError> {
        let slug = Self::parse(raw)?;
        if RESERVED.contains(&slug.as_str()) {
            return Err(SlugError::Reserved(slug.0));
        }
        Ok(slug)
    }

    /// Derives a slug from a human name: « Saint-Étienne » becomes `saint-etienne`.
    pub fn from_name(name: &str) -> Result<Self, SlugError> {
        let mut out = String::with_capacity(name.len());
        for ch in name.chars().flat_map(fold_accent) {
            if ch.is_ascii_alphanumeric() {
                out.push(ch.to_ascii_lowercase());
            } else if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        }
        while out.ends_with('-') {
            out.pop();
        }
        out.truncate(Self::MAX_LEN);
        while out.ends_with('-') {
            out.pop();
        }
        Self::parse(&out)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn fold_accent(ch: char) -> impl Iterator<Item = char> {
    let folded: &str = match ch {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' | 'À' | 'Á' | 'Â' | 'Ä' | 'Ã' | 'Å' => "a",
        'ç' | 'Ç' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'Ò' | 'Ó' | 'Ô' | 'Ö' | 'Õ' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ý' | 'ÿ' | 'Ý' => "y",
        'œ' | 'Œ' => "oe",
        'æ' | 'Æ' => "ae",
        _ => "",
    };
    let own = if folded.is_empty() { Some(ch) } else { None };
    folded.chars().chain(own)
}

impl TryFrom<String> for Slug {
    type Error = SlugError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Slug> for String {
    fn from(slug: Slug) -> Self {
        slug.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_lowercase_slug_is_accepted() {
        assert_eq!(
            Slug::parse("social-good-week-2013").unwrap().as_str(),
            "social-good-week-2013"
        );
    }

    #[test]
    fn uppercase_spaces_and_double_hyphens_are_refused() {
        for bad in [
            "Lyon",
            "saint etienne",
            "a--b",
            "-lyon",
            "lyon-",
            "lyon/2",
            "é",
        ] {
            assert_eq!(Slug::parse(bad), Err(SlugError::InvalidCharacters), "{bad}");
        }
    }

    #[test]
    fn empty_and_overlong_slugs_are_refused() {
        assert_eq!(Slug::parse(""), Err(SlugError::Empty));
        assert_eq!(
            Slug::parse(&"a".repeat(65)),
            Err(SlugError::TooLong { max: 64 })
        );
    }

    #[test]
    fn an_edition_cannot_take_a_path_of_etape_itself() {
        assert_eq!(
            Slug::parse_top_level("api"),
            Err(SlugError::Reserved("api".into()))
        );
        assert!(Slug::parse_top_level("lyon").is_ok());
    }

    #[test]
    fn a_city_name_with_accents_becomes_a_slug() {
        assert_eq!(
            Slug::from_name("Saint-Étienne").unwrap().as_str(),
            "saint-etienne"
        );
        assert_eq!(
            Slug::from_name("  Aix en Provence ").unwrap().as_str(),
            "aix-en-provence"
        );
        assert_eq!(
            Slug::from_name("Cœur d'Île").unwrap().as_str(),
            "coeur-d-ile"
        );
    }

    #[test]
    fn slugs_deserialize_only_when_valid() {
        assert!(serde_json::from_str::<Slug>("\"lyon\"").is_ok());
        assert!(serde_json::from_str::<Slug>("\"Lyon\"").is_err());
    }
}
