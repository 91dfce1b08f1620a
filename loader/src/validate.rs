//! Cross-record validation: slugs, references, quotes, names and relation evidence. Turns a
//! `Graph` as read into one whose every citation has offsets and every relation has evidence,
//! or returns every problem found (never just the first).
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::Arc;

use entity::ids::Kind;

use crate::abbrev::{self, Abbreviations};
use crate::defined::{self, DefinedTerms};
use crate::name_index::NameIndex;
use crate::node::{Evidence, Loc, Named, Node, Problem, Quote, Relation};
use crate::read::{Abbreviation, DefinedTerm, Ignored, SourceDoc};
use crate::vocab;

/// A graph of records with their sources and the lists that are not records; validated (every
/// citation located, every relation's evidence found) once `validate` returns it, ready to be
/// written.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    pub sources: Vec<SourceDoc>,
    pub nodes: Vec<Node>,
    pub ignored: Vec<Ignored>,
    /// The listed abbreviations, their citations located.
    pub abbreviations: Vec<Abbreviation>,
    /// The terms sources define for records, their definitions located.
    pub defined_terms: Vec<DefinedTerm>,
}

/// What the records being validated may rely on.
#[derive(Clone, Copy, Debug, Default)]
pub struct Policy {
    /// Partner feeds may cite an external `source_url`; curated seeds must quote a source document.
    pub allow_source_urls: bool,
}

/// Validates everything; all problems are returned together.
pub fn validate(read: Graph, problems: Vec<Problem>) -> Result<Graph, Vec<Problem>> {
    validate_with(read, problems, Policy::default())
}

/// `validate` under `policy`. Nodes marked `external` (records already in the database) only
/// make references resolve; they are not checked again.
pub fn validate_with(
    mut graph: Graph,
    mut problems: Vec<Problem>,
    policy: Policy,
) -> Result<Graph, Vec<Problem>> {
    let mut nodes = std::mem::take(&mut graph.nodes);
    // External records first, so a clash is reported on the new record. (Only feeds have any; the
    // sort's buffer is half the nodes, which a large seeds load should not pay for nothing.)
    if nodes.iter().any(|n| n.external) {
        nodes.sort_by_key(|n| !n.external);
    }
    let mut names = Names::default();
    for n in &nodes {
        names.add(n, &mut problems);
    }
    let stubs = names.stubs(true);
    let index = Arc::new(NameIndex::new(&stubs));
    check_lists(&mut graph, &names, &index, &mut problems);
    let checker = Checker::new(&graph, &names, index, policy);
    for n in nodes.iter_mut().filter(|n| !n.external) {
        checker.check(n, &mut problems);
    }
    drop(checker);
    if problems.is_empty() {
        graph.nodes = nodes;
        Ok(graph)
    } else {
        Err(sorted(problems))
    }
}

/// Problems in file and line order, each once.
pub fn sorted(mut problems: Vec<Problem>) -> Vec<Problem> {
    problems.sort_by(|a, b| (&a.at.file, a.at.line).cmp(&(&b.at.file, b.at.line)));
    problems.dedup();
    problems
}

/// What checking one record needs to know of all the others: each record's key and surface
/// forms, and the parents of the records that form trees. Noted record by record before any is
/// checked, and kept compact, so a load can stream the records themselves: every slug and form
/// once in one text, a record a few spans, the keys in a hash table of record positions (a load's
/// first reading at scale 300 ended at 61 MiB RSS, source texts included, against 88 MiB with a
/// map of strings).
#[derive(Debug, Default)]
pub struct Names {
    text: String,
    records: Vec<Noted>,
    /// Each record's forms: `Noted::forms` indexes a run of these.
    forms: Vec<Span>,
    /// Positions in `records`, found by the hash of (kind, slug).
    index: hashbrown::HashTable<u32>,
    hasher: std::hash::RandomState,
    /// For zones, platforms and sectors: (record, parent's slug, where the record stands).
    hierarchy: Vec<(u32, Span, Loc)>,
}

#[derive(Clone, Copy, Debug)]
struct Span {
    start: usize,
    len: u32,
}

#[derive(Clone, Copy, Debug)]
struct Noted {
    kind: Kind,
    external: bool,
    slug: Span,
    /// The first of its spans in `Names::forms`, and how many.
    forms: u32,
    count: u16,
}

