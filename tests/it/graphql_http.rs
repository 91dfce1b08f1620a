//! GraphQL over HTTP as front-end clients use it: GET queries with caching headers, content
//! negotiation and its status codes, parse errors with locations, automatic persisted queries
//! and the persisted-only allow-list.
use axum::body::Body;
use axum::http::Request;
use serde_json::json;
use sha2::{Digest as _, Sha256};

use crate::helpers::{Reply, TestApp, test_app, test_app_with};

const QUERY: &str = "{ zones(first: 2) { totalCount nodes { slug } } }";

fn url(query: &str, extra: &str) -> String {
    let q: String = form_urlencoded::byte_serialize(query.as_bytes()).collect();
    format!("/graphql?query={q}{extra}")
}

async fn get(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = Request::get(path);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    app.send(request.body(Body::empty()).expect("request"))
        .await
}

async fn post(app: &TestApp, body: serde_json::Value, headers: &[(&str, &str)]) -> Reply {
    let mut request = Request::post("/graphql").header("content-type", "application/json");
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    app.send(request.body(Body::from(body.to_string())).expect("request"))
        .await
}

const GRAPHQL_RESPONSE: (&str, &str) = ("accept", "application/graphql-response+json");

#[tokio::test]
async fn get_runs_queries_with_an_etag_and_cache_control() {
    let app = test_app().await;
    let r = get(&app, &url(QUERY, ""), &[]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.data()["zones"]["nodes"].as_array().map(Vec::len), Some(2));
    assert!(
        r.headers["content-type"]
            .to_str()
            .is_ok_and(|t| t.starts_with("application/json"))
    );
    assert!(
        r.headers["cache-control"]
            .to_str()
            .is_ok_and(|c| c.starts_with("public"))
    );
    let etag = r.headers["etag"].to_str().expect("etag").to_owned();
    let again = get(&app, &url(QUERY, ""), &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, 304);
    // Variables and the operation name travel in the URL too.
    let vars: String = form_urlencoded::byte_serialize(br#"{"n":1}"#).collect();
    let r = get(
        &app,
        &url(
            "query Z($n: Int) { zones(first: $n) { nodes { slug } } }",
            &format!("&variables={vars}&operationName=Z"),
        ),
        &[],
    )
    .await;
    assert_eq!(r.data()["zones"]["nodes"].as_array().map(Vec::len), Some(1));
    // Errors are never cached.
    let r = get(&app, &url("{ zonez { totalCount } }", ""), &[]).await;
    assert_eq!(r.headers["cache-control"], "no-store");
}

#[tokio::test]
async fn get_refuses_mutations_with_405_and_serves_the_playground_to_browsers() {
    let app = test_app().await;
    let r = get(&app, &url("mutation { zones { totalCount } }", ""), &[]).await;
    assert_eq!(r.status, 405);
    assert_eq!(r.headers["allow"], "POST");
    let r = get(
        &app,
        "/graphql",
        &[("accept", "text/html,application/xhtml+xml")],
    )
    .await;
    assert_eq!(r.status, 200);
    assert!(
        r.text.contains("<html") || r.text.contains("<!doctype") || r.text.contains("<!DOCTYPE")
    );
    let r = get(&app, "/graphql", &[]).await;
    assert_eq!((r.status, r.code()), (400, Some("BAD_REQUEST")));
    let r = get(&app, &url(QUERY, "&variables=not-json"), &[]).await;
    assert_eq!((r.status, r.code()), (400, Some("BAD_REQUEST")));
}

#[tokio::test]
async fn graphql_response_json_gets_4xx_for_request_errors_and_json_keeps_200() {
    let app = test_app().await;
    for (query, code) in [
        ("{ zones { totalCount }", "GRAPHQL_PARSE_FAILED"),
        ("{ zonez { totalCount } }", "GRAPHQL_VALIDATION_FAILED"),
    ] {
        let r = post(&app, json!({ "query": query }), &[GRAPHQL_RESPONSE]).await;
        assert_eq!((r.status, r.code()), (400, Some(code)), "{}", r.text);
        assert!(
            r.headers["content-type"]
                .to_str()
                .is_ok_and(|t| t.starts_with("application/graphql-response+json"))
        );
        let r = post(
            &app,
            json!({ "query": query }),
            &[("accept", "application/json")],
        )
        .await;
        assert_eq!((r.status, r.code()), (200, Some(code)), "{}", r.text);
    }
    let r = post(&app, json!({ "query": QUERY }), &[GRAPHQL_RESPONSE]).await;
    assert_eq!(r.status, 200);
    assert!(r.data()["zones"]["totalCount"].as_u64().is_some());
    // q-values decide; a client that accepts neither JSON type gets 406.
    let r = post(
        &app,
        json!({ "query": QUERY }),
        &[(
            "accept",
            "application/json;q=0.9, application/graphql-response+json;q=0.1",
        )],
    )
    .await;
    assert!(
        r.headers["content-type"]
            .to_str()
            .is_ok_and(|t| t.starts_with("application/json"))
    );
    let r = post(&app, json!({ "query": QUERY }), &[("accept", "text/plain")]).await;
    assert_eq!(r.status, 406);
}

#[tokio::test]
async fn a_parse_error_keeps_its_reason_and_location() {
    let app = test_app().await;
    let r = post(
        &app,
        json!({ "query": "{\n  zones(first: ) { totalCount } }" }),
        &[],
    )
    .await;
    assert_eq!(r.code(), Some("GRAPHQL_PARSE_FAILED"));
    let e = &r.json["errors"][0];
    assert_eq!(e["locations"][0]["line"], 2, "{}", r.text);
    assert!(e["locations"][0]["column"].as_u64().is_some_and(|c| c > 1));
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.len() > "syntax error: ".len())
    );
}

