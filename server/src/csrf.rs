//! Cross-site request forgery: a request that changes something (any method but GET, HEAD,
//! OPTIONS) is refused when the browser says it comes from another site. Browsers send
//! `Sec-Fetch-Site`, and `Origin` on every cross-origin POST; scripts and servers (the API's
//! real clients, curl, the benchmark) send neither and are not affected — they carry no
//! cookie of the victim's anyway. Nothing here depends on a token in the page, so cached
//! pages and the no-JavaScript forms stay safe.
//!
//! A request that carries a workspace login is held to more: it must say where it comes from
//! (`Sec-Fetch-Site` or `Origin`), as every browser of the last years does on a POST, so that
//! an old browser or a plug-in that sends neither cannot be used to act with someone's login.
//! (The cookie is also `SameSite=Lax`, which keeps it off other sites' POSTs.)

use app::error::AppError;
use app::i18n::Locale;
use axum::extract::Request;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn refuse_cross_site(request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let headers = request.headers();
    let accepted = same_site(headers) && (says_where_from(headers) || !carries_login(headers));
    if safe || accepted {
        return next.run(request).await;
    }
    // The request's span already names the path, with private-link tokens left out
    // (`startup::loggable_path`): the raw path here would log a cancel link's token.
    tracing::warn!("cross-site request refused");
    refusal(request.uri().path(), request.headers())
}

/// Whether the request may come from a page of this site (or from no page at all).
fn same_site(headers: &HeaderMap) -> bool {
    match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        Some("same-origin") | Some("none") => return true,
        Some(_) => return false,
        None => {}
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin_host = origin
        .split_once("://")
        .map(|(_, rest)| rest.trim_end_matches('/'));
    matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
}

/// Whether the request names the site it comes from.
fn says_where_from(headers: &HeaderMap) -> bool {
    headers.contains_key("sec-fetch-site") || headers.contains_key(header::ORIGIN)
}

/// Whether the request carries a workspace login cookie.
fn carries_login(headers: &HeaderMap) -> bool {
    app::api::workspace::session_cookie(headers).is_some()
}

fn refusal(path: &str, headers: &HeaderMap) -> Response {
    let locale = Locale::from_headers(headers);
    let message = AppError::CrossSite.message(locale);
    if path.starts_with("/api/v1/") {
        let body = serde_json::json!({ "error": "cross_site", "message": message });
        (StatusCode::FORBIDDEN, axum::Json(body)).into_response()
    } else if path.starts_with("/api/") {
        // Server functions: the body is the error their client decodes.
        let body = serde_json::to_string(&AppError::CrossSite).unwrap_or_default();
        (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response()
    } else {
        (StatusCode::FORBIDDEN, message).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::{carries_login, same_site, says_where_from};
    use axum::http::{HeaderMap, HeaderValue};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn a_form_posted_from_another_site_is_refused() {
        assert!(!same_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!same_site(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(!same_site(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "etape.example")
        ])));
        assert!(!same_site(&headers(&[
            ("origin", "null"),
            ("host", "etape.example")
        ])));
    }

    #[test]
    fn our_own_pages_and_non_browser_clients_pass() {
        assert!(same_site(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(same_site(&headers(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(same_site(&headers(&[])));
    }

    #[test]
    fn a_request_with_a_login_must_say_where_it_comes_from() {
        let anonymous = headers(&[]);
        assert!(!carries_login(&anonymous));
        let logged_in = headers(&[("cookie", "etape_session=abc")]);
        assert!(carries_login(&logged_in));
        assert!(!says_where_from(&logged_in));
        assert!(says_where_from(&headers(&[
            ("cookie", "etape_session=abc"),
            ("sec-fetch-site", "same-origin")
        ])));
    }
}
