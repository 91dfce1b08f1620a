//! `loader report`: the curated graph's health at a glance — counts per kind and per source, the
//! share of relation evidence naming both ends, and the records a curator should look at (no
//! relations, no English name, no citation).
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write;

use entity::ids::Kind;

use crate::abbrev::Abbreviations;
use crate::defined::DefinedTerms;
use crate::mentions::find_mentions;
use crate::node::{Evidence, Node, Quote};
use crate::validate::{Graph, evidence_quote, names, names_both_ends};

/// Renders the report as plain text.
pub fn render(graph: &Graph) -> String {
    let mut out = String::new();
    let mut per_kind: BTreeMap<Kind, usize> = BTreeMap::new();
    for n in &graph.nodes {
        *per_kind.entry(n.kind).or_default() += 1;
    }
    let relations: usize = graph.nodes.iter().map(|n| n.relations.len()).sum();
    let citations: usize = graph
        .nodes
        .iter()
        .map(|n| {
            n.citations.len()
                + n.milestones.len()
                + n.relations
                    .iter()
                    .filter(|r| matches!(r.evidence, Evidence::Own(_)))
                    .count()
        })
        .sum();
    let notes = graph
        .nodes
        .iter()
        .flat_map(|n| &n.relations)
        .filter(|r| matches!(r.evidence, Evidence::Note(_)))
        .count();
    let milestones: usize = graph.nodes.iter().map(|n| n.milestones.len()).sum();
    let aliases: usize = graph.nodes.iter().map(|n| n.aliases.len()).sum();
    let mentions = find_mentions(&graph.nodes, &graph.sources, &graph.abbreviations);

    let _ = writeln!(out, "records per kind");
    for (kind, n) in &per_kind {
        let _ = writeln!(out, "  {:<14} {n:>6}", kind.as_str());
    }
    let _ = writeln!(
        out,
        "  relations {relations}, milestones {milestones}, aliases {aliases}, quotes {citations}, administrative notes {notes}, mentions {}, ignored {}",
        mentions.len(),
        graph.ignored.len()
    );

    let _ = writeln!(
        out,
        "\nper source                         cited by  quotes  mentions"
    );
    for s in &graph.sources {
        let cited_by = graph
            .nodes
            .iter()
            .filter(|n| n.citations.iter().any(|q| q.source == s.slug))
            .count();
        let quotes = graph
            .nodes
            .iter()
            .flat_map(|n| &n.citations)
            .filter(|q| q.source == s.slug)
            .count();
        let m = mentions.iter().filter(|m| m.source == s.slug).count();
        let _ = writeln!(out, "  {:<32} {cited_by:>8} {quotes:>7} {m:>9}", s.slug);
    }

    let quality = evidence_quality(graph);
    let _ = writeln!(
        out,
        "\nrelation evidence naming both ends (a surface form, listed abbreviation or defined term of each end in the quote)"
    );
    let _ = writeln!(
        out,
        "  {:<44} {:>4}    {:>4}  {:>7}  {:>10}",
        "", "both", "of", "share", "contextual"
    );
    for q in &quality {
        let _ = writeln!(
            out,
            "  {:<44} {:>4} of {:>4}  {:>5.1} %  {:>10}",
            q.relation,
            q.both,
            q.total,
            q.share() * 100.0,
            q.contextual.len()
        );
    }
    let total: usize = quality.iter().map(|q| q.total).sum();
    let both: usize = quality.iter().map(|q| q.both).sum();
    let contextual: usize = quality.iter().map(|q| q.contextual.len()).sum();
    let _ = writeln!(
        out,
        "  {:<44} {both:>4} of {total:>4}  {:>5.1} %  {contextual:>10}",
        "all",
        if total == 0 {
            100.0
        } else {
            both as f64 * 100.0 / total as f64
        }
    );

    let linked: HashSet<(Kind, &str)> = graph
        .nodes
        .iter()
        .flat_map(|n| {
            n.relations.iter().flat_map(move |r| {
                [
                    (n.kind, n.slug.as_str()),
                    (r.target_kind, r.target.as_str()),
                ]
            })
        })
        .collect();
    let entities = || {
        graph
            .nodes
            .iter()
            .filter(|n| !matches!(n.kind, Kind::Source | Kind::Metric))
    };
    let list = |out: &mut String, title: &str, items: Vec<String>| {
        let _ = writeln!(out, "\n{title}: {}", items.len());
        for i in items {
            let _ = writeln!(out, "  {i}");
        }
    };
    list(
        &mut out,
        "entities without relations",
        entities()
            .filter(|n| !linked.contains(&(n.kind, n.slug.as_str())))
            .map(|n| format!("{}:{} {}", n.kind, n.slug, n.name_zh))
            .collect(),
    );
    list(
        &mut out,
        "platforms and projects without a location (with the reason the seeds give)",
        graph
            .nodes
            .iter()
            .filter(|n| matches!(n.kind, Kind::Platform | Kind::Project))
            .filter(|n| {
                !n.relations
                    .iter()
                    .any(|r| matches!(r.name, "zone" | "parent" | "platform"))
            })
            .map(|n| {
                let reason = n.unlocated.as_deref().unwrap_or("NO REASON GIVEN");
                format!("{}:{} {}: {reason}", n.kind, n.slug, n.name_zh)
            })
            .collect(),
    );
    list(
        &mut out,
        "records without an English name",
        graph
            .nodes
            .iter()
            .filter(|n| n.kind != Kind::Source)
            .filter(|n| {
                !n.columns.iter().any(|(c, v)| {
                    (*c == "name_en" || *c == "title_en")
                        && matches!(v, crate::node::Cell::Text(Some(s)) if !s.is_empty())
                })
            })
            .map(|n| format!("{}:{} {}", n.kind, n.slug, n.name_zh))
            .collect(),
    );
    let _ = writeln!(
        out,
        "\nabbreviations listed: {} ({})",
        graph.abbreviations.len(),
        graph
            .abbreviations
            .iter()
            .map(|a| a.form.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        out,
        "\ndefined terms listed: {} ({})",
        graph.defined_terms.len(),
        graph
            .defined_terms
            .iter()
            .map(|t| format!(
                "{} in {} = {}",
                t.term,
                t.definition.source,
                t.kind
                    .map_or_else(|| t.slug.clone(), |k| entity::ids::record_key(k, &t.slug))
            ))
            .collect::<Vec<_>>()
            .join(", ")
    );
    list(
        &mut out,
        "relations evidenced through an abbreviation or a defined term",
        graph
            .nodes
            .iter()
            .flat_map(|n| n.relations.iter().map(move |r| (n, r)))
            .filter_map(|(n, r)| {
                let via = r.via.as_deref()?;
                let quote = match &r.evidence {
                    Evidence::Citation(i) => n.citations.get(*i)?,
                    Evidence::Own(q) => &**q,
                    _ => return None,
                };
                Some(format!(
                    "{}:{} {} {}:{} via {via}: {}",
                    n.kind, n.slug, r.name, r.target_kind, r.target, quote.quote
                ))
            })
            .collect(),
    );
    let listed = crate::abbrev::Abbreviations::new(&graph.abbreviations, &graph.nodes);
    list(
        &mut out,
        "partnership citations naming, through an abbreviation, a zone that is not a party",
        graph
            .nodes
            .iter()
            .filter(|n| n.kind == Kind::Partnership)
            .flat_map(|n| {
                let parties: HashSet<&str> = n
                    .relations
                    .iter()
                    .filter(|r| r.name == "party" && r.target_kind == Kind::Zone)
                    .map(|r| r.target.as_str())
                    .collect();
                let mut missing: Vec<(String, &str)> = vec![];
                for q in &n.citations {
                    for a in listed.in_quote(q) {
                        for z in &a.expands_to {
                            if !parties.contains(z.as_str()) && !missing.iter().any(|(m, _)| m == z)
                            {
                                missing.push((z.clone(), a.form.as_str()));
                            }
                        }
                    }
                }
                missing
                    .into_iter()
                    .map(move |(z, form)| format!("partnership:{} zone:{z} (via {form})", n.slug))
            })
            .collect(),
    );
    list(
        &mut out,
        "relations whose evidence names only one end, not marked contextual",
        relation_lines(&quality, |q| &q.single),
    );
    list(
        &mut out,
        "relations marked contextual (the quote names only one end), with the reason",
        relation_lines(&quality, |q| &q.contextual),
    );
    list(
        &mut out,
        "records without citations",
        graph
            .nodes
            .iter()
            .filter(|n| n.kind != Kind::Source && n.citations.is_empty())
            .map(|n| entity::ids::record_key(n.kind, &n.slug))
            .collect(),
    );
    out
}

/// One line per relation `which` picks from each share (owner key, target key, then a quote or
/// a reason): `owner relation target: text`, the relation without its record kind.
fn relation_lines(
    quality: &[EvidenceShare],
    which: impl Fn(&EvidenceShare) -> &Vec<(String, String, String)>,
) -> Vec<String> {
    quality
        .iter()
        .flat_map(|q| {
            let relation = q
                .relation
                .split_once('.')
                .map_or(q.relation.as_str(), |(_, r)| r);
            which(q)
                .iter()
                .map(move |(owner, target, text)| format!("{owner} {relation} {target}: {text}"))
        })
        .collect()
}

/// How many citations of one relation kind (`project -> platform`, `partnership party zone` …) name
/// both ends of the relation, and how many are marked contextual.
#[derive(Clone, Debug)]
pub struct EvidenceShare {
    /// `<record kind>.<relation> -> <target kind>`, e.g. `project.platform -> platform`.
    pub relation: String,
    pub total: usize,
    pub both: usize,
    /// The relations whose quote names only one end and that are marked contextual: owner key,
    /// target key, reason.
    pub contextual: Vec<(String, String, String)>,
    /// The relations whose quote names only one end, unmarked (a valid graph has none): owner
    /// key, target key, quote.
    pub single: Vec<(String, String, String)>,
}

impl EvidenceShare {
    /// The share naming both ends, 1.0 when there is nothing to measure.
    pub fn share(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.both as f64 / self.total as f64
        }
    }
}

