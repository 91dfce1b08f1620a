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

/// Partnerships the texts name only through abbreviations (广深, 广佛, 广清, 穗港, 港澳, 两市), with
/// every zone the text names as a party.
const ABBREVIATED_PARTNERSHIPS: &[(&str, &[&str])] = &[
    (
        "guangzhou-shenzhen-dual-city-linkage",
        &["guangzhou", "shenzhen"],
    ),
    (
        "guangzhou-shenzhen-co-built-guangdong-laboratories",
        &["guangzhou", "shenzhen"],
    ),
    (
        "guangzhou-shenzhen-cooperation-framework-agreements",
        &["guangzhou", "shenzhen"],
    ),
    ("guangzhou-foshan-polar-linkage", &["guangzhou", "foshan"]),
    ("guangzhou-qingyuan-integration", &["guangzhou", "qingyuan"]),
    (
        "xiangzhou-hk-macao-sister-schools",
        &["xiangzhou", "hong-kong", "macao"],
    ),
    (
        "guangzhou-hong-kong-deep-cooperation-gdd",
        &["guangzhou", "hong-kong"],
    ),
    (
        "suigang-education-medical-cultural-cooperation",
        &["guangzhou", "hong-kong"],
    ),
    (
        "guangzhou-hk-macao-livelihood-exchange",
        &["guangzhou", "hong-kong", "macao"],
    ),
    (
        "guangzhou-hk-macao-market-integration",
        &["guangzhou", "hong-kong", "macao"],
    ),
    ("suigang-hk-macao-youth-talent", &["hong-kong", "macao"]),
    (
        "zhanchi-hk-macao-student-internships",
        &["hong-kong", "macao"],
    ),
    (
        "huangpu-hk-macao-construction-engineering-cooperation",
        &["hong-kong", "macao"],
    ),
];

#[tokio::test]
async fn partnerships_named_through_abbreviations_have_every_party_the_text_names() {
    let t = test_db().await;
    loader::load(&t.db, &real_seeds()).await.expect("load");
    for (partnership, zones) in ABBREVIATED_PARTNERSHIPS {
        for zone in *zones {
            let party = format!(
                "SELECT COUNT(*) FROM partnership_parties WHERE partnership = '{partnership}' AND zone = '{zone}'"
            );
            assert_eq!(
                scalar(&t.db, &party).await,
                1,
                "{partnership}: no party {zone}"
            );
            // Each party has a verbatim quote (not the article's headline) as its evidence.
            let cited = format!(
                "SELECT COUNT(*) FROM citations WHERE owner_kind = 'partnership' AND owner_slug = '{partnership}' \
                 AND relation = 'party' AND target = 'zone:{zone}' AND start_offset IS NOT NULL \
                 AND quote NOT LIKE '%推动区域一体化高质量发展%'"
            );
            assert_eq!(
                scalar(&t.db, &cited).await,
                1,
                "{partnership}: {zone} uncited"
            );
        }
    }
    let zone = "SELECT COUNT(*) FROM zones WHERE slug = 'qingyuan'";
    assert_eq!(scalar(&t.db, zone).await, 1);
    let single = "SELECT COUNT(*) FROM (SELECT partnership FROM partnership_parties \
                  GROUP BY partnership HAVING COUNT(*) < 2) p";
    assert_eq!(
        scalar(&t.db, single).await,
        0,
        "a partnership with one party"
    );
}

#[test]
fn abbreviations_count_only_where_they_stand_on_their_own() {
    let graph = loader::check(&real_seeds()).expect("valid");
    let listed = loader::abbrev::Abbreviations::new(&graph.abbreviations, &graph.nodes);
    let forms = |source: &str, text: &str| -> Vec<String> {
        let q = loader::node::Quote::new(
            loader::node::Loc {
                file: "test".into(),
                line: 1,
            },
            &loader::seed::CitationSeed {
                source: source.to_owned(),
                source_url: None,
                quote: text.to_owned(),
            },
        );
        listed.in_quote(&q).iter().map(|a| a.form.clone()).collect()
    };
    let core = "guangzhou-core-engine";
    assert_eq!(forms(core, "支持港澳青年来穗创新创业"), ["港澳"]);
    assert_eq!(forms(core, "在穗港澳居民"), ["穗港澳"]);
    // Inside a longer name: 粤港澳大湾区 (zone), 穗港智造合作区 (platform), the 广深 plan (document).
    assert!(forms(core, "发挥粤港澳大湾区核心引擎优势").is_empty());
    assert!(forms(core, "穗港智造合作区等省级重大平台").is_empty());
    assert!(forms(core, "出台推动广深“双城联动、比翼双飞”实施方案").is_empty());
    // 两市 holds only inside its cited passage (where 广深 is its antecedent).
    assert_eq!(
        forms(core, "广州实验室、鹏城实验室在两市互设基地"),
        ["两市"]
    );
    assert!(forms("gdd-innovation-corridor", "两市").is_empty());
}

#[test]
fn listed_abbreviations_only_add_mentions() {
    use loader::mentions::find_mentions;
    let graph = loader::check(&real_seeds()).expect("valid");
    let without = find_mentions(&graph.nodes, &graph.sources, &[]);
    let with = find_mentions(&graph.nodes, &graph.sources, &graph.abbreviations);
    // Every mention found without the list is still found, or (穗 in 穗港) a mention of the same
    // entity starting at the same place through the longer abbreviation.
    for m in &without {
        assert!(
            with.iter().any(|w| w.kind == m.kind
                && w.slug == m.slug
                && w.source == m.source
                && w.start == m.start
                && w.end >= m.end),
            "lost {m:?}"
        );
    }
    let qingyuan = |ms: &[loader::mentions::Mention]| {
        ms.iter()
            .filter(|m| m.slug == "qingyuan" && m.surface == "广清")
            .count()
    };
    assert_eq!(qingyuan(&without), 0);
    assert!(qingyuan(&with) >= 1);
    // 港澳 inside 粤港澳大湾区 is part of the Greater Bay Area's name, not a mention of Hong Kong.
    let gba: Vec<_> = with
        .iter()
        .filter(|m| m.surface == "粤港澳大湾区")
        .collect();
    assert!(!gba.is_empty());
    for g in gba {
        assert!(
            !with.iter().any(|m| m.slug == "hong-kong"
                && m.source == g.source
                && g.start <= m.start
                && m.start < g.end),
            "{g:?}"
        );
    }
}
