//! The rows each table should hold, made batch by batch from a validated `Graph`, so a load holds
//! the graph and one batch of rows, never every table at once. Tables come in write order (parents
//! before children). Records are keyed by slug and carry a content hash; relation and provenance
//! rows are keyed by a hash of their content.
use std::collections::HashMap;
use std::sync::OnceLock;

use entity::export;
use entity::ids::Kind;
use entity::relation::{RELATIONS, Relation, Storage};
use rayon::prelude::*;
use sea_orm::{EntityTrait, IdenStatic, Iterable};
use sha2::{Digest, Sha256};

use crate::mentions::MentionFinder;
use crate::node::{Cell, Evidence, Node, Quote};
use crate::read::SourceDoc;
use crate::validate::Graph;

/// One row: its key and, for records, the content hash that decides whether it changed.
#[derive(Clone, Debug)]
pub struct Row {
    pub key: String,
    pub hash: Option<String>,
    pub cells: Vec<Cell>,
}

/// What a table holds, which decides how its rows are made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Record(Kind),
    Milestones,
    Parties,
    /// A junction relation's rows (`Storage::Junction` in `entity::relation`).
    Junction(Relation),
    Aliases,
    Citations,
    Mentions,
}

/// One table to bring up to date: its name, kind and columns.
#[derive(Clone, Debug)]
pub struct Table {
    pub table: &'static str,
    /// The record kind for record tables; `None` for relation and provenance rows.
    pub kind: Option<Kind>,
    /// Column names in the order of `Row::cells` (after the key column).
    pub columns: Vec<&'static str>,
    part: Part,
}

impl Table {
    pub fn key_column(&self) -> &'static str {
        if self.kind.is_some() { "slug" } else { "key" }
    }

    /// How this table's rows name the record of `kind` they belong to, or `None` when no row of
    /// it belongs to a record of `kind` (a write scoped to records of one kind skips it).
    pub fn owner(&self, kind: Kind) -> Option<Owner> {
        let slug = |column| {
            Some(Owner {
                kind_column: None,
                slug_column: column,
            })
        };
        let kind_and_slug = |kind_column, slug_column| {
            Some(Owner {
                kind_column: Some(kind_column),
                slug_column,
            })
        };
        match self.part {
            Part::Record(k) if k == kind => slug("slug"),
            Part::Record(_) => None,
            Part::Milestones if kind == Kind::Project => slug("project"),
            Part::Parties if kind == Kind::Partnership => slug("partnership"),
            Part::Milestones | Part::Parties => None,
            Part::Junction(relation) => match relation.def().storage {
                Storage::Junction(_, owner, ..) if relation.def().from == kind => slug(owner),
                _ => None,
            },
            Part::Aliases | Part::Mentions => kind_and_slug("entity_kind", "entity_slug"),
            Part::Citations => kind_and_slug("owner_kind", "owner_slug"),
        }
    }
}

/// The columns by which a table's rows name the record they belong to: the slug, and the kind
/// where the table holds rows of several kinds' records.
#[derive(Clone, Copy, Debug)]
pub struct Owner {
    pub kind_column: Option<&'static str>,
    pub slug_column: &'static str,
}

/// The table of `kind`'s records; its columns are those `sample` (a record of the kind) has.
pub fn record_table(kind: Kind, sample: Option<&Node>) -> Table {
    let mut columns: Vec<&'static str> = sample
        .map(|n| n.columns.iter().map(|(c, _)| *c).collect())
        .unwrap_or_default();
    columns.push("origin");
    Table {
        table: kind.table(),
        kind: Some(kind),
        columns,
        part: Part::Record(kind),
    }
}

/// The tables of the rows records own (relations, aliases, citations, mentions), in write order.
pub fn owned_tables() -> impl Iterator<Item = Table> {
    owned_parts().map(|part| {
        let (table, mut columns) = owned_table(part);
        columns.push("origin");
        Table {
            table,
            kind: None,
            columns,
            part,
        }
    })
}

/// The junction tables of the relation table (`Storage::Junction`).
fn junction_parts() -> impl Iterator<Item = Part> {
    entity::relation::junctions().map(|(d, _)| Part::Junction(d.relation))
}

