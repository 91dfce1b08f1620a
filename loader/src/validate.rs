//! Cross-record validation: slugs, references, quotes, names and relation evidence. Turns a
//! `SeedSet` into a `Graph` whose every citation has offsets and every relation has evidence,
//! or returns every problem found (never just the first).
use std::collections::{HashMap, HashSet};

use entity::ids::Kind;

use crate::abbrev::{self, Abbreviations};
use crate::defined::{self, DefinedTerms};
use crate::node::{Evidence, Node, Problem, Quote, Relation};
use crate::read::{Abbreviation, DefinedTerm, Ignored, SeedSet, SourceDoc};
use crate::vocab;

/// A validated graph, ready to be written.
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
pub fn validate(set: SeedSet, problems: Vec<Problem>) -> Result<Graph, Vec<Problem>> {
    validate_with(set, problems, Policy::default())
}

/// `validate` under `policy`. Nodes marked `external` (records already in the database) only
/// make references resolve; they are not checked again.
pub fn validate_with(
    set: SeedSet,
    mut problems: Vec<Problem>,
    policy: Policy,
) -> Result<Graph, Vec<Problem>> {
    let SeedSet {
        sources,
        mut nodes,
        ignored,
        mut abbreviations,
        mut defined_terms,
    } = set;
    let bodies: HashMap<&str, &str> = sources
        .iter()
        .map(|s| (s.slug.as_str(), s.body.as_str()))
        .collect();

    let nodes_external: HashSet<(Kind, String)> = nodes
        .iter()
        .filter(|n| n.external)
        .map(|n| (n.kind, n.slug.clone()))
        .collect();
    // External records first, so a clash is reported on the new record. (Only feeds have any; the
    // sort's buffer is half the nodes, which a large seeds load should not pay for nothing.)
    if nodes.iter().any(|n| n.external) {
        nodes.sort_by_key(|n| !n.external);
    }
    let mut seen: HashSet<(Kind, &str)> = HashSet::new();
    for n in &nodes {
        if !vocab::is_valid_slug(&n.slug) {
            problems.push(Problem::new(
                &n.at,
                format!(
                    "slug \"{}\" must be lowercase ASCII kebab-case ([a-z0-9]+(-[a-z0-9]+)*)",
                    n.slug
                ),
            ));
        }
        if !seen.insert((n.kind, n.slug.as_str())) {
            let message = if nodes_with(&nodes_external, n.kind, &n.slug) {
                format!(
                    "{} slug \"{}\" already belongs to a record from another origin",
                    n.kind, n.slug
                )
            } else {
                format!("duplicate {} slug \"{}\"", n.kind, n.slug)
            };
            problems.push(Problem::new(&n.at, message));
        }
    }
    let forms: HashMap<(Kind, String), Vec<String>> = nodes
        .iter()
        .map(|n| {
            let mut forms: Vec<String> = n.surface_forms().map(str::to_owned).collect();
            forms.dedup();
            ((n.kind, n.slug.clone()), forms)
        })
        .collect();

    for a in &mut abbreviations {
        for q in &mut a.citations {
            locate(q, &bodies, Policy::default(), &mut problems);
        }
    }
    for t in &mut defined_terms {
        locate(&mut t.definition, &bodies, Policy::default(), &mut problems);
    }
    let listed = Abbreviations::new(&abbreviations, &nodes);
    abbrev::check(&listed, &bodies, &forms, &mut problems);
    defined::check(
        &defined_terms,
        &abbreviations,
        &bodies,
        &forms,
        &mut problems,
    );
    let terms = DefinedTerms::new(&defined_terms, &abbreviations, &nodes);
    let context = Context {
        bodies: &bodies,
        forms: &forms,
        abbreviations: &listed,
        terms: &terms,
        policy,
    };
    for n in nodes.iter_mut().filter(|n| !n.external) {
        check_node(n, &context, &mut problems);
    }
    drop(listed);
    drop(terms);
    check_parent_cycles(&nodes, &mut problems);
    for i in &ignored {
        if i.seed.text.trim().is_empty() || i.seed.reason.trim().is_empty() {
            problems.push(Problem::new(
                &i.at,
                "an ignored entry needs a text and a reason",
            ));
        }
    }
    if problems.is_empty() {
        Ok(Graph {
            sources,
            nodes,
            ignored,
            abbreviations,
            defined_terms,
        })
    } else {
        problems.sort_by(|a, b| (&a.at.file, a.at.line).cmp(&(&b.at.file, b.at.line)));
        problems.dedup();
        Err(problems)
    }
}

/// What every record is checked against.
struct Context<'a> {
    bodies: &'a HashMap<&'a str, &'a str>,
    forms: &'a HashMap<(Kind, String), Vec<String>>,
    abbreviations: &'a Abbreviations<'a>,
    terms: &'a DefinedTerms<'a>,
    policy: Policy,
}

