//! The real curated graph in seeds/: valid, fully covered, loadable; and synthetic scale-ups of it.
use entity::ids::Kind;

use crate::helpers::{real_seeds, scalar, test_db};

#[test]
fn the_curated_graph_is_valid() {
    let graph = loader::check(&real_seeds()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(graph.sources.len(), 5);
    let count = |k: Kind| graph.nodes.iter().filter(|n| n.kind == k).count();
    assert!(count(Kind::Zone) >= 20, "zones: {}", count(Kind::Zone));
    assert!(
        count(Kind::Platform) >= 50,
        "platforms: {}",
        count(Kind::Platform)
    );
    assert!(
        count(Kind::Project) >= 70,
        "projects: {}",
        count(Kind::Project)
    );
    assert!(
        count(Kind::Partnership) >= 20,
        "partnerships: {}",
        count(Kind::Partnership)
    );
    assert!(
        count(Kind::Metric) >= 40,
        "metrics: {}",
        count(Kind::Metric)
    );
}

#[test]
fn every_name_like_string_in_the_sources_is_an_entity_an_alias_or_ignored() {
    let graph = loader::check(&real_seeds()).unwrap_or_else(|e| panic!("{e}"));
    let uncovered = loader::coverage::check(&graph, "seeds/sources");
    assert!(
        uncovered.is_empty(),
        "{} uncovered (add an entity, an alias, or an entry in seeds/ignored.toml):\n{}",
        uncovered.len(),
        uncovered
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn source_texts_are_the_received_documents_byte_for_byte() {
    let graph = loader::check(&real_seeds()).expect("valid");
    for s in &graph.sources {
        let received = crate::helpers::repo_root()
            .join("../shared/seeds")
            .join(&s.meta.original_file);
        if let Ok(original) = std::fs::read(&received) {
            assert_eq!(
                original,
                s.body.as_bytes(),
                "{} differs from {}",
                s.slug,
                s.meta.original_file
            );
        }
    }
}

#[tokio::test]
async fn the_curated_graph_loads_and_reloads_as_a_no_op() {
    let t = test_db().await;
    loader::load(&t.db, &real_seeds()).await.expect("load");
    assert_eq!(scalar(&t.db, "SELECT COUNT(*) FROM sources").await, 5);
    let again = loader::load(&t.db, &real_seeds()).await.expect("reload");
    assert!(again.is_noop(), "{again}");
}

#[tokio::test]
async fn a_synthetic_graph_is_valid_and_scales_every_table() {
    let out = tempfile::tempdir().expect("temp");
    loader::synth::synthesize(&real_seeds(), out.path(), 3).expect("synth");
    let real = loader::check(&real_seeds()).expect("real");
    let synth = loader::check(out.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(synth.nodes.len(), real.nodes.len() * 3);
    let t = test_db().await;
    loader::load(&t.db, out.path())
        .await
        .expect("load synthetic");
    let real_db = test_db().await;
    loader::load(&real_db.db, &real_seeds())
        .await
        .expect("load real");
    for table in ["citations", "partnership_parties", "mentions"] {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        assert_eq!(
            scalar(&t.db, &sql).await,
            3 * scalar(&real_db.db, &sql).await,
            "{table}"
        );
    }
}
