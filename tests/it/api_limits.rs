//! Limits and bad input: each is a GraphQL error with an `extensions.code`, never a 500 or a panic;
//! and the number of SQL statements depends on the query's depth, not on the rows returned.
use entity::ids::Kind;
use serde_json::json;

use crate::helpers::{TestApp, aliased, test_app, test_app_with};

#[tokio::test]
async fn a_malformed_query_is_a_parse_error_not_a_500() {
    let app = test_app().await;
    let r = app.ask("{ zones(first: ").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.code(), Some("GRAPHQL_PARSE_FAILED"));
    let r = app.ask("{ zonez { totalCount } }").await;
    assert_eq!(r.code(), Some("GRAPHQL_VALIDATION_FAILED"));
    assert!(
        !r.json["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("Did you mean"),
        "no field-name suggestions"
    );
    let r = app.post("not json".to_owned()).await;
    assert_eq!((r.status, r.code()), (400, Some("BAD_REQUEST")));
}

#[tokio::test]
async fn bad_ids_and_cursors_are_user_errors() {
    let app = test_app().await;
    let r = app.ask("{ node(id: \"garbage\") { id } }").await;
    assert_eq!(r.code(), Some("BAD_USER_INPUT"));
    let r = app
        .ask("{ zones(after: \"garbage\") { totalCount } }")
        .await;
    assert_eq!(r.code(), Some("BAD_USER_INPUT"));
    // A cursor from one order is refused under another.
    let r = app
        .ask("{ zones(first: 1, orderBy: {field: NAME}) { pageInfo { endCursor } } }")
        .await;
    let cursor = r.data()["zones"]["pageInfo"]["endCursor"].clone();
    let r = app
        .query(
            "query($c: String) { zones(after: $c, orderBy: {field: DEGREE}) { totalCount } }",
            json!({ "c": cursor }),
        )
        .await;
    assert_eq!(r.code(), Some("BAD_USER_INPUT"));
    let r = app
        .query(
            "query($id: ID!) { platforms(filter: {zone: $id}) { totalCount } }",
            json!({ "id": TestApp::id(Kind::Platform, "nansha-port") }),
        )
        .await;
    assert_eq!(
        r.code(),
        Some("BAD_USER_INPUT"),
        "a platform ID is not a zone"
    );
    let huangpu = TestApp::id(Kind::Zone, "huangpu");
    for field in ["neighborhood(id: $a", "path(from: $a, to: $a"] {
        let r = app
            .query(
                &format!("query($a: ID!) {{ {field}, edgeKinds: [\"party\", \"partyy\"]) {{ nodes {{ id }} }} }}"),
                json!({ "a": huangpu }),
            )
            .await;
        assert_eq!(r.code(), Some("BAD_USER_INPUT"), "{field}: {}", r.json);
        assert!(
            r.json["errors"][0]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("partyy")
        );
    }
}

#[tokio::test]
async fn pages_are_capped_at_100() {
    let app = test_app().await;
    let r = app.ask("{ zones(first: 101) { totalCount } }").await;
    assert_eq!(r.code(), Some("BAD_USER_INPUT"));
    let r = app.ask("{ zones(last: -1) { totalCount } }").await;
    assert_eq!(r.code(), Some("BAD_USER_INPUT"));
}

#[tokio::test]
async fn a_huge_fan_out_is_refused_before_it_runs() {
    let app = test_app().await;
    let q = "{ zones(first: 100) { nodes { platforms(first: 100) { nodes { projects(first: 100) { nodes { slug } } } } } } }";
    let r = app.ask(q).await;
    assert_eq!(r.code(), Some("QUERY_TOO_COMPLEX"), "{}", r.json);
    assert_eq!(app.statements(), 0, "refused queries run no SQL");
}

