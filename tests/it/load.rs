//! Loading: all or nothing, idempotent, updates in place, deletions leave tombstones.
use crate::helpers::{
    append, copy_to_temp, edit, fixture, hidden, import_refused, load_options, loaded_copy,
    loaded_db, real_seeds, snapshot, test_db,
};
use loader::LoadError;

/// Loads the edited graph in `dir` again, letting `allow_empty`'s file be missing or empty, and
/// returns why the load was refused.
async fn reload_refused(
    db: &sea_orm::DatabaseConnection,
    dir: &std::path::Path,
    allow_empty: &str,
) -> LoadError {
    loader::load_with(db, dir, &load_options(&[allow_empty], false), &hidden())
        .await
        .expect_err("the load is refused")
}

/// Loads the edited graph in `dir` again, which must be refused with a report whose second line
/// contains `first` and whose knock-on problems fold into at most one more line.
async fn refused_folded(
    db: &sea_orm::DatabaseConnection,
    dir: &std::path::Path,
    first: &str,
) -> LoadError {
    let err = loader::load(db, dir).await.expect_err("refused");
    let text = err.to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[1].contains(first), "{text}");
    assert!(lines.len() <= 3, "cascades folded into one line:\n{text}");
    err
}

/// Every index of the database: name and definition.
async fn indexes(db: &sea_orm::DatabaseConnection) -> Vec<(String, String)> {
    let sql = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Sqlite => {
            "SELECT name, COALESCE(sql, '') FROM sqlite_master WHERE type = 'index' ORDER BY name"
        }
        _ => {
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() \
              ORDER BY indexname"
        }
    };
    crate::helpers::rows(db, sql.to_owned())
        .await
        .iter()
        .map(|r| {
            (
                r.try_get_by_index(0).expect("name"),
                r.try_get_by_index(1).expect("sql"),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_first_load_leaves_every_index_the_migrations_made() {
    // A first load into empty SQLite tables drops their plain indexes and builds them at the end.
    let t = test_db().await;
    let migrated = indexes(&t.db).await;
    assert!(
        migrated
            .iter()
            .any(|(name, _)| name == "idx_citations_source")
    );
    loader::load(&t.db, &fixture("mini")).await.expect("load");
    assert_eq!(indexes(&t.db).await, migrated);
    // …and a load that fails midway leaves them too (the drop is rolled back with the rest).
    let fresh = test_db().await;
    let dir = copy_to_temp(&fixture("mini"));
    append(
        dir.path(),
        "zones.toml",
        "\n[[zone]]\nslug = \"Not A Slug\"\n",
    );
    loader::load(&fresh.db, dir.path())
        .await
        .expect_err("refused");
    assert_eq!(indexes(&fresh.db).await, migrated);
}

#[tokio::test]
async fn a_load_fills_every_table() {
    let t = test_db().await;
    let summary = loader::load(&t.db, &fixture("mini")).await.expect("load");
    assert_eq!(summary.table("zones").map(|s| s.inserted), Some(3));
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM partnership_parties").await,
        3
    );
    assert_eq!(t.scalar("SELECT COUNT(*) FROM milestones").await, 1);
    // Relation rows carry evidence: every party has a citation.
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM citations WHERE relation = 'party'")
            .await,
        3
    );
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM citations WHERE relation = 'parent' AND note IS NOT NULL")
            .await,
        1
    );
    assert!(
        t.scalar("SELECT COUNT(*) FROM mentions WHERE entity_slug = 'knowledge-city'")
            .await
            >= 4
    );
    // The change log holds one row per record the load wrote.
    let records: usize = entity::ids::Kind::ALL
        .into_iter()
        .filter_map(|k| summary.table(k.table()).map(|s| s.inserted))
        .sum();
    assert!(records > 0);
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM changes").await,
        records as i64
    );
}

