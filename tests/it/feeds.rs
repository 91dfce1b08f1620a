//! Feeds for data partners: exports, the change feed (replay equals a fresh export), and partner
//! feed imports (all or nothing, idempotent, retractions, curated records untouched).
use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::helpers::{
    app_on, edit, fixture, hidden, import_refused, load_options, loaded_copy, loaded_db,
    real_seeds, record_tables, smaller_good_feed, snapshot, test_app,
};

/// The records of a complete NDJSON feed (its end line checked and removed).
fn ndjson(text: &str) -> Vec<Value> {
    crate::feeds_integrity::complete_ndjson(text).0
}

/// The records of a graph export keyed by ID, without the load-time fields that a replay keeps anyway.
fn by_id(records: Vec<Value>) -> BTreeMap<String, Value> {
    records
        .into_iter()
        .map(|r| (r["id"].as_str().expect("id").to_owned(), r))
        .collect()
}

#[tokio::test]
async fn every_kind_exports_as_ndjson_and_csv_at_a_stated_cursor() {
    let app = test_app().await;
    for kind in record_tables() {
        let r = app.get_ok(&format!("/export/{kind}.ndjson")).await;
        let cursor = r
            .headers
            .get("baygraph-cursor")
            .expect("cursor header")
            .to_str()
            .expect("text");
        assert!(cursor.parse::<i64>().expect("integer cursor") > 0);
        assert!(
            r.headers
                .get("content-disposition")
                .expect("file name")
                .to_str()
                .expect("text")
                .contains(&format!("{kind}.ndjson"))
        );
        let records = ndjson(&r.text);
        assert!(!records.is_empty(), "{kind} is empty");
        for rec in &records {
            assert!(
                rec["id"].is_string() && rec["updated_at"].is_string(),
                "{rec}"
            );
            if kind != "sources" {
                assert!(
                    !rec["citations"].as_array().expect("citations").is_empty(),
                    "{kind} {} has no citation",
                    rec["slug"]
                );
            }
        }
        let csv = app.get_ok(&format!("/export/{kind}.csv")).await;
        assert!(csv.text.starts_with("id,type,slug,"), "{kind}: header row");
        // The header comes from the table's columns; it names exactly the fields every record has.
        let header: std::collections::BTreeSet<&str> = csv
            .text
            .lines()
            .next()
            .unwrap_or_default()
            .split(',')
            .collect();
        for rec in &records {
            let keys: std::collections::BTreeSet<&str> = rec
                .as_object()
                .expect("object")
                .keys()
                .map(String::as_str)
                .collect();
            assert_eq!(keys, header, "{kind}: CSV header and record fields");
        }
        assert!(
            csv.text.lines().count() > records.len(),
            "{kind}: one CSV row per record"
        );
    }
    let graph = ndjson(&app.get("/export/graph.ndjson").await.text);
    assert!(
        graph.iter().any(|r| r["type"] == "partnership")
            && graph.iter().any(|r| r["type"] == "zone")
    );
    assert_eq!(app.get("/export/nothing.ndjson").await.status, 404);
}

