//! Logs (tracing) and metrics (Prometheus text at `/metrics`). Every request runs in a span with
//! its method, path, `x-request-id` (accepted from the client or generated) and GraphQL operation
//! name, and ends with one info line carrying its status and duration. Metrics are described
//! (`# HELP`) when the app is built, so `/metrics` is complete before the first request.
use std::io::IsTerminal as _;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tracing::Span;
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Structured logs on stderr; `RUST_LOG` overrides the default level (info). Colours only on a
/// terminal; with `json`, panics are logged as JSON events too. With `otlp_endpoint` (a collector's
/// base URL, e.g. `http://collector:4318`) every span is also exported over OTLP/HTTP to
/// `{otlp_endpoint}/v1/traces`; keep the returned guard alive until shutdown, which flushes it.
pub fn init_logs(
    format: LogFormat,
    otlp_endpoint: Option<&str>,
) -> Result<Option<OtlpGuard>, OtlpError> {
    let otlp = otlp_endpoint.map(otlp_provider).transpose()?;
    let tracer = otlp.as_ref().map(|p| {
        use opentelemetry::trace::TracerProvider as _;
        p.tracer("baygraph")
    });
    let _ = tracing::subscriber::set_global_default(subscriber(format, tracer));
    if format == LogFormat::Json {
        std::panic::set_hook(Box::new(|info| {
            let location = info.location().map(ToString::to_string);
            tracing::error!(panic = %info, location = location.as_deref(), "panic");
        }));
    }
    Ok(otlp.map(OtlpGuard))
}

/// The log (and, with a tracer, OTLP span) subscriber.
fn subscriber(
    format: LogFormat,
    tracer: Option<opentelemetry_sdk::trace::Tracer>,
) -> impl tracing::Subscriber + Send + Sync {
    use tracing_subscriber::Layer as _;
    use tracing_subscriber::layer::SubscriberExt as _;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let fmt = tracing_subscriber::fmt::layer()
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let fmt = match format {
        LogFormat::Json => fmt.json().boxed(),
        LogFormat::Text => fmt.boxed(),
    };
    let otel = tracer.map(|t| tracing_opentelemetry::layer().with_tracer(t));
    tracing_subscriber::registry()
        .with(fmt)
        .with(otel)
        .with(filter)
}

/// Why the OTLP exporter could not be set up (a malformed endpoint, most often).
#[derive(Debug, thiserror::Error)]
#[error("cannot export traces to {endpoint}: {source}")]
pub struct OtlpError {
    endpoint: String,
    source: opentelemetry_otlp::ExporterBuildError,
}

/// Flushes and stops the OTLP export when dropped.
pub struct OtlpGuard(opentelemetry_sdk::trace::SdkTracerProvider);

impl Drop for OtlpGuard {
    fn drop(&mut self) {
        if let Err(e) = self.0.shutdown() {
            eprintln!("OTLP export did not shut down cleanly: {e}");
        }
    }
}

/// A tracer provider exporting spans in batches to `{endpoint}/v1/traces` (OTLP/HTTP, protobuf).
fn otlp_provider(endpoint: &str) -> Result<opentelemetry_sdk::trace::SdkTracerProvider, OtlpError> {
    // In a workspace build reqwest is unified with the loader's `rustls-no-provider` feature and
    // refuses to build a client until a crypto provider is installed; `Err` means one already is.
    let _ = rustls::crypto::ring::default_provider().install_default();
    use opentelemetry_otlp::WithExportConfig as _;
    let url = format!("{}/v1/traces", endpoint.trim_end_matches('/'));
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_endpoint(url)
        .with_timeout(Duration::from_secs(10))
        .build()
        .map_err(|source| OtlpError {
            endpoint: endpoint.to_owned(),
            source,
        })?;
    let resource = opentelemetry_sdk::Resource::builder()
        .with_service_name("baygraph")
        .with_attribute(opentelemetry::KeyValue::new(
            "service.version",
            env!("CARGO_PKG_VERSION"),
        ))
        .build();
    Ok(opentelemetry_sdk::trace::SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(resource)
        .build())
}

/// The process-wide Prometheus recorder (installed once, shared by every app in the process),
/// with every metric described.
fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let handle = PrometheusBuilder::new()
                .set_buckets(&[
                    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
                ])
                .ok()?
                .install_recorder()
                .ok()?;
            describe();
            Some(handle)
        })
        .as_ref()
}

fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram};
    describe_counter!(
        "baygraph_http_requests_total",
        "HTTP requests answered, by route, method and status."
    );
    describe_histogram!(
        "baygraph_http_request_seconds",
        metrics::Unit::Seconds,
        "Time to answer an HTTP request (until the response head), by route."
    );
    describe_gauge!(
        "baygraph_http_requests_in_flight",
        "HTTP requests being answered now."
    );
    describe_counter!(
        "baygraph_graphql_requests_total",
        "GraphQL requests by outcome (ok or the error code) and operation name (`none` when refused before execution)."
    );
    describe_histogram!(
        "baygraph_graphql_request_seconds",
        metrics::Unit::Seconds,
        "Time to execute a GraphQL request, by operation name (`anonymous`; `other` past the first 200 names)."
    );
    describe_counter!(
        "baygraph_feeds_total",
        "Export and change-feed downloads by outcome: complete, abandoned (client stopped reading) or failed."
    );
    describe_gauge!(
        "baygraph_read_model_cursor",
        "Change-log position the in-memory read model reflects."
    );
    describe_gauge!(
        "baygraph_change_log_cursor",
        "Newest change-log position seen in the database; minus the read model's is its lag."
    );
    describe_gauge!(
        "baygraph_read_model_bytes",
        "Bytes the in-memory read model holds, by part (records, text, links, names, orders …)."
    );
    describe_gauge!(
        "baygraph_read_model_records",
        "Live records in the in-memory read model."
    );
    describe_histogram!(
        "baygraph_read_model_update_seconds",
        "Time to bring the read model to the change log: reading the changed records and applying them (or a rebuild)."
    );
    describe_gauge!("baygraph_build_info", "Always 1; labels carry the version.");
    metrics::gauge!("baygraph_build_info", "version" => env!("CARGO_PKG_VERSION")).set(1.0);
}

/// Installs the recorder so `/metrics` is complete from the start.
pub fn init_metrics() {
    let _ = handle();
}

/// Counts a GraphQL request refused before execution, by its code (operation `none`).
pub fn count_request(outcome: &str) {
    if handle().is_some() {
        metrics::counter!("baygraph_graphql_requests_total", "outcome" => outcome.to_owned(), "operation" => "none")
            .increment(1);
    }
}

/// Distinct operation names that get their own metric label; later ones are counted as `other`,
/// so a client inventing names cannot grow `/metrics` without bound.
const MAX_OPERATION_LABELS: usize = 200;

/// The metric label of an operation: its name while fewer than [`MAX_OPERATION_LABELS`] names
/// have been seen, `anonymous` without one, `other` past the cap.
fn operation_label(name: Option<&str>) -> String {
    static SEEN: OnceLock<OperationNames> = OnceLock::new();
    label_in(SEEN.get_or_init(Default::default), name)
}

type OperationNames = std::sync::Mutex<std::collections::HashSet<String>>;

fn label_in(seen: &OperationNames, name: Option<&str>) -> String {
    let Some(name) = name else {
        return "anonymous".to_owned();
    };
    // A poisoned set only means another request panicked while inserting a name: the set itself
    // is still a set of names, so keep using it.
    let mut seen = seen
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if seen.contains(name) || seen.len() < MAX_OPERATION_LABELS && seen.insert(name.to_owned()) {
        name.to_owned()
    } else {
        "other".to_owned()
    }
}

/// Counts an executed request by outcome and operation name, and records its duration.
pub fn observe(outcome: &str, operation: Option<&str>, elapsed: Duration) {
    if handle().is_some() {
        let operation = operation_label(operation);
        metrics::counter!("baygraph_graphql_requests_total", "outcome" => outcome.to_owned(), "operation" => operation.clone())
            .increment(1);
        metrics::histogram!("baygraph_graphql_request_seconds", "operation" => operation)
            .record(elapsed.as_secs_f64());
    }
}

/// Counts a finished feed download by outcome.
pub fn count_feed(outcome: &'static str) {
    if handle().is_some() {
        metrics::counter!("baygraph_feeds_total", "outcome" => outcome).increment(1);
    }
}

/// Records the read model's cursor and the change log's.
pub fn cursors(read_model: i64, change_log: i64) {
    if handle().is_some() {
        metrics::gauge!("baygraph_read_model_cursor").set(read_model as f64);
        metrics::gauge!("baygraph_change_log_cursor").set(change_log as f64);
    }
}

/// The read model's size, after it was built or updated.
pub fn read_model(snapshot: &crate::snapshot::Snapshot) {
    if handle().is_some() {
        for (part, bytes) in snapshot.footprint() {
            metrics::gauge!("baygraph_read_model_bytes", "part" => part).set(bytes as f64);
        }
        let live: usize = entity::ids::Kind::ALL
            .iter()
            .map(|k| snapshot.count(*k))
            .sum();
        metrics::gauge!("baygraph_read_model_records").set(live as f64);
    }
}