impl Names {
    /// Notes `n`; reports a slug that is not kebab-case or that an earlier record has.
    /// External records are noted first.
    pub fn add(&mut self, n: &Node, problems: &mut Vec<Problem>) {
        if !vocab::is_valid_slug(&n.slug) {
            problems.push(Problem::new(
                &n.at,
                format!(
                    "slug \"{}\" must be lowercase ASCII kebab-case ([a-z0-9]+(-[a-z0-9]+)*)",
                    n.slug
                ),
            ));
        }
        if let Some(i) = self.position(n.kind, &n.slug) {
            let message = if self.records[i].external {
                format!(
                    "{} slug \"{}\" already belongs to a record from another origin",
                    n.kind, n.slug
                )
            } else {
                format!("duplicate {} slug \"{}\"", n.kind, n.slug)
            };
            problems.push(Problem::new(&n.at, message));
            return;
        }
        let Ok(at) = u32::try_from(self.records.len()) else {
            problems.push(Problem::new(&n.at, "more than 4 billion records"));
            return;
        };
        let slug = self.push(&n.slug);
        let first = self.forms.len() as u32;
        let mut last: Option<&str> = None;
        for form in n.surface_forms() {
            // Repeated forms side by side once (as `Vec::dedup`).
            if last != Some(form) {
                let span = self.push(form);
                self.forms.push(span);
            }
            last = Some(form);
        }
        let Ok(count) = u16::try_from(self.forms.len() - first as usize) else {
            problems.push(Problem::new(&n.at, "more than 65,535 names and aliases"));
            self.forms.truncate(first as usize);
            return;
        };
        self.records.push(Noted {
            kind: n.kind,
            external: n.external,
            slug,
            forms: first,
            count,
        });
        let hash = self.hasher.hash_one((n.kind, n.slug.as_str()));
        let (records, text, hasher) = (&self.records, &self.text, &self.hasher);
        self.index.insert_unique(hash, at, |&i| {
            let r = &records[i as usize];
            hasher.hash_one((r.kind, span_str(text, r.slug)))
        });
        if let Some(up) = tree_parent(n) {
            let up = self.push(up);
            self.hierarchy.push((at, up, n.at.clone()));
        }
    }

    fn push(&mut self, s: &str) -> Span {
        let span = Span {
            start: self.text.len(),
            len: s.len() as u32,
        };
        self.text.push_str(s);
        span
    }

    fn position(&self, kind: Kind, slug: &str) -> Option<usize> {
        let hash = self.hasher.hash_one((kind, slug));
        self.index
            .find(hash, |&i| {
                let r = &self.records[i as usize];
                r.kind == kind && span_str(&self.text, r.slug) == slug
            })
            .map(|&i| i as usize)
    }

    /// Whether a record `kind:slug` was noted.
    pub fn contains(&self, kind: Kind, slug: &str) -> bool {
        self.position(kind, slug).is_some()
    }

    /// The surface forms of record `kind:slug`, if it was noted.
    pub fn forms(&self, kind: Kind, slug: &str) -> Option<Vec<&str>> {
        self.position(kind, slug)
            .map(|i| self.name_ref(i).forms().collect())
    }

    /// Every record noted, as the name matchers take them; `external` ones too, or not.
    pub fn stubs(&self, external: bool) -> Vec<Stub<'_>> {
        (0..self.records.len())
            .filter(|&i| external || !self.records[i].external)
            .map(|i| self.name_ref(i))
            .collect()
    }

    fn name_ref(&self, at: usize) -> Stub<'_> {
        Stub { names: self, at }
    }

    /// Records noted (each key once).
    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Whether any record of `kind` has a parent of its own kind.
    pub fn has_tree(&self, kind: Kind) -> bool {
        self.hierarchy
            .iter()
            .any(|(i, ..)| self.records[*i as usize].kind == kind)
    }
}

fn span_str(text: &str, span: Span) -> &str {
    &text[span.start..span.start + span.len as usize]
}

/// A record noted in [`Names`], as the name matchers see it.
#[derive(Clone, Copy, Debug)]
pub struct Stub<'a> {
    names: &'a Names,
    at: usize,
}

impl<'a> Stub<'a> {
    /// The record's surface forms, borrowed from the names (not from this reference).
    fn forms(self) -> impl Iterator<Item = &'a str> {
        let names = self.names;
        let r = &names.records[self.at];
        let spans = &names.forms[r.forms as usize..r.forms as usize + r.count as usize];
        spans.iter().map(|s| span_str(&names.text, *s))
    }
}

