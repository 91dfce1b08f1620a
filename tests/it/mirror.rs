//! The reference mirror client (`loader mirror`): a mirror of a live API holds the source's
//! records (same keys and content hashes) and relation rows after loads, imports and deletions,
//! and a second run resumes from the cursor it stored.
use sea_orm::DatabaseConnection;

use crate::helpers::{
    TestApp, copy_to_temp, edit, fixture, real_seeds, record_tables, relation_tables, rows, scalar,
    smaller_good_feed, test_app, test_db,
};

/// The app on a real socket; returns its base URL.
async fn serve(app: &TestApp) -> String {
    let addr = crate::helpers::on_socket(app.router.clone(), Default::default()).await;
    format!("http://{addr}")
}

/// Every record as `table slug content_hash` and every relation, provenance and mention row as
/// `table key`, sorted.
async fn contents(db: &DatabaseConnection) -> Vec<String> {
    let mut out = vec![];
    let records = record_tables();
    let mut relations = relation_tables();
    relations.push("mentions");
    for t in records.iter().chain(&relations) {
        let cols = if records.contains(t) {
            "slug || ' ' || content_hash"
        } else {
            "key"
        };
        let sql = format!("SELECT {cols} FROM {t} ORDER BY 1");
        for r in rows(db, sql).await {
            let v: String = r.try_get_by_index(0).expect("text");
            out.push(format!("{t} {v}"));
        }
    }
    out
}

/// Asserts the mirror holds exactly the source's contents, naming the differences.
async fn assert_mirrors(mirror: &DatabaseConnection, source: &DatabaseConnection) {
    let (m, s) = (contents(mirror).await, contents(source).await);
    let missing: Vec<&String> = s.iter().filter(|x| !m.contains(x)).collect();
    let extra: Vec<&String> = m.iter().filter(|x| !s.contains(x)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "the mirror lacks {missing:?} and has more: {extra:?}"
    );
}

async fn source_cursor(db: &DatabaseConnection) -> i64 {
    scalar(db, "SELECT COALESCE(MAX(seq), 0) FROM changes").await
}

#[tokio::test]
async fn a_mirror_equals_its_source_after_loads_imports_and_deletions_and_resumes() {
    let source = test_app().await;
    let url = serve(&source).await;
    let mirror = test_db().await;

    let first = loader::mirror::mirror(&mirror.db, &url)
        .await
        .expect("first mirror run");
    assert!(first.exported, "the first run takes the export: {first}");
    assert!(first.upserted > 400, "{first}");
    assert_mirrors(&mirror.db, &source.db.db).await;
    assert_eq!(first.cursor, source_cursor(&source.db.db).await);

    // Nothing changed: the run resumes from the stored cursor and writes nothing.
    let idle = loader::mirror::mirror(&mirror.db, &url)
        .await
        .expect("idle run");
    assert!(
        !idle.exported && idle.upserted == 0 && idle.deleted == 0,
        "{idle}"
    );
    assert_eq!(idle.cursor, first.cursor);

    // A partner feed, an edited curated record, then a feed that retracts one of its records.
    let progress = indicatif::ProgressBar::hidden();
    loader::feed::import(
        &source.db.db,
        &fixture("feeds/good.ndjson"),
        "demo",
        &progress,
    )
    .await
    .expect("import");
    let seeds = copy_to_temp(&real_seeds());
    edit(
        seeds.path(),
        "zones.toml",
        "name_en = \"Huangpu District\"",
        "name_en = \"Huangpu District of Guangzhou\"",
    );
    loader::load(&source.db.db, seeds.path())
        .await
        .expect("edited load");
    let (_dir, smaller) = smaller_good_feed();
    loader::feed::import(&source.db.db, &smaller, "demo", &progress)
        .await
        .expect("retracting import");

    let second = loader::mirror::mirror(&mirror.db, &url)
        .await
        .expect("second run");
    assert!(!second.exported, "resumed from the stored cursor: {second}");
    assert!(
        second.deleted >= 1,
        "the retraction reached the mirror: {second}"
    );
    assert!(second.upserted >= 2, "{second}");
    assert_eq!(second.cursor, source_cursor(&source.db.db).await);
    assert_mirrors(&mirror.db, &source.db.db).await;
    assert_eq!(
        mirror
            .scalar("SELECT COUNT(*) FROM zones WHERE name_en = 'Huangpu District of Guangzhou'")
            .await,
        1
    );
}