#[tokio::test]
async fn loading_the_same_seeds_twice_changes_nothing() {
    let t = loaded_db(&fixture("mini")).await;
    let before = snapshot(&t.db).await;
    let again = loader::load(&t.db, &fixture("mini"))
        .await
        .expect("second load");
    assert!(again.is_noop(), "second load wrote:\n{again}");
    assert_eq!(snapshot(&t.db).await, before);
}

#[tokio::test]
async fn a_changed_record_is_updated_and_only_it() {
    let (t, dir) = loaded_copy(&fixture("mini")).await;
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
    let (t, dir) = loaded_copy(&fixture("mini")).await;
    // Remove the metric record entirely.
    std::fs::write(dir.path().join("metrics.toml"), "# no metrics\n").expect("write");
    let summary = loader::load_with(
        &t.db,
        dir.path(),
        &load_options(&["metrics"], false),
        &hidden(),
    )
    .await
    .expect("second load");
    assert_eq!(summary.table("metrics").map(|s| s.deleted), Some(1));
    assert_eq!(t.scalar("SELECT COUNT(*) FROM metrics").await, 0);
    assert_eq!(
        t.scalar(
            "SELECT COUNT(*) FROM tombstones WHERE kind = 'metric' AND slug = 'knowledge-city-area'"
        )
        .await,
        1
    );
    assert_eq!(
        t.scalar(
            "SELECT COUNT(*) FROM changes WHERE op = 'delete' AND slug = 'knowledge-city-area'"
        )
        .await,
        1
    );
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM citations WHERE owner_slug = 'knowledge-city-area'")
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
    assert_eq!(t.scalar("SELECT COUNT(*) FROM tombstones").await, 0);
}

#[tokio::test]
async fn a_bad_record_found_late_leaves_the_database_untouched() {
    let (t, dir) = loaded_copy(&fixture("mini")).await;
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
    let err = reload_refused(&t.db, dir.path(), "organizations").await;
    assert!(
        err.to_string().contains("metrics.toml:2: value_text"),
        "{err}"
    );
    assert_eq!(snapshot(&t.db).await, before);
}

