//! The languages Étape speaks, and how a request or a page chooses one: the `lang` cookie (an
//! explicit choice), then the browser's `Accept-Language`, then French. One rule, used by the
//! pages (`use_locale`), the plain routes (`RequestLocale`) and the page cache alike.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    Fr,
    En,
}

/// Name of the cookie that remembers a visitor's explicit choice of language.
pub const LOCALE_COOKIE: &str = "lang";

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Fr, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Locale::Fr => "fr",
            Locale::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim().to_ascii_lowercase().as_str() {
            "fr" => Some(Locale::Fr),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The language's own name, as shown in the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::Fr => "Français",
            Locale::En => "English",
        }
    }

    /// Picks the best supported language from an `Accept-Language` header (RFC 9110 weights);
    /// French when nothing matches.
    pub fn from_accept_language(header: &str) -> Self {
        let mut best: Option<(f32, usize, Locale)> = None;
        for (position, part) in header.split(',').enumerate() {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let quality = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            let Some(locale) = Locale::from_code(primary) else {
                continue;
            };
            if quality <= 0.0 {
                continue;
            }
            let better = match best {
                None => true,
                Some((q, p, _)) => quality > q || (quality == q && position < p),
            };
            if better {
                best = Some((quality, position, locale));
            }
        }
        best.map(|(_, _, locale)| locale).unwrap_or(Locale::Fr)
    }

    /// Chooses the language of a request: an explicit choice (cookie) first, then the browser's.
    pub fn negotiate(cookie_header: Option<&str>, accept_language: Option<&str>) -> Self {
        let from_cookie = cookie_header.and_then(|header| {
            header.split(';').find_map(|pair| {
                let (name, value) = pair.split_once('=')?;
                (name.trim() == LOCALE_COOKIE)
                    .then(|| Locale::from_code(value))
                    .flatten()
            })
        });
        from_cookie.unwrap_or_else(|| {
            accept_language
                .map(Self::from_accept_language)
                .unwrap_or(Locale::Fr)
        })
    }

    /// The language of a request with these headers.
    #[cfg(feature = "ssr")]
    pub fn from_headers(headers: &http::HeaderMap) -> Self {
        let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
        Locale::negotiate(
            header(http::header::COOKIE),
            header(http::header::ACCEPT_LANGUAGE),
        )
    }
}

/// The language of a request, for plain axum handlers: `RequestLocale(locale)` as an argument.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestLocale(pub Locale);

#[cfg(feature = "ssr")]
impl<S: Send + Sync> axum::extract::FromRequestParts<S> for RequestLocale {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(RequestLocale(Locale::from_headers(&parts.headers)))
    }
}

/// The language of the page being rendered. On the server it is negotiated from the request;
/// in the browser it is read back from `<html lang>`, which the server wrote, so both sides
/// agree and hydration matches.
pub fn use_locale() -> Locale {
    use leptos::prelude::use_context;
    if let Some(locale) = use_context::<Locale>() {
        return locale;
    }
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .map(|parts| Locale::from_headers(&parts.headers))
            .unwrap_or(Locale::Fr)
    }
    #[cfg(not(feature = "ssr"))]
    {
        leptos::prelude::document()
            .document_element()
            .and_then(|root| root.get_attribute("lang"))
            .and_then(|code| Locale::from_code(&code))
            .unwrap_or(Locale::Fr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_language_with_the_highest_weight_wins() {
        assert_eq!(
            Locale::from_accept_language("en-US,en;q=0.9,fr;q=0.8"),
            Locale::En
        );
        assert_eq!(
            Locale::from_accept_language("de-DE,fr;q=0.5,en;q=0.7"),
            Locale::En
        );
        assert_eq!(
            Locale::from_accept_language("fr-FR,fr;q=0.9,en;q=0.8"),
            Locale::Fr
        );
    }

    #[test]
    fn french_is_the_default_when_nothing_matches() {
        assert_eq!(Locale::from_accept_language("de, es;q=0.5"), Locale::Fr);
        assert_eq!(Locale::from_accept_language("garbage;;;q=x,,"), Locale::Fr);
        assert_eq!(Locale::from_accept_language("en;q=0"), Locale::Fr);
    }

    #[test]
    fn an_explicit_choice_beats_the_browser_language() {
        assert_eq!(
            Locale::negotiate(Some("a=b; lang=en"), Some("fr")),
            Locale::En
        );
        assert_eq!(Locale::negotiate(Some("lang=xx"), Some("en")), Locale::En);
        assert_eq!(Locale::negotiate(None, None), Locale::Fr);
    }
}