impl Named for Stub<'_> {
    fn kind(&self) -> Kind {
        self.names.records[self.at].kind
    }
    fn slug(&self) -> &str {
        span_str(&self.names.text, self.names.records[self.at].slug)
    }
    fn surface_forms(&self) -> impl Iterator<Item = &str> {
        self.forms()
    }
}

/// The record of its own kind `n` hangs under: a zone's or platform's parent, a sector's
/// broader sector.
pub fn tree_parent(n: &Node) -> Option<&str> {
    let up = match n.kind {
        Kind::Zone | Kind::Platform => "parent",
        Kind::Sector => "broader",
        _ => return None,
    };
    n.relations
        .iter()
        .find(|r| r.name == up)
        .map(|r| r.target.as_str())
}

/// Checks what is not one record: the listed abbreviations and defined terms (their quotes
/// located here), the trees (no cycles) and the ignored entries.
pub fn check_lists(
    graph: &mut Graph,
    names: &Names,
    index: &Arc<NameIndex<'_>>,
    problems: &mut Vec<Problem>,
) {
    let Graph {
        sources,
        ignored,
        abbreviations,
        defined_terms,
        ..
    } = graph;
    let bodies = bodies(sources);
    for a in abbreviations.iter_mut() {
        for q in &mut a.citations {
            locate(q, &bodies, Policy::default(), problems);
        }
    }
    for t in defined_terms.iter_mut() {
        locate(&mut t.definition, &bodies, Policy::default(), problems);
    }
    let listed = Abbreviations::over(abbreviations, index.clone());
    abbrev::check(&listed, &bodies, names, problems);
    defined::check(defined_terms, abbreviations, &bodies, names, problems);
    check_parent_cycles(names, problems);
    for i in ignored {
        if i.seed.text.trim().is_empty() || i.seed.reason.trim().is_empty() {
            problems.push(Problem::new(
                &i.at,
                "an ignored entry needs a text and a reason",
            ));
        }
    }
}

fn bodies(sources: &[SourceDoc]) -> HashMap<&str, &str> {
    sources
        .iter()
        .map(|s| (s.slug.as_str(), s.body.as_str()))
        .collect()
}

/// What every record is checked against: the source texts, every record's names, the listed
/// abbreviations and the defined terms.
pub struct Checker<'a> {
    bodies: HashMap<&'a str, &'a str>,
    names: &'a Names,
    abbreviations: Abbreviations<'a>,
    terms: DefinedTerms<'a>,
    policy: Policy,
}

impl<'a> Checker<'a> {
    /// The lists' quotes must be located first ([`check_lists`]); `graph`'s records are not
    /// read (a load holds none, a validation checks its own).
    pub fn new(
        graph: &'a Graph,
        names: &'a Names,
        index: Arc<NameIndex<'a>>,
        policy: Policy,
    ) -> Self {
        Checker {
            bodies: bodies(&graph.sources),
            names,
            abbreviations: Abbreviations::over(&graph.abbreviations, index.clone()),
            terms: DefinedTerms::over(&graph.defined_terms, &graph.abbreviations, index),
            policy,
        }
    }

    /// Checks `n` against the rest: locates its quotes and finds its relations' evidence.
    pub fn check(&self, n: &mut Node, problems: &mut Vec<Problem>) {
        check_node(n, self, problems);
    }

    fn forms(&self, kind: Kind, slug: &str) -> Option<Vec<&str>> {
        self.names.forms(kind, slug)
    }
}

/// What a quote may name a record of `kind` by, as a problem lists it: its `forms`, then the
/// listed abbreviations (zones only) and the terms sources define.
fn naming_forms<F: AsRef<str>>(kind: Kind, forms: &[F]) -> String {
    let also = if kind == Kind::Zone {
        ", an abbreviation listed in abbreviations.toml, or a term its source defines in defined_terms.toml"
    } else {
        ", or a term its source defines in defined_terms.toml"
    };
    let forms: Vec<&str> = forms.iter().map(AsRef::as_ref).collect();
    format!("{}{also}", forms.join(", "))
}