#[tokio::test]
async fn a_database_failure_mid_load_rolls_everything_back() {
    let (t, dir) = loaded_copy(&fixture("mini")).await;
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
    append(dir.path(), "sources/demo.txt", "黄埔区。\n");
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

#[tokio::test]
async fn a_missing_or_empty_kind_file_is_an_error_unless_allowed() {
    let (t, dir) = loaded_copy(&real_seeds()).await;
    let before = snapshot(&t.db).await;
    std::fs::remove_file(dir.path().join("metrics.toml")).expect("remove");
    let err = loader::load(&t.db, dir.path()).await.expect_err("refused");
    let text = err.to_string();
    assert!(text.contains("metrics.toml:1: missing"), "{text}");
    assert!(text.contains("--allow-empty metrics"), "{text}");
    assert_eq!(snapshot(&t.db).await, before, "nothing deleted");

    // An empty zones file: one line names the file, the knock-on errors fold into one more.
    std::fs::copy(
        real_seeds().join("metrics.toml"),
        dir.path().join("metrics.toml"),
    )
    .expect("restore");
    std::fs::write(dir.path().join("zones.toml"), "").expect("empty");
    let err = refused_folded(&t.db, dir.path(), "zones.toml:1: holds no [[zone]] record").await;
    if let LoadError::Invalid(problems) = &err {
        assert!(
            problems.len() > 50,
            "every problem is still available to callers"
        );
    } else {
        panic!("{err}");
    }
    assert_eq!(snapshot(&t.db).await, before);

    // Broken TOML: its line is the first thing reported.
    std::fs::write(dir.path().join("zones.toml"), "[[zone]]\nslug = \n").expect("write");
    let err = loader::load(&t.db, dir.path()).await.expect_err("refused");
    let second = err
        .to_string()
        .lines()
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    assert!(second.contains("zones.toml:2:"), "{err}");
    std::fs::copy(
        real_seeds().join("zones.toml"),
        dir.path().join("zones.toml"),
    )
    .expect("restore");

    // A source whose metadata does not parse: every quote of it fails too, folded behind it.
    let meta = dir.path().join("sources/guangzhou-core-engine.toml");
    let good = std::fs::read_to_string(&meta).expect("read");
    std::fs::write(&meta, format!("{good}\ntitle = \n")).expect("write");
    let err = refused_folded(&t.db, dir.path(), "sources/guangzhou-core-engine.toml:").await;
    assert!(
        matches!(&err, LoadError::Invalid(p) if p.len() > 50),
        "the quotes of that source fail too: {err}"
    );
    std::fs::write(&meta, good).expect("restore");
    assert_eq!(snapshot(&t.db).await, before);

    // Said explicitly, a missing file deletes its kind (and a large deletion must be allowed too).
    std::fs::copy(
        real_seeds().join("zones.toml"),
        dir.path().join("zones.toml"),
    )
    .expect("restore");
    std::fs::remove_file(dir.path().join("metrics.toml")).expect("remove");
    let err = reload_refused(&t.db, dir.path(), "metrics").await;
    assert!(
        matches!(err, LoadError::WouldDelete { ref kind, deleting, .. } if kind == "metric" && deleting > 50),
        "{err}"
    );
    assert!(err.to_string().contains("--allow-deletions"), "{err}");
    assert_eq!(snapshot(&t.db).await, before);
    let options = load_options(&["metric"], true);
    loader::load_with(&t.db, dir.path(), &options, &hidden())
        .await
        .expect("allowed");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM metrics").await, 0);
}

#[tokio::test]
async fn a_load_deleting_a_large_share_of_a_kind_needs_allow_deletions() {
    let (t, dir) = loaded_copy(&real_seeds()).await;
    let before = snapshot(&t.db).await;
    let path = dir.path().join("metrics.toml");
    let text = std::fs::read_to_string(&path).expect("read");
    let kept: Vec<&str> = text.split("\n[[metric]]").take(20).collect();
    std::fs::write(&path, kept.join("\n[[metric]]")).expect("write");
    let err = loader::load(&t.db, dir.path()).await.expect_err("guarded");
    assert!(matches!(err, LoadError::WouldDelete { .. }), "{err}");
    assert_eq!(snapshot(&t.db).await, before);
    let options = load_options(&[], true);
    let summary = loader::load_with(&t.db, dir.path(), &options, &hidden())
        .await
        .expect("allowed");
    assert!(summary.table("metrics").is_some_and(|m| m.deleted > 40));
}

#[tokio::test]
async fn invalid_utf8_is_reported_with_file_line_and_byte() {
    let dir = copy_to_temp(&fixture("mini"));
    let path = dir.path().join("zones.toml");
    let mut bytes = std::fs::read(&path).expect("read");
    let second_line = bytes.iter().position(|b| *b == b'\n').expect("two lines") + 1;
    bytes.insert(second_line + 3, 0xff);
    std::fs::write(&path, bytes).expect("write");
    let err = loader::check(dir.path()).expect_err("invalid");
    let text = err.to_string();
    assert!(
        text.contains("zones.toml:2: not valid UTF-8: byte"),
        "{text}"
    );
    assert!(text.contains("0xff"), "{text}");

    let t = loaded_db(&fixture("mini")).await;
    let feed = dir.path().join("feed.ndjson");
    std::fs::write(&feed, b"{\"type\":\"zone\"}\n{\"type\":\"zo\xc3ne\"}\n").expect("write");
    let text = import_refused(&t.db, &feed, "demo").await;
    assert!(
        text.contains("feed.ndjson:2: not valid UTF-8: byte 27"),
        "{text}"
    );
}

/// A record whose mentions change while the record does not (its name now occurs once more in a
/// source) is logged as changed, so feeds, which carry mentions, deliver it again.
#[tokio::test]
async fn a_record_whose_mentions_change_is_logged_as_changed() {
    let (t, dir) = loaded_copy(&real_seeds()).await;
    let mentions = "SELECT COUNT(*) FROM mentions WHERE entity_kind = 'zone' AND entity_slug = \
                    'huangpu' AND source = 'guangzhou-core-engine'";
    let (seq, count) = (
        t.scalar("SELECT MAX(seq) FROM changes").await,
        t.scalar(mentions).await,
    );
    let zone_hash = |db| async move {
        let sql = "SELECT content_hash FROM zones WHERE slug = 'huangpu'";
        let row = sea_orm::ConnectionTrait::query_one_raw(
            db,
            sea_orm::Statement::from_string(
                sea_orm::ConnectionTrait::get_database_backend(db),
                sql,
            ),
        )
        .await
        .expect("query")
        .expect("row");
        row.try_get_by_index::<String>(0).expect("hash")
    };
    let before = zone_hash(&t.db).await;
    let text = dir.path().join("sources/guangzhou-core-engine.txt");
    let mut body = std::fs::read_to_string(&text).expect("read");
    body.push_str("\n黄埔区。\n");
    std::fs::write(&text, body).expect("write");
    loader::load(&t.db, dir.path()).await.expect("reload");

    assert_eq!(t.scalar(mentions).await, count + 1, "one more mention");
    assert_eq!(
        zone_hash(&t.db).await,
        before,
        "the zone itself did not change"
    );
    let logged = format!(
        "SELECT COUNT(*) FROM changes WHERE seq > {seq} AND kind = 'zone' AND slug = 'huangpu' \
         AND op = 'upsert'"
    );
    assert_eq!(t.scalar(&logged).await, 1, "the zone is in the change log");
    let unrelated = format!(
        "SELECT COUNT(*) FROM changes WHERE seq > {seq} AND kind = 'zone' AND slug = 'hengqin'"
    );
    assert_eq!(
        t.scalar(&unrelated).await,
        0,
        "records whose mentions did not change are not"
    );
}

/// Seed files need not list a parent before its children: a load streams the records and writes
/// each after the one it hangs under. (The curated files fit one statement per table, where the
/// foreign keys are checked only at its end; the order across statements is the unit test's,
/// `stream::tests`.)
#[tokio::test]
async fn records_listed_before_their_parents_load() {
    let dir = copy_to_temp(&real_seeds());
    for (file, kind) in [
        ("zones.toml", "zone"),
        ("platforms.toml", "platform"),
        ("sectors.toml", "sector"),
    ] {
        let path = dir.path().join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        let header = format!("[[{kind}]]\n");
        let mut records: Vec<&str> = text.split(header.as_str()).collect();
        let head = records.remove(0);
        assert!(records.len() > 10, "{file} holds records");
        records.reverse();
        let reversed: String = std::iter::once(head.to_owned())
            .chain(records.iter().map(|r| format!("{header}{r}")))
            .collect();
        std::fs::write(&path, reversed).expect("write");
    }
    // The first parent named in the reversed zones comes after the zone naming it.
    let zones = std::fs::read_to_string(dir.path().join("zones.toml")).expect("read");
    let at = zones.find("\nparent = \"").expect("a zone with a parent") + 11;
    let parent = &zones[at..at + zones[at..].find('"').expect("closing quote")];
    let parent_at = zones
        .find(&format!("slug = \"{parent}\""))
        .expect("the parent");
    assert!(parent_at > at, "{parent} comes after its child");

    let t = test_db().await;
    let summary = loader::load(&t.db, dir.path()).await.expect("load");
    let (in_order, seeds) = (test_db().await, copy_to_temp(&real_seeds()));
    let reference = loader::load(&in_order.db, seeds.path())
        .await
        .expect("load in file order");
    for table in ["zones", "platforms", "sectors"] {
        let inserted = |s: &loader::Summary| s.table(table).map(|t| t.inserted);
        assert!(inserted(&summary) > Some(10), "{table}");
        assert_eq!(
            inserted(&summary),
            inserted(&reference),
            "every {table} record written"
        );
    }
}