/// For every relation evidenced by a quote (a citation of the record or the relation's own quote;
/// administrative notes and metric subjects are not quotes), whether the quote names both ends
/// (`validate::names_both_ends`), and if not, whether it is marked contextual.
pub fn evidence_quality(graph: &Graph) -> Vec<EvidenceShare> {
    let listed = Abbreviations::new(&graph.abbreviations, &graph.nodes);
    let terms = DefinedTerms::new(&graph.defined_terms, &graph.abbreviations, &graph.nodes);
    let by_key: HashMap<(Kind, &str), &Node> = graph
        .nodes
        .iter()
        .map(|n| ((n.kind, n.slug.as_str()), n))
        .collect();
    let forms: HashMap<(Kind, &str), Vec<String>> = graph
        .nodes
        .iter()
        .map(|n| {
            let forms = n.surface_forms().map(str::to_owned).collect();
            ((n.kind, n.slug.as_str()), forms)
        })
        .collect();
    let named = |q: &Quote, kind: Kind, slug: &str| {
        forms
            .get(&(kind, slug))
            .is_some_and(|f| names(q, kind, slug, f, &listed, &terms).is_some())
    };
    let mut shares: BTreeMap<String, EvidenceShare> = BTreeMap::new();
    for n in &graph.nodes {
        for r in &n.relations {
            let Some(quote) = evidence_quote(n, r) else {
                continue;
            };
            if !by_key.contains_key(&(r.target_kind, r.target.as_str())) {
                continue;
            }
            let relation = format!("{}.{} -> {}", n.kind, r.name, r.target_kind);
            let share = shares
                .entry(relation.clone())
                .or_insert_with(|| EvidenceShare {
                    relation,
                    total: 0,
                    both: 0,
                    contextual: vec![],
                    single: vec![],
                });
            share.total += 1;
            let keys = || {
                (
                    entity::ids::record_key(n.kind, &n.slug),
                    entity::ids::record_key(r.target_kind, &r.target),
                )
            };
            if names_both_ends(n, r, quote, &named) {
                share.both += 1;
            } else if let Some((reason, _)) = &r.contextual {
                let (owner, target) = keys();
                share.contextual.push((owner, target, reason.clone()));
            } else {
                let (owner, target) = keys();
                share.single.push((owner, target, quote.quote.clone()));
            }
        }
    }
    shares.into_values().collect()
}