/// A relation or provenance table's name and columns in row order (before `origin`): the
/// entity's columns without its `key` and `origin`, or a junction's from the relation table.
fn owned_table(part: Part) -> (&'static str, Vec<&'static str>) {
    fn of<E: EntityTrait + Default>() -> (&'static str, Vec<&'static str>) {
        let columns = E::Column::iter()
            .map(|c| c.as_str())
            .filter(|c| !matches!(*c, "key" | "origin"))
            .collect();
        (E::default().table_name(), columns)
    }
    match part {
        Part::Milestones => of::<entity::milestone::Entity>(),
        Part::Parties => of::<entity::partnership_party::Entity>(),
        Part::Aliases => of::<entity::alias::Entity>(),
        Part::Citations => of::<entity::citation::Entity>(),
        Part::Mentions => of::<entity::mention::Entity>(),
        Part::Junction(relation) => match relation.def().storage {
            Storage::Junction(table, owner, target, role) => {
                let mut columns = vec![owner, target];
                columns.extend(role);
                (table, columns)
            }
            _ => ("", vec![]),
        },
        Part::Record(kind) => (kind.table(), vec![]),
    }
}

/// The columns (before `origin`) of a relation or provenance table, by name: what a copy of a
/// feed (`loader mirror`) writes, in the order `rows` makes them.
pub fn owned_columns(table: &str) -> Option<Vec<&'static str>> {
    owned_parts()
        .map(owned_table)
        .find(|(t, _)| *t == table)
        .map(|(_, columns)| columns)
}

/// Every relation and provenance table (the rows records own), in write order: relations, then
/// the provenance that may point at them.
fn owned_parts() -> impl Iterator<Item = Part> {
    [Part::Milestones, Part::Parties]
        .into_iter()
        .chain(junction_parts())
        .chain([Part::Aliases, Part::Citations, Part::Mentions])
}

/// Record kinds in write order, from the relation table: sources first (every quote points into
/// one), then each kind after every kind its relations (columns, junctions, parties, subjects)
/// point at; a relation to its own kind is ordered within the kind (parents first).
pub fn record_order() -> Vec<Kind> {
    let mut order = vec![Kind::Source];
    let mut left: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|k| *k != Kind::Source)
        .collect();
    while !left.is_empty() {
        let ready = left.iter().position(|&k| {
            RELATIONS
                .iter()
                .filter(|d| d.from == k)
                .flat_map(|d| d.to.iter())
                .all(|to| *to == k || order.contains(to))
        });
        // The relation table has no loop between kinds (a test keeps it so); should one appear,
        // the rest keep their declared order rather than hang.
        order.push(left.remove(ready.unwrap_or(0)));
    }
    order
}

/// The key of a relation or provenance row: the first 16 bytes of the SHA-256 of its content.
pub fn content_key(table: &str, cells: &[Cell]) -> String {
    // Text, integers, floats and booleans: serialising them cannot fail (non-finite floats become
    // null), and a hash over an empty string instead would make every record collide.
    let json = serde_json::to_string(&(table, cells)).expect("cells always serialise");
    hex::encode(&Sha256::digest(json.as_bytes())[..16])
}

/// A record's content hash: `entity::export::content_hash` of the record as exported, built
/// from the rows this node is written as (its own columns and the rows it owns), so a partner
/// recomputes it from the export.
pub fn content_hash(node: &Node) -> String {
    fn named<'c>(cells: impl Iterator<Item = (&'c str, &'c Cell)>) -> export::Row {
        cells.map(|(c, cell)| (c.to_owned(), cell.json())).collect()
    }
    let mut record = named(node.columns.iter().map(|(c, cell)| (*c, cell)));
    record.insert("slug".to_owned(), node.slug.clone().into());
    // Every table of rows a record owns (mentions make none here: they come from the sources).
    for part in owned_parts() {
        let (table, columns) = owned_table(part);
        let mut rows = vec![];
        relation_cells(part, node, &mut rows);
        for cells in rows {
            let row = named(columns.iter().copied().zip(&cells));
            if let Some((field, item)) = export::item(table, row) {
                export::push(&mut record, field, item);
            }
        }
    }
    export::finish(node.kind, &node.slug, &mut record);
    export::content_hash(&record)
}

fn text(s: &str) -> Cell {
    Cell::Text(Some(s.to_owned()))
}

/// Makes the rows of every table for the records of one origin.
pub struct Plan<'g> {
    graph: &'g Graph,
    origin: &'g str,
    sources: HashMap<&'g str, &'g SourceDoc>,
    /// Built when the mentions table is reached (it holds an automaton over every name).
    mentions: OnceLock<MentionFinder<'g>>,
}

impl<'g> Plan<'g> {
    pub fn new(graph: &'g Graph, origin: &'g str) -> Self {
        Plan {
            graph,
            origin,
            sources: graph.sources.iter().map(|s| (s.slug.as_str(), s)).collect(),
            mentions: OnceLock::new(),
        }
    }