/// Whether `q` names `target`: by one of its surface forms, through a listed abbreviation (zones
/// only), or through a term its source defines for the target (`defined_terms.toml`); the last
/// two are returned as `Some(Some(form))`.
pub fn names<'q, F: AsRef<str>>(
    q: &Quote,
    target_kind: Kind,
    target: &str,
    target_forms: &[F],
    abbreviations: &'q Abbreviations<'q>,
    terms: &'q DefinedTerms<'q>,
) -> Option<Option<&'q str>> {
    if target_forms.iter().any(|f| q.quote.contains(f.as_ref())) {
        return Some(None);
    }
    if target_kind == Kind::Zone
        && let Some(a) = abbreviations.naming(q, target)
    {
        return Some(Some(a.form.as_str()));
    }
    terms
        .naming(q, target_kind, target)
        .map(|t| Some(t.term.as_str()))
}

/// The quote evidencing `r`, a relation of `n`: one of `n`'s citations or the relation's own quote
/// (none for a note or a metric's subject).
pub fn evidence_quote<'a>(n: &'a Node, r: &'a Relation) -> Option<&'a Quote> {
    match &r.evidence {
        Evidence::Citation(i) => n.citations.get(*i),
        Evidence::Own(q) => Some(q),
        _ => None,
    }
}

/// Whether `quote`, the evidence of `r`, names both ends of it (seeds/README.md, rule 7), where
/// `named(quote, kind, slug)` says whether the quote names a record (a surface form, for a zone a
/// listed abbreviation, or a term the quote's source defines for the record). A partnership, which often has no name of its own, also counts as
/// named where the quote names another of its parties or, for a party's evidence, a project it
/// covers.
pub fn names_both_ends(
    n: &Node,
    r: &Relation,
    quote: &Quote,
    named: &dyn Fn(&Quote, Kind, &str) -> bool,
) -> bool {
    let owner = named(quote, n.kind, &n.slug)
        || (n.kind == Kind::Partnership
            && n.relations.iter().any(|o| {
                (o.name == "party" || (r.name == "party" && o.name == "project"))
                    && (o.target_kind, o.target.as_str()) != (r.target_kind, r.target.as_str())
                    && named(quote, o.target_kind, &o.target)
            }));
    owner && named(quote, r.target_kind, &r.target)
}

/// For each relation of `n` still to be evidenced from the record's citations, the first citation
/// naming both ends (one naming the target directly before one naming it through an abbreviation
/// or a defined term) and the form it names the target through, if any.
fn evidence_naming_both_ends(n: &Node, cx: &Checker<'_>) -> Vec<Option<(usize, Option<String>)>> {
    let named = |q: &Quote, kind: Kind, slug: &str| {
        cx.forms(kind, slug)
            .is_some_and(|f| names(q, kind, slug, &f, &cx.abbreviations, &cx.terms).is_some())
    };
    let usable = |q: &Quote| q.start.is_some() || q.source_url.is_some();
    n.relations
        .iter()
        .map(|r| {
            if !matches!(r.evidence, Evidence::Pending) {
                return None;
            }
            let target_forms = cx.forms(r.target_kind, &r.target)?;
            let mut via_both = None;
            for (i, q) in n.citations.iter().enumerate().filter(|(_, q)| usable(q)) {
                let Some(via) = names(
                    q,
                    r.target_kind,
                    &r.target,
                    &target_forms,
                    &cx.abbreviations,
                    &cx.terms,
                ) else {
                    continue;
                };
                if !names_both_ends(n, r, q, &named) {
                    continue;
                }
                match via {
                    None => return Some((i, None)),
                    Some(form) if via_both.is_none() => via_both = Some((i, Some(form.to_owned()))),
                    Some(_) => {}
                }
            }
            via_both
        })
        .collect()
}

