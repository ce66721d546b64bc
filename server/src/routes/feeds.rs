//! `GET` and `HEAD` of the calendar feeds, with what calendar clients and caches rely on:
//! an `ETag` (a hash of the bytes) and `Last-Modified`, `304 Not Modified` answers, a cache
//! lifetime, and a file name for downloads.
//!
//! - `/feeds/{edition}.ics`
//! - `/feeds/{edition}/{city}.ics`
//! - `/feeds/{edition}/stages/{stage}.ics`
//! - `/feeds/attendee/{token}.ics` (private: no shared cache, no `Referer`)

use crate::feeds::calendar::render;
use crate::feeds::{Published, Reader, Scope};
use crate::state::AppState;
use app::api::cache::TtlCache;
use app::error::AppError;
use app::i18n::Locale;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// How long a client or shared cache may keep a public feed before asking again.
const PUBLIC_CACHE: &str = "public, max-age=300";
/// A personal feed: kept by the client only, and checked with it each time.
const PRIVATE_CACHE: &str = "private, no-cache";

#[derive(Deserialize)]
pub struct FeedQuery {
    /// `fr` or `en`: the language of a public feed's words (else the request's).
    lang: Option<String>,
}

pub async fn edition(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(query): Query<FeedQuery>,
    headers: HeaderMap,
) -> Response {
    let Some(edition) = ics_stem(&file) else {
        return not_found(&headers);
    };
    let scope = Scope::Edition {
        edition: edition.to_owned(),
    };
    serve(&state, scope, &query, &headers).await
}

pub async fn city(
    State(state): State<AppState>,
    Path((edition, file)): Path<(String, String)>,
    Query(query): Query<FeedQuery>,
    headers: HeaderMap,
) -> Response {
    let Some(city) = ics_stem(&file) else {
        return not_found(&headers);
    };
    let scope = Scope::City {
        edition,
        city: city.to_owned(),
    };
    serve(&state, scope, &query, &headers).await
}

pub async fn stage(
    State(state): State<AppState>,
    Path((edition, file)): Path<(String, String)>,
    Query(query): Query<FeedQuery>,
    headers: HeaderMap,
) -> Response {
    let Some(stage) = ics_stem(&file) else {
        return not_found(&headers);
    };
    let scope = Scope::Stage {
        edition,
        stage: stage.to_owned(),
    };
    serve(&state, scope, &query, &headers).await
}

pub async fn attendee(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(token) = ics_stem(&file) else {
        return not_found(&headers);
    };
    let scope = Scope::Attendee {
        token: token.to_owned(),
    };
    let mut response = serve(&state, scope, &FeedQuery { lang: None }, &headers).await;
    response.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

fn ics_stem(file: &str) -> Option<&str> {
    file.strip_suffix(".ics").filter(|stem| !stem.is_empty())
}

fn locale(query: &FeedQuery, headers: &HeaderMap) -> Locale {
    if let Some(locale) = query.lang.as_deref().and_then(Locale::from_code) {
        return locale;
    }
    Locale::from_headers(headers)
}

/// A feed as sent: the bytes and what the headers say about them.
pub struct RenderedFeed {
    body: Bytes,
    etag: String,
    last_modified: Option<DateTime<Utc>>,
    disposition: String,
}

/// Rendered public feeds, kept as long as the programme cache keeps what they are made from: a
/// large edition's feed is built once a second at most, however many calendars poll it.
pub type FeedCache = TtlCache<(Scope, Locale), Arc<RenderedFeed>>;

async fn serve(state: &AppState, scope: Scope, query: &FeedQuery, headers: &HeaderMap) -> Response {
    let private = matches!(scope, Scope::Attendee { .. });
    let locale = locale(query, headers);
    let load = async {
        let reader = Reader {
            db: &state.db,
            cache: &state.programme,
            links: &state.links,
            locale,
        };
        let published = reader.read(&scope).await?;
        Ok::<_, AppError>(Some(Arc::new(rendered(&published))))
    };
    // A personal feed is small and read straight from storage: a cancellation leaves it at
    // once, and nobody's registrations stay in memory.
    let rendered = if private {
        load.await
    } else {
        state.feeds.get_or_load((scope.clone(), locale), load).await
    };
    let feed = match rendered {
        Ok(Some(feed)) => feed,
        Ok(None) | Err(AppError::NotFound) => return not_found(headers),
        Err(error) => {
            let status = error.status();
            return (status, plain(), error.message(locale)).into_response();
        }
    };
    let cache = if private { PRIVATE_CACHE } else { PUBLIC_CACHE };
    let mut response = if not_modified(headers, &feed.etag, feed.last_modified) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = feed.body.clone().into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/calendar; charset=utf-8"),
        );
        if let Ok(disposition) = HeaderValue::from_str(&feed.disposition) {
            headers.insert(header::CONTENT_DISPOSITION, disposition);
        }
        response
    };
    let out = response.headers_mut();
    if let Ok(etag) = HeaderValue::from_str(&feed.etag) {
        out.insert(header::ETAG, etag);
    }
    if let Some(last_modified) = feed.last_modified.map(http_date) {
        if let Ok(value) = HeaderValue::from_str(&last_modified) {
            out.insert(header::LAST_MODIFIED, value);
        }
    }
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    out.insert(
        header::VARY,
        HeaderValue::from_static("Accept-Language, Cookie"),
    );
    response
}

