//! A one-second cache of rendered public pages (a "micro-cache", as reverse proxies do it).
//! A page in demand is rendered once per second per language instead of once per view, which
//! keeps a stage page fast when a whole city opens it at once. Only complete `200` HTML answers
//! to `GET` without cookies being set are kept; the key is the path with its query and the
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
        Arc::new(Self { ttl, entries: Mutex::new(HashMap::new()) })
    }

    fn get(&self, key: &Key) -> Option<Response> {
        let entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = entries.get(key).filter(|e| e.stored_at.elapsed() < self.ttl)?;
        let mut response = Response::new(Body::from(entry.body.clone()));
        *response.headers_mut() = entry.headers.clone();
        Some(response)
    }

    fn put(&self, key: Key, headers: HeaderMap, body: Bytes) {
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let ttl = self.ttl;
        entries.retain(|_, e| e.stored_at.elapsed() < ttl);
        if entries.len() < MAX_ENTRIES {
            entries.insert(key, Entry { stored_at: Instant::now(), headers, body });
        }
    }
}

fn cacheable(response: &Response) -> bool {
    let headers = response.headers();
    response.status() == StatusCode::OK
        && !headers.contains_key(header::SET_COOKIE)
        && headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"))
}

pub async fn serve_cached(State(cache): State<Arc<PageCache>>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET || cache.ttl.is_zero() {
        return next.run(request).await;
    }
    let locale = {
        let header = |name| request.headers().get(name).and_then(|v| v.to_str().ok());
        Locale::negotiate(header(header::COOKIE), header(header::ACCEPT_LANGUAGE))
    };
    let path = request.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default();
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