fn sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn persisted(hash: &str) -> serde_json::Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

#[tokio::test]
async fn automatic_persisted_queries_register_on_first_use_over_post_and_get() {
    let app = test_app().await;
    let hash = sha256(QUERY);
    let r = post(&app, json!({ "extensions": persisted(&hash) }), &[]).await;
    assert_eq!(r.code(), Some("PERSISTED_QUERY_NOT_FOUND"), "{}", r.text);
    assert_eq!(r.json["errors"][0]["message"], "PersistedQueryNotFound");
    let r = post(
        &app,
        json!({ "query": QUERY, "extensions": persisted(&hash) }),
        &[],
    )
    .await;
    assert!(r.data()["zones"]["totalCount"].as_u64().is_some());
    let r = post(&app, json!({ "extensions": persisted(&hash) }), &[]).await;
    assert!(r.data()["zones"]["totalCount"].as_u64().is_some());
    let ext: String =
        form_urlencoded::byte_serialize(persisted(&hash).to_string().as_bytes()).collect();
    let r = get(&app, &format!("/graphql?extensions={ext}"), &[]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.data()["zones"]["totalCount"].as_u64().is_some());
    // A hash that is not the query's is refused, and nothing is registered under it.
    let wrong = sha256("{ __typename }");
    let r = post(
        &app,
        json!({ "query": QUERY, "extensions": persisted(&wrong) }),
        &[],
    )
    .await;
    assert_eq!((r.status, r.code()), (400, Some("BAD_REQUEST")));
    let r = post(&app, json!({ "extensions": persisted(&wrong) }), &[]).await;
    assert_eq!(r.code(), Some("PERSISTED_QUERY_NOT_FOUND"));
    let r = post(
        &app,
        json!({ "extensions": { "persistedQuery": { "version": 2, "sha256Hash": hash } } }),
        &[],
    )
    .await;
    assert_eq!(r.code(), Some("BAD_REQUEST"));
}

/// Writes a persisted-query manifest at `path` whose one operation is `QUERY` under `id`.
fn write_manifest(path: &std::path::Path, id: &str) {
    let manifest = json!({
        "format": "apollo-persisted-query-manifest",
        "version": 1,
        "operations": [{ "id": id, "name": "Zones", "type": "query", "body": QUERY }],
    });
    std::fs::write(path, manifest.to_string()).expect("write");
}

