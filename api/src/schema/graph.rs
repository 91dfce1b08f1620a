//! Graph queries for analysts: `neighborhood` (everything within a few hops) and `path` (the
//! shortest connection between two records). Both walk the snapshot's links with hard bounds on
//! depth and size, so no request can walk the whole graph.
use std::collections::{HashMap, VecDeque};

use async_graphql::{ComplexObject, Context, ID, Object, SimpleObject};
use entity::vocab::{EdgeKind, PartyRole, Vocabulary};

use super::common::{parse_id, snap};
use super::node::{Node, node_of};
use crate::error::{Res, bad_input};
use crate::snapshot::{Dir, Id, Snapshot};

/// Deepest neighbourhood served.
pub const MAX_NEIGHBORHOOD_DEPTH: i32 = 3;
/// Longest path searched.
pub const MAX_PATH_DEPTH: i32 = 8;
/// Most nodes a neighbourhood returns.
pub const MAX_NODES: i32 = 500;

/// A record in a subgraph.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct GraphNode {
    /// The record's ID.
    pub id: ID,
    /// `zone`, `platform`, `project`, `partnership`, `organization`, `document` or `sector`.
    pub kind: String,
    /// The record's own kind (`district`, `port`, `laboratory` …).
    pub sub_kind: String,
    /// The Chinese name.
    pub label: String,
    /// The English name (curated translation), if any.
    pub label_en: Option<String>,
    /// Hops from the starting record (neighbourhood) or position on the path.
    pub distance: i32,
    #[graphql(skip)]
    pub at: Id,
}

#[ComplexObject]
impl GraphNode {
    /// The full record.
    async fn node(&self, ctx: &Context<'_>) -> Res<Option<Node>> {
        Ok(node_of(&*snap(ctx)?, self.at))
    }
}

/// A relation in a subgraph, directed as stated (a platform `located_in` a zone).
#[derive(SimpleObject, Clone)]
pub struct GraphEdge {
    /// ID of the record the relation starts from.
    pub source: ID,
    /// ID of the record it points to.
    pub target: ID,
    /// The relation: `parent`, `located_in`, `part_of`, `hosted_by`, `issued_by`, `party`,
    /// `covers`, `established_by`, `in_sector`, `involves` or `broader` (the values `edgeKinds`
    /// accepts; a test keeps this list equal to the relation kinds).
    pub kind: String,
    /// A readable label: a party's role, or the relation in words.
    pub label: String,
}

/// A de-duplicated subgraph.
#[derive(SimpleObject)]
pub struct Subgraph {
    /// The records, each once.
    pub nodes: Vec<GraphNode>,
    /// The relations between them, each once.
    pub edges: Vec<GraphEdge>,
    /// True when the size limit cut the subgraph short.
    pub truncated: bool,
}

fn graph_node(snap: &Snapshot, id: Id, distance: i32) -> GraphNode {
    let r = snap.rec(id);
    GraphNode {
        id: ID(r.public_id()),
        kind: r.kind().as_str().to_owned(),
        sub_kind: r.sub_str().to_owned(),
        label: r.name_zh().to_owned(),
        label_en: r.name_en().map(str::to_owned),
        distance,
        at: id,
    }
}

/// A walkable relation from `from` to `to` (as stated), with its edge kind and role.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Step {
    from: Id,
    to: Id,
    kind: EdgeKind,
    role: u8,
}

fn graph_edge(snap: &Snapshot, s: Step) -> GraphEdge {
    let label = match PartyRole::from_code(s.role.wrapping_sub(1)) {
        Some(role) if s.kind == EdgeKind::Party => role.as_str().to_owned(),
        _ => s.kind.words().to_owned(),
    };
    GraphEdge {
        source: ID(snap.rec(s.from).public_id()),
        target: ID(snap.rec(s.to).public_id()),
        kind: s.kind.as_str().to_owned(),
        label,
    }
}

/// The walkable relations touching `id` (both directions), live ends only.
fn steps(snap: &Snapshot, id: Id) -> impl Iterator<Item = (Id, Step)> + '_ {
    snap.rec(id).links().iter().filter_map(move |l| {
        let l = l.unpack();
        let kind = l.relation.def().edge?;
        if !snap.rec(l.other).is_live() {
            return None;
        }
        let (from, to) = if l.dir == Dir::Out {
            (id, l.other)
        } else {
            (l.other, id)
        };
        Some((
            l.other,
            Step {
                from,
                to,
                kind,
                role: l.role,
            },
        ))
    })
}

/// Which relations a walk may follow: the ones asked for, or all but `in_sector` (sectors join
/// unrelated records and would make every path two hops long). An unknown kind is a user error,
/// not a walk that silently follows nothing.
fn allowed(kinds: &Option<Vec<String>>) -> Res<Vec<EdgeKind>> {
    match kinds {
        None => Ok(EdgeKind::ALL
            .iter()
            .copied()
            .filter(|k| *k != EdgeKind::InSector)
            .collect()),
        Some(kinds) => kinds
            .iter()
            .map(|k| {
                EdgeKind::parse(k).ok_or_else(|| {
                    bad_input(format!(
                        "unknown relation kind \"{}\"; expected one of {}",
                        k.chars().take(40).collect::<String>(),
                        EdgeKind::stored().join(", ")
                    ))
                })
            })
            .collect(),
    }
}

