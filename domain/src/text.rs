//! Checks shared by every aggregate: required text, lengths, web addresses.

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, thiserror::Error)]
pub enum TextError {
    #[error("this field is required")]
    Required,
    #[error("this field is limited to {max} characters")]
    TooLong { max: usize },
    #[error("enter a full web address starting with https:// or http://")]
    InvalidUrl,
    #[error("this field contains invisible control characters")]
    ControlCharacter,
}

/// Trims and checks a required text field against a length limit (in characters).
pub fn required(raw: &str, max: usize) -> Result<String, TextError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(TextError::Required);
    }
    limited(trimmed, max)
}

/// Trims an optional text field: blank becomes `None`.
pub fn optional(raw: Option<&str>, max: usize) -> Result<Option<String>, TextError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(text) => limited(text, max).map(Some),
    }
}

fn limited(text: &str, max: usize) -> Result<String, TextError> {
    if text.chars().any(is_hidden) {
        return Err(TextError::ControlCharacter);
    }
    if text.chars().count() > max {
        Err(TextError::TooLong { max })
    } else {
        Ok(text.to_owned())
    }
}

/// A character that is not shown but changes what is shown or stored. Line breaks and tabs are
/// text; other control characters are not (and PostgreSQL refuses a NUL outright). Neither are
/// the invisible format characters that reorder or hide text: a right-to-left override makes
/// "Camille\u{202E}gnp.exe" read as another name on a door list, a zero-width space makes two
/// names look alike. The joiners that scripts and emoji need (U+200C, U+200D) are text.
fn is_hidden(c: char) -> bool {
    match c {
        '\n' | '\r' | '\t' => false,
        // Bidirectional marks, embeddings, overrides and isolates, and the Arabic letter mark.
        '\u{061C}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}' => true,
        // Zero-width space, word joiner, invisible operators, byte order mark, Mongolian vowel
        // separator.
        '\u{200B}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{180E}' => true,
        c => c.is_control(),
    }
}

/// An absolute http(s) address with a host and no whitespace or markup characters.
pub fn url(raw: &str) -> Result<String, TextError> {
    let url = raw.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or(TextError::InvalidUrl)?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
        && host.contains('.')
        || host.starts_with("localhost");
    let chars_ok = !url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\' | '`'));
    if host_ok && chars_ok && url.len() <= 2048 {
        Ok(url.to_owned())
    } else {
        Err(TextError::InvalidUrl)
    }
}

pub fn optional_url(raw: Option<&str>) -> Result<Option<String>, TextError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(u) => url(u).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_but_line_breaks_are_text() {
        assert_eq!(
            required("Ca\u{0}mille", 50),
            Err(TextError::ControlCharacter)
        );
        assert_eq!(required("a\u{7}b", 50), Err(TextError::ControlCharacter));
        assert_eq!(
            required("ligne 1\nligne 2\tfin", 50).as_deref(),
            Ok("ligne 1\nligne 2\tfin")
        );
    }

    #[test]
    fn characters_that_reorder_or_hide_text_are_refused_but_joiners_are_text() {
        for hidden in [
            "Camille\u{202E}gnp.exe",
            "Ca\u{200B}mille",
            "\u{2066}Lyon\u{2069}",
            "Lé\u{200F}a",
            "\u{FEFF}Paul",
            "a\u{2060}b",
        ] {
            assert_eq!(
                required(hidden, 50),
                Err(TextError::ControlCharacter),
                "{hidden:?}"
            );
            assert_eq!(optional(Some(hidden), 50), Err(TextError::ControlCharacter));
        }
        for text in ["👩\u{200D}💻 Inès", "می\u{200C}خواهم", "Zoé « Z » O'Neil"] {
            assert_eq!(required(text, 50).as_deref(), Ok(text), "{text:?}");
        }
    }

    #[test]
    fn required_text_is_trimmed_and_blank_is_refused() {
        assert_eq!(required("  Lyon ", 10), Ok("Lyon".into()));
        assert_eq!(required("   ", 10), Err(TextError::Required));
    }

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        assert!(required("ééééé", 5).is_ok());
        assert_eq!(required("éééééé", 5), Err(TextError::TooLong { max: 5 }));
    }

    #[test]
    fn blank_optional_text_becomes_none() {
        assert_eq!(optional(Some("  "), 5), Ok(None));
        assert_eq!(optional(None, 5), Ok(None));
    }

    #[test]
    fn web_addresses_must_be_absolute_http_with_a_host() {
        assert!(url("https://www.helloasso.com/").is_ok());
        assert!(url("http://example.org/a?b=c#d").is_ok());
        for bad in [
            "javascript:alert(1)",
            "www.example.org",
            "https://",
            "https://exa mple.org",
            "https://x.org/\"><script>",
            "ftp://x.org",
        ] {
            assert_eq!(url(bad), Err(TextError::InvalidUrl), "{bad}");
        }
    }
}
