//! Who is asking: the client's address, put on every request for the rate limits. Behind
//! reverse proxies of our own (`ETAPE_TRUST_PROXY`, how many), the `X-Forwarded-For` entry the
//! first of them wrote is the client; earlier entries are whatever the client claimed, so they
//! are ignored.

use app::api::registration::ClientAddress;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, SocketAddr};

pub async fn remember_client(
    State(proxy_hops): State<u8>,
    mut request: Request,
    next: Next,
) -> Response {
    let forwarded = forwarded_for(request.headers(), proxy_hops);
    let connected = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    if let Some(address) = forwarded.or(connected) {
        request.extensions_mut().insert(ClientAddress(address));
    }
    next.run(request).await
}

/// The client's address behind `hops` proxies of our own: each appends to `X-Forwarded-For`
/// the address that connected to it, so the client is the `hops`-th entry from the end; what
/// comes before is whatever the client claimed. `None` with no trusted proxy, or when the
/// header has fewer entries than our proxies would have written (then the request did not
/// come through them all, and the connection's address is the one to trust).
fn forwarded_for(headers: &axum::http::HeaderMap, hops: u8) -> Option<IpAddr> {
    if hops == 0 {
        return None;
    }
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .collect();
    let at = entries.len().checked_sub(usize::from(hops))?;
    entries[at].trim().parse().ok()
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
        assert_eq!(
            forwarded_for(&headers, 1),
            Some("10.0.0.7".parse().unwrap())
        );
        assert_eq!(forwarded_for(&headers, 0), None, "no proxy trusted");
        headers.insert("x-forwarded-for", HeaderValue::from_static("garbage"));
        assert_eq!(forwarded_for(&headers, 1), None);
    }

    #[test]
    fn behind_two_proxies_the_client_is_the_second_entry_from_the_end() {
        let mut headers = HeaderMap::new();
        // What the client claimed, the client as the CDN saw it, the CDN as nginx saw it.
        headers.append(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 2001:db8::7"),
        );
        headers.append("x-forwarded-for", HeaderValue::from_static("10.0.0.2"));
        assert_eq!(
            forwarded_for(&headers, 2),
            Some("2001:db8::7".parse().unwrap())
        );
        // Fewer entries than proxies: it did not come through them all.
        assert_eq!(forwarded_for(&headers, 4), None);
    }
}
