//! A one-second cache of rendered public pages (a "micro-cache", as reverse proxies do it).
//! A page in demand is rendered once per second per language instead of once per view, which
//! keeps a stage page fast when a whole city opens it at once. Only complete `200` HTML
//! answers to `GET` that set no cookie and are not marked `private`/`no-store` are kept; the
//! key is the path with its query and the negotiated language, the only request input pages
//! depend on. Bounded in entries and size, so odd query strings cannot grow it without limit:
//! when full, the oldest entry makes room; a page over the size limit is passed on as it
//! comes, not kept.
//!
//! Each kept page also keeps its brotli and gzip variants, made the first time a request
//! accepts them: compression runs once per page per second, not once per request.

use crate::content_coding::Coding;
use app::i18n::Locale;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

pub const TTL: Duration = Duration::from_secs(1);
const MAX_ENTRIES: usize = 1024;
const MAX_BODY: usize = 1 << 20;

type Key = (String, Locale);

struct Entry {
    stored_at: Instant,
    headers: HeaderMap,
    body: Bytes,
    gzip: OnceLock<Bytes>,
    brotli: OnceLock<Bytes>,
}

impl Entry {
    fn new(headers: HeaderMap, body: Bytes) -> Self {
        Entry {
            stored_at: Instant::now(),
            headers,
            body,
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
        }
    }

    /// The page in `coding`, compressed now if no request asked for it before.
    fn body_in(&self, coding: Coding) -> Bytes {
        let variant = match coding {
            Coding::Identity => return self.body.clone(),
            Coding::Gzip => &self.gzip,
            Coding::Brotli => &self.brotli,
        };
        variant.get_or_init(|| coding.compress(&self.body)).clone()
    }

    fn has(&self, coding: Coding) -> bool {
        match coding {
            Coding::Identity => true,
            Coding::Gzip => self.gzip.get().is_some(),
            Coding::Brotli => self.brotli.get().is_some(),
        }
    }

    fn response(&self, coding: Coding) -> Response {
        let mut response = Response::new(Body::from(self.body_in(coding)));
        let headers = response.headers_mut();
        *headers = self.headers.clone();
        headers.remove(header::CONTENT_LENGTH);
        if let Some(value) = coding.header_value() {
            // tower-http's compression leaves an answer that says its coding alone.
            headers.insert(header::CONTENT_ENCODING, value);
        }
        let varies = headers.get_all(header::VARY).iter().any(|value| {
            value
                .to_str()
                .is_ok_and(|v| v.to_ascii_lowercase().contains("accept-encoding"))
        });
        if !varies {
            headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
        response
    }
}

pub struct PageCache {
    ttl: Duration,
    entries: Mutex<HashMap<Key, Arc<Entry>>>,
}

impl PageCache {
    pub fn new(ttl: Duration) -> Arc<Self> {
        Arc::new(Self {
            ttl,
            entries: Mutex::new(HashMap::new()),
        })
    }

    fn get(&self, key: &Key) -> Option<Arc<Entry>> {
        let entries = self
            .entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        entries
            .get(key)
            .filter(|e| e.stored_at.elapsed() < self.ttl)
            .cloned()
    }