    /// Every table, in write order: each after the tables it references (mirrors the migration).
    pub fn tables(&self) -> Vec<Table> {
        let sample = |kind: Kind| {
            let own = |n: &&Node| n.kind == kind && !n.external;
            self.graph.nodes.iter().find(own)
        };
        // Every record table first, in write order; then the rows records own, each after the
        // record tables it references.
        let mut tables: Vec<Table> = record_order()
            .into_iter()
            .map(|kind| record_table(kind, sample(kind)))
            .collect();
        tables.extend(owned_tables());
        tables
    }

    /// Builds the mentions table's rows with `finder` rather than with one over the graph's
    /// records (a load that streams its records has only their names).
    pub fn find_mentions_with(&self, finder: MentionFinder<'g>) {
        // A second finder is never offered; should one be, the first stays.
        let _ = self.mentions.set(finder);
    }

    /// What `table`'s rows are made from, in write order: indices into the graph's nodes (records
    /// parents first), or into its sources for mentions.
    pub fn units(&self, table: &Table) -> Vec<usize> {
        let own = |n: &&Node| !n.external;
        match table.part {
            Part::Mentions => (0..self.graph.sources.len()).collect(),
            Part::Record(kind) => {
                let nodes = &self.graph.nodes;
                let mut units: Vec<usize> = (0..nodes.len())
                    .filter(|&i| nodes[i].kind == kind && own(&&nodes[i]))
                    .collect();
                sort_parents_first(nodes, &mut units);
                units
            }
            _ => (0..self.graph.nodes.len())
                .filter(|&i| own(&&self.graph.nodes[i]))
                .collect(),
        }
    }

    /// The rows `units` (a slice of [`Plan::units`]) contribute to `table`. Relation rows may
    /// repeat across units; the writer keeps the first of each key. Made on every core (rayon):
    /// hashing and mention finding are most of a load's CPU besides SQLite's, which waits
    /// meanwhile; the rows come in `units` order whatever the threads.
    pub fn rows(&self, table: &Table, units: &[usize]) -> Vec<Row> {
        let nodes = &self.graph.nodes;
        if table.part == Part::Mentions {
            let sources: Vec<(&str, &str)> = units
                .iter()
                .map(|&i| &self.graph.sources[i])
                .map(|s| (s.slug.as_str(), s.body.as_str()))
                .collect();
            return self.mention_rows(sources);
        }
        let nodes: Vec<&Node> = units.iter().map(|&i| &nodes[i]).collect();
        self.node_rows(table, &nodes)
    }

    /// The rows `nodes` contribute to `table` (not the mentions table), in their order.
    pub fn node_rows(&self, table: &Table, nodes: &[&Node]) -> Vec<Row> {
        if let Part::Record(_) = table.part {
            return nodes.par_iter().map(|n| self.record_row(n)).collect();
        }
        let cells: Vec<Vec<Cell>> = nodes
            .par_iter()
            .flat_map_iter(|n| {
                let mut cells = vec![];
                relation_cells(table.part, n, &mut cells);
                cells
            })
            .collect();
        self.keyed(table.table, cells)
    }

    /// The mentions table's rows for `sources` (slug, text): the graph's own sources, or for a
    /// partner feed, the stored ones read page by page.
    pub fn mention_rows(&self, sources: Vec<(&str, &str)>) -> Vec<Row> {
        let finder = self.mentions.get_or_init(|| {
            MentionFinder::new(
                self.graph.nodes.iter().filter(|n| !n.external),
                &self.graph.abbreviations,
            )
        });
        let cells: Vec<Vec<Cell>> = sources
            .par_iter()
            .flat_map_iter(|&(slug, body)| finder.in_source(slug, body))
            .map(|m| {
                vec![
                    text(m.kind.as_str()),
                    text(&m.slug),
                    text(&m.source),
                    Cell::Int(Some(m.start)),
                    Cell::Int(Some(m.end)),
                    text(&m.surface),
                ]
            })
            .collect();
        self.keyed("mentions", cells)
    }

    /// Relation rows from their cells: `origin` appended, keyed by content.
    fn keyed(&self, table: &str, cells: Vec<Vec<Cell>>) -> Vec<Row> {
        cells
            .into_par_iter()
            .map(|mut c| {
                c.push(text(self.origin));
                Row {
                    key: content_key(table, &c),
                    hash: None,
                    cells: c,
                }
            })
            .collect()
    }

    /// Whether `table` is the mentions table.
    pub fn is_mentions(table: &Table) -> bool {
        table.part == Part::Mentions
    }