/// How long one update of the read model took.
pub fn read_model_update(seconds: f64) {
    if handle().is_some() {
        metrics::histogram!("baygraph_read_model_update_seconds").record(seconds);
    }
}

/// The Prometheus text exposition; 503 when the recorder could not be installed (another one
/// owns the process), rather than an empty page that looks like "no traffic".
pub fn render_metrics() -> axum::response::Response {
    use axum::response::IntoResponse as _;
    match handle() {
        Some(h) => h.render().into_response(),
        None => (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "metrics are unavailable: the Prometheus recorder could not be installed",
        )
            .into_response(),
    }
}

/// The span of one request (for `TraceLayer::make_span_with`); `operation` is filled in by the
/// GraphQL endpoint.
pub fn request_span(request: &Request) -> Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        request_id = %id,
        operation = tracing::field::Empty,
    )
}

/// Counts every request by route and status, and times it (an `axum::middleware::from_fn`).
pub async fn track(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let method = request.method().to_string();
    let metered = handle().is_some();
    if metered {
        metrics::gauge!("baygraph_http_requests_in_flight").increment(1.0);
    }
    let response = next.run(request).await;
    if metered {
        metrics::gauge!("baygraph_http_requests_in_flight").decrement(1.0);
        let status = response.status().as_u16().to_string();
        metrics::counter!("baygraph_http_requests_total", "route" => route.clone(), "method" => method, "status" => status)
            .increment(1);
        metrics::histogram!("baygraph_http_request_seconds", "route" => route)
            .record(started.elapsed().as_secs_f64());
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A span recorded under the OTLP subscriber reaches a collector as an OTLP/HTTP protobuf
    /// request to `/v1/traces` carrying the span's name.
    #[test]
    fn spans_are_exported_to_an_otlp_collector() {
        use std::io::{Read as _, Write as _};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let endpoint = format!("http://{}", listener.local_addr().expect("address"));
        let collector = std::thread::spawn(move || {
            let (mut socket, _) = listener.accept().expect("the exporter connects");
            let mut request = vec![];
            let mut buf = [0u8; 4096];
            let mut expected = None;
            while expected.is_none_or(|n| request.len() < n) {
                let n = socket.read(&mut buf).expect("read");
                if n == 0 {
                    break;
                }
                request.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&request).to_lowercase();
                if let Some(head_end) = text.find("\r\n\r\n") {
                    let length = text
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(0);
                    expected = Some(head_end + 4 + length);
                }
            }
            socket
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/x-protobuf\r\ncontent-length: 0\r\n\r\n")
                .expect("answer");
            request
        });
        let provider = otlp_provider(&endpoint).expect("exporter");
        let tracer = {
            use opentelemetry::trace::TracerProvider as _;
            provider.tracer("baygraph")
        };
        tracing::subscriber::with_default(subscriber(LogFormat::Text, Some(tracer)), || {
            let span = tracing::info_span!("otlp_test_request", route = "/graphql");
            span.in_scope(|| tracing::info!("inside"));
        });
        provider.force_flush().expect("flush");
        let request = collector.join().expect("collector");
        let text = String::from_utf8_lossy(&request);
        assert!(text.starts_with("POST /v1/traces HTTP/1.1"), "{text}");
        assert!(
            text.to_lowercase()
                .contains("content-type: application/x-protobuf"),
            "{text}"
        );
        assert!(
            text.contains("otlp_test_request") && text.contains("baygraph"),
            "{text}"
        );
        let _ = provider.shutdown();
    }

    #[test]
    fn a_malformed_otlp_endpoint_is_a_clear_error() {
        let err = otlp_provider("not a url").expect_err("refused").to_string();
        assert!(err.contains("not a url"), "{err}");
    }

    #[test]
    fn operation_labels_are_capped_so_clients_cannot_grow_the_metrics() {
        let seen = OperationNames::default();
        assert_eq!(label_in(&seen, None), "anonymous");
        let labels: Vec<String> = (0..MAX_OPERATION_LABELS + 50)
            .map(|i| label_in(&seen, Some(&format!("Op{i}"))))
            .collect();
        assert_eq!(labels[0], "Op0");
        assert_eq!(
            labels[MAX_OPERATION_LABELS - 1],
            format!("Op{}", MAX_OPERATION_LABELS - 1)
        );
        assert!(labels[MAX_OPERATION_LABELS..].iter().all(|l| l == "other"));
        assert_eq!(
            label_in(&seen, Some("Op3")),
            "Op3",
            "a name seen before keeps its label"
        );
    }
}
