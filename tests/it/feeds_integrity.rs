//! Feeds are complete or visibly failed: compressed bodies decode to the plain bytes, every NDJSON
//! feed ends with an end line whose count and SHA-256 match what came before it, `.sha256`
//! companions match their files, exports resume after a record, held downloads cannot starve
//! GraphQL, a client that stops reading is cut off, and a database failure midway aborts the body.
use std::io::Read as _;
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt as _;
use serde_json::Value;
use sha2::{Digest as _, Sha256};

use crate::helpers::{
    TestApp, app_on, body_bytes, loaded_db, real_seeds, test_app, test_app_with, test_db,
};

/// Every export path and the change feed.
const FEEDS: [&str; 13] = [
    "/export/graph.ndjson",
    "/export/zones.ndjson",
    "/export/platforms.csv",
    "/export/projects.ndjson",
    "/export/partnerships.csv",
    "/export/sources.ndjson",
    "/export/organizations.csv",
    "/export/documents.ndjson",
    "/export/sectors.csv",
    "/export/metrics.ndjson",
    "/export/citations.ndjson",
    "/export/citations.csv",
    "/changes?since=0",
];

/// Splits an NDJSON feed into its records and its end line, checking the end line's count and
/// SHA-256 against the bytes before it.
pub fn complete_ndjson(text: &str) -> (Vec<Value>, Value) {
    let body = text.strip_suffix('\n').expect("a feed ends with a newline");
    let (head, last) = match body.rsplit_once('\n') {
        Some((head, last)) => (format!("{head}\n"), last),
        None => (String::new(), body),
    };
    let end: Value = serde_json::from_str(last).expect("end line is JSON");
    assert_eq!(end["type"], "end", "the last line is the end line: {last}");
    let records: Vec<Value> = head
        .lines()
        .map(|l| serde_json::from_str(l).expect("NDJSON line"))
        .collect();
    assert_eq!(end["count"], records.len() as u64, "end line count");
    assert_eq!(end["sha256"], hex::encode(Sha256::digest(head.as_bytes())));
    assert!(records.iter().all(|r| r["type"] != "end"), "one end line");
    (records, end)
}

async fn get_with(app: &TestApp, path: &str, encoding: Option<&str>) -> (u16, Vec<u8>, String) {
    let mut request = Request::get(path);
    if let Some(e) = encoding {
        request = request.header("accept-encoding", e);
    }
    let response = app
        .respond(request.body(Body::empty()).expect("request"))
        .await;
    let status = response.status().as_u16();
    let content_encoding = response
        .headers()
        .get("content-encoding")
        .map(|v| v.to_str().expect("text").to_owned())
        .unwrap_or_else(|| "identity".to_owned());
    let bytes = body_bytes(response).await;
    (status, bytes.to_vec(), content_encoding)
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("valid gzip");
    out
}

/// A graph several pages long in every kind (scale 5: thousands of citations).
async fn paged_app() -> TestApp {
    let out = tempfile::tempdir().expect("temp");
    loader::synth::synthesize(&real_seeds(), out.path(), 5).expect("synth");
    let t = loaded_db(out.path()).await;
    app_on(t, api::Config::for_database("sqlite::memory:")).await
}

#[tokio::test]
async fn compressed_feeds_decode_to_exactly_the_plain_bytes() {
    let app = paged_app().await;
    for path in FEEDS {
        let (status, plain, identity) = get_with(&app, path, None).await;
        assert_eq!((status, identity.as_str()), (200, "identity"), "{path}");
        let (status, zipped, encoding) = get_with(&app, path, Some("gzip")).await;
        assert_eq!((status, encoding.as_str()), (200, "gzip"), "{path}");
        let unzipped = gunzip(&zipped);
        assert_eq!(unzipped.len(), plain.len(), "{path}: gzip length");
        assert!(unzipped == plain, "{path}: gzip bytes differ");
        assert!(zipped.len() < plain.len() / 2, "{path}: compressed");
        if path.contains("ndjson") || path.starts_with("/changes") {
            complete_ndjson(&String::from_utf8(plain).expect("UTF-8"));
        }
    }
}

