//! Defined terms: a source document may define a short term for a record and then use only the
//! term (加快推动广州穗港智造合作区（下称合作区）建设 — after it, the plan says 合作区).
//! `seeds/defined_terms.toml` lists each such term once, with the record it stands for and the
//! defining clause, quoted verbatim from the defining source. A quote names the record through the
//! term only where
//!
//! - the quote is from the defining source (the term means nothing elsewhere: 合作区 in another
//!   document is another zone, or none),
//! - the term occurs after the end of the definition (before it, the text has not defined it yet),
//! - the term stands on its own: not inside a longer name of a zone, platform, project,
//!   organization or document, nor inside a listed abbreviation (合作区 in 穗港智造合作区 is part
//!   of that name; read leftmost-longest as in `abbrev`).
use std::collections::{HashMap, HashSet};

use entity::ids::Kind;

use std::sync::Arc;

use crate::abbrev;
use crate::matcher::AllMatches;
use crate::name_index::NameIndex;
use crate::node::{Named, Problem, Quote};
use crate::read::{Abbreviation, DefinedTerm};
use crate::validate::Names;

/// The listed defined terms, with a matcher that finds them where they stand on their own.
pub struct DefinedTerms<'a> {
    list: &'a [DefinedTerm],
    /// Terms and abbreviation forms (None when no term is listed: then nothing is ever named
    /// through one); an abbreviation form, like a name, hides a term inside it.
    matcher: Option<AllMatches>,
    /// For each matcher pattern, the terms it is (none for an abbreviation).
    pattern_terms: Vec<Vec<usize>>,
    /// The names that shadow a term inside them.
    names: Arc<NameIndex<'a>>,
    /// The sources that define at least one term.
    sources: HashSet<&'a str>,
}

impl<'a> DefinedTerms<'a> {
    /// The listed terms, shadowed by the abbreviations' forms and the names of `nodes`.
    pub fn new<N: Named + 'a>(
        list: &'a [DefinedTerm],
        abbreviations: &[Abbreviation],
        nodes: impl IntoIterator<Item = &'a N>,
    ) -> Self {
        DefinedTerms::over(list, abbreviations, Arc::new(NameIndex::new(nodes)))
    }

    /// The listed terms, shadowed by the abbreviations' forms and the names of `names`.
    pub fn over(
        list: &'a [DefinedTerm],
        abbreviations: &[Abbreviation],
        names: Arc<NameIndex<'a>>,
    ) -> Self {
        let mut pattern_terms: Vec<Vec<usize>> = vec![];
        let mut matcher = None;
        if !list.is_empty() {
            let terms = list
                .iter()
                .enumerate()
                .map(|(i, t)| (t.term.clone(), Some(i)));
            let forms = abbreviations.iter().map(|a| (a.form.clone(), None));
            let patterns;
            (patterns, pattern_terms) = abbrev::patterns(terms.chain(forms));
            matcher = AllMatches::new(&patterns);
        }
        DefinedTerms {
            list,
            matcher,
            pattern_terms,
            sources: list.iter().map(|t| t.definition.source.as_str()).collect(),
            names,
        }
    }

    /// The terms in force in `q`: standing on their own, in their defining source, after the
    /// definition. `q` must be located (else nothing is in force).
    pub fn in_quote(&self, q: &Quote) -> Vec<&'a DefinedTerm> {
        let mut out: Vec<&'a DefinedTerm> = vec![];
        let (Some(matcher), Some(start)) = (&self.matcher, q.start) else {
            return out;
        };
        if !self.sources.contains(q.source.as_str()) {
            return out;
        }
        for m in abbrev::on_their_own(matcher, &self.names, &q.quote) {
            let at = start + q.quote[..m.start].chars().count() as i64;
            for &i in &self.pattern_terms[m.pattern] {
                let t = &self.list[i];
                let in_force = t.definition.source == q.source
                    && t.definition.end.is_some_and(|end| at >= end);
                if in_force && !out.iter().any(|o| std::ptr::eq(*o, t)) {
                    out.push(t);
                }
            }
        }
        out
    }

    /// The first term in force in `q` that stands for record `kind:slug`.
    pub fn naming(&self, q: &Quote, kind: Kind, slug: &str) -> Option<&'a DefinedTerm> {
        self.in_quote(q)
            .into_iter()
            .find(|t| t.kind == Some(kind) && t.slug == slug)
    }
}