#[tokio::test]
async fn a_mirror_that_fails_midway_keeps_its_last_state_and_refuses_another_source() {
    let source = test_app().await;
    let url = serve(&source).await;
    let mirror = test_db().await;
    // Nothing listens on this port: the run fails before writing anything.
    let err = loader::mirror::mirror(&mirror.db, "http://127.0.0.1:9")
        .await
        .expect_err("unreachable");
    assert!(
        matches!(err, loader::mirror::MirrorError::Http { .. }),
        "{err}"
    );
    assert_untouched(&mirror.db).await;

    let done = loader::mirror::mirror(&mirror.db, &url).await.expect("run");
    let stored = mirror
        .scalar("SELECT cursor FROM mirror_state WHERE id = 1")
        .await;
    assert_eq!(stored, done.cursor);
    let other = loader::mirror::mirror(&mirror.db, "http://127.0.0.1:9")
        .await
        .expect_err("another source");
    assert!(
        matches!(other, loader::mirror::MirrorError::OtherSource(_)),
        "{other}"
    );
}

/// A stand-in source on a real socket that answers `/export/graph.ndjson` with `served`.
async fn stand_in(served: String) -> String {
    let stub = axum::Router::new().route(
        "/export/graph.ndjson",
        axum::routing::get(move || async move { served }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(axum::serve(listener, stub).into_future());
    url
}

/// The graph export split into its record lines and its end line.
async fn graph_export() -> (String, String) {
    let source = test_app().await;
    let export = source.get("/export/graph.ndjson").await.text;
    let (body, end) = export
        .trim_end_matches('\n')
        .rsplit_once('\n')
        .expect("an end line");
    assert!(end.contains("\"type\":\"end\""), "{end}");
    (body.to_owned(), end.to_owned())
}

/// The mirror holds no zone and no mirror state: the failed run wrote nothing.
async fn assert_untouched(mirror: &DatabaseConnection) {
    assert_eq!(scalar(mirror, "SELECT COUNT(*) FROM zones").await, 0);
    assert_eq!(scalar(mirror, "SELECT COUNT(*) FROM mirror_state").await, 0);
}

#[tokio::test]
async fn a_feed_cut_before_its_end_line_or_damaged_is_not_applied() {
    let (body, end) = graph_export().await;
    // Damage a field the content hash leaves out, so only the page's digest can tell.
    let damaged_body = body.replacen("\"updated_at\":\"20", "\"updated_at\":\"19", 1);
    assert_ne!(damaged_body, body);
    let damaged = format!("{damaged_body}\n{end}\n");
    for (served, expected) in [(format!("{body}\n"), "no end line"), (damaged, "sha256")] {
        // A source that stops mid-way (or sends other bytes than it hashed).
        let url = stand_in(served).await;
        let mirror = test_db().await;
        let err = loader::mirror::mirror(&mirror.db, &url)
            .await
            .expect_err("an incomplete feed");
        assert!(
            matches!(&err, loader::mirror::MirrorError::Incomplete { reason, .. } if reason.contains(expected)),
            "{err}"
        );
        assert_untouched(&mirror.db).await;
    }
}

#[tokio::test]
async fn a_record_that_does_not_hash_to_its_content_hash_is_refused() {
    use sha2::Digest;
    // The page is intact (its end line hashes what was sent) but one record was changed after
    // its content hash was taken: only the record's own hash can tell.
    let (body, end) = graph_export().await;
    let changed = body.replacen("黄埔", "黃埔", 1);
    assert_ne!(changed, body);
    let mut end: serde_json::Value = serde_json::from_str(&end).expect("end line");
    end["sha256"] = hex::encode(sha2::Sha256::digest(format!("{changed}\n"))).into();
    let url = stand_in(format!("{changed}\n{end}\n")).await;
    let mirror = test_db().await;
    let err = loader::mirror::mirror(&mirror.db, &url)
        .await
        .expect_err("a record changed after it was hashed");
    assert!(
        matches!(&err, loader::mirror::MirrorError::BadRecord { reason, .. } if reason.contains("hashes to")),
        "{err}"
    );
    assert_untouched(&mirror.db).await;
}
