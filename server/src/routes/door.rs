//! `GET /door`: the door scanner's page, in the person's language. It is the same for every
//! door (the door link's secret stays in the fragment), so it may be cached and is revalidated
//! on each visit; its service worker keeps a copy for when the door has no network.

use app::i18n::Locale;
use app::pages::door::door_document;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};

pub async fn door_page(headers: HeaderMap) -> Response {
    let locale = Locale::from_headers(&headers);
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::VARY, "cookie, accept-language"),
        ],
        door_document(locale),
    )
        .into_response()
}
