//! Who is asking: the client's address, put on every request for the rate limits. Behind a
//! reverse proxy (`ETAPE_TRUST_PROXY`), the last `X-Forwarded-For` entry is the one our proxy
//! saw; earlier entries are whatever the client claimed, so they are ignored.

use app::api::registration::ClientAddress;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, SocketAddr};

pub async fn remember_client(
    State(trust_proxy): State<bool>,
    mut request: Request,
    next: Next,
) -> Response {
    let forwarded = trust_proxy
        .then(|| forwarded_for(request.headers()))
        .flatten();
    let connected = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    if let Some(address) = forwarded.or(connected) {
        request.extensions_mut().insert(ClientAddress(address));
    }
    next.run(request).await
}

fn forwarded_for(headers: &axum::http::HeaderMap) -> Option<IpAddr> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .last()
        .and_then(|entry| entry.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::forwarded_for;
    use axum::http::{HeaderMap, HeaderValue};

    #[test]
    fn only_the_entry_added_by_our_proxy_counts() {
        let mut headers = HeaderMap::new();
        headers.append(
            "x-forwarded-for",
            HeaderValue::from_static("1.2.3.4, 10.0.0.7"),
        );
        assert_eq!(forwarded_for(&headers), Some("10.0.0.7".parse().unwrap()));
        headers.insert("x-forwarded-for", HeaderValue::from_static("garbage"));
        assert_eq!(forwarded_for(&headers), None);
    }
}
