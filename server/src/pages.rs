//! Rendering a page from a plain handler: how a form posted without JavaScript gets its page
//! back with the errors and everything the person typed (the page reads the attempt from
//! context). The page is rendered fully before it is sent, so it needs no script to show.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use leptos::config::LeptosOptions;
use std::sync::Arc;

type Context = Arc<dyn Fn() + Send + Sync>;

#[derive(Clone)]
pub struct PageRenderer {
    context: Context,
    options: LeptosOptions,
}

impl PageRenderer {
    /// `context` provides what every page needs (database, caches, links…).
    pub fn new(context: impl Fn() + Send + Sync + 'static, options: LeptosOptions) -> Self {
        PageRenderer {
            context: Arc::new(context),
            options,
        }
    }

    /// Renders the page at `path` for the person behind `headers`, with `extra` in context,
    /// answering with `status`. Never cached: it is one person's answer.
    pub async fn render(
        &self,
        path: &str,
        headers: &axum::http::HeaderMap,
        status: StatusCode,
        extra: impl Fn() + Clone + Send + Sync + 'static,
    ) -> Response {
        let base = self.context.clone();
        let options = self.options.clone();
        let handler = leptos_axum::render_app_async_with_context(
            move || {
                base();
                extra();
            },
            move || app::app::shell(options.clone()),
        );
        let mut request = Request::builder().method(Method::GET).uri(path);
        for name in [header::COOKIE, header::ACCEPT_LANGUAGE, header::HOST] {
            if let Some(value) = headers.get(&name) {
                request = request.header(name, value);
            }
        }
        let Ok(request) = request.body(Body::empty()) else {
            return StatusCode::BAD_REQUEST.into_response();
        };
        let mut response = handler(request).await;
        // The page may have set its own status (404 for an unknown stage); keep an error.
        if response.status() == StatusCode::OK {
            *response.status_mut() = status;
        }
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("private, no-store"),
        );
        response
    }
}
