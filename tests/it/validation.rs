//! Every validation error class, from the bad fixtures in tests/fixtures/bad/: each replaces one
//! file of the valid tests/fixtures/mini graph and names the `file:line: problem` it must cause.
use entity::ids::Kind;
use loader::LoadError;

use crate::helpers::{append, copy_dir, copy_to_temp, edit, fixture, node, valid};

/// Loads mini with the named bad fixture laid over it; returns the reported problems.
fn problems_with(bad: &str) -> (Vec<String>, String) {
    let dir = copy_to_temp(&fixture("mini"));
    let bad_dir = fixture("bad").join(bad);
    copy_dir(&bad_dir, dir.path());
    std::fs::remove_file(dir.path().join("EXPECTED")).expect("fixture has EXPECTED");
    let expected = std::fs::read_to_string(bad_dir.join("EXPECTED")).expect("EXPECTED");
    match loader::check(dir.path()) {
        Err(LoadError::Invalid(problems)) => (
            problems.iter().map(ToString::to_string).collect(),
            expected.trim().to_owned(),
        ),
        Ok(_) => panic!("bad fixture {bad} validated"),
        Err(e) => panic!("bad fixture {bad}: unexpected error {e}"),
    }
}

fn assert_reports(bad: &str) {
    let (problems, expected) = problems_with(bad);
    assert!(
        problems.iter().any(|p| p.contains(&expected)),
        "{bad}: expected a problem containing {expected:?}, got:\n{}",
        problems.join("\n")
    );
    for p in &problems {
        let (location, _) = p.split_once(": ").expect("file:line: problem");
        let line = location.rsplit(':').next().expect("line");
        assert!(
            line.parse::<usize>().is_ok(),
            "{bad}: no line number in {p:?}"
        );
    }
}