/// Every relation evidenced by a quote names both ends, or is marked `contextual` with a reason;
/// a marker on a relation whose quote names both ends (or that a note evidences) is stale.
fn check_ends(n: &Node, label: &str, cx: &Checker<'_>, problems: &mut Vec<Problem>) {
    let named = |q: &Quote, kind: Kind, slug: &str| {
        cx.forms(kind, slug)
            .is_some_and(|f| names(q, kind, slug, &f, &cx.abbreviations, &cx.terms).is_some())
    };
    for r in &n.relations {
        let what = format!("{} {} \"{}\" of {label}", r.name, r.target_kind, r.target);
        let quote = evidence_quote(n, r).filter(|q| q.start.is_some() || q.source_url.is_some());
        match (quote, &r.contextual) {
            (_, Some((reason, at))) if reason.trim().is_empty() => problems.push(Problem::new(
                at,
                format!("the contextual marker of {what} needs a reason"),
            )),
            (None, Some((_, at))) if matches!(r.evidence, Evidence::Note(_) | Evidence::Record) => {
                problems.push(Problem::new(
                    at,
                    format!("stale contextual marker: {what} is evidenced by a note, not a quote"),
                ))
            }
            (Some(q), Some((_, at))) if names_both_ends(n, r, q, &named) => {
                problems.push(Problem::new(
                    at,
                    format!(
                        "stale contextual marker: the quote evidencing {what} names both ends (\"{}\"); remove the marker",
                        preview(&q.quote)
                    ),
                ))
            }
            (Some(q), None) if !names_both_ends(n, r, q, &named) => problems.push(Problem::new(
                &r.at,
                format!(
                    "the quote evidencing {what} names only one end (not the {}): \"{}\"; cite first a sentence naming both ends (for a party, give it its own quote), or mark the relation contextual with the reason",
                    n.kind,
                    preview(&q.quote)
                ),
            )),
            _ => {}
        }
    }
}

fn check_node(n: &mut Node, cx: &Checker<'_>, problems: &mut Vec<Problem>) {
    let (bodies, policy) = (&cx.bodies, cx.policy);
    if n.kind == Kind::Source {
        return;
    }
    let label = format!("{} \"{}\"", n.kind, n.slug);
    if n.citations.is_empty() {
        problems.push(Problem::new(
            &n.at,
            format!("{label} has no citation: every record cites at least one quote"),
        ));
    }
    for q in &mut n.citations {
        locate(q, bodies, policy, problems);
    }
    if n.name_zh.trim().is_empty() {
        problems.push(Problem::new(&n.at, format!("{label} has an empty name_zh")));
    } else if !n.descriptive_name
        && n.kind != Kind::Metric
        && n.citations.iter().any(|q| q.source_url.is_none())
        && !n.citations.iter().any(|q| {
            bodies
                .get(q.source.as_str())
                .is_some_and(|b| b.contains(&n.name_zh))
        })
        && !(n.kind == Kind::Zone
            && n.citations
                .iter()
                .any(|q| q.start.is_some() && cx.abbreviations.naming(q, &n.slug).is_some()))
    {
        problems.push(Problem::new(
            &n.at,
            format!(
                "name_zh \"{}\" of {label} occurs in none of its cited sources (set descriptive_name = true if it is not a name from the texts)",
                n.name_zh
            ),
        ));
    }
    if let Some(value_text) = &n.value_text
        && !n.citations.iter().any(|q| q.quote.contains(value_text))
    {
        problems.push(Problem::new(
            &n.at,
            format!("value_text \"{value_text}\" of {label} occurs in none of its quotes"),
        ));
    }
    for m in &mut n.milestones {
        locate(&mut m.quote, bodies, policy, problems);
    }
    let both_ends = evidence_naming_both_ends(n, cx);
    let citations = &n.citations;
    for (r, both_ends) in n.relations.iter_mut().zip(both_ends) {
        let key = (r.target_kind, r.target.clone());
        let Some(target_forms) = cx.forms(key.0, &key.1) else {
            problems.push(Problem::new(
                &r.at,
                format!(
                    "{} \"{}\" of {label} does not exist in {}s",
                    r.name, r.target, r.target_kind
                ),
            ));
            continue;
        };
        let usable = |q: &Quote| q.start.is_some() || q.source_url.is_some();
        match &mut r.evidence {
            Evidence::Own(q) => {
                locate(q, bodies, policy, problems);
                if usable(q) {
                    match names(
                        q,
                        r.target_kind,
                        &r.target,
                        &target_forms,
                        &cx.abbreviations,
                        &cx.terms,
                    ) {
                        Some(via) => r.via = via.map(str::to_owned),
                        None => problems.push(Problem::new(
                            &r.at,
                            format!(
                                "the quote given for {} {} \"{}\" of {label} does not name it (by any of: {})",
                                r.name,
                                r.target_kind,
                                r.target,
                                naming_forms(r.target_kind, &target_forms),
                            ),
                        )),
                    }
                }
            }
            Evidence::Pending => {
                // A citation naming both ends is preferred; then one naming the target directly
                // over one naming it only through an abbreviation or a defined term.
                let direct = citations
                    .iter()
                    .position(|q| usable(q) && target_forms.iter().any(|f| q.quote.contains(*f)));
                let found = both_ends.or_else(|| {
                    direct.map(|i| (i, None)).or_else(|| {
                        citations.iter().enumerate().find_map(|(i, q)| {
                            usable(q)
                                .then(|| {
                                    names(
                                        q,
                                        r.target_kind,
                                        &r.target,
                                        &target_forms,
                                        &cx.abbreviations,
                                        &cx.terms,
                                    )
                                })
                                .flatten()
                                .map(|via| (i, via.map(str::to_owned)))
                        })
                    })
                });
                match found {
                    Some((i, via)) => {
                        r.evidence = Evidence::Citation(i);
                        r.via = via;
                    }
                    None if citations.is_empty() => {}
                    None => problems.push(Problem::new(
                        &r.at,
                        format!(
                            "no citation of {label} names its {} {} \"{}\" (by any of: {}); cite a sentence naming both{}",
                            r.name,
                            r.target_kind,
                            r.target,
                            naming_forms(r.target_kind, &target_forms),
                            if matches!(r.name, "parent" | "zone" | "platform") {
                                ", or add a note for administrative fact"
                            } else {
                                ""
                            }
                        ),
                    )),
                }
            }
            Evidence::Note(note) if note.trim().is_empty() => {
                problems.push(Problem::new(&r.at, format!("{} note is empty", r.name)));
            }
            Evidence::Note(_) | Evidence::Citation(_) | Evidence::Record => {}
        }
    }
    check_ends(n, &label, cx, problems);
}