#[tokio::test]
async fn persisted_only_mode_runs_the_manifest_and_nothing_else() {
    let dir = tempfile::tempdir().expect("temp");
    let manifest = dir.path().join("manifest.json");
    write_manifest(&manifest, &sha256(QUERY));
    let mut config = api::Config::for_database("sqlite::memory:");
    config.persisted_queries = Some(manifest.clone());
    config.persisted_only = true;
    let app = test_app_with(config).await;
    let r = post(
        &app,
        json!({ "extensions": persisted(&sha256(QUERY)) }),
        &[],
    )
    .await;
    assert!(
        r.data()["zones"]["totalCount"].as_u64().is_some(),
        "{}",
        r.text
    );
    let r = post(&app, json!({ "query": QUERY }), &[]).await;
    assert!(
        r.data()["zones"]["totalCount"].as_u64().is_some(),
        "the exact text is allowed"
    );
    let other = "{ __typename }";
    let r = post(&app, json!({ "query": other }), &[]).await;
    assert_eq!(
        (r.status, r.code()),
        (403, Some("PERSISTED_QUERY_NOT_ALLOWED"))
    );
    let r = post(
        &app,
        json!({ "query": other, "extensions": persisted(&sha256(other)) }),
        &[],
    )
    .await;
    assert_eq!(
        r.code(),
        Some("PERSISTED_QUERY_NOT_ALLOWED"),
        "clients cannot register"
    );

    // A manifest whose id is not its body's hash stops the app from starting, naming the file.
    write_manifest(&manifest, &sha256(other));
    let mut config = api::Config::for_database("sqlite::memory:");
    config.persisted_queries = Some(manifest);
    let t = crate::helpers::test_db().await;
    let err = api::app(t.db.clone(), &config).await.expect_err("refused");
    assert!(
        err.to_string()
            .contains("manifest.json: operation 0 (Zones)"),
        "{err}"
    );
}

/// A `graphql-transport-ws` client on a real socket: `changes` arrives live, and a bomb sent as a
/// subscription is refused like one sent over HTTP.
#[tokio::test]
async fn changes_arrive_live_over_graphql_transport_ws() {
    use futures_util::{SinkExt as _, StreamExt as _};
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;

    let t = crate::helpers::test_db().await;
    let dir = crate::helpers::copy_to_temp(&crate::helpers::fixture("mini"));
    loader::load(&t.db, dir.path()).await.expect("load");
    let app = crate::helpers::app_on(t, api::Config::for_database("sqlite::memory:")).await;
    let addr = crate::helpers::on_socket(app.router.clone(), Default::default()).await;

    let mut request = format!("ws://{addr}/graphql/ws")
        .into_client_request()
        .expect("request");
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().expect("header"),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("connect");
    let mut send =
        async |v: serde_json::Value| ws.send(Message::text(v.to_string())).await.expect("send");
    send(json!({ "type": "connection_init" })).await;
    // From the cursor before the reload, so the test does not race the subscription's start.
    let since = app.db.scalar("SELECT MAX(seq) FROM changes").await;
    send(json!({ "id": "1", "type": "subscribe", "payload": {
        "query": "subscription($s: String) { changes(since: $s) { op kind slug cursor node { id } } }",
        "variables": { "s": since.to_string() } } }))
    .await;
    let bomb = {
        let mut q = String::from("subscription { changes { node { ...F0 } } }\n");
        for i in 0..25 {
            q.push_str(&format!(
                "fragment F{i} on Zone {{ ...F{n} ...F{n} }}\n",
                n = i + 1
            ));
        }
        q + "fragment F25 on Zone { slug }\n"
    };
    send(json!({ "id": "2", "type": "subscribe", "payload": { "query": bomb } })).await;

    // A change committed after subscribing is delivered.
    crate::helpers::edit(dir.path(), "zones.toml", "Huangpu District", "Huangpu");
    loader::load(&app.db.db, dir.path()).await.expect("reload");

    let mut got_change = None;
    let mut bomb_refused = false;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while (got_change.is_none() || !bomb_refused) && tokio::time::Instant::now() < deadline {
        let Ok(Some(Ok(Message::Text(text)))) = tokio::time::timeout_at(deadline, ws.next()).await
        else {
            continue;
        };
        let msg: serde_json::Value = serde_json::from_str(&text).expect("json");
        match (msg["type"].as_str(), msg["id"].as_str()) {
            (Some("next"), Some("1")) => {
                got_change = Some(msg["payload"]["data"]["changes"].clone())
            }
            (Some("next" | "error"), Some("2")) => {
                let code = &msg["payload"]["errors"][0]["extensions"]["code"];
                let code = if code.is_null() {
                    &msg["payload"][0]["extensions"]["code"]
                } else {
                    code
                };
                assert_eq!(code, "QUERY_TOO_COMPLEX", "{msg}");
                bomb_refused = true;
            }
            _ => {}
        }
    }
    let change = got_change.expect("a live change within 10 s");
    assert_eq!(change["op"], "upsert");
    assert_eq!(change["slug"], "huangpu");
    assert!(change["node"]["id"].as_str().is_some());
    assert!(bomb_refused, "the bomb was refused");
}