#[tokio::test]
async fn every_ndjson_feed_ends_with_a_line_stating_its_count_cursor_and_digest() {
    let app = test_app().await;
    let graph = app.get("/export/graph.ndjson").await;
    let (records, end) = complete_ndjson(&graph.text);
    let header = graph.headers["baygraph-cursor"].to_str().expect("text");
    assert_eq!(
        end["cursor"], header,
        "the end line names the export's cursor"
    );
    let mut stored = 0;
    for kind in entity::ids::Kind::ALL {
        let table = kind.table();
        stored += app
            .db
            .scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .await;
    }
    assert_eq!(records.len() as i64, stored);

    let changes = app.get("/changes?since=0").await;
    let (lines, end) = complete_ndjson(&changes.text);
    assert_eq!(lines.len() as i64, stored, "one change per live record");
    assert_eq!(
        lines.last().expect("a change")["cursor"],
        end["cursor"],
        "the end cursor is the last change's"
    );
    // Nothing after the end: the next poll is an empty feed that still ends properly.
    let cursor = end["cursor"].as_str().expect("cursor");
    let next = app.get(&format!("/changes?since={cursor}")).await;
    let (lines, end) = complete_ndjson(&next.text);
    assert!(lines.is_empty());
    assert_eq!(end["cursor"], cursor);
    assert_eq!(end["sha256"], hex::encode(Sha256::digest(b"")));
}

#[tokio::test]
async fn a_sha256_companion_matches_its_file_at_the_same_cursor() {
    let app = test_app().await;
    for file in ["platforms.csv", "citations.csv", "zones.ndjson"] {
        let body = app.get(&format!("/export/{file}")).await;
        let digest = app.get_ok(&format!("/export/{file}.sha256")).await;
        assert_eq!(
            body.headers["baygraph-cursor"], digest.headers["baygraph-cursor"],
            "{file}"
        );
        let covered = if file.ends_with(".ndjson") {
            let (_, end) = complete_ndjson(&body.text);
            assert_eq!(
                digest.headers["baygraph-count"].to_str().ok(),
                end["count"].to_string().as_str().into()
            );
            body.text[..body.text.trim_end().rfind('\n').expect("records") + 1].to_owned()
        } else {
            body.text.clone()
        };
        let expected = format!(
            "{}  {file}\n",
            hex::encode(Sha256::digest(covered.as_bytes()))
        );
        assert_eq!(digest.text, expected, "{file}: sha256sum format");
    }
    let csv = app.get("/export/platforms.csv").await;
    let rows = csv.text.lines().count() as u64 - 1;
    let digest = app.get("/export/platforms.csv.sha256").await;
    assert_eq!(
        digest.headers["baygraph-count"].to_str().ok(),
        Some(rows.to_string().as_str())
    );
    assert_eq!(app.get("/export/nothing.csv.sha256").await.status, 404);
}

#[tokio::test]
async fn an_export_resumes_after_the_last_record_received() {
    let app = paged_app().await;
    for path in [
        "/export/projects.ndjson",
        "/export/graph.ndjson",
        "/export/citations.ndjson",
    ] {
        let (whole, _) = complete_ndjson(&app.get(path).await.text);
        assert!(whole.len() > 400, "{path}: spans pages");
        let cut = whole.len() / 3;
        let last = whole[cut - 1]["id"].as_str().expect("id");
        let rest = app.get_ok(&format!("{path}?after={last}")).await;
        assert!(
            rest.headers.get("etag").is_none(),
            "a part is not the whole"
        );
        let (rest, _) = complete_ndjson(&rest.text);
        let mut joined = whole[..cut].to_vec();
        joined.extend(rest);
        assert!(joined == whole, "{path}: head + resumed tail = whole");
    }
    let zone = TestApp::id(entity::ids::Kind::Zone, "huangpu");
    let wrong = app
        .get(&format!("/export/projects.ndjson?after={zone}"))
        .await;
    assert_eq!(wrong.status, 400);
    assert!(wrong.text.contains("after"), "{}", wrong.text);
    assert_eq!(
        app.get("/export/projects.ndjson?after=%FF%FE").await.status,
        400
    );
}

