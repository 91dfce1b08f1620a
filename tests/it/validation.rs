//! Every validation error class, from the bad fixtures in tests/fixtures/bad/: each replaces one
//! file of the valid tests/fixtures/mini graph and names the `file:line: problem` it must cause.
use loader::LoadError;

use crate::helpers::{copy_dir, copy_to_temp, fixture};

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
    rejects_parent_cycles => "parent-cycle",
    rejects_records_in_the_wrong_file => "record-in-wrong-file",
}

#[test]
fn the_valid_fixture_validates_with_offsets_computed() {
    let graph = loader::check(&fixture("mini")).expect("mini is valid");
    let zone = graph
        .nodes
        .iter()
        .find(|n| n.slug == "huangpu")
        .expect("huangpu");
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