fn start(snap: &Snapshot, id: &ID) -> Res<Id> {
    let key = parse_id(id, &[])?;
    match snap.find_key(&key) {
        Some(found) if key.kind.is_graph_record() => Ok(found),
        _ => Err(bad_input(format!(
            "no graph record has ID \"{}\"",
            id.as_str()
        ))),
    }
}

#[derive(Default)]
pub struct GraphQuery;

#[Object]
impl GraphQuery {
    /// Everything within `depth` relations of a record, with the relations between them.
    #[graphql(complexity = "5 + max_nodes.max(1) as usize * child_complexity / 4")]
    async fn neighborhood(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Where to start.")] id: ID,
        #[graphql(desc = "How many relations away, 1 to 3.", default = 1)] depth: i32,
        #[graphql(desc = "Follow only these relation kinds (default: all but `in_sector`).")]
        edge_kinds: Option<Vec<String>>,
        #[graphql(desc = "Most records returned, 1 to 500.", default = 200)] max_nodes: i32,
    ) -> Res<Subgraph> {
        if !(1..=MAX_NEIGHBORHOOD_DEPTH).contains(&depth) {
            return Err(bad_input(format!(
                "depth must be between 1 and {MAX_NEIGHBORHOOD_DEPTH}"
            )));
        }
        if !(1..=MAX_NODES).contains(&max_nodes) {
            return Err(bad_input(format!(
                "maxNodes must be between 1 and {MAX_NODES}"
            )));
        }
        let s = snap(ctx)?;
        let root = start(&s, &id)?;
        let follow = allowed(&edge_kinds)?;
        let mut seen: HashMap<Id, i32> = HashMap::from([(root, 0)]);
        let mut order = vec![root];
        let mut queue = VecDeque::from([(root, 0)]);
        let mut truncated = false;
        'walk: while let Some((at, d)) = queue.pop_front() {
            if d == depth {
                continue;
            }
            for (other, step) in steps(&s, at) {
                if !follow.contains(&step.kind) || seen.contains_key(&other) {
                    continue;
                }
                if seen.len() >= max_nodes as usize {
                    truncated = true;
                    break 'walk;
                }
                seen.insert(other, d + 1);
                order.push(other);
                queue.push_back((other, d + 1));
            }
        }
        let mut edges: Vec<Step> = order
            .iter()
            .flat_map(|at| steps(&s, *at))
            .filter(|(other, step)| follow.contains(&step.kind) && seen.contains_key(other))
            .map(|(_, step)| step)
            .collect();
        edges.sort_unstable();
        edges.dedup();
        Ok(Subgraph {
            nodes: order
                .iter()
                .map(|at| graph_node(&s, *at, seen[at]))
                .collect(),
            edges: edges.into_iter().map(|e| graph_edge(&s, e)).collect(),
            truncated,
        })
    }

    /// The shortest chain of relations between two records (breadth-first, at most `maxDepth`
    /// relations), or null when there is none within that bound.
    #[graphql(complexity = "5 + max_depth.max(1) as usize * child_complexity")]
    async fn path(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Where the path starts.")] from: ID,
        #[graphql(desc = "Where the path ends.")] to: ID,
        #[graphql(desc = "Most relations on the path, 1 to 8.", default = 6)] max_depth: i32,
        #[graphql(desc = "Follow only these relation kinds (default: all but `in_sector`).")]
        edge_kinds: Option<Vec<String>>,
    ) -> Res<Option<Subgraph>> {
        if !(1..=MAX_PATH_DEPTH).contains(&max_depth) {
            return Err(bad_input(format!(
                "maxDepth must be between 1 and {MAX_PATH_DEPTH}"
            )));
        }
        let s = snap(ctx)?;
        let (a, b) = (start(&s, &from)?, start(&s, &to)?);
        let follow = allowed(&edge_kinds)?;
        // Each reached record remembers the step it was reached by.
        let mut came: HashMap<Id, Option<(Id, Step)>> = HashMap::from([(a, None)]);
        let mut queue = VecDeque::from([(a, 0)]);
        while let Some((at, d)) = queue.pop_front() {
            if at == b || d == max_depth {
                continue;
            }
            for (other, step) in steps(&s, at) {
                if follow.contains(&step.kind) && !came.contains_key(&other) {
                    came.insert(other, Some((at, step)));
                    queue.push_back((other, d + 1));
                }
            }
        }
        if !came.contains_key(&b) {
            return Ok(None);
        }
        let (mut ids, mut edges) = (vec![b], vec![]);
        let mut at = b;
        while let Some(Some((prev, step))) = came.get(&at) {
            edges.push(*step);
            ids.push(*prev);
            at = *prev;
        }
        ids.reverse();
        edges.reverse();
        Ok(Some(Subgraph {
            nodes: ids
                .iter()
                .enumerate()
                .map(|(i, at)| graph_node(&s, *at, i as i32))
                .collect(),
            edges: edges.into_iter().map(|e| graph_edge(&s, e)).collect(),
            truncated: false,
        }))
    }
}