    fn put(&self, key: Key, entry: Arc<Entry>) {
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
        entries.insert(key, entry);
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
    let coding = Coding::preferred(request.headers());
    if let Some(hit) = cache.get(&key) {
        return answer(hit, coding).await;
    }
    let response = next.run(request).await;
    if !cacheable(&response) {
        return response;
    }
    let (parts, body) = response.into_parts();
    match read_up_to(body, MAX_BODY).await {
        Read::Whole(bytes) => {
            let entry = Arc::new(Entry::new(parts.headers, bytes));
            cache.put(key, entry.clone());
            let (mut fresh, body) = answer(entry, coding).await.into_parts();
            fresh.status = parts.status;
            fresh.version = parts.version;
            fresh.extensions = parts.extensions;
            Response::from_parts(fresh, body)
        }
        Read::TooLarge(body) => {
            tracing::info!("page larger than the cache keeps; passed on as it comes");
            Response::from_parts(parts, body)
        }
    }
}

/// The kept page in `coding`. A variant not made yet is compressed on a blocking thread (a
/// millisecond for a stage page), off the workers that answer the other requests.
async fn answer(entry: Arc<Entry>, coding: Coding) -> Response {
    if entry.has(coding) {
        return entry.response(coding);
    }
    let compressing = entry.clone();
    match tokio::task::spawn_blocking(move || compressing.body_in(coding)).await {
        Ok(_) => entry.response(coding),
        Err(error) => {
            tracing::error!(%error, "compressing a cached page failed; sent as it is");
            entry.response(Coding::Identity)
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
        let page = || Arc::new(Entry::new(HeaderMap::new(), Bytes::from_static(b"a")));
        cache.put(key(0), page());
        assert!(cache.get(&key(0)).is_some());
        std::thread::sleep(Duration::from_millis(40));
        assert!(cache.get(&key(0)).is_none());

        let cache = PageCache::new(Duration::from_secs(60));
        for n in 0..MAX_ENTRIES + 10 {
            cache.put(key(n), page());
        }
        assert_eq!(cache.entries.lock().unwrap().len(), MAX_ENTRIES);
        // The newest are kept, the oldest made room for them.
        assert!(cache.get(&key(MAX_ENTRIES + 9)).is_some());
        assert!(cache.get(&key(0)).is_none());
        assert!(cache.get(&key(10)).is_some());
    }

    /// A router whose `/page` renders `page` and counts its renderings, behind the cache and,
    /// when `layered`, tower-http's compression as in the server.
    fn cached_router(
        page: String,
        renders: Arc<std::sync::atomic::AtomicUsize>,
        layered: bool,
    ) -> axum::Router {
        use axum::routing::get;
        use tower_http::compression::CompressionLayer;
        let router = axum::Router::new()
            .route(
                "/page",
                get(move || {
                    renders.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let page = page.clone();
                    async move {
                        let mut response = html(StatusCode::OK, &[]);
                        *response.body_mut() = Body::from(page);
                        response
                    }
                }),
            )
            .layer(axum::middleware::from_fn_with_state(
                PageCache::new(Duration::from_secs(60)),
                serve_cached,
            ));
        if layered {
            router.layer(CompressionLayer::new())
        } else {
            router
        }
    }

    async fn fetch(router: &axum::Router, accept_encoding: &str) -> (HeaderMap, Bytes) {
        use http_body_util::BodyExt;
        use tower::ServiceExt;
        let request = Request::builder()
            .uri("/page")
            .header(header::ACCEPT_ENCODING, accept_encoding)
            .body(Body::empty())
            .unwrap();
        let response = router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers().clone();
        (
            headers,
            response.into_body().collect().await.unwrap().to_bytes(),
        )
    }

    #[tokio::test]
    async fn a_kept_page_is_served_in_each_coding_from_one_rendering() {
        // The cache compresses by itself, and the server's compression layer leaves it alone.
        for layered in [false, true] {
            serves_each_coding_from_one_rendering(layered).await;
        }
    }

    async fn serves_each_coding_from_one_rendering(layered: bool) {
        use std::io::Read as _;
        let page = "<p>Lyon, 18 h 30, Halle Tony Garnier</p>".repeat(300);
        let renders = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let router = cached_router(page.clone(), renders.clone(), layered);

        for _ in 0..2 {
            let (headers, body) = fetch(&router, "gzip, deflate, br").await;
            assert_eq!(headers[header::CONTENT_ENCODING], "br");
            assert_eq!(headers.get_all(header::VARY).iter().count(), 1);
            assert!(body.len() < page.len() / 4);
            let mut plain = String::new();
            brotli::Decompressor::new(&body[..], 4096)
                .read_to_string(&mut plain)
                .unwrap();
            assert_eq!(plain, page);
        }

        let (headers, body) = fetch(&router, "gzip").await;
        assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
        let mut plain = String::new();
        flate2::read::GzDecoder::new(&body[..])
            .read_to_string(&mut plain)
            .unwrap();
        assert_eq!(plain, page);

        let (headers, body) = fetch(&router, "identity").await;
        assert!(!headers.contains_key(header::CONTENT_ENCODING));
        assert!(headers[header::VARY]
            .to_str()
            .unwrap()
            .contains("accept-encoding"));
        assert_eq!(body, page.as_bytes());

        // Rendered once, whatever the codings asked for since.
        assert_eq!(renders.load(std::sync::atomic::Ordering::SeqCst), 1);
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
