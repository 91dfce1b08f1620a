//! Logs (tracing) and metrics (Prometheus text at `/metrics`).
use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Structured logs on stderr; `RUST_LOG` overrides the default level (info).
pub fn init_logs(format: LogFormat) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// The process-wide Prometheus recorder (installed once, shared by every app in the process).
fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets(&[
                    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
                ])
                .ok()?
                .install_recorder()
                .ok()
        })
        .as_ref()
}

/// Counts a GraphQL request by outcome (`ok` or an error code).
pub fn count_request(outcome: &str) {
    if handle().is_some() {
        metrics::counter!("baygraph_graphql_requests_total", "outcome" => outcome.to_owned())
            .increment(1);
    }
}

/// Counts an executed request and records its duration.
pub fn observe(outcome: &str, elapsed: Duration) {
    count_request(outcome);
    if handle().is_some() {
        metrics::histogram!("baygraph_graphql_request_seconds").record(elapsed.as_secs_f64());
    }
}

/// The Prometheus text exposition.
pub fn render_metrics() -> String {
    handle().map(PrometheusHandle::render).unwrap_or_default()
}
