//! Turns a validated `Graph` into the rows each table should hold, in the order tables must be
//! written (parents before children). Records are keyed by slug and carry a content hash; relation
//! and provenance rows are keyed by a hash of their content.
use std::collections::{HashMap, HashSet};

use entity::ids::Kind;
use sha2::{Digest, Sha256};

use crate::mentions::find_mentions;
use crate::node::{Cell, Evidence, Node, Quote};
use crate::validate::Graph;

/// One row: its key and, for records, the content hash that decides whether it changed.
#[derive(Clone, Debug)]
pub struct Row {
    pub key: String,
    pub hash: Option<String>,
    pub cells: Vec<Cell>,
}

/// The desired content of one table.
#[derive(Clone, Debug)]
pub struct TableRows {
    pub table: &'static str,
    /// The record kind for record tables; `None` for relation and provenance rows.
    pub kind: Option<Kind>,
    /// Column names in the order of `Row::cells` (after the key column).
    pub columns: Vec<&'static str>,
    pub rows: Vec<Row>,
    /// For relation and provenance rows: the origin written into each row.
    origin: Option<String>,
}

impl TableRows {
    fn new(table: &'static str, kind: Option<Kind>, columns: &[&'static str]) -> Self {
        TableRows {
            table,
            kind,
            columns: columns.to_vec(),
            rows: vec![],
            origin: None,
        }
    }

    /// A relation or provenance table whose rows carry `origin`.
    fn owned(table: &'static str, columns: &[&'static str], origin: &str) -> Self {
        let mut t = TableRows::new(table, None, columns);
        t.columns.push("origin");
        t.origin = Some(origin.to_owned());
        t
    }

    /// Adds a content-keyed row, skipping exact duplicates.
    fn push(&mut self, seen: &mut HashSet<String>, mut cells: Vec<Cell>) {
        if let Some(origin) = &self.origin {
            cells.push(text(origin));
        }
        let key = content_key(self.table, &cells);
        if seen.insert(key.clone()) {
            self.rows.push(Row {
                key,
                hash: None,
                cells,
            });
        }
    }

    pub fn key_column(&self) -> &'static str {
        if self.kind.is_some() { "slug" } else { "key" }
    }
}

/// Record kinds in write order (a kind only references kinds before it, or itself).
pub const RECORD_ORDER: [Kind; 9] = [
    Kind::Source,
    Kind::Zone,
    Kind::Platform,
    Kind::Project,
    Kind::Organization,
    Kind::Document,
    Kind::Sector,
    Kind::Partnership,
    Kind::Metric,
];

fn content_key(table: &str, cells: &[Cell]) -> String {
    // Text, integers, floats and booleans: serialising them cannot fail (non-finite floats become
    // null), and a hash over an empty string instead would make every record collide.
    let json = serde_json::to_string(&(table, cells)).expect("cells always serialise");
    hex::encode(&Sha256::digest(json.as_bytes())[..16])
}

fn content_hash(node: &Node) -> String {
    // A node is strings, numbers, lists and structs with string keys: serialising cannot fail.
    let json = serde_json::to_string(node).expect("nodes always serialise");
    hex::encode(Sha256::digest(json.as_bytes()))
}

fn text(s: &str) -> Cell {
    Cell::Text(Some(s.to_owned()))
}

