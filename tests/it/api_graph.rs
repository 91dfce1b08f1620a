//! Search and graph queries for analysts, against the real seed graph.
use entity::ids::Kind;
use serde_json::json;

use crate::helpers::{TestApp, test_app};

async fn top_hit(app: &TestApp, query: &str) -> String {
    let r = app.query("query($q: String!) { search(query: $q, first: 3) { edges { node { score node { ... on Zone { slug } ... on Platform { slug } ... on Project { slug } } } } } }", json!({ "q": query })).await;
    r.data()["search"]["edges"][0]["node"]["node"]["slug"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn search_finds_partial_chinese_and_english_names() {
    let app = test_app().await;
    assert_eq!(top_hit(&app, "南沙").await, "nansha");
    assert_eq!(
        top_hit(&app, "知识城").await,
        "sino-singapore-guangzhou-knowledge-city"
    );
    assert_eq!(
        top_hit(&app, "knowledge city").await,
        "sino-singapore-guangzhou-knowledge-city"
    );
    assert_eq!(top_hit(&app, "Huangpu").await, "huangpu");
    // Word prefixes, in any order the name has them.
    assert_eq!(
        top_hit(&app, "knowl cit").await,
        "sino-singapore-guangzhou-knowledge-city"
    );
}

#[tokio::test]
async fn search_can_be_restricted_by_type_and_paged() {
    let app = test_app().await;
    let r = app.query("{ search(query: \"区\", types: [ZONE], first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { node { __typename } } } } }", json!({})).await;
    let s = &r.data()["search"];
    assert!(s["totalCount"].as_u64().expect("total") > 2);
    assert_eq!(s["pageInfo"]["hasNextPage"], true);
    for e in s["edges"].as_array().expect("edges") {
        assert_eq!(e["node"]["node"]["__typename"], "Zone");
    }
}

#[tokio::test]
async fn a_neighborhood_is_a_deduplicated_subgraph() {
    let app = test_app().await;
    let r = app
        .query("query($id: ID!) { neighborhood(id: $id, depth: 2) { nodes { id kind label distance } edges { source target kind label } truncated } }", json!({ "id": TestApp::id(Kind::Zone, "huangpu") }))
        .await;
    let g = &r.data()["neighborhood"];
    let nodes = g["nodes"].as_array().expect("nodes");
    let ids: std::collections::HashSet<&str> =
        nodes.iter().filter_map(|n| n["id"].as_str()).collect();
    assert_eq!(ids.len(), nodes.len(), "duplicate nodes");
    for e in g["edges"].as_array().expect("edges") {
        assert!(
            ids.contains(e["source"].as_str().expect("source"))
                && ids.contains(e["target"].as_str().expect("target"))
        );
    }
    assert!(
        nodes.iter().any(|n| n["label"] == "南沙区"),
        "nansha within two hops of huangpu"
    );
    assert!(
        nodes
            .iter()
            .all(|n| n["distance"].as_i64().expect("distance") <= 2)
    );
}

#[tokio::test]
async fn a_path_connects_xiangzhou_to_huangpu() {
    let app = test_app().await;
    let (from, to) = (
        TestApp::id(Kind::Zone, "xiangzhou"),
        TestApp::id(Kind::Zone, "huangpu"),
    );
    let r = app.query("query($a: ID!, $b: ID!) { path(from: $a, to: $b, maxDepth: 8) { nodes { id label } edges { source target kind } } }", json!({ "a": from, "b": to })).await;
    let p = &r.data()["path"];
    let nodes = p["nodes"].as_array().expect("a path exists");
    assert_eq!(nodes.first().expect("start")["id"], from);
    assert_eq!(nodes.last().expect("end")["id"], to);
    let edges = p["edges"].as_array().expect("edges");
    assert_eq!(edges.len() + 1, nodes.len());
    // Consecutive nodes are joined by the edge between them, in either direction.
    for (i, e) in edges.iter().enumerate() {
        let pair = [nodes[i]["id"].clone(), nodes[i + 1]["id"].clone()];
        assert!(
            pair.contains(&e["source"]) && pair.contains(&e["target"]),
            "edge {i} does not join its nodes"
        );
    }
}

#[tokio::test]
async fn no_path_within_the_bound_is_null() {
    let app = test_app().await;
    let r = app
        .query("query($a: ID!, $b: ID!) { path(from: $a, to: $b, maxDepth: 1) { nodes { id } } }", json!({ "a": TestApp::id(Kind::Zone, "xiangzhou"), "b": TestApp::id(Kind::Zone, "huangpu") }))
        .await;
    assert!(r.data()["path"].is_null());
}

#[tokio::test]
async fn stats_count_kinds_and_rank_the_most_connected() {
    let app = test_app().await;
    let r = app.query("{ stats { counts { kind count } zones { zone { slug } platforms projects partnerships } mostConnected(first: 5) { degree node { id } } } }", json!({})).await;
    let s = &r.data()["stats"];
    let zones = s["counts"]
        .as_array()
        .expect("counts")
        .iter()
        .find(|c| c["kind"] == "zone")
        .expect("zone count");
    assert!(zones["count"].as_u64().expect("n") >= 20);
    let degrees: Vec<u64> = s["mostConnected"]
        .as_array()
        .expect("ranked")
        .iter()
        .map(|c| c["degree"].as_u64().expect("degree"))
        .collect();
    assert!(
        degrees.windows(2).all(|w| w[0] >= w[1]) && degrees[0] > 1,
        "{degrees:?}"
    );
}