#[tokio::test]
async fn every_exported_record_hashes_to_its_content_hash() {
    // The loader hashes the rows it writes; a partner hashes the record it received
    // (docs/feeds.md): the two agree for every record of every kind, curated and imported.
    let app = test_app().await;
    let feed = fixture("feeds/good.ndjson");
    loader::feed::import(&app.db.db, &feed, "demo", &hidden())
        .await
        .expect("import");
    let records = ndjson(&app.get("/export/graph.ndjson").await.text);
    assert!(records.iter().any(|r| r["origin"] == "feed:demo"));
    let kinds = [
        "zone",
        "platform",
        "project",
        "partnership",
        "source",
        "organization",
        "document",
        "sector",
        "metric",
    ];
    for kind in kinds {
        assert!(records.iter().any(|r| r["type"] == kind), "no {kind}");
    }
    // Aliases have no stored position: they come in text order, the same from every backend.
    let several = records
        .iter()
        .filter(|r| r["aliases"].as_array().is_some_and(|a| a.len() > 1));
    assert!(
        several.clone().count() > 0,
        "some record has several aliases"
    );
    for r in several {
        let aliases: Vec<&str> = r["aliases"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        assert!(aliases.windows(2).all(|w| w[0] <= w[1]), "{aliases:?}");
    }
    for r in &records {
        let Value::Object(record) = r else {
            panic!("not an object: {r}")
        };
        assert_eq!(
            entity::export::content_hash(record),
            r["content_hash"].as_str().expect("a hash"),
            "{r}"
        );
    }
}

#[tokio::test]
async fn the_citations_export_is_every_record_s_evidence_pointing_into_its_source() {
    let app = test_app().await;
    let graph = ndjson(&app.get("/export/graph.ndjson").await.text);
    let embedded: usize = graph
        .iter()
        .map(|r| r["citations"].as_array().map_or(0, Vec::len))
        .sum();
    let bodies: BTreeMap<&str, Vec<char>> = graph
        .iter()
        .filter(|r| r["type"] == "source")
        .map(|r| {
            let slug = r["slug"].as_str().expect("slug");
            (slug, r["body"].as_str().expect("body").chars().collect())
        })
        .collect();
    let r = app.get_ok("/export/citations.ndjson").await;
    assert!(r.headers.contains_key("baygraph-cursor"));
    let rows = ndjson(&r.text);
    assert_eq!(rows.len(), embedded, "one row per citation of every record");
    let ids: std::collections::BTreeSet<&str> =
        rows.iter().map(|c| c["id"].as_str().expect("id")).collect();
    assert_eq!(ids.len(), rows.len(), "citation IDs are unique");
    let record_ids: std::collections::BTreeSet<&str> = graph
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    for c in &rows {
        assert!(
            record_ids.contains(c["owner_id"].as_str().expect("owner")),
            "{c}"
        );
        let Some(quote) = c["quote"].as_str() else {
            assert!(
                c["note"].is_string(),
                "a citation without a quote has a note: {c}"
            );
            continue;
        };
        let Some(body) = c["source"].as_str().and_then(|s| bodies.get(s)) else {
            assert!(c["source_url"].is_string(), "{c}");
            continue;
        };
        let (start, end) = (
            c["start"].as_u64().expect("start") as usize,
            c["end"].as_u64().expect("end") as usize,
        );
        assert_eq!(body[start..end].iter().collect::<String>(), quote, "{c}");
    }
    let csv = app.get("/export/citations.csv").await;
    assert!(
        csv.text
            .starts_with("id,type,owner_type,owner_id,owner_slug,relation,target,")
    );
    assert!(csv.text.contains("黄埔"));
}

#[tokio::test]
async fn exports_larger_than_a_page_carry_every_record_once() {
    // Scale 5: 25 sources, 755 projects and thousands of citations, so every export spans
    // several pages (sources are read 20 at a time, the rest 200 at a time).
    let out = tempfile::tempdir().expect("temp");
    loader::synth::synthesize(&real_seeds(), out.path(), 5).expect("synth");
    let t = loaded_db(out.path()).await;
    let app = app_on(t, api::Config::for_database("sqlite::memory:")).await;
    let graph = ndjson(&app.get("/export/graph.ndjson").await.text);
    let ids: std::collections::BTreeSet<&str> = graph
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids.len(), graph.len(), "no record twice");
    for (kind, table) in [
        ("source", "sources"),
        ("project", "projects"),
        ("zone", "zones"),
        ("metric", "metrics"),
    ] {
        let exported = graph.iter().filter(|r| r["type"] == kind).count() as i64;
        let stored = app
            .db
            .scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .await;
        assert!(stored > 20, "{table}: {stored}");
        assert_eq!(exported, stored, "{kind}");
    }
    let citations = ndjson(&app.get("/export/citations.ndjson").await.text);
    let stored = app.db.scalar("SELECT COUNT(*) FROM citations").await;
    assert!(stored > 1000);
    assert_eq!(citations.len() as i64, stored);
    let csv = app.get("/export/projects.csv").await.text;
    let rows = app.db.scalar("SELECT COUNT(*) FROM projects").await;
    // Every row starts with a project ID (base64url of "project:…").
    let prefix = &entity::ids::public_id(entity::ids::Kind::Project, "")[..8];
    assert_eq!(
        csv.lines().filter(|l| l.starts_with(prefix)).count() as i64,
        rows
    );
    assert!(csv.starts_with("id,type,slug,"));
}

#[tokio::test]
async fn an_unchanged_export_answers_304_to_its_etag() {
    let app = test_app().await;
    let first = app.get("/export/zones.ndjson").await;
    let etag = first.headers.get("etag").expect("etag").clone();
    let request = axum::http::Request::get("/export/zones.ndjson")
        .header("if-none-match", etag)
        .body(axum::body::Body::empty())
        .expect("request");
    let second = app.send(request).await;
    assert_eq!(second.status, 304);
    assert!(second.text.is_empty());
}

