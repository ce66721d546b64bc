//! A one-second cache of rendered public pages (a "micro-cache", as reverse proxies do it).
//! A page in demand is rendered once per second per language instead of once per view, which
//! keeps a stage page fast when a whole city opens it at once. Only complete `200` HTML
//! answers to `GET` that set no cookie and are not marked `private`/`no-store` are kept; the
//! key is the path with its query and the negotiated language, the only request input pages
//! depend on. Bounded in entries and size, so odd query strings cannot grow it without limit:
//! when full, the oldest entry makes room; a page over the size limit is passed on as it
//! comes, not kept.

use app::i18n::Locale;
use axum::body::{Body, Bytes};
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
        if entries.len() >= MAX_ENTRIES && !entries.contains_key(&key) {
            // Full of fresh pages: the oldest makes room, so the page asked for now is kept.
            let oldest = entries
                .iter()
                .min_by_key(|(_, e)| e.stored_at)
                .map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                entries.remove(&oldest);
            }
        }
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
    match read_up_to(body, MAX_BODY).await {
        Read::Whole(bytes) => {
            cache.put(key, parts.headers.clone(), bytes.clone());
            Response::from_parts(parts, Body::from(bytes))
        }
        Read::TooLarge(body) => {
            tracing::info!("page larger than the cache keeps; passed on as it comes");
            Response::from_parts(parts, body)
        }
    }
}

enum Read {
    Whole(Bytes),
    /// Over the limit: what was read, then the rest as it comes.
    TooLarge(Body),
}

/// The whole body if it holds at most `limit` bytes; otherwise a body that gives the same
/// bytes, read or not. A body that fails half-way fails the same way for the client.
async fn read_up_to(mut body: Body, limit: usize) -> Read {
    use futures_util::StreamExt;
    use http_body_util::BodyExt;
    let mut read: Vec<Bytes> = Vec::new();
    let mut size = 0;
    loop {
        match body.frame().await {
            None => {
                let mut whole = Vec::with_capacity(size);
                read.iter().for_each(|chunk| whole.extend_from_slice(chunk));
                return Read::Whole(Bytes::from(whole));
            }
            Some(Ok(frame)) => {
                let Ok(data) = frame.into_data() else {
                    continue;
                };
                size += data.len();
                read.push(data);
                if size > limit {
                    let head = futures_util::stream::iter(read.into_iter().map(Ok));
                    return Read::TooLarge(Body::from_stream(head.chain(body.into_data_stream())));
                }
            }
            Some(Err(error)) => {
                let head = futures_util::stream::iter(read.into_iter().map(Ok));
                let failed = futures_util::stream::once(async move { Err(error) });
                return Read::TooLarge(Body::from_stream(head.chain(failed)));
            }
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
        // The newest are kept, the oldest made room for them.
        assert!(cache.get(&key(MAX_ENTRIES + 9)).is_some());
        assert!(cache.get(&key(0)).is_none());
        assert!(cache.get(&key(10)).is_some());
    }

    #[tokio::test]
    async fn a_page_over_the_limit_is_passed_on_whole_not_kept() {
        use http_body_util::BodyExt;
        let chunks: Vec<Result<Bytes, std::io::Error>> = (0..5)
            .map(|n| Ok(Bytes::from(vec![b'a' + n; 1000])))
            .collect();
        let body = Body::from_stream(futures_util::stream::iter(chunks));
        let Read::TooLarge(passed_on) = read_up_to(body, 2500).await else {
            panic!("5,000 bytes read as under a 2,500-byte limit");
        };
        let bytes = passed_on.collect().await.unwrap().to_bytes();
        assert_eq!(bytes.len(), 5000);
        assert!(bytes[..1000].iter().all(|&b| b == b'a'));
        assert!(bytes[4000..].iter().all(|&b| b == b'e'));

        let small = Body::from("<html></html>");
        let Read::Whole(bytes) = read_up_to(small, 2500).await else {
            panic!("a small page was not read whole");
        };
        assert_eq!(&bytes[..], b"<html></html>");
    }
}
