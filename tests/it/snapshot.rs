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