fn rendered(published: &Published) -> RenderedFeed {
    let body = render(&published.feed);
    RenderedFeed {
        etag: entity_tag(&body),
        body: Bytes::from(body),
        last_modified: published.last_modified,
        disposition: disposition(published),
    }
}

/// A strong validator: the same bytes, the same tag, on any server.
fn entity_tag(body: &str) -> String {
    let digest = Sha256::digest(body.as_bytes());
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// RFC 9110 §13.1: `If-None-Match` decides when present; else `If-Modified-Since`.
fn not_modified(headers: &HeaderMap, etag: &str, last_modified: Option<DateTime<Utc>>) -> bool {
    if let Some(if_none_match) = headers.get(header::IF_NONE_MATCH) {
        let Ok(tags) = if_none_match.to_str() else {
            return false;
        };
        return tags
            .split(',')
            .map(str::trim)
            .any(|tag| tag == "*" || tag == etag || tag.strip_prefix("W/") == Some(etag));
    }
    let since = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| DateTime::parse_from_rfc2822(value).ok());
    match (since, last_modified) {
        // HTTP dates have whole seconds.
        (Some(since), Some(modified)) => modified.timestamp() <= since.timestamp(),
        _ => false,
    }
}

fn http_date(instant: DateTime<Utc>) -> String {
    instant.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn disposition(published: &Published) -> String {
    let stem: String = published
        .file_stem
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    format!("attachment; filename=\"{stem}.ics\"")
}

fn plain() -> [(header::HeaderName, HeaderValue); 1] {
    [(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    )]
}

fn not_found(headers: &HeaderMap) -> Response {
    let locale = locale(&FeedQuery { lang: None }, headers);
    let message = match locale {
        Locale::Fr => "Ce calendrier n'existe pas.",
        Locale::En => "There is no such calendar.",
    };
    (StatusCode::NOT_FOUND, plain(), message).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn with(name: header::HeaderName, value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn a_matching_tag_or_an_old_enough_date_is_not_modified() {
        let modified = Some(Utc.with_ymd_and_hms(2026, 11, 29, 10, 0, 0).unwrap());
        let tag = "\"abc\"";
        assert!(not_modified(
            &with(header::IF_NONE_MATCH, "\"x\", \"abc\""),
            tag,
            modified
        ));
        assert!(not_modified(
            &with(header::IF_NONE_MATCH, "W/\"abc\""),
            tag,
            modified
        ));
        assert!(!not_modified(
            &with(header::IF_NONE_MATCH, "\"x\""),
            tag,
            modified
        ));
        let since = with(header::IF_MODIFIED_SINCE, "Sun, 29 Nov 2026 10:00:00 GMT");
        assert!(not_modified(&since, tag, modified));
        let before = with(header::IF_MODIFIED_SINCE, "Sun, 29 Nov 2026 09:59:59 GMT");
        assert!(!not_modified(&before, tag, modified));
        assert!(!not_modified(
            &with(header::IF_MODIFIED_SINCE, "garbage"),
            tag,
            modified
        ));
        assert!(!not_modified(&HeaderMap::new(), tag, modified));
        // A tag that does not match wins over a date that would.
        let mut both = since.clone();
        both.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"x\""));
        assert!(!not_modified(&both, tag, modified));
    }

    #[test]
    fn http_dates_are_imf_fixdate() {
        let instant = Utc.with_ymd_and_hms(2026, 11, 29, 9, 5, 3).unwrap();
        assert_eq!(http_date(instant), "Sun, 29 Nov 2026 09:05:03 GMT");
    }

    #[test]
    fn only_files_ending_in_ics_are_feeds() {
        assert_eq!(ics_stem("lyon.ics"), Some("lyon"));
        assert_eq!(ics_stem("lyon"), None);
        assert_eq!(ics_stem(".ics"), None);
    }
}
