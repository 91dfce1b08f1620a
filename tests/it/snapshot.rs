//! The read model: a snapshot updated from the change log equals one built from scratch.
use std::sync::Arc;

use api::snapshot::Snapshot;

use crate::helpers::{copy_to_temp, real_seeds, test_db};

fn hidden() -> indicatif::ProgressBar {
    indicatif::ProgressBar::hidden()
}

fn edit(dir: &std::path::Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} holds {from}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

async fn same(db: &sea_orm::DatabaseConnection, updated: &Snapshot) {
    let rebuilt = Snapshot::build(db).await.expect("rebuild");
    assert_eq!(updated.cursor, rebuilt.cursor);
    let (a, b) = (updated.dump(), rebuilt.dump());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y, "the updated snapshot differs from a rebuild");
    }
    assert_eq!(a.len(), b.len());
}

#[tokio::test]
async fn an_updated_snapshot_equals_a_rebuilt_one() {
    let t = test_db().await;
    let dir = copy_to_temp(&real_seeds());
    loader::load(&t.db, dir.path()).await.expect("seeds");
    let v1 = Arc::new(Snapshot::build(&t.db).await.expect("build"));
    assert!(
        v1.advance(&t.db).await.expect("advance").is_none(),
        "nothing changed"
    );

    // A renamed zone, figures deleted, a source text with more mentions at its end, then a
    // partner feed adding records that point at curated ones.
    edit(
        dir.path(),
        "zones.toml",
        "name_en = \"Huangpu District\"",
        "name_en = \"Huangpu\"",
    );
    std::fs::write(dir.path().join("metrics.toml"), "# none\n").expect("write");
    let source = dir.path().join("sources/gdd-innovation-corridor.txt");
    let mut text = std::fs::read_to_string(&source).expect("source");
    text.push_str("\n黄埔区与南沙区");
    std::fs::write(&source, text).expect("write");
    let options = loader::LoadOptions {
        allow_empty: vec!["metrics".to_owned()],
        allow_deletions: true,
    };
    loader::load_with(&t.db, dir.path(), &options, &hidden())
        .await
        .expect("v2");
    loader::feed::import(
        &t.db,
        &crate::helpers::fixture("feeds/good.ndjson"),
        "partner",
        &hidden(),
    )
    .await
    .expect("feed");
    let v2 = Arc::new(v1.advance(&t.db).await.expect("advance").expect("changed"));
    same(&t.db, &v2).await;

    // And back: the original seeds again.
    loader::load_with(&t.db, &real_seeds(), &options, &hidden())
        .await
        .expect("v3");
    let v3 = v2.advance(&t.db).await.expect("advance").expect("changed");
    same(&t.db, &v3).await;
}

#[tokio::test]
async fn a_saved_snapshot_reads_back_equal_and_only_for_its_database() {
    let t = test_db().await;
    loader::load(&t.db, &real_seeds()).await.expect("seeds");
    let built = Snapshot::build(&t.db).await.expect("build");
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("graph.read-model");
    let epoch = api::snapshot::epoch(&t.db)
        .await
        .expect("epoch")
        .expect("the database has one");
    built.save(&path, &epoch).expect("save");
    let back = Snapshot::load(&path, &epoch)
        .expect("read")
        .expect("a snapshot of this database");
    assert_eq!(back.cursor, built.cursor);
    assert_eq!(back.dump(), built.dump());
    let other = Snapshot::load(&path, "another database").expect("read");
    assert!(other.is_none(), "a snapshot of another database is ignored");
    std::fs::write(&path, b"not a snapshot").expect("write");
    assert!(Snapshot::load(&path, &epoch).expect("read").is_none());
}

/// An API restarted with `--read-model-cache` reads the saved snapshot, applies what was
/// committed while it was down, and serves exactly what a fresh build would.
#[tokio::test]
async fn a_restarted_api_starts_from_its_saved_read_model_and_catches_up() {
    let t = test_db().await;
    let dir = copy_to_temp(&real_seeds());
    loader::load(&t.db, dir.path()).await.expect("seeds");
    let cache = tempfile::tempdir().expect("dir");
    let mut config = api::Config::for_database("sqlite::memory:");
    config.read_model_cache = Some(cache.path().join("graph.read-model"));
    let first = api::app(t.db.clone(), &config).await.expect("first run");
    drop(first);
    let file = cache.path().join("graph.read-model");
    for _ in 0..200 {
        if file.exists() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert!(file.exists(), "the first run saved its read model");
    edit(
        dir.path(),
        "zones.toml",
        "name_en = \"Huangpu District\"",
        "name_en = \"Huangpu\"",
    );
    loader::load(&t.db, dir.path())
        .await
        .expect("a change while it is down");
    let epoch = api::snapshot::epoch(&t.db)
        .await
        .expect("epoch")
        .expect("epoch");
    let saved = Snapshot::load(&file, &epoch).expect("read").expect("saved");
    let caught_up = Arc::new(saved)
        .advance(&t.db)
        .await
        .expect("advance")
        .expect("changed");
    same(&t.db, &caught_up).await;
    let second = crate::helpers::app_on(t, config).await;
    let r = second
        .query(
            "{ zone(slug: \"huangpu\") { nameEn } }",
            serde_json::json!({}),
        )
        .await;
    assert_eq!(r.data()["zone"]["nameEn"], "Huangpu");
}