/// Checks the list itself: each term listed once per source, standing for an existing record, not
/// itself a name, an alias or a listed abbreviation, and a definition found verbatim in its source
/// that contains the term and names the record. Definitions must already be located.
pub fn check(
    terms: &[DefinedTerm],
    abbreviations: &[Abbreviation],
    bodies: &HashMap<&str, &str>,
    records: &Names,
    problems: &mut Vec<Problem>,
) {
    let stubs = records.stubs(true);
    let names: HashMap<&str, (Kind, &str)> = stubs
        .iter()
        .flat_map(|n| n.surface_forms().map(move |f| (f, (n.kind(), n.slug()))))
        .collect();
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    for t in terms {
        let label = format!("defined term \"{}\"", t.term);
        if t.term.trim().is_empty() {
            problems.push(Problem::new(&t.at, "a defined term needs a term"));
            continue;
        }
        if !seen.insert((t.term.as_str(), t.definition.source.as_str())) {
            problems.push(Problem::new(
                &t.at,
                format!(
                    "{label} is listed twice for source \"{}\"; list each term once per source",
                    t.definition.source
                ),
            ));
        }
        if let Some((kind, slug)) = names.get(t.term.as_str()) {
            problems.push(Problem::new(
                &t.at,
                format!(
                    "{label} is already a name or alias of {kind} \"{slug}\"; a defined term is a form no record has"
                ),
            ));
        }
        if abbreviations.iter().any(|a| a.form == t.term) {
            problems.push(Problem::new(
                &t.at,
                format!("{label} is listed in abbreviations.toml; list it in one place"),
            ));
        }
        let record_forms = match t.kind {
            None => {
                problems.push(Problem::new(
                    &t.at,
                    format!(
                        "{label}: names \"{}\" must be <zone|platform|project|organization|document|sector|partnership>:<slug>",
                        t.slug
                    ),
                ));
                None
            }
            Some(kind) => {
                let found = records.forms(kind, &t.slug);
                if found.is_none() {
                    problems.push(Problem::new(
                        &t.at,
                        format!(
                            "{label} names {kind} \"{}\", which does not exist in {kind}s",
                            t.slug
                        ),
                    ));
                }
                found
            }
        };
        let d = &t.definition;
        let Some(end) = d.end else {
            continue; // not found (or not a source document): already reported
        };
        if !d.quote.contains(t.term.as_str()) {
            problems.push(Problem::new(
                &d.at,
                format!("the definition of {label} does not contain the term"),
            ));
        }
        if let Some(fs) = record_forms
            && !fs.iter().any(|f| d.quote.contains(f))
        {
            problems.push(Problem::new(
                &d.at,
                format!(
                    "the definition of {label} does not name the record it stands for (by any of: {})",
                    fs.join(", ")
                ),
            ));
        }
        let used_after = bodies.get(d.source.as_str()).is_some_and(|body| {
            body.char_indices()
                .nth(end as usize)
                .is_some_and(|(byte, _)| body[byte..].contains(t.term.as_str()))
        });
        if !used_after {
            problems.push(Problem::new(
                &d.at,
                format!(
                    "{label} occurs nowhere in source \"{}\" after its definition; list only terms the text uses",
                    d.source
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::{Loc, Node};

    const BODY: &str = "园区先行。加快建设中新广州知识城（下称园区）。支持园区建设实验室。";

    fn loc() -> Loc {
        Loc {
            file: "defined_terms.toml".into(),
            line: 1,
        }
    }

    fn quote(source: &str, text: &str, body: &str) -> Quote {
        let mut q = Quote::in_source(loc(), source, text);
        if let Some(byte) = body.find(text) {
            let start = body[..byte].chars().count() as i64;
            q.start = Some(start);
            q.end = Some(start + text.chars().count() as i64);
        }
        q
    }

    /// A platform record being loaded (not external: its names count).
    fn platform(slug: &str, name_zh: &str) -> Node {
        Node::new(Kind::Platform, slug.into(), loc(), name_zh.into())
    }

    /// Whether `terms` read `q` as naming the platform the test term stands for.
    fn names_the_city(terms: &DefinedTerms, q: &Quote) -> bool {
        terms.naming(q, Kind::Platform, "knowledge-city").is_some()
    }

    fn term() -> DefinedTerm {
        DefinedTerm {
            at: loc(),
            term: "园区".into(),
            kind: Some(Kind::Platform),
            slug: "knowledge-city".into(),
            note: None,
            definition: quote("plan", "加快建设中新广州知识城（下称园区）", BODY),
        }
    }

    #[test]
    fn a_term_names_its_record_in_its_source_after_the_definition() {
        let list = [term()];
        let terms = DefinedTerms::new(&list, &[], std::iter::empty::<&Node>());
        let after = quote("plan", "支持园区建设实验室", BODY);
        assert!(names_the_city(&terms, &after));
        // Another record, or another kind, is not named by it.
        assert!(terms.naming(&after, Kind::Zone, "knowledge-city").is_none());
        // Before the definition the text has not defined it yet.
        let before = quote("plan", "园区先行", BODY);
        assert!(!names_the_city(&terms, &before));
    }

    #[test]
    fn a_term_names_nothing_in_another_source() {
        let list = [term()];
        let terms = DefinedTerms::new(&list, &[], std::iter::empty::<&Node>());
        let other_body = "其他文件。支持园区建设实验室。";
        let elsewhere = quote("other", "支持园区建设实验室", other_body);
        assert!(elsewhere.start.is_some());
        assert!(!names_the_city(&terms, &elsewhere));
    }

    #[test]
    fn a_term_inside_a_longer_name_names_nothing() {
        let list = [term()];
        let nodes = [platform("biotech-park", "生物园区")];
        let terms = DefinedTerms::new(&list, &[], &nodes);
        let body = format!("{BODY}支持生物园区发展。");
        let inside = quote("plan", "支持生物园区发展", &body);
        assert!(terms.in_quote(&inside).is_empty());
    }

    #[test]
    fn a_definition_must_contain_the_term_and_name_the_record() {
        let mut t = term();
        t.definition = quote("plan", "支持园区建设实验室", BODY);
        let bodies = HashMap::from([("plan", BODY)]);
        let city = platform("knowledge-city", "中新广州知识城");
        let mut forms = Names::default();
        let mut problems = vec![];
        forms.add(&city, &mut problems);
        check(&[t], &[], &bodies, &forms, &mut problems);
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("does not name the record it stands for")),
            "{messages:?}"
        );
        let mut problems = vec![];
        check(&[term()], &[], &bodies, &forms, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
    }
}
