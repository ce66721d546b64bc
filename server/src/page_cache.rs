//! A one-second cache of rendered public pages (a "micro-cache", as reverse proxies do it).
//! A page in demand is rendered once per second per language instead of once per view, which
//! keeps a stage page fast when a whole city opens it at once. Only complete `200` HTML answers
//! to `GET` that set no cookie and are not marked `private`/`no-store` are kept; the key is the path with its query and the
//! negotiated language, the only request input pages depend on. Bounded in entries and size,
//! so odd query strings cannot grow it without limit.

use app::i18n::Locale;
use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const TTL: Duration = Duration::from_secs(1);
const MAX_ENTRIES: usize = 1024;
const MAX_BODY: usize = 1 << 20;

type Key = (String, Locale);

struct Entry {
    stored_at: Instant,
    headers: HeaderMap,
    body: Bytes,
}

pub struct PageCache {
    ttl: Duration,
    entries: Mutex<HashMap<Key, Entry>>,
}

impl PageCache {
    pub fn new(ttl: Duration) -> Arc<Self> {
        Arc::new(Self {
            ttl,
            entries: Mutex::new(HashMap::new()),
        })
    }

    fn get(&self, key: &Key) -> Option<Response> {
        let entries = self
            .entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = entries
            .get(key)
            .filter(|e| e.stored_at.elapsed() < self.ttl)?;
        let mut response = Response::new(Body::from(entry.body.clone()));
        *response.headers_mut() = entry.headers.clone();
        Some(response)
    }

    fn put(&self, key: Key, headers: HeaderMap, body: Bytes) {
        let mut entries = self
            .entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let ttl = self.ttl;
        entries.retain(|_, e| e.stored_at.elapsed() < ttl);
        if entries.len() < MAX_ENTRIES {
            entries.insert(
                key,
                Entry {
                    stored_at: Instant::now(),
                    headers,
                    body,
                },
            );
        }
    }
}

fn cacheable(response: &Response) -> bool {
    let headers = response.headers();
    response.status() == StatusCode::OK
        && !headers.contains_key(header::SET_COOKIE)
        && !headers
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("private") || v.contains("no-store"))
        && headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"))
}

pub async fn serve_cached(
    State(cache): State<Arc<PageCache>>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::GET || cache.ttl.is_zero() {
        return next.run(request).await;
    }
    let locale = Locale::from_headers(request.headers());
    let path = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let key = (path, locale);
    if let Some(hit) = cache.get(&key) {
        return hit;
    }
    let response = next.run(request).await;
    if !cacheable(&response) {
        return response;
    }
    let (parts, body) = response.into_parts();
    match to_bytes(body, MAX_BODY).await {
        Ok(bytes) => {
            cache.put(key, parts.headers.clone(), bytes.clone());
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(error) => {
            tracing::warn!(%error, "page too large or interrupted; not cached");
            Response::from_parts(parts, Body::empty())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(status: StatusCode, extra: &[(header::HeaderName, &'static str)]) -> Response {
        let mut response = Response::new(Body::from("<html></html>"));
        *response.status_mut() = status;
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            "text/html; charset=utf-8".parse().unwrap(),
        );
        for (name, value) in extra {
            response
                .headers_mut()
                .insert(name.clone(), value.parse().unwrap());
        }
        response
    }

    #[test]
    fn only_public_complete_html_pages_are_kept() {
        assert!(cacheable(&html(StatusCode::OK, &[])));
        assert!(!cacheable(&html(StatusCode::NOT_FOUND, &[])));
        assert!(!cacheable(&html(StatusCode::INTERNAL_SERVER_ERROR, &[])));
        assert!(!cacheable(&html(
            StatusCode::OK,
            &[(header::SET_COOKIE, "lang=en")]
        )));
        assert!(!cacheable(&html(
            StatusCode::OK,
            &[(header::CACHE_CONTROL, "private, max-age=0")]
        )));
        assert!(!cacheable(&html(
            StatusCode::OK,
            &[(header::CACHE_CONTROL, "no-store")]
        )));
        let mut json = html(StatusCode::OK, &[]);
        json.headers_mut()
            .insert(header::CONTENT_TYPE, "application/json".parse().unwrap());
        assert!(!cacheable(&json));
    }

    #[test]
    fn entries_expire_and_the_cache_stays_bounded() {
        let cache = PageCache::new(Duration::from_millis(30));
        let key = |n: usize| (format!("/p{n}"), Locale::Fr);
        cache.put(key(0), HeaderMap::new(), Bytes::from_static(b"a"));
        assert!(cache.get(&key(0)).is_some());
        std::thread::sleep(Duration::from_millis(40));
        assert!(cache.get(&key(0)).is_none());

        let cache = PageCache::new(Duration::from_secs(60));
        for n in 0..MAX_ENTRIES + 10 {
            cache.put(key(n), HeaderMap::new(), Bytes::from_static(b"a"));
        }
        assert_eq!(cache.entries.lock().unwrap().len(), MAX_ENTRIES);
        assert!(cache.get(&key(MAX_ENTRIES + 5)).is_none());
    }
}
