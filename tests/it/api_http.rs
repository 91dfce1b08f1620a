//! HTTP concerns through the real router: status endpoints, the offline playground, compression,
//! and one smoke test on a real socket.
use serde_json::json;

use crate::helpers::test_app;

#[tokio::test]
async fn health_ready_and_metrics_answer() {
    let app = test_app().await;
    let health = app.get("/health").await;
    assert_eq!((health.status, health.text.as_str()), (200, "ok"));
    let ready = app.get_ok("/ready").await;
    assert_eq!(ready.json["status"], "ready");
    assert!(ready.json["cursor"].as_i64().expect("cursor") > 0);
    app.ask("{ zones(first: 1) { totalCount } }").await;
    let metrics = app.get_ok("/metrics").await;
    assert!(
        metrics.text.contains("baygraph_graphql_requests_total"),
        "{}",
        metrics.text
    );
}

#[tokio::test]
async fn the_playground_is_served_without_any_cdn() {
    let app = test_app().await;
    let page = app.get_ok("/").await;
    assert!(
        page.text.contains("/playground/assets/graphiql.min.js"),
        "{}",
        page.text
    );
    assert!(
        !page.text.contains("https://") && !page.text.contains("http://"),
        "the page must not load from the internet"
    );
    for asset in [
        "graphiql.min.js",
        "graphiql.min.css",
        "react.production.min.js",
        "react-dom.production.min.js",
    ] {
        let r = app.get_ok(&format!("/playground/assets/{asset}")).await;
        assert!(r.text.len() > 1000, "{asset} is empty");
    }
    assert_eq!(app.get("/playground/assets/nothing.js").await.status, 404);
}

/// The example queries of the playground page: each tab's query is a JS template literal.
fn playground_examples(page: &str) -> Vec<String> {
    page.split("{ query: `")
        .skip(1)
        .map(|tab| tab.split('`').next().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn every_playground_example_runs_without_errors() {
    let app = test_app().await;
    let examples = playground_examples(&app.get("/").await.text);
    assert!(examples.len() >= 5, "{examples:?}");
    for example in &examples {
        let r = app.ask(example).await;
        let data = r.data();
        assert!(
            data.as_object()
                .is_some_and(|d| d.values().all(|v| !v.is_null())),
            "{example}\n{data}"
        );
    }
}

#[tokio::test]
async fn responses_are_gzipped_when_asked() {
    let app = test_app().await;
    let request = axum::http::Request::post("/graphql")
        .header("content-type", "application/json")
        .header("accept-encoding", "gzip")
        .body(axum::body::Body::from(
            json!({ "query": "{ zones(first: 100) { nodes { slug nameZh nameEn } } }" })
                .to_string(),
        ))
        .expect("request");
    let r = app.send(request).await;
    assert_eq!(
        r.headers
            .get("content-encoding")
            .map(|v| v.to_str().unwrap_or_default()),
        Some("gzip")
    );
}

#[tokio::test]
async fn the_server_answers_on_a_real_socket() {
    let app = test_app().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let server = tokio::spawn(axum::serve(listener, app.router.clone()).into_future());
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream
        .write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("read");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.ends_with("ok"), "{response}");
    server.abort();
}

#[tokio::test]
async fn request_ids_are_echoed_and_metrics_are_described_by_route_and_status() {
    let app = test_app().await;
    let given = axum::http::Request::get("/health")
        .header("x-request-id", "partner-42")
        .body(axum::body::Body::empty())
        .expect("request");
    let r = app.send(given).await;
    assert_eq!(r.headers["x-request-id"], "partner-42");
    let generated = app.get("/health").await;
    let id = generated.headers["x-request-id"].to_str().expect("text");
    assert_eq!(id.len(), 36, "a UUID: {id}");
    assert_ne!(
        id,
        app.get("/health").await.headers["x-request-id"]
            .to_str()
            .expect("text")
    );

    app.ask("query MetricsZoneCount { zones(first: 1) { totalCount } }")
        .await;
    let metrics = app.get("/metrics").await.text;
    assert!(
        metrics.contains(
            r#"baygraph_graphql_requests_total{outcome="ok",operation="MetricsZoneCount"}"#
        ) && metrics
            .contains(r#"baygraph_graphql_request_seconds_count{operation="MetricsZoneCount"}"#),
        "counted and timed by operation name:\n{metrics}"
    );
    for family in [
        "baygraph_http_requests_total",
        "baygraph_http_request_seconds",
        "baygraph_graphql_requests_total",
        "baygraph_read_model_cursor",
        "baygraph_build_info",
    ] {
        assert!(
            metrics.contains(&format!("# HELP {family}")),
            "{family} is described:\n{metrics}"
        );
    }
    assert!(
        metrics.contains(
            r#"baygraph_http_requests_total{route="/graphql",method="POST",status="200"}"#
        ),
        "{metrics}"
    );
    assert!(
        metrics.contains(r#"baygraph_http_request_seconds_bucket{route="/graphql""#),
        "{metrics}"
    );
}

#[test]
fn seeds_are_found_from_the_install_layout_never_the_working_directory_by_surprise() {
    let mut config = api::Config::for_database("sqlite::memory:");
    config.seeds = None;
    let found = config.seeds_dir().expect("the source tree's seeds");
    assert!(found.join("zones.toml").is_file(), "{}", found.display());
    config.seeds = Some("no/such/seeds".into());
    let err = config
        .seeds_dir()
        .expect_err("a wrong path is an error")
        .to_string();
    assert!(
        err.contains("no/such/seeds") && err.contains("working directory"),
        "{err}"
    );
}

/// What can be checked of the container files without a Docker daemon: the image puts the seeds
/// where the binary looks for them, runs as a non-root user, and compose runs two replicas over
/// one PostgreSQL after the loader job.
#[test]
fn the_container_files_agree_with_the_binary_layout() {
    let root = crate::helpers::repo_root();
    let dockerfile = std::fs::read_to_string(root.join("Dockerfile")).expect("Dockerfile");
    assert!(dockerfile.contains("/usr/local/bin/"));
    assert!(
        dockerfile.contains("/usr/local/share/baygraph/seeds"),
        "beside bin/, as seeds_dir looks"
    );
    assert!(
        dockerfile
            .lines()
            .any(|l| l.starts_with("USER ") && !l.contains("root"))
    );
    let compose = std::fs::read_to_string(root.join("compose.yaml")).expect("compose.yaml");
    for needle in [
        "postgres:",
        "loader:",
        "api-1:",
        "api-2:",
        "service_completed_successfully",
    ] {
        assert!(compose.contains(needle), "compose.yaml lacks {needle}");
    }
    assert!(root.join("LICENSE").is_file() && root.join("CHANGELOG.md").is_file());
}