/// What a quote may name a record of `kind` by, as a problem lists it: its `forms`, then the
/// listed abbreviations (zones only) and the terms sources define.
fn naming_forms(kind: Kind, forms: &[String]) -> String {
    let also = if kind == Kind::Zone {
        ", an abbreviation listed in abbreviations.toml, or a term its source defines in defined_terms.toml"
    } else {
        ", or a term its source defines in defined_terms.toml"
    };
    format!("{}{also}", forms.join(", "))
}

/// Whether `q` names `target`: by one of its surface forms, through a listed abbreviation (zones
/// only), or through a term its source defines for the target (`defined_terms.toml`); the last
/// two are returned as `Some(Some(form))`.
pub fn names<'q>(
    q: &Quote,
    target_kind: Kind,
    target: &str,
    target_forms: &[String],
    abbreviations: &'q Abbreviations<'q>,
    terms: &'q DefinedTerms<'q>,
) -> Option<Option<&'q str>> {
    if target_forms.iter().any(|f| q.quote.contains(f.as_str())) {
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
fn evidence_naming_both_ends(n: &Node, cx: &Context<'_>) -> Vec<Option<(usize, Option<String>)>> {
    let named = |q: &Quote, kind: Kind, slug: &str| {
        cx.forms
            .get(&(kind, slug.to_owned()))
            .is_some_and(|f| names(q, kind, slug, f, cx.abbreviations, cx.terms).is_some())
    };
    let usable = |q: &Quote| q.start.is_some() || q.source_url.is_some();
    n.relations
        .iter()
        .map(|r| {
            if !matches!(r.evidence, Evidence::Pending) {
                return None;
            }
            let target_forms = cx.forms.get(&(r.target_kind, r.target.clone()))?;
            let mut via_both = None;
            for (i, q) in n.citations.iter().enumerate().filter(|(_, q)| usable(q)) {
                let Some(via) = names(
                    q,
                    r.target_kind,
                    &r.target,
                    target_forms,
                    cx.abbreviations,
                    cx.terms,
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
fn check_ends(n: &Node, label: &str, cx: &Context<'_>, problems: &mut Vec<Problem>) {
    let named = |q: &Quote, kind: Kind, slug: &str| {
        cx.forms
            .get(&(kind, slug.to_owned()))
            .is_some_and(|f| names(q, kind, slug, f, cx.abbreviations, cx.terms).is_some())
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

fn check_node(n: &mut Node, cx: &Context<'_>, problems: &mut Vec<Problem>) {
    let (bodies, forms, policy) = (cx.bodies, cx.forms, cx.policy);
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
        let Some(target_forms) = forms.get(&key) else {
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
                        target_forms,
                        cx.abbreviations,
                        cx.terms,
                    ) {
                        Some(via) => r.via = via.map(str::to_owned),
                        None => problems.push(Problem::new(
                            &r.at,
                            format!(
                                "the quote given for {} {} \"{}\" of {label} does not name it (by any of: {})",
                                r.name,
                                r.target_kind,
                                r.target,
                                naming_forms(r.target_kind, target_forms),
                            ),
                        )),
                    }
                }
            }
            Evidence::Pending => {
                // A citation naming both ends is preferred; then one naming the target directly
                // over one naming it only through an abbreviation or a defined term.
                let direct = citations.iter().position(|q| {
                    usable(q) && target_forms.iter().any(|f| q.quote.contains(f.as_str()))
                });
                let found = both_ends.or_else(|| {
                    direct.map(|i| (i, None)).or_else(|| {
                        citations.iter().enumerate().find_map(|(i, q)| {
                            usable(q)
                                .then(|| {
                                    names(
                                        q,
                                        r.target_kind,
                                        &r.target,
                                        target_forms,
                                        cx.abbreviations,
                                        cx.terms,
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
                            naming_forms(r.target_kind, target_forms),
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

fn nodes_with(set: &HashSet<(Kind, String)>, kind: Kind, slug: &str) -> bool {
    set.contains(&(kind, slug.to_owned()))
}

fn preview(s: &str) -> String {
    let mut p: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        p.push('…');
    }
    p
}

/// Zones and platforms form trees: following `parent` must never come back.
fn check_parent_cycles(nodes: &[Node], problems: &mut Vec<Problem>) {
    // The hierarchies: a zone's and a platform's parent, a sector's broader sector.
    for (kind, up) in [
        (Kind::Zone, "parent"),
        (Kind::Platform, "parent"),
        (Kind::Sector, "broader"),
    ] {
        let parent: HashMap<&str, &str> = nodes
            .iter()
            .filter(|n| n.kind == kind)
            .filter_map(|n| {
                n.relations
                    .iter()
                    .find(|r| r.name == up)
                    .map(|r| (n.slug.as_str(), r.target.as_str()))
            })
            .collect();
        for n in nodes.iter().filter(|n| n.kind == kind) {
            let mut at = n.slug.as_str();
            for _ in 0..=parent.len() {
                match parent.get(at) {
                    Some(&p) if p == n.slug => {
                        problems.push(Problem::new(
                            &n.at,
                            format!("{kind} \"{}\" is its own ancestor (parent cycle)", n.slug),
                        ));
                        break;
                    }
                    Some(&p) => at = p,
                    None => break,
                }
            }
        }
    }
}