#[tokio::test]
async fn held_downloads_take_feed_slots_and_graphql_keeps_answering() {
    let mut config = api::Config::for_database("sqlite::memory:");
    config.limits.max_feeds = 2;
    let app = test_app_with(config).await;
    // Two downloads started and never read: each holds a slot (and a database connection).
    let mut held = Vec::new();
    for _ in 0..2 {
        let response = app.open("/export/graph.ndjson").await;
        assert_eq!(response.status(), 200);
        held.push(response);
    }
    let third = app.get("/export/zones.ndjson").await;
    assert_eq!(third.status, 503);
    assert_eq!(third.headers["retry-after"], "5");
    assert_eq!(app.get("/changes?since=0").await.status, 503);
    let started = std::time::Instant::now();
    let r = app.ask("{ zones(first: 3) { nodes { slug } } }").await;
    assert_eq!(r.data()["zones"]["nodes"].as_array().map(Vec::len), Some(3));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(app.get("/ready").await.status, 200);
    // A finished download gives its slot back.
    let first = held.pop().expect("held");
    first.into_body().collect().await.expect("complete");
    let mut again = None;
    for _ in 0..50 {
        let r = app.get("/export/zones.ndjson").await;
        if r.status == 200 {
            again = Some(r);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    complete_ndjson(&again.expect("a slot came back").text);
}

#[tokio::test]
async fn a_client_that_stops_reading_is_cut_off_not_served_a_clean_end() {
    let mut config = api::Config::for_database("sqlite::memory:");
    config.limits.feed_idle_secs = 1;
    config.limits.max_feeds = 1;
    let app = test_app_with(config).await;
    let response = app.open("/export/graph.ndjson").await;
    let mut body = response.into_body();
    // Read one frame, then stop for longer than the idle timeout.
    body.frame().await.expect("a first frame").expect("data");
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let mut failed = false;
    while let Some(frame) = body.frame().await {
        if frame.is_err() {
            failed = true;
            break;
        }
    }
    assert!(
        failed,
        "the body ends with an error, not like a complete one"
    );
    // Its slot is free again.
    complete_ndjson(&app.get("/export/zones.ndjson").await.text);
}

/// A database session killed midway (PostgreSQL only: SQLite has no other session to kill).
#[tokio::test]
async fn a_database_failure_midway_aborts_the_body() {
    let t = test_db().await;
    if t.db.get_database_backend() != sea_orm::DbBackend::Postgres {
        eprintln!("skipped: needs TEST_DATABASE_URL (PostgreSQL)");
        return;
    }
    let out = tempfile::tempdir().expect("temp");
    loader::synth::synthesize(&real_seeds(), out.path(), 5).expect("synth");
    loader::load(&t.db, out.path()).await.expect("load");
    let app = app_on(t, api::Config::for_database("sqlite::memory:")).await;
    for path in [
        "/export/graph.ndjson",
        "/changes?since=0",
        "/export/citations.csv",
    ] {
        let response = app.open(path).await;
        assert_eq!(response.status(), 200);
        let mut body = response.into_body();
        body.frame().await.expect("a first frame").expect("data");
        // Kill every other session on this database: the one streaming the feed among them.
        // The feed's session is the one inside a transaction (idle while its queue is full).
        let mut killed = 0;
        for _ in 0..100 {
            killed = app
                .db
                .scalar(
                    "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity \
                 WHERE datname = current_database() AND pid <> pg_backend_pid() \
                 AND xact_start IS NOT NULL",
                )
                .await;
            if killed > 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(killed >= 1, "{path}: the feed's session was found");
        let mut failed = false;
        let mut text = Vec::new();
        while let Some(frame) = body.frame().await {
            match frame {
                Ok(f) => text.extend_from_slice(f.data_ref().map(|b| &b[..]).unwrap_or(&[])),
                Err(_) => {
                    failed = true;
                    break;
                }
            }
        }
        assert!(failed, "{path}: the body ends with an error");
        assert!(
            !String::from_utf8_lossy(&text).contains("\"type\":\"end\""),
            "{path}: no end line after a failure"
        );
    }
}

#[tokio::test]
async fn graphql_changes_page_with_after_and_count_every_change() {
    let app = test_app().await;
    let q = "query($c: String) { changes(first: 100, after: $c) { totalCount edges { cursor } pageInfo { hasNextPage endCursor } } }";
    let mut seen = Vec::new();
    let mut total = None;
    for c in app.walk_pages(q, &["changes"], true).await {
        total.get_or_insert(c["totalCount"].as_u64().expect("count"));
        assert_eq!(
            Some(c["totalCount"].as_u64().expect("count")),
            total,
            "stable total"
        );
        for e in c["edges"].as_array().expect("edges") {
            seen.push(
                e["cursor"]
                    .as_str()
                    .expect("cursor")
                    .parse::<i64>()
                    .expect("int"),
            );
        }
    }
    let stored = app.db.scalar("SELECT COUNT(*) FROM changes").await;
    assert!(stored > 400);
    assert_eq!(
        total,
        Some(stored as u64),
        "totalCount is the whole feed, not a page"
    );
    assert_eq!(seen.len() as i64, stored);
    assert!(seen.windows(2).all(|w| w[0] < w[1]));
}

#[tokio::test]
async fn the_change_log_keeps_one_row_per_record_and_expired_cursors_are_refused() {
    use sea_orm::ConnectionTrait as _;
    let app = test_app().await;
    let records = app.db.scalar("SELECT COUNT(*) FROM changes").await;
    // Reloading after touching every zone logs each zone once, replacing its earlier row.
    let dir = crate::helpers::copy_to_temp(&real_seeds());
    for round in 0..2 {
        let aliases = dir.path().join("sectors.toml");
        let s = std::fs::read_to_string(&aliases).expect("read");
        std::fs::write(
            &aliases,
            s.replacen("name_en = \"", &format!("name_en = \"{round}"), 1),
        )
        .expect("write");
        loader::load(&app.db.db, dir.path()).await.expect("reload");
    }
    let after = app.db.scalar("SELECT COUNT(*) FROM changes").await;
    assert_eq!(after, records, "one row per record, however many loads");
    let duplicates = app.db.scalar("SELECT COUNT(*) FROM (SELECT kind, slug FROM changes GROUP BY kind, slug HAVING COUNT(*) > 1) d",
    )
    .await;
    assert_eq!(duplicates, 0);
    // The database holds the rule too (a unique index on the pair), not only the loader.
    let twice = app
        .db
        .db
        .execute_unprepared(
            "INSERT INTO changes (kind, slug, op, at) \
             SELECT kind, slug, op, at FROM changes WHERE kind = 'zone' LIMIT 1",
        )
        .await;
    assert!(twice.is_err(), "a second row for one record is refused");

    // A purge past cursor 10 makes older cursors expire: 410 and CURSOR_EXPIRED, not a silent gap.
    app.db
        .db
        .execute_unprepared("UPDATE change_log_floor SET seq = 10")
        .await
        .expect("raise floor");
    let gone = app.get("/changes?since=5").await;
    assert_eq!(gone.status, 410);
    assert!(gone.text.contains("fresh export"), "{}", gone.text);
    let r = app
        .ask("{ changes(since: \"5\", first: 1) { totalCount } }")
        .await;
    assert_eq!(r.code(), Some("CURSOR_EXPIRED"));
    // From the beginning, or from the floor on, is still fine.
    complete_ndjson(&app.get("/changes?since=0").await.text);
    complete_ndjson(&app.get("/changes?since=10").await.text);
}
