//! Bounded resources: at most `most_running` requests are handled at once, at most
//! `most_waiting` more wait for their turn (each for at most `longest_wait`), and anything
//! beyond is told at once to come back (`503` with `Retry-After`), never left in an unbounded
//! queue. `/healthz` is never held back, so a load balancer still sees a busy server as alive.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// What a busy server asks a client to wait before trying again, in seconds.
const RETRY_AFTER_SECONDS: u64 = 2;

pub struct Admission {
    running: Semaphore,
    waiting: AtomicUsize,
    most_waiting: usize,
    longest_wait: Duration,
}

impl Admission {
    pub fn new(most_running: usize, most_waiting: usize, longest_wait: Duration) -> Arc<Self> {
        Arc::new(Admission {
            running: Semaphore::new(most_running.max(1)),
            waiting: AtomicUsize::new(0),
            most_waiting,
            longest_wait,
        })
    }
}

/// The middleware: runs the request once it has a turn, or answers `503` at once.
pub async fn admit(
    State(admission): State<Arc<Admission>>,
    request: Request,
    next: Next,
) -> Response {
    if request.uri().path() == "/healthz" {
        return next.run(request).await;
    }
    let turn = match admission.running.try_acquire() {
        Ok(turn) => turn,
        Err(_) => {
            let waiting = admission.waiting.fetch_add(1, Ordering::AcqRel);
            if waiting >= admission.most_waiting {
                admission.waiting.fetch_sub(1, Ordering::AcqRel);
                return busy();
            }
            let turn =
                tokio::time::timeout(admission.longest_wait, admission.running.acquire()).await;
            admission.waiting.fetch_sub(1, Ordering::AcqRel);
            match turn {
                Ok(Ok(turn)) => turn,
                _ => return busy(),
            }
        }
    };
    let response = next.run(request).await;
    drop(turn);
    response
}

/// `503` with `Retry-After`, in both languages: the request's language is not known yet, and
/// reading it would be work a busy server should not do.
fn busy() -> Response {
    let mut response = (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Étape est très demandé en ce moment\u{a0}: réessayez dans quelques secondes.\n\
         Étape is very busy right now: please try again in a few seconds.\n",
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::routing::get;
    use axum::Router;
    use tower::ServiceExt;

    /// A router whose `/slow` holds its turn until `release` is notified.
    fn router(admission: Arc<Admission>, release: Arc<tokio::sync::Notify>) -> Router {
        Router::new()
            .route(
                "/slow",
                get(move || {
                    let release = release.clone();
                    async move {
                        release.notified().await;
                        "done"
                    }
                }),
            )
            .route("/healthz", get(|| async { "ok" }))
            .layer(axum::middleware::from_fn_with_state(admission, admit))
    }

    fn get_request(path: &str) -> Request {
        Request::builder().uri(path).body(Body::empty()).unwrap()
    }

    #[tokio::test]
    async fn beyond_the_running_and_waiting_requests_the_answer_is_503_at_once() {
        let admission = Admission::new(1, 1, Duration::from_secs(30));
        let release = Arc::new(tokio::sync::Notify::new());
        let app = router(admission.clone(), release.clone());
        let running = tokio::spawn(app.clone().oneshot(get_request("/slow")));
        while admission.running.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        let waiting = tokio::spawn(app.clone().oneshot(get_request("/slow")));
        while admission.waiting.load(Ordering::Acquire) == 0 {
            tokio::task::yield_now().await;
        }
        let refused = app.clone().oneshot(get_request("/slow")).await.unwrap();
        assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(refused.headers()[header::RETRY_AFTER], "2");
        // Health checks pass whatever the load.
        let health = app.clone().oneshot(get_request("/healthz")).await.unwrap();
        assert_eq!(health.status(), StatusCode::OK);
        // The running and the waiting request are both served once there is room.
        release.notify_one();
        assert_eq!(running.await.unwrap().unwrap().status(), StatusCode::OK);
        release.notify_one();
        assert_eq!(waiting.await.unwrap().unwrap().status(), StatusCode::OK);
        assert_eq!(admission.waiting.load(Ordering::Acquire), 0);
    }

    #[tokio::test]
    async fn a_request_that_waits_too_long_is_told_to_come_back() {
        let admission = Admission::new(1, 10, Duration::from_millis(50));
        let release = Arc::new(tokio::sync::Notify::new());
        let app = router(admission.clone(), release.clone());
        let running = tokio::spawn(app.clone().oneshot(get_request("/slow")));
        while admission.running.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        let late = app.clone().oneshot(get_request("/slow")).await.unwrap();
        assert_eq!(late.status(), StatusCode::SERVICE_UNAVAILABLE);
        release.notify_one();
        assert_eq!(running.await.unwrap().unwrap().status(), StatusCode::OK);
    }
}