macro_rules! error_class {
    ($($test:ident => $dir:literal),* $(,)?) => {
        $(#[test] fn $test() { assert_reports($dir); })*

        #[test]
        fn every_bad_fixture_has_a_test() {
            let tested = [$($dir),*];
            for entry in std::fs::read_dir(fixture("bad")).expect("bad fixtures") {
                let name = entry.expect("entry").file_name().into_string().expect("utf-8");
                assert!(tested.contains(&name.as_str()), "bad fixture {name} has no test");
            }
        }
    };
}

error_class! {
    rejects_toml_syntax_errors => "toml-syntax",
    rejects_unknown_fields => "unknown-field",
    rejects_duplicate_slugs => "duplicate-slug",
    rejects_slugs_that_are_not_kebab_case => "bad-slug",
    rejects_unknown_kinds => "unknown-kind",
    rejects_unknown_levels => "unknown-level",
    rejects_references_that_do_not_resolve => "unknown-reference",
    rejects_quotes_not_found_verbatim => "quote-not-found",
    rejects_quotes_longer_than_a_sentence => "quote-too-long",
    rejects_citations_of_unknown_sources => "unknown-source",
    rejects_records_without_citations => "missing-citation",
    rejects_names_absent_from_the_sources => "name-not-in-source",
    rejects_impossible_dates => "bad-date",
    rejects_relations_without_evidence => "relation-without-evidence",
    rejects_unknown_party_roles => "unknown-role",
    rejects_parties_naming_two_targets => "party-with-two-targets",
    rejects_figures_absent_from_their_quote => "value-not-in-quote",
    rejects_qualifiers_their_quote_does_not_state => "qualifier-not-stated",
    rejects_unlocated_markers_on_located_records => "unlocated-with-location",
    rejects_parent_cycles => "parent-cycle",
    rejects_records_in_the_wrong_file => "record-in-wrong-file",
    rejects_abbreviations_the_sources_do_not_use => "abbreviation-not-in-sources",
    rejects_abbreviations_expanding_to_a_missing_zone => "abbreviation-of-missing-zone",
    rejects_quotes_naming_a_party_through_an_unlisted_abbreviation => "unlisted-abbreviation",
    rejects_evidence_naming_one_end_unless_marked_contextual => "one-ended-evidence-unmarked",
    rejects_stale_contextual_markers => "stale-contextual-marker",
    rejects_contextual_markers_without_a_reason => "contextual-marker-without-reason",
    rejects_contextual_markers_naming_no_relation => "contextual-marker-for-no-relation",
    rejects_contextual_markers_on_a_note => "contextual-marker-on-a-note",
    rejects_definitions_not_found_in_their_source => "defined-term-not-in-source",
}

/// mini with the `unlisted-abbreviation` partnership (parties cited only as 黄南) and, if given,
/// an `abbreviations.toml`.
fn mini_with_abbreviation(abbreviations: Option<&str>) -> tempfile::TempDir {
    let dir = copy_to_temp(&fixture("mini"));
    copy_dir(&fixture("bad").join("unlisted-abbreviation"), dir.path());
    std::fs::remove_file(dir.path().join("EXPECTED")).expect("fixture has EXPECTED");
    if let Some(text) = abbreviations {
        std::fs::write(dir.path().join("abbreviations.toml"), text).expect("write");
    }
    dir
}

const HUANGNAN: &str = r#"[[abbreviation]]
form = "黄南"
expands_to = ["huangpu", "nansha"]
note = "test fixture: 黄 = 黄埔区, 南 = 南沙区"
citations = [{ source = "demo", quote = "推动黄南协同发展" }]
"#;

fn problems_in(dir: &std::path::Path) -> Vec<String> {
    match loader::check(dir) {
        Err(LoadError::Invalid(problems)) => problems.iter().map(ToString::to_string).collect(),
        Ok(_) => panic!("validated"),
        Err(e) => panic!("unexpected error {e}"),
    }
}

/// Checks that `dir` fails validation with a problem containing each of `expected`.
fn assert_problems_include(dir: &std::path::Path, expected: &[&str]) {
    let problems = problems_in(dir);
    for expected in expected {
        assert!(
            problems.iter().any(|p| p.contains(expected)),
            "expected {expected:?} in {problems:#?}"
        );
    }
}

#[test]
fn a_party_own_quote_must_name_it_and_an_unlisted_abbreviation_does_not() {
    assert_problems_include(
        mini_with_abbreviation(None).path(),
        &[
            "partnerships.toml:28: the quote given for party zone \"nansha\" of partnership \"huangnan-coordination\" does not name it",
        ],
    );
}

#[test]
fn a_listed_abbreviation_names_every_zone_of_its_expansion() {
    let dir = mini_with_abbreviation(Some(HUANGNAN));
    let graph = valid(dir.path());
    let p = node(&graph, Kind::Partnership, "huangnan-coordination");
    let via: Vec<(&str, Option<&str>)> = p
        .relations
        .iter()
        .filter(|r| r.name == "party")
        .map(|r| (r.target.as_str(), r.via.as_deref()))
        .collect();
    assert_eq!(via, [("huangpu", Some("黄南")), ("nansha", Some("黄南"))]);
    // A citation naming the zone directly is still preferred: the mini partnership's parties.
    let direct = node(&graph, Kind::Partnership, "huangpu-nansha-framework");
    assert!(direct.relations.iter().all(|r| r.via.is_none()));
    assert_eq!(graph.abbreviations.len(), 1);
    assert!(graph.abbreviations[0].citations[0].start.is_some());
}

#[test]
fn an_abbreviation_inside_a_longer_name_names_nothing() {
    // 黄南 inside the platform alias 黄南协同区 is part of that name, not the abbreviation.
    let dir = mini_with_abbreviation(Some(HUANGNAN));
    append(
        dir.path(),
        "platforms.toml",
        "\n[[platform]]\nslug = \"huangnan-zone\"\nname_zh = \"黄南协同\"\nname_en = \"test\"\nkind = \"other\"\ncitations = [{ source = \"demo\", quote = \"推动黄南协同发展\" }]\n",
    );
    edit(
        dir.path(),
        "partnerships.toml",
        "黄南两区推动黄南协同发展。",
        "推动黄南协同发展。",
    );
    assert_problems_include(
        dir.path(),
        &[
            "partnerships.toml:27: no citation of partnership \"huangnan-coordination\" names its party zone \"huangpu\"",
        ],
    );
}

#[test]
fn abbreviations_are_listed_once_with_two_existing_zones_and_a_citation_showing_them() {
    let dir = mini_with_abbreviation(Some(&format!(
        "{HUANGNAN}\n{HUANGNAN}\n[[abbreviation]]\nform = \"黄埔\"\nexpands_to = [\"huangpu\"]\ncitations = [{{ source = \"demo\", quote = \"推动黄南协同发展\" }}]\n"
    )));
    assert_problems_include(
        dir.path(),
        &[
            "abbreviations.toml:7: abbreviation \"黄南\" is listed twice",
            "abbreviations.toml:13: abbreviation \"黄埔\" expands to 1 zone(s); a short form of one place is an alias of it",
            "abbreviations.toml:16: the citation of abbreviation \"黄埔\" does not contain it",
        ],
    );
}

#[test]
fn an_anaphor_holds_only_inside_its_passages_which_name_the_antecedent() {
    let anaphor = |quote: &str| {
        format!(
            "{HUANGNAN}\n[[abbreviation]]\nform = \"两区\"\nexpands_to = [\"huangpu\", \"nansha\"]\nanaphor = true\ncitations = [{{ source = \"demo\", quote = \"{quote}\" }}]\n"
        )
    };
    // The passage names the antecedent (through 黄南): valid.
    let dir = mini_with_abbreviation(Some(&anaphor("黄南两区推动黄南协同发展。")));
    valid(dir.path());
    // A passage without the antecedent is refused.
    let dir = mini_with_abbreviation(Some(&anaphor("两区推动")));
    assert_problems_include(
        dir.path(),
        &[
            "the passage cited for anaphor abbreviation \"两区\" does not name its antecedent zone \"huangpu\"",
        ],
    );
}

/// A `defined_terms.toml` listing 园区 as `plan` defines it: 中新广州知识城.
const PARK: &str = "[[defined_term]]\nterm = \"园区\"\nnames = \"platform:knowledge-city\"\ndefinition = { source = \"plan\", quote = \"加快建设中新广州知识城（下称园区）\" }\n";

/// mini with a second source `plan` that defines 园区 as 中新广州知识城, `terms` as its
/// `defined_terms.toml`, and a project `demo-lab` on the platform citing `quote` from `source`.
fn mini_with_defined_terms(terms: &str, source: &str, quote: &str) -> tempfile::TempDir {
    let dir = copy_to_temp(&fixture("mini"));
    let sources = dir.path().join("sources");
    for (slug, body) in [
        (
            "plan",
            "园区先行先试。广州开发区加快建设中新广州知识城（下称园区）。支持园区建设示范实验室。\n",
        ),
        ("other", "另一份文件。支持园区建设示范实验室。\n"),
    ] {
        std::fs::write(sources.join(format!("{slug}.txt")), body).expect("write");
        std::fs::write(
            sources.join(format!("{slug}.toml")),
            format!(
                "title = \"{slug}\"\npublisher = \"Baygraph test fixture\"\ndate = \"2021-06\"\noriginal_file = \"{slug}.txt\"\n"
            ),
        )
        .expect("write");
    }
    std::fs::write(dir.path().join("defined_terms.toml"), terms).expect("write");
    append(
        dir.path(),
        "projects.toml",
        &format!(
            "\n[[project]]\nslug = \"demo-lab\"\nname_zh = \"示范实验室\"\nname_en = \"test\"\nkind = \"laboratory\"\nplatform = \"knowledge-city\"\ncitations = [{{ source = \"{source}\", quote = \"{quote}\" }}]\n"
        ),
    );
    dir
}

#[test]
fn a_defined_term_names_its_record_in_its_source_after_the_definition() {
    let dir = mini_with_defined_terms(PARK, "plan", "支持园区建设示范实验室。");
    let graph = valid(dir.path());
    let lab = node(&graph, Kind::Project, "demo-lab");
    let platform = lab
        .relations
        .iter()
        .find(|r| r.name == "platform")
        .expect("platform relation");
    assert_eq!(platform.via.as_deref(), Some("园区"));
    assert!(graph.defined_terms[0].definition.start.is_some());
    // The report counts the quote as naming both ends.
    let share = loader::report::evidence_quality(&graph)
        .into_iter()
        .find(|s| s.relation == "project.platform -> platform")
        .expect("project.platform");
    assert_eq!((share.both, share.total), (2, 2), "{share:?}");
    assert!(loader::report::render(&graph).contains("园区 in plan = platform:knowledge-city"));
}

#[test]
fn a_defined_term_names_nothing_in_another_source_or_before_its_definition() {
    for (source, quote) in [
        ("other", "支持园区建设示范实验室。"),
        ("plan", "园区先行先试"),
    ] {
        let dir = mini_with_defined_terms(PARK, source, quote);
        let problems = problems_in(dir.path());
        assert!(
            problems.iter().any(|p| p.contains(
                "no citation of project \"demo-lab\" names its platform platform \"knowledge-city\""
            )),
            "{source}: {problems:#?}"
        );
    }
}

#[test]
fn a_definition_must_be_verbatim_name_the_record_and_hold_the_term() {
    let dir = mini_with_defined_terms(
        "[[defined_term]]\nterm = \"园区\"\nnames = \"platform:knowledge-city\"\ndefinition = { source = \"plan\", quote = \"加快建设中新广州知识城（以下简称园区）\" }\n\n[[defined_term]]\nterm = \"示范\"\nnames = \"zone:huangpu\"\ndefinition = { source = \"plan\", quote = \"加快建设中新广州知识城\" }\n",
        "plan",
        "支持园区建设示范实验室。",
    );
    assert_problems_include(
        dir.path(),
        &[
            "defined_terms.toml:4: quote not found verbatim in source \"plan\"",
            "defined_terms.toml:9: the definition of defined term \"示范\" does not contain the term",
            "defined_terms.toml:9: the definition of defined term \"示范\" does not name the record it stands for",
        ],
    );
}

#[test]
fn the_valid_fixture_validates_with_offsets_computed() {
    let graph = valid(&fixture("mini"));
    let zone = node(&graph, Kind::Zone, "huangpu");
    let quote = &zone.citations[0];
    assert_eq!((quote.start, quote.end), (Some(0), Some(20)));
}

#[test]
fn all_problems_are_reported_in_one_run() {
    // Replacing zones.toml drops huangpu and nansha, so records in other files lose their references too.
    let (problems, _) = problems_with("unknown-kind");
    let files: std::collections::HashSet<&str> = problems
        .iter()
        .filter_map(|p| p.split(':').next())
        .collect();
    assert!(problems.len() >= 3, "{problems:?}");
    assert!(
        files.len() >= 2,
        "problems from several files expected: {problems:?}"
    );
}
