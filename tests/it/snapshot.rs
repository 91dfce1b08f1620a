//! The read model: a snapshot updated from the change log equals one built from scratch.
use std::sync::Arc;

use api::snapshot::{Snapshot, shared};
use sea_orm::ConnectionTrait;

use crate::helpers::{append, edit, hidden, load_options, loaded_copy, loaded_db, real_seeds};

/// The database's epoch (every loaded database has one).
async fn epoch_of(db: &sea_orm::DatabaseConnection) -> String {
    api::snapshot::epoch(db)
        .await
        .expect("epoch")
        .expect("the database has one")
}

/// Renames Huangpu's English name in the seeds in `dir` and loads them: a one-record change.
async fn rename_huangpu(db: &sea_orm::DatabaseConnection, dir: &std::path::Path) {
    edit(
        dir,
        "zones.toml",
        "name_en = \"Huangpu District\"",
        "name_en = \"Huangpu\"",
    );
    loader::load(db, dir).await.expect("load the rename");
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

/// `snapshot` advanced over the changes the test has just made, checked equal to a rebuild.
async fn caught_up(snapshot: &Arc<Snapshot>, db: &sea_orm::DatabaseConnection) -> Snapshot {
    let advanced = snapshot
        .advance(db)
        .await
        .expect("advance")
        .expect("changed");
    same(db, &advanced).await;
    advanced
}

/// A build reads on several connections that see one version: on PostgreSQL the record tables,
/// citations and mentions through COPY, in page ranges; on SQLite read transactions kept at the
/// build's cursor. With a pool of one connection it reads every table as queries on its own
/// transaction. Both must give the same snapshot.
#[tokio::test]
async fn a_build_reads_the_same_graph_on_several_connections_as_on_one() {
    let t = loaded_db(&real_seeds()).await;
    let several = Snapshot::build(&t.db)
        .await
        .expect("build on several connections");
    let one = loader::connect(&t.url, 1).await.expect("a pool of one");
    let alone = Snapshot::build(&one)
        .await
        .expect("build on one connection");
    one.close().await.ok();
    let (a, b) = (several.dump(), alone.dump());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y, "several connections and one read different graphs");
    }
    assert_eq!(a.len(), b.len());
}

#[tokio::test]
async fn an_updated_snapshot_equals_a_rebuilt_one() {
    let (t, dir) = loaded_copy(&real_seeds()).await;
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
    append(
        dir.path(),
        "sources/gdd-innovation-corridor.txt",
        "\n黄埔区与南沙区",
    );
    let options = load_options(&["metrics"], true);
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
    let v2 = Arc::new(caught_up(&v1, &t.db).await);

    // And back: the original seeds again.
    loader::load_with(&t.db, &real_seeds(), &options, &hidden())
        .await
        .expect("v3");
    caught_up(&v2, &t.db).await;
}

#[tokio::test]
async fn a_saved_snapshot_reads_back_equal_and_only_for_its_database() {
    let t = loaded_db(&real_seeds()).await;
    let built = Snapshot::build(&t.db).await.expect("build");
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("graph.read-model");
    let epoch = epoch_of(&t.db).await;
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
    let (t, dir) = loaded_copy(&real_seeds()).await;
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
    rename_huangpu(&t.db, dir.path()).await;
    let epoch = epoch_of(&t.db).await;
    let saved = Snapshot::load(&file, &epoch).expect("read").expect("saved");
    caught_up(&Arc::new(saved), &t.db).await;
    let second = crate::helpers::app_on(t, config).await;
    let r = second.ask("{ zone(slug: \"huangpu\") { nameEn } }").await;
    assert_eq!(r.data()["zone"]["nameEn"], "Huangpu");
}

fn shared_config(read_only: bool) -> api::Config {
    let mut config = api::Config::for_database("sqlite::memory:");
    config.shared_read_model = api::config::Shared::On;
    config.read_only = read_only;
    config
}

