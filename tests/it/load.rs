//! Loading: all or nothing, idempotent, updates in place, deletions leave tombstones.
use crate::helpers::{copy_to_temp, fixture, scalar, snapshot, test_db};

fn edit(dir: &std::path::Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} does not contain {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

#[tokio::test]
async fn a_load_fills_every_table() {
    let t = test_db().await;
    let summary = loader::load(&t.db, &fixture("mini")).await.expect("load");
    assert_eq!(summary.table("zones").map(|s| s.inserted), Some(3));
    assert_eq!(
        scalar(&t.db, "SELECT COUNT(*) FROM partnership_parties").await,
        3
    );
    assert_eq!(scalar(&t.db, "SELECT COUNT(*) FROM milestones").await, 1);
    // Relation rows carry evidence: every party has a citation.
    assert_eq!(
        scalar(
            &t.db,
            "SELECT COUNT(*) FROM citations WHERE relation = 'party'"
        )
        .await,
        3
    );
    assert_eq!(
        scalar(
            &t.db,
            "SELECT COUNT(*) FROM citations WHERE relation = 'parent' AND note IS NOT NULL"
        )
        .await,
        1
    );
    assert!(
        scalar(
            &t.db,
            "SELECT COUNT(*) FROM mentions WHERE entity_slug = 'knowledge-city'"
        )
        .await
            >= 4
    );
    assert_eq!(scalar(&t.db, "SELECT COUNT(*) FROM changes").await, 11);
}

#[tokio::test]
async fn loading_the_same_seeds_twice_changes_nothing() {
    let t = test_db().await;
    loader::load(&t.db, &fixture("mini"))
        .await
        .expect("first load");
    let before = snapshot(&t.db).await;
    let again = loader::load(&t.db, &fixture("mini"))
        .await
        .expect("second load");
    assert!(again.is_noop(), "second load wrote:\n{again}");
    assert_eq!(snapshot(&t.db).await, before);
}

#[tokio::test]
async fn a_changed_record_is_updated_and_only_it() {
    let t = test_db().await;
    let dir = copy_to_temp(&fixture("mini"));
    loader::load(&t.db, dir.path()).await.expect("first load");
    let untouched = snapshot(&t.db).await;
    edit(dir.path(), "zones.toml", "Huangpu District", "Huangpu");
    let summary = loader::load(&t.db, dir.path()).await.expect("second load");
    let zones = summary.table("zones").expect("zones");
    assert_eq!((zones.updated, zones.unchanged), (1, 2));
    let after = snapshot(&t.db).await;
    let changed: Vec<&String> = after.iter().filter(|r| !untouched.contains(r)).collect();
    assert!(
        changed.iter().any(|r| r.starts_with("zones|huangpu|")),
        "{changed:?}"
    );
    assert!(
        changed
            .iter()
            .all(|r| r.starts_with("zones|huangpu|") || r.starts_with("changes|")),
        "only huangpu and its change-log row may differ: {changed:?}"
    );
}

#[tokio::test]
async fn a_removed_record_is_deleted_and_leaves_a_tombstone() {
    let t = test_db().await;
    let dir = copy_to_temp(&fixture("mini"));
    loader::load(&t.db, dir.path()).await.expect("first load");
    // Remove the metric record entirely.
    std::fs::write(dir.path().join("metrics.toml"), "# no metrics\n").expect("write");
    let summary = loader::load(&t.db, dir.path()).await.expect("second load");
    assert_eq!(summary.table("metrics").map(|s| s.deleted), Some(1));
    assert_eq!(scalar(&t.db, "SELECT COUNT(*) FROM metrics").await, 0);
    assert_eq!(
        scalar(
            &t.db,
            "SELECT COUNT(*) FROM tombstones WHERE kind = 'metric' AND slug = 'knowledge-city-area'"
        )
        .await,
        1
    );
    assert_eq!(
        scalar(
            &t.db,
            "SELECT COUNT(*) FROM changes WHERE op = 'delete' AND slug = 'knowledge-city-area'"
        )
        .await,
        1
    );
    assert_eq!(
        scalar(
            &t.db,
            "SELECT COUNT(*) FROM citations WHERE owner_slug = 'knowledge-city-area'"
        )
        .await,
        0,
        "a deleted record's citations go with it"
    );
    // Bringing it back lifts the tombstone.
    std::fs::copy(
        fixture("mini").join("metrics.toml"),
        dir.path().join("metrics.toml"),
    )
    .expect("restore");
    loader::load(&t.db, dir.path()).await.expect("third load");
    assert_eq!(scalar(&t.db, "SELECT COUNT(*) FROM tombstones").await, 0);
}

#[tokio::test]
async fn a_bad_record_found_late_leaves_the_database_untouched() {
    let t = test_db().await;
    let dir = copy_to_temp(&fixture("mini"));
    loader::load(&t.db, dir.path()).await.expect("first load");
    let before = snapshot(&t.db).await;
    // Many good changes, then one bad record in the last file written.
    edit(dir.path(), "zones.toml", "Huangpu District", "Huangpu");
    std::fs::write(dir.path().join("organizations.toml"), "# none\n").expect("write");
    edit(
        dir.path(),
        "metrics.toml",
        "value_text = \"123平方公里\"",
        "value_text = \"999平方公里\"",
    );
    let err = loader::load(&t.db, dir.path())
        .await
        .expect_err("invalid seeds");
    assert!(
        err.to_string().contains("metrics.toml:2: value_text"),
        "{err}"
    );
    assert_eq!(snapshot(&t.db).await, before);
}

#[tokio::test]
async fn a_database_failure_mid_load_rolls_everything_back() {
    let t = test_db().await;
    let dir = copy_to_temp(&fixture("mini"));
    loader::load(&t.db, dir.path()).await.expect("first load");
    let before = snapshot(&t.db).await;
    // Mentions are written last: make the database refuse them, after everything else was written.
    let trigger = match t.db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => vec![
            "CREATE TRIGGER refuse BEFORE INSERT ON mentions BEGIN SELECT RAISE(ABORT, 'injected failure'); END".to_owned(),
        ],
        _ => vec![
            "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql".to_owned(),
            "CREATE TRIGGER refuse BEFORE INSERT ON mentions FOR EACH ROW EXECUTE FUNCTION refuse()".to_owned(),
        ],
    };
    use sea_orm::ConnectionTrait;
    for sql in trigger {
        t.db.execute_unprepared(&sql)
            .await
            .expect("install trigger");
    }
    edit(dir.path(), "zones.toml", "Huangpu District", "Huangpu");
    // A changed source text changes the source row and its mentions.
    let demo = dir.path().join("sources/demo.txt");
    let text = std::fs::read_to_string(&demo).expect("read");
    std::fs::write(&demo, text + "黄埔区。\n").expect("write");
    let err = loader::load(&t.db, dir.path())
        .await
        .expect_err("injected failure");
    assert!(err.to_string().contains("nothing was written"), "{err}");
    assert_eq!(snapshot(&t.db).await, before);
}

#[tokio::test]
async fn load_if_empty_fills_only_an_empty_database() {
    let t = test_db().await;
    assert!(
        loader::load_if_empty(&t.db, &fixture("mini"))
            .await
            .expect("first")
            .is_some()
    );
    assert!(
        loader::load_if_empty(&t.db, &fixture("mini"))
            .await
            .expect("second")
            .is_none()
    );
}
