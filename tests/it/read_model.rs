//! The read model seen through the API: one version per answer while loads commit, cursors that
//! survive a change elsewhere and a move to another replica, full pages.
use serde_json::json;

use crate::helpers::{app_on, copy_to_temp, edit, fixture, test_app, test_db};

/// Every answer comes from one version of the data, even while loads commit and the read model
/// moves on under concurrent requests: a zone's English name and its platform count change
/// together in the seeds, so an answer mixing two versions would pair them wrongly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_is_wholly_one_version_while_loads_commit() {
    let t = test_db().await;
    let old = copy_to_temp(&fixture("mini"));
    let new = copy_to_temp(&fixture("mini"));
    edit(
        new.path(),
        "zones.toml",
        "name_en = \"Huangpu District\"",
        "name_en = \"Huangpu\"",
    );
    edit(new.path(), "platforms.toml", "zone = \"huangpu\"\n", "");
    loader::load(&t.db, old.path()).await.expect("load");
    let mut config = api::Config::for_database("sqlite::memory:");
    config.refresh_ms = 50;
    let app = std::sync::Arc::new(app_on(t, config).await);

    let db = app.db.db.clone();
    let (a, b) = (old.path().to_owned(), new.path().to_owned());
    let loads = tokio::spawn(async move {
        for i in 0..10 {
            let dir = if i % 2 == 0 { &b } else { &a };
            loader::load(&db, dir).await.expect("reload");
            tokio::time::sleep(std::time::Duration::from_millis(70)).await;
        }
    });
    let query = "{ zone(slug: \"huangpu\") { nameEn degree platforms { totalCount edges { node { slug } } } } }";
    let mut seen = std::collections::BTreeMap::new();
    while !loads.is_finished() {
        let asks = (0..4).map(|_| {
            let app = app.clone();
            async move { app.ask(query).await }
        });
        for r in futures_util::future::join_all(asks).await {
            let zone = &r.data()["zone"];
            let platforms = &zone["platforms"];
            let pair = (
                zone["nameEn"].as_str().expect("name").to_owned(),
                platforms["totalCount"].as_i64().expect("count"),
            );
            assert_eq!(
                platforms["edges"].as_array().expect("edges").len() as i64,
                pair.1,
                "the page and its count disagree: {}",
                r.text
            );
            assert!(
                pair == ("Huangpu District".to_owned(), 1) || pair == ("Huangpu".to_owned(), 0),
                "an answer mixes two versions: {pair:?}"
            );
            let cursor = r.json["extensions"]["cursor"]
                .as_str()
                .expect("cursor")
                .to_owned();
            // One cursor, one version: every answer naming it is the same.
            let first = seen.entry(cursor).or_insert_with(|| pair.clone());
            assert_eq!(*first, pair);
        }
    }
    loads.await.expect("loads");
    let versions: std::collections::BTreeSet<_> = seen.values().collect();
    assert_eq!(versions.len(), 2, "both versions were served: {seen:?}");
}

/// A cursor from one replica continues on another after a change to other records: it names a
/// place in the order (sort key and record), not a position in one replica's memory.
#[tokio::test]
async fn a_cursor_continues_on_another_replica_after_an_unrelated_change() {
    let first = test_app().await;
    let page = "query($after: String) { platforms(first: 5, after: $after, orderBy: {field: NAME_EN}) { edges { cursor node { slug } } } }";
    let r = first.query(page, json!({ "after": null })).await;
    let edges = r.data()["platforms"]["edges"]
        .as_array()
        .expect("edges")
        .clone();
    let cursor = edges[4]["cursor"].as_str().expect("cursor").to_owned();

    // A partner feed adds a platform elsewhere in the order; a second replica starts after it.
    loader::feed::import(
        &first.db.db,
        &fixture("feeds/good.ndjson"),
        "partner",
        &indicatif::ProgressBar::hidden(),
    )
    .await
    .expect("import");
    let config = api::Config::for_database("sqlite::memory:");
    let second = api::app(first.db.db.clone(), &config)
        .await
        .expect("second replica");
    let ask = |q: &str, v: serde_json::Value| {
        let body = json!({ "query": q, "variables": v }).to_string();
        crate::helpers::graphql_json(second.clone(), body)
    };
    let slugs = |v: &serde_json::Value| -> Vec<String> {
        v["data"]["platforms"]["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| e["node"]["slug"].as_str().expect("slug").to_owned())
            .collect()
    };
    let whole = ask(
        "{ platforms(first: 100, orderBy: {field: NAME_EN}) { edges { node { slug } } } }",
        json!({}),
    )
    .await;
    let all = slugs(&whole);
    let last = edges[4]["node"]["slug"].as_str().expect("slug");
    let at = all
        .iter()
        .position(|s| s == last)
        .expect("the cursor's record is still there");
    let next = slugs(&ask(page, json!({ "after": cursor })).await);
    assert_eq!(next, all[at + 1..at + 6].to_vec());
    assert!(
        all.contains(&"partner-demo-park".to_owned()),
        "the change is served"
    );
}

/// A page holds `first` edges whenever that many records match.
#[tokio::test]
async fn a_page_holds_first_edges_whenever_that_many_exist() {
    let app = test_app().await;
    for (list, filter) in [
        ("zones", "{kinds: [DISTRICT]}"),
        ("platforms", "{}"),
        ("projects", "{kinds: [LABORATORY]}"),
        ("partnerships", "{}"),
        ("documents", "{}"),
    ] {
        for first in [1, 3, 7, 50] {
            let q = format!(
                "{{ {list}(first: {first}, filter: {filter}) {{ totalCount edges {{ node {{ id }} }} }} }}"
            );
            let r = app.ask(&q).await;
            let total = r.data()[list]["totalCount"].as_i64().expect("total");
            let edges = r.data()[list]["edges"].as_array().expect("edges").len() as i64;
            assert_eq!(edges, total.min(first), "{list} first {first}");
        }
    }
}