#[tokio::test]
async fn replaying_an_export_and_its_changes_equals_a_fresh_export() {
    let (t, dir) = loaded_copy(&fixture("mini")).await;
    let app = app_on(t, api::Config::for_database("sqlite::memory:")).await;
    let export = app.get("/export/graph.ndjson").await;
    let cursor = export
        .headers
        .get("baygraph-cursor")
        .expect("cursor")
        .to_str()
        .expect("text")
        .to_owned();
    let mut replica = by_id(ndjson(&export.text));

    // v2 adds a sector link, changes a zone, deletes a metric; v3 deletes and re-adds nothing else.
    edit(dir.path(), "zones.toml", "Huangpu District", "Huangpu");
    std::fs::write(dir.path().join("metrics.toml"), "# none\n").expect("write");
    edit(
        dir.path(),
        "sectors.toml",
        "name_en = \"Biomedicine\"",
        "name_en = \"Biomedicine and health\"",
    );
    let options = load_options(&["metrics"], false);
    loader::load_with(&app.db.db, dir.path(), &options, &hidden())
        .await
        .expect("v2");

    let changes = app.get(&format!("/changes?since={cursor}")).await;
    let changes = ndjson(&changes.text);
    assert!(
        changes.iter().any(|c| c["op"] == "delete"),
        "a deletion is in the feed"
    );
    let cursors: Vec<i64> = changes
        .iter()
        .map(|c| c["cursor"].as_str().expect("cursor").parse().expect("int"))
        .collect();
    assert!(cursors.windows(2).all(|w| w[0] < w[1]), "commit order");
    for c in changes {
        let id = c["id"].as_str().expect("id").to_owned();
        match c["op"].as_str() {
            Some("upsert") => {
                replica.insert(id, c["record"].clone());
            }
            Some("delete") => {
                replica.remove(&id);
            }
            other => panic!("unknown op {other:?}"),
        }
    }
    let fresh = by_id(ndjson(&app.get("/export/graph.ndjson").await.text));
    assert_eq!(replica, fresh);

    // The GraphQL feed carries the same changes, once the app's read model has them.
    app.caught_up().await;
    let r = app.query("query($s: String) { changes(since: $s, first: 100) { edges { cursor node { op kind recordId } } } }", json!({ "s": cursor })).await;
    let ops: Vec<String> = r.data()["changes"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| format!("{}:{}", e["node"]["op"], e["node"]["recordId"]))
        .collect();
    assert_eq!(ops.len(), 3, "{ops:?}");
}

#[tokio::test]
async fn a_partner_feed_imports_and_reimporting_it_changes_nothing() {
    let t = loaded_db(&crate::helpers::real_seeds()).await;
    let progress = hidden();
    let s = loader::feed::import(&t.db, &fixture("feeds/good.ndjson"), "demo", &progress)
        .await
        .expect("import");
    assert_eq!(s.table("platforms").map(|x| x.inserted), Some(1));
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM platforms WHERE origin = 'feed:demo'")
            .await,
        1
    );
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM partnership_parties WHERE origin = 'feed:demo'")
            .await,
        2
    );
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM citations WHERE source_url IS NOT NULL")
            .await,
        3 + 3,
        "record and relation citations keep their URL"
    );
    let again = loader::feed::import(&t.db, &fixture("feeds/good.ndjson"), "demo", &progress)
        .await
        .expect("reimport");
    assert!(again.is_noop(), "{again}");
    // A curated reload leaves the partner's records alone.
    let curated = loader::load(&t.db, &crate::helpers::real_seeds())
        .await
        .expect("reload");
    assert!(curated.is_noop(), "{curated}");
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM platforms WHERE origin = 'feed:demo'")
            .await,
        1
    );
    // CSV works the same way.
    loader::feed::import(&t.db, &fixture("feeds/good.csv"), "csv-partner", &progress)
        .await
        .expect("csv import");
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM platforms WHERE slug = 'partner-csv-park'")
            .await,
        1
    );
}

#[tokio::test]
async fn a_bad_feed_is_rejected_whole_with_every_problem_and_the_database_untouched() {
    let t = loaded_db(&crate::helpers::real_seeds()).await;
    let before = snapshot(&t.db).await;
    let err = loader::feed::import(&t.db, &fixture("feeds/bad.ndjson"), "demo", &hidden())
        .await
        .expect_err("bad feed");
    let text = err.to_string();
    for expected in [
        "bad.ndjson:2: zone \"atlantis\"",
        "bad.ndjson:3: quote not found verbatim",
        "bad.ndjson:4: unknown type \"spaceport\"",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert_eq!(snapshot(&t.db).await, before);
}

#[tokio::test]
async fn a_later_feed_retracts_what_it_no_longer_carries_and_cannot_take_curated_slugs() {
    let t = loaded_db(&crate::helpers::real_seeds()).await;
    let progress = hidden();
    loader::feed::import(&t.db, &fixture("feeds/good.ndjson"), "demo", &progress)
        .await
        .expect("import");
    let (_dir, path) = smaller_good_feed();
    let s = loader::feed::import(&t.db, &path, "demo", &progress)
        .await
        .expect("smaller feed");
    assert_eq!(s.table("partnerships").map(|x| x.deleted), Some(1));
    assert_eq!(t.scalar("SELECT COUNT(*) FROM tombstones WHERE slug = 'partner-demo-partnership' AND origin = 'feed:demo'").await, 1);
    assert!(
        t.scalar("SELECT COUNT(*) FROM partnerships WHERE origin = 'seeds'")
            .await
            > 20,
        "curated partnerships untouched"
    );
    let err = import_refused(&t.db, &fixture("feeds/clash.ndjson"), "demo").await;
    assert!(
        err.contains(
            "clash.ndjson:1: zone slug \"huangpu\" already belongs to a record from another origin"
        ),
        "{err}"
    );
}
