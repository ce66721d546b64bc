//! Accepting connections. `axum::serve` gives hyper no timer, so a client could take forever
//! to send a request's headers and hold a connection (and its memory) for as long as it
//! likes; here each request's headers must arrive within `HEADERS_TIMEOUT`. HTTP/1 and
//! HTTP/2, each connection with the client's address (`ConnectInfo`), and a graceful stop.

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// How long a client may take to send a request's headers, from the connection's start or
/// the end of its previous request.
pub const HEADERS_TIMEOUT: Duration = Duration::from_secs(10);

/// How long requests under way may take to finish once the server is asked to stop.
const STOP_GRACE: Duration = Duration::from_secs(10);

/// Serves `router` on `listener` until `stop` completes.
pub async fn serve(listener: TcpListener, router: Router, stop: impl Future<Output = ()>) {
    serve_with(listener, router, stop, HEADERS_TIMEOUT).await
}

async fn serve_with(
    listener: TcpListener,
    router: Router,
    stop: impl Future<Output = ()>,
    headers_timeout: Duration,
) {
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(headers_timeout);
    builder.http2().timer(TokioTimer::new());
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        let (stream, client) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, most often: wait a moment rather than spin.
                    tracing::warn!(%error, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let _ = stream.set_nodelay(true);
        let service =
            router
                .clone()
                .map_request(move |mut request: axum::http::Request<Incoming>| {
                    request
                        .extensions_mut()
                        .insert(ConnectInfo::<SocketAddr>(client));
                    request
                });
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), TowerToHyperService::new(service))
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "a connection ended with an error");
            }
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(STOP_GRACE) => {
            tracing::warn!("stopped with requests still under way");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    async fn start(headers_timeout: Duration) -> (SocketAddr, tokio::sync::oneshot::Sender<()>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let router =
            Router::new().route(
                "/who",
                get(|ConnectInfo(client): ConnectInfo<SocketAddr>| async move {
                    client.ip().to_string()
                }),
            );
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(serve_with(
            listener,
            router,
            async move {
                let _ = stopped.await;
            },
            headers_timeout,
        ));
        (address, stop)
    }

    #[tokio::test]
    async fn a_client_too_slow_to_send_its_headers_is_disconnected() {
        let (address, _stop) = start(Duration::from_millis(200)).await;
        let mut slow = tokio::net::TcpStream::connect(address).await.unwrap();
        slow.write_all(b"GET /who HTTP/1.1\r\nHost: etape\r\n")
            .await
            .unwrap();
        // The headers never end: the server closes the connection instead of waiting.
        let mut rest = Vec::new();
        let closed =
            tokio::time::timeout(Duration::from_secs(5), slow.read_to_end(&mut rest)).await;
        assert!(closed.is_ok(), "the connection was still open after 5 s");
        assert!(
            !String::from_utf8_lossy(&rest).contains("200 OK"),
            "no answer to half a request"
        );

        // A client that sends its request in time is answered, with its address.
        let mut quick = tokio::net::TcpStream::connect(address).await.unwrap();
        quick
            .write_all(b"GET /who HTTP/1.1\r\nHost: etape\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut answer = String::new();
        quick.read_to_string(&mut answer).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
        assert!(answer.ends_with("127.0.0.1"), "{answer}");
    }

    #[tokio::test]
    async fn stopping_ends_the_accept_loop() {
        let (address, stop) = start(HEADERS_TIMEOUT).await;
        stop.send(()).unwrap();
        let mut refused = false;
        for _ in 0..50 {
            if tokio::net::TcpStream::connect(address).await.is_err() {
                refused = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(
            refused,
            "the server still accepted connections after being stopped"
        );
    }
}