#[tokio::test]
async fn deep_nesting_is_refused_but_introspection_works() {
    let app = test_app().await;
    let mut q = String::from("{ zone(slug: \"huangpu\") ");
    for _ in 0..20 {
        q.push_str("{ parent ");
    }
    q.push_str("{ slug }");
    q.push_str(&"}".repeat(21));
    let r = app.ask(&q).await;
    assert_eq!(r.code(), Some("QUERY_TOO_COMPLEX"), "{}", r.json);
    let introspection = "query IntrospectionQuery { __schema { queryType { name } types { ...FullType } directives { name args { ...InputValue } } } } fragment FullType on __Type { kind name fields(includeDeprecated: true) { name args { ...InputValue } type { ...TypeRef } } inputFields { ...InputValue } interfaces { ...TypeRef } enumValues(includeDeprecated: true) { name } possibleTypes { ...TypeRef } } fragment InputValue on __InputValue { name type { ...TypeRef } defaultValue } fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }";
    let r = app.ask(introspection).await;
    assert!(
        r.data()["__schema"]["types"]
            .as_array()
            .is_some_and(|t| t.len() > 20)
    );
}

#[tokio::test]
async fn too_many_aliases_or_tokens_are_refused_before_parsing() {
    let app = test_app().await;
    let r = app
        .ask(&aliased(40, ":", "zones(first: 1) { totalCount }"))
        .await;
    assert_eq!(r.code(), Some("QUERY_TOO_COMPLEX"));
    let tokens = "{ zones { totalCount } } ".repeat(500);
    let r = app.ask(&tokens).await;
    assert_eq!(r.code(), Some("QUERY_TOO_COMPLEX"));
    assert!(r.text.len() < 500, "the error does not echo the query");
}

#[tokio::test]
async fn batches_and_oversized_bodies_are_refused() {
    let app = test_app().await;
    let r = app.post(json!([{ "query": "{ zones { totalCount } }" }, { "query": "{ zones { totalCount } }" }]).to_string()).await;
    assert_eq!((r.status, r.code()), (400, Some("BATCHING_NOT_SUPPORTED")));
    let big = format!(
        "{{\"query\": \"{{ zones {{ totalCount }} }}\", \"padding\": \"{}\"}}",
        "x".repeat(100 * 1024)
    );
    let r = app.post(big).await;
    assert_eq!((r.status, r.code()), (413, Some("PAYLOAD_TOO_LARGE")));
}

#[tokio::test]
async fn limits_are_configurable() {
    let mut config = api::Config::for_database("sqlite::memory:");
    config.limits.max_depth = 3;
    let app = test_app_with(config).await;
    let r = app
        .ask("{ zone(slug: \"huangpu\") { parent { parent { parent { slug } } } } }")
        .await;
    assert_eq!(r.code(), Some("QUERY_TOO_COMPLEX"));
}

#[tokio::test]
async fn statements_grow_with_depth_not_with_rows() {
    let app = test_app().await;
    // Three levels of lists under a root list: every level loads its rows in one batched statement.
    let q = "{ zones(first: 20, orderBy: {field: DEGREE, direction: DESC}) { nodes { slug platforms(first: 10, includeDescendants: true) { nodes { slug projects(first: 5) { nodes { slug partnerships(first: 3) { nodes { slug } } } } } } } } }";
    app.reset_statements();
    let r = app.ask(q).await;
    let text = r.data().to_string();
    let rows = text.matches("\"slug\"").count();
    let statements = app.statements();
    assert!(rows > 60, "the query returns many rows ({rows})");
    // One statement per level and batch window; far fewer than one per row.
    assert!(statements <= 12, "{statements} statements for {rows} rows");
}

/// The operation to run is chosen before validation, as GraphQL's rules say: a name that matches
/// none, or several operations and no name, is a validation error (and not a cost refusal).
#[tokio::test]
async fn an_unknown_or_missing_operation_name_is_a_validation_error() {
    let app = test_app().await;
    let two =
        "query A { zones(first: 1) { totalCount } } query B { sources(first: 1) { totalCount } }";
    for (body, expect) in [
        (json!({ "query": two }), "several operations"),
        (
            json!({ "query": two, "operationName": "C" }),
            "no operation named \"C\"",
        ),
    ] {
        let r = app.post(body.to_string()).await;
        assert_eq!(r.code(), Some("GRAPHQL_VALIDATION_FAILED"), "{}", r.json);
        let message = r.json["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains(expect), "{message}");
    }
    let r = app
        .post(json!({ "query": two, "operationName": "B" }).to_string())
        .await;
    assert!(r.json["errors"].is_null(), "{}", r.json);
    assert!(
        r.data()["sources"]["totalCount"]
            .as_u64()
            .is_some_and(|n| n > 0)
    );
}