/// Finds a quote in its source and records its character offsets, or reports why it cannot.
fn locate(
    q: &mut Quote,
    bodies: &HashMap<&str, &str>,
    policy: Policy,
    problems: &mut Vec<Problem>,
) {
    if let Some(url) = &q.source_url {
        if !q.source.is_empty() {
            problems.push(Problem::new(
                &q.at,
                "a citation names a source or a source_url, not both",
            ));
        } else if !policy.allow_source_urls {
            problems.push(Problem::new(
                &q.at,
                "curated seeds quote a source document; source_url is for partner feeds",
            ));
        } else if !(url.starts_with("https://") || url.starts_with("http://")) {
            problems.push(Problem::new(
                &q.at,
                format!("source_url \"{url}\" is not an http(s) URL"),
            ));
        }
        return;
    }
    let Some(body) = bodies.get(q.source.as_str()) else {
        problems.push(Problem::new(
            &q.at,
            format!("unknown source \"{}\"", q.source),
        ));
        return;
    };
    let len = q.quote.chars().count();
    if q.quote.trim().is_empty() {
        problems.push(Problem::new(&q.at, "empty quote"));
        return;
    }
    if len > vocab::MAX_QUOTE_CHARS {
        problems.push(Problem::new(
            &q.at,
            format!(
                "quote is {len} characters; quote a sentence or clause (at most {})",
                vocab::MAX_QUOTE_CHARS
            ),
        ));
        return;
    }
    match body.find(&q.quote) {
        Some(byte) => {
            let start = body[..byte].chars().count() as i64;
            q.start = Some(start);
            q.end = Some(start + len as i64);
        }
        None => problems.push(Problem::new(
            &q.at,
            format!(
                "quote not found verbatim in source \"{}\": \"{}\"",
                q.source,
                preview(&q.quote)
            ),
        )),
    }
}

fn preview(s: &str) -> String {
    let mut p: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        p.push('…');
    }
    p
}

/// Zones, platforms and sectors form trees: following `parent` (`broader`) must never come back.
fn check_parent_cycles(names: &Names, problems: &mut Vec<Problem>) {
    let slug = |i: u32| span_str(&names.text, names.records[i as usize].slug);
    let parent: HashMap<(Kind, &str), &str> = names
        .hierarchy
        .iter()
        .map(|(i, up, _)| {
            let kind = names.records[*i as usize].kind;
            ((kind, slug(*i)), span_str(&names.text, *up))
        })
        .collect();
    for (i, _, at) in &names.hierarchy {
        let (kind, slug) = (names.records[*i as usize].kind, slug(*i));
        let mut here = slug;
        for _ in 0..=parent.len() {
            match parent.get(&(kind, here)) {
                Some(&up) if up == slug => {
                    problems.push(Problem::new(
                        at,
                        format!("{kind} \"{slug}\" is its own ancestor (parent cycle)"),
                    ));
                    break;
                }
                Some(&up) => here = up,
                None => break,
            }
        }
    }
}