    fn record_row(&self, n: &Node) -> Row {
        let mut cells: Vec<Cell> = n.columns.iter().map(|(_, v)| v.clone()).collect();
        // A source's text is kept once, in the graph's sources; the node holds a placeholder.
        if n.kind == Kind::Source
            && let Some(at) = n.columns.iter().position(|(c, _)| *c == "body")
            && let Some(s) = self.sources.get(n.slug.as_str())
        {
            cells[at] = text(&s.body);
        }
        cells.push(text(self.origin));
        Row {
            key: n.slug.clone(),
            hash: Some(n.content_hash.clone().unwrap_or_else(|| content_hash(n))),
            cells,
        }
    }
}

/// The cells (before `origin`) node `n` contributes to relation or provenance table `part`.
fn relation_cells(part: Part, n: &Node, out: &mut Vec<Vec<Cell>>) {
    let (kind, slug) = (text(n.kind.as_str()), text(&n.slug));
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
    match part {
        Part::Aliases => {
            for a in &n.aliases {
                out.push(vec![kind.clone(), slug.clone(), text(a)]);
            }
        }
        Part::Milestones => {
            for (i, m) in n.milestones.iter().enumerate() {
                out.push(vec![
                    slug.clone(),
                    Cell::Int(Some(i as i64)),
                    text(&m.date),
                    text(&m.event_zh),
                    Cell::Text(m.event_en.clone()),
                    Cell::Text(m.date_note.clone()),
                ]);
            }
        }
        Part::Citations => {
            for (i, q) in n.citations.iter().enumerate() {
                out.push(cite(None, None, i, q));
            }
            for (i, m) in n.milestones.iter().enumerate() {
                out.push(cite(Some("milestone"), Some(i.to_string()), 0, &m.quote));
            }
            for r in &n.relations {
                let target = entity::ids::record_key(r.target_kind, &r.target);
                match &r.evidence {
                    Evidence::Citation(i) => {
                        if let Some(q) = n.citations.get(*i) {
                            out.push(cite(Some(r.name), Some(target), 0, q));
                        }
                    }
                    Evidence::Own(q) => out.push(cite(Some(r.name), Some(target), 0, q)),
                    Evidence::Note(note) => out.push(vec![
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
                    ]),
                    Evidence::Record | Evidence::Pending => {}
                }
            }
        }
        Part::Parties => {
            let parties = n
                .relations
                .iter()
                .filter(|r| n.kind == Kind::Partnership && r.name == "party");
            for (ordinal, r) in parties.enumerate() {
                let pick = |k: Kind| Cell::Text((r.target_kind == k).then(|| r.target.clone()));
                out.push(vec![
                    slug.clone(),
                    Cell::Int(Some(ordinal as i64)),
                    Cell::Text(r.role.clone()),
                    pick(Kind::Zone),
                    pick(Kind::Platform),
                    pick(Kind::Organization),
                ]);
            }
        }
        Part::Junction(relation) => {
            let def = relation.def();
            if n.kind == def.from {
                let rows = n
                    .relations
                    .iter()
                    .filter(|r| r.name == def.field && def.to.contains(&r.target_kind));
                for r in rows {
                    let mut row = vec![slug.clone(), text(&r.target)];
                    if let Storage::Junction(_, _, _, Some(_)) = def.storage {
                        row.push(Cell::Text(r.role.clone()));
                    }
                    out.push(row);
                }
            }
        }
        Part::Record(_) | Part::Mentions => {}
    }
}

/// Orders zones and platforms (indices into `nodes`) so each parent is written before its children.
fn sort_parents_first(nodes: &[Node], units: &mut [usize]) {
    let parent: HashMap<&str, &str> = units
        .iter()
        .filter_map(|&i| {
            let n = &nodes[i];
            n.relations
                .iter()
                .find(|r| r.name == "parent")
                .map(|r| (n.slug.as_str(), r.target.as_str()))
        })
        .collect();
    if parent.is_empty() {
        return;
    }
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
    // A stable sort by depth, as before: siblings keep the seed files' order.
    units.sort_by_cached_key(|&i| depth(&nodes[i].slug));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_after_the_kinds_they_point_at() {
        let order = record_order();
        assert_eq!(order.len(), Kind::ALL.len());
        for d in RELATIONS {
            for to in d.to.iter().filter(|to| **to != d.from) {
                let (from_at, to_at) = (
                    order.iter().position(|k| *k == d.from),
                    order.iter().position(|k| k == to),
                );
                assert!(to_at < from_at, "{:?} before {:?}", to, d.from);
            }
        }
    }
}
