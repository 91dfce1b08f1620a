//! Serves the app over HTTP/1.1 with connection hygiene that `axum::serve` does not offer: a
//! client must send its request headers within `header_read_secs` (a connection trickling bytes
//! is closed), a keep-alive connection serves at most `max_requests_per_connection` requests
//! (then `Connection: close`, so one client cannot pin a connection forever), and shutdown lets
//! requests in flight finish for a grace period. Used by `main` and by the tests that need a real
//! socket.
use std::future::Future;
use std::time::Duration;

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::ServiceExt as _;

use crate::config::Limits;

/// How long requests in flight may run on after shutdown began.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Accepts connections on `listener` and serves `app` until `shutdown` resolves. Connections may
/// upgrade (the WebSocket transport at `/graphql/ws`).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: &Limits,
    shutdown: impl Future<Output = ()>,
) {
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(limits.header_read_secs.max(1)))
        .keep_alive(true);
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let mut connections = tokio::task::JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        // Reap finished connections so the set holds only live ones.
        while connections.try_join_next().is_some() {}
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(c) => c,
                Err(e) => {
                    // Out of file descriptors and the like: back off rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = TowerToHyperService::new(per_connection(
            app.clone(),
            limits.max_requests_per_connection.max(1),
        ));
        let connection = builder
            .serve_connection(TokioIo::new(stream), service)
            .with_upgrades();
        let mut stopping = stopping.clone();
        connections.spawn(async move {
            tokio::pin!(connection);
            let result = tokio::select! {
                r = connection.as_mut() => r,
                _ = stopping.changed() => {
                    // Finish the request in flight, then close.
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(e) = result {
                tracing::debug!(%peer, error = %e, "connection closed with an error");
            }
        });
    }
    let _ = stop.send(true);
    let drained = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while connections.join_next().await.is_some() {}
    });
    if drained.await.is_err() {
        tracing::warn!("requests still running after the shutdown grace period; stopping");
    }
}

/// `app` for one connection: the response to its `max`th request says `Connection: close`.
fn per_connection(
    app: Router,
    max: u64,
) -> impl tower::Service<
    Request<hyper::body::Incoming>,
    Response = Response,
    Error = Infallible,
    Future = impl Future<Output = Result<Response, Infallible>> + Send,
> + Clone {
    let served = Arc::new(AtomicU64::new(0));
    tower::service_fn(move |request: Request<hyper::body::Incoming>| {
        let app = app.clone();
        let n = served.fetch_add(1, Ordering::Relaxed) + 1;
        async move {
            let mut response = app.oneshot(request.map(axum::body::Body::new)).await?;
            if n >= max {
                response
                    .headers_mut()
                    .insert(header::CONNECTION, HeaderValue::from_static("close"));
            }
            Ok(response)
        }
    })
}