/// All tables with the rows the graph wants them to hold, in write order.
pub fn build(graph: &Graph, origin: &str) -> Vec<TableRows> {
    let mut records: Vec<TableRows> = vec![];
    for kind in RECORD_ORDER {
        let mut nodes: Vec<&Node> = graph
            .nodes
            .iter()
            .filter(|n| n.kind == kind && !n.external)
            .collect();
        sort_parents_first(&mut nodes);
        let mut columns: Vec<&'static str> = nodes
            .first()
            .map(|n| n.columns.iter().map(|(c, _)| *c).collect())
            .unwrap_or_default();
        columns.push("origin");
        let mut t = TableRows::new(kind.table(), Some(kind), &columns);
        for n in nodes {
            let mut cells: Vec<Cell> = n.columns.iter().map(|(_, v)| v.clone()).collect();
            cells.push(text(origin));
            t.rows.push(Row {
                key: n.slug.clone(),
                hash: Some(content_hash(n)),
                cells,
            });
        }
        records.push(t);
    }

    let mut seen = HashSet::new();
    let mut milestones = TableRows::owned(
        "milestones",
        &[
            "project",
            "ordinal",
            "date",
            "event_zh",
            "event_en",
            "date_note",
        ],
        origin,
    );
    let mut parties = TableRows::owned(
        "partnership_parties",
        &[
            "partnership",
            "ordinal",
            "role",
            "zone",
            "platform",
            "organization",
        ],
        origin,
    );
    let mut covered = TableRows::owned("partnership_projects", &["partnership", "project"], origin);
    let mut platform_sectors =
        TableRows::owned("platform_sectors", &["platform", "sector"], origin);
    let mut project_sectors = TableRows::owned("project_sectors", &["project", "sector"], origin);
    let mut partnership_sectors =
        TableRows::owned("partnership_sectors", &["partnership", "sector"], origin);
    let mut aliases = TableRows::owned("aliases", &["entity_kind", "entity_slug", "alias"], origin);
    let mut citations = TableRows::owned(
        "citations",
        &[
            "owner_kind",
            "owner_slug",
            "relation",
            "target",
            "ordinal",
            "source",
            "source_url",
            "quote",
            "start_offset",
            "end_offset",
            "note",
        ],
        origin,
    );
    let mut mentions = TableRows::owned(
        "mentions",
        &[
            "entity_kind",
            "entity_slug",
            "source",
            "start_offset",
            "end_offset",
            "surface",
        ],
        origin,
    );

    for n in graph.nodes.iter().filter(|n| !n.external) {
        let (kind, slug) = (text(n.kind.as_str()), text(&n.slug));
        for a in &n.aliases {
            aliases.push(&mut seen, vec![kind.clone(), slug.clone(), text(a)]);
        }
        let cite = |relation: Option<&str>, target: Option<String>, ordinal: usize, q: &Quote| {
            vec![
                kind.clone(),
                slug.clone(),
                Cell::Text(relation.map(str::to_owned)),
                Cell::Text(target),
                Cell::Int(Some(ordinal as i64)),
                Cell::Text((!q.source.is_empty()).then(|| q.source.clone())),
                Cell::Text(q.source_url.clone()),
                text(&q.quote),
                Cell::Int(q.start),
                Cell::Int(q.end),
                Cell::Text(None),
            ]
        };
        for (i, q) in n.citations.iter().enumerate() {
            citations.push(&mut seen, cite(None, None, i, q));
        }
        for (i, m) in n.milestones.iter().enumerate() {
            milestones.push(
                &mut seen,
                vec![
                    slug.clone(),
                    Cell::Int(Some(i as i64)),
                    text(&m.date),
                    text(&m.event_zh),
                    Cell::Text(m.event_en.clone()),
                    Cell::Text(m.date_note.clone()),
                ],
            );
            citations.push(
                &mut seen,
                cite(Some("milestone"), Some(i.to_string()), 0, &m.quote),
            );
        }
        let mut party_ordinal = 0;
        for r in &n.relations {
            let target = entity::ids::record_key(r.target_kind, &r.target);
            match &r.evidence {
                Evidence::Citation(i) => {
                    if let Some(q) = n.citations.get(*i) {
                        citations.push(&mut seen, cite(Some(r.name), Some(target), 0, q));
                    }
                }
                Evidence::Own(q) => {
                    citations.push(&mut seen, cite(Some(r.name), Some(target), 0, q));
                }
                Evidence::Note(note) => citations.push(
                    &mut seen,
                    vec![
                        kind.clone(),
                        slug.clone(),
                        text(r.name),
                        Cell::Text(Some(target)),
                        Cell::Int(Some(0)),
                        Cell::Text(None),
                        Cell::Text(None),
                        Cell::Text(None),
                        Cell::Int(None),
                        Cell::Int(None),
                        text(note),
                    ],
                ),
                Evidence::Record | Evidence::Pending => {}
            }
            let target_cell = text(&r.target);
            match (n.kind, r.name) {
                (Kind::Partnership, "party") => {
                    let pick = |k: Kind| Cell::Text((r.target_kind == k).then(|| r.target.clone()));
                    parties.push(
                        &mut seen,
                        vec![
                            slug.clone(),
                            Cell::Int(Some(party_ordinal)),
                            Cell::Text(r.role.clone()),
                            pick(Kind::Zone),
                            pick(Kind::Platform),
                            pick(Kind::Organization),
                        ],
                    );
                    party_ordinal += 1;
                }
                (Kind::Partnership, "project") => {
                    covered.push(&mut seen, vec![slug.clone(), target_cell])
                }
                (Kind::Partnership, "sector") => {
                    partnership_sectors.push(&mut seen, vec![slug.clone(), target_cell])
                }
                (Kind::Platform, "sector") => {
                    platform_sectors.push(&mut seen, vec![slug.clone(), target_cell])
                }
                (Kind::Project, "sector") => {
                    project_sectors.push(&mut seen, vec![slug.clone(), target_cell])
                }
                _ => {}
            }
        }
    }
    let own: Vec<Node> = graph
        .nodes
        .iter()
        .filter(|n| !n.external)
        .cloned()
        .collect();
    for m in find_mentions(&own, &graph.sources, &graph.abbreviations) {
        mentions.push(
            &mut seen,
            vec![
                text(m.kind.as_str()),
                text(&m.slug),
                text(&m.source),
                Cell::Int(Some(m.start)),
                Cell::Int(Some(m.end)),
                text(&m.surface),
            ],
        );
    }

    // Write order mirrors the migration: every table after the tables it references.
    let mut by_kind: HashMap<Kind, TableRows> = records
        .into_iter()
        .filter_map(|t| t.kind.map(|k| (k, t)))
        .collect();
    let mut take = |k: Kind| {
        by_kind
            .remove(&k)
            .unwrap_or_else(|| TableRows::new(k.table(), Some(k), &["origin"]))
    };
    vec![
        take(Kind::Source),
        take(Kind::Zone),
        take(Kind::Platform),
        take(Kind::Project),
        milestones,
        take(Kind::Organization),
        take(Kind::Document),
        take(Kind::Sector),
        take(Kind::Partnership),
        parties,
        covered,
        platform_sectors,
        project_sectors,
        partnership_sectors,
        take(Kind::Metric),
        aliases,
        citations,
        mentions,
    ]
}

/// Orders zones and platforms so each parent is written before its children.
fn sort_parents_first(nodes: &mut [&Node]) {
    let parent: HashMap<&str, &str> = nodes
        .iter()
        .filter_map(|n| {
            n.relations
                .iter()
                .find(|r| r.name == "parent")
                .map(|r| (n.slug.as_str(), r.target.as_str()))
        })
        .collect();
    let depth = |slug: &str| {
        let (mut d, mut at) = (0, slug);
        while let Some(p) = parent.get(at) {
            d += 1;
            at = p;
            if d > parent.len() {
                break;
            }
        }
        d
    };
    let depths: HashMap<String, usize> = nodes
        .iter()
        .map(|n| (n.slug.clone(), depth(&n.slug)))
        .collect();
    nodes.sort_by_key(|n| depths.get(&n.slug).copied().unwrap_or(0));
}