/// Waits until the database holds a saved read model at `cursor` or later (a writable instance
/// stores it in the background).
async fn saved_at_least(db: &sea_orm::DatabaseConnection, cursor: i64) -> shared::Saved {
    for _ in 0..400 {
        if let Some(saved) = shared::saved(db).await.expect("read the description")
            && saved.cursor >= cursor
        {
            return saved;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("no read model at cursor {cursor} was saved in the database within 10 s");
}

async fn ready_origin(app: &crate::helpers::TestApp) -> String {
    let ready: serde_json::Value =
        serde_json::from_str(&app.get("/ready").await.text).expect("json");
    ready["readModel"].as_str().expect("readModel").to_owned()
}

/// A writable instance saves its read model in the database; a read-only replica started later
/// reads it instead of every table, applies what was committed meanwhile and answers like a
/// fresh build.
#[tokio::test]
async fn a_read_only_replica_starts_from_the_read_model_a_writer_saved_in_the_database() {
    let (t, dir) = loaded_copy(&real_seeds()).await;
    let epoch = epoch_of(&t.db).await;
    assert!(shared::load(&t.db, &epoch).await.expect("read").is_none());
    let writer = api::app(t.db.clone(), &shared_config(false))
        .await
        .expect("writer");
    let cursor = api::feeds::changelog::cursor(&t.db).await.expect("cursor");
    saved_at_least(&t.db, cursor).await;
    drop(writer);
    let stored = shared::load(&t.db, &epoch)
        .await
        .expect("read")
        .expect("a saved read model");
    assert_eq!(stored.cursor, cursor);
    same(&t.db, &stored).await;

    rename_huangpu(&t.db, dir.path()).await;
    caught_up(&Arc::new(stored), &t.db).await;

    let replica = crate::helpers::app_on(t, shared_config(true)).await;
    assert_eq!(ready_origin(&replica).await, "database");
    let r = replica.ask("{ zone(slug: \"huangpu\") { nameEn } }").await;
    assert_eq!(r.data()["zone"]["nameEn"], "Huangpu");
    // A read-only replica never writes: the save is still the writer's.
    let saved = shared::saved(&replica.db.db)
        .await
        .expect("read")
        .expect("saved");
    assert_eq!(saved.cursor, cursor);
}

/// A saved read model whose bytes were damaged, cut short, or saved from another database is
/// never served: the instance builds from the tables (and, writable, saves a good one again).
/// An older save never replaces a newer one.
#[tokio::test]
async fn a_damaged_or_foreign_saved_read_model_is_rebuilt_never_served() {
    let t = loaded_db(&real_seeds()).await;
    let epoch = epoch_of(&t.db).await;
    let built = Snapshot::build(&t.db).await.expect("build");
    let good = built.to_bytes(&epoch).expect("encode");
    let exec = |sql: String| {
        let db = t.db.clone();
        async move { db.execute_unprepared(&sql).await.expect(&sql) }
    };

    // One byte flipped in the middle of the snapshot, the description left as it was.
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x40;
    assert!(
        shared::store(&t.db, built.cursor, &flipped)
            .await
            .expect("store")
    );
    let checksum = shared::checksum(&good);
    exec(format!("UPDATE read_model_save SET checksum = {checksum}")).await;
    assert!(
        shared::load(&t.db, &epoch).await.is_err(),
        "a flipped byte is detected"
    );

    // The last part missing.
    let long: Vec<u8> = good.iter().copied().chain(vec![0u8; 5 << 20]).collect();
    assert!(
        shared::store(&t.db, built.cursor, &long)
            .await
            .expect("store")
    );
    exec("DELETE FROM read_model_parts WHERE part = 1".into()).await;
    assert!(
        shared::load(&t.db, &epoch).await.is_err(),
        "a missing part is detected"
    );

    // Saved from another database: ignored, not an error.
    let foreign = built.to_bytes("another database").expect("encode");
    assert!(
        shared::store(&t.db, built.cursor, &foreign)
            .await
            .expect("store")
    );
    assert!(shared::load(&t.db, &epoch).await.expect("read").is_none());

    // Damaged again; a writable instance builds, serves the graph and saves a good model.
    assert!(
        shared::store(&t.db, built.cursor, &flipped)
            .await
            .expect("store")
    );
    exec(format!("UPDATE read_model_save SET checksum = {checksum}")).await;
    let db = t.db.clone();
    let app = crate::helpers::app_on(t, shared_config(false)).await;
    assert_eq!(ready_origin(&app).await, "built");
    let r = app.ask("{ zone(slug: \"huangpu\") { nameEn } }").await;
    assert_eq!(r.data()["zone"]["nameEn"], "Huangpu District");
    let mut good_again = None;
    for _ in 0..400 {
        if let Ok(Some(back)) = shared::load(&db, &epoch).await {
            good_again = Some(back);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let back = good_again.expect("the rebuilt read model was saved again");
    assert_eq!(back.dump(), built.dump());

    // An older save does not replace a newer one.
    assert!(
        !shared::store(&db, built.cursor - 1, &good)
            .await
            .expect("store")
    );
}

/// A name filter finds exactly the records a scan of every folded name finds, for every one-
/// and two-character piece of every name of every kind: the gram index's buckets and marks
/// narrow the candidates without ever dropping a match.
#[tokio::test]
async fn name_filters_find_what_a_scan_of_every_name_finds() {
    use api::snapshot::{Id, OrderField, fold};
    use entity::ids::Kind;
    let t = loaded_db(&real_seeds()).await;
    let snap = Snapshot::build(&t.db).await.expect("build");
    let mut needles_tried = 0;
    for kind in Kind::ALL.into_iter().filter(|k| k.is_graph_record()) {
        let names: Vec<(Id, Vec<String>)> = snap
            .order(kind, OrderField::Slug)
            .iter_from(0)
            .map(|id| {
                let r = snap.rec(id);
                let mut names = vec![fold(r.name_zh())];
                names.extend(r.name_en().map(fold));
                names.extend(r.aliases().map(fold));
                (id, names)
            })
            .collect();
        assert!(!names.is_empty(), "{kind}: no records");
        let mut needles = std::collections::BTreeSet::new();
        for name in names.iter().flat_map(|(_, n)| n) {
            let chars: Vec<char> = name.chars().collect();
            needles.extend(chars.iter().map(char::to_string));
            needles.extend(chars.windows(2).map(|w| w.iter().collect::<String>()));
        }
        for needle in needles {
            let expected: Vec<Id> = names
                .iter()
                .filter(|(_, n)| n.iter().any(|n| n.contains(&needle)))
                .map(|(id, _)| *id)
                .collect();
            assert_eq!(snap.containing(kind, &needle), expected, "{kind}: {needle}");
            needles_tried += 1;
        }
    }
    assert!(needles_tried > 1_000, "only {needles_tried} pieces tried");
}

/// A build racing a load sees the database wholly before the load or wholly after it: on
/// PostgreSQL the build reads its tables on several connections that share one exported
/// snapshot, and the load changes rows that different readers take (a zone, its aliases, their
/// mentions).
#[tokio::test]
async fn a_build_during_a_load_sees_all_of_it_or_none() {
    let (t, dir) = loaded_copy(&real_seeds()).await;
    let before = Snapshot::build(&t.db).await.expect("build").dump();
    edit(
        dir.path(),
        "zones.toml",
        "name_en = \"Huangpu District\"",
        "name_en = \"Huangpu\"",
    );
    edit(dir.path(), "zones.toml", "    \"广州市黄埔区\",\n", "");
    let load = {
        let (db, path) = (t.db.clone(), dir.path().to_owned());
        tokio::spawn(async move { loader::load(&db, &path).await })
    };
    let mut during = vec![];
    while !load.is_finished() {
        during.push(
            Snapshot::build(&t.db)
                .await
                .expect("build during the load")
                .dump(),
        );
    }
    load.await.expect("join").expect("load");
    let after = Snapshot::build(&t.db).await.expect("build").dump();
    assert_ne!(before, after, "the load changed nothing");
    for (i, dump) in during.iter().enumerate() {
        assert!(
            *dump == before || *dump == after,
            "build {i} of {} mixed the versions before and after the load",
            during.len()
        );
    }
}
