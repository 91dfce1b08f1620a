//! Graph queries for analysts: `neighborhood` (everything within a few hops) and `path` (the
//! shortest connection between two records). Both walk the in-memory read model with hard bounds
//! on depth and size, so no request can walk the whole graph.
use std::collections::{HashMap, HashSet, VecDeque};

use async_graphql::{Context, ID, Object, SimpleObject};
use entity::ids::{Kind, public_id};

use super::common::{index, parse_id};
use super::node::{Node, load_node};
use crate::error::{Res, bad_input};
use crate::index::{Index, Key};

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
    pub key: Key,
}

#[async_graphql::ComplexObject]
impl GraphNode {
    /// The full record.
    async fn node(&self, ctx: &Context<'_>) -> Res<Option<Node>> {
        load_node(ctx, self.key.0, &self.key.1).await
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
    /// `covers`, `established_by` or `in_sector` (the values `edgeKinds` accepts).
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

fn graph_node(index: &Index, key: &Key, distance: i32) -> GraphNode {
    let e = index.entry(key);
    GraphNode {
        id: ID(public_id(key.0, &key.1)),
        kind: key.0.as_str().to_owned(),
        sub_kind: e.map(|e| e.kind.clone()).unwrap_or_default(),
        label: e.map(|e| e.name_zh.clone()).unwrap_or_default(),
        label_en: e.and_then(|e| e.name_en.clone()),
        distance,
        key: key.clone(),
    }
}

fn graph_edge(index: &Index, i: usize) -> GraphEdge {
    let e = &index.edges[i];
    GraphEdge {
        source: ID(public_id(e.from.0, &e.from.1)),
        target: ID(public_id(e.to.0, &e.to.1)),
        kind: e.relation.to_owned(),
        label: e.label.clone(),
    }
}

/// Every relation kind a subgraph edge can have (`GraphEdge.kind`).
pub const RELATION_KINDS: [&str; 9] = [
    "parent",
    "located_in",
    "part_of",
    "hosted_by",
    "issued_by",
    "party",
    "covers",
    "established_by",
    "in_sector",
];

/// Which relations a walk may follow: the ones asked for, or all but `in_sector` (sectors join
/// unrelated records and would make every path two hops long). An unknown kind is a user error,
/// not a walk that silently follows nothing.
fn allowed(kinds: &Option<Vec<String>>) -> Res<impl Fn(&str) -> bool + '_> {
    if let Some(bad) = kinds
        .iter()
        .flatten()
        .find(|k| !RELATION_KINDS.contains(&k.as_str()))
    {
        return Err(bad_input(format!(
            "unknown relation kind \"{}\"; expected one of {}",
            bad.chars().take(40).collect::<String>(),
            RELATION_KINDS.join(", ")
        )));
    }
    Ok(move |relation: &str| match kinds {
        Some(k) => k.iter().any(|x| x == relation),
        None => relation != "in_sector",
    })
}

fn start(index: &Index, id: &ID) -> Res<Key> {
    let key = parse_id(id, &[])?;
    if key.0 == Kind::Metric || index.entry(&key).is_none() {
        return Err(bad_input(format!(
            "no graph record has ID \"{}\"",
            id.as_str()
        )));
    }
    Ok(key)
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
        let idx = index(ctx)?;
        let root = start(&idx, &id)?;
        let follow = allowed(&edge_kinds)?;
        let mut seen: HashMap<Key, i32> = HashMap::from([(root.clone(), 0)]);
        let mut order = vec![root.clone()];
        let mut queue = VecDeque::from([(root, 0)]);
        let mut truncated = false;
        'walk: while let Some((key, d)) = queue.pop_front() {
            if d == depth {
                continue;
            }
            for &i in idx.adjacency.get(&key).map_or(&[][..], Vec::as_slice) {
                let e = &idx.edges[i];
                if !follow(e.relation) {
                    continue;
                }
                let other = if e.from == key { &e.to } else { &e.from };
                if seen.contains_key(other) || idx.entry(other).is_none() {
                    continue;
                }
                if seen.len() >= max_nodes as usize {
                    truncated = true;
                    break 'walk;
                }
                seen.insert(other.clone(), d + 1);
                order.push(other.clone());
                queue.push_back((other.clone(), d + 1));
            }
        }
        let mut edges = HashSet::new();
        for key in &order {
            for &i in idx.adjacency.get(key).map_or(&[][..], Vec::as_slice) {
                let e = &idx.edges[i];
                if follow(e.relation) && seen.contains_key(&e.from) && seen.contains_key(&e.to) {
                    edges.insert(i);
                }
            }
        }
        let mut edges: Vec<usize> = edges.into_iter().collect();
        edges.sort_unstable();
        Ok(Subgraph {
            nodes: order.iter().map(|k| graph_node(&idx, k, seen[k])).collect(),
            edges: edges.into_iter().map(|i| graph_edge(&idx, i)).collect(),
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
        let idx = index(ctx)?;
        let (a, b) = (start(&idx, &from)?, start(&idx, &to)?);
        let follow = allowed(&edge_kinds)?;
        // Each reached record remembers the edge it was reached by.
        let mut came: HashMap<Key, Option<usize>> = HashMap::from([(a.clone(), None)]);
        let mut queue = VecDeque::from([(a.clone(), 0)]);
        while let Some((key, d)) = queue.pop_front() {
            if key == b || d == max_depth {
                continue;
            }
            for &i in idx.adjacency.get(&key).map_or(&[][..], Vec::as_slice) {
                let e = &idx.edges[i];
                let other = if e.from == key { &e.to } else { &e.from };
                if follow(e.relation) && !came.contains_key(other) && idx.entry(other).is_some() {
                    came.insert(other.clone(), Some(i));
                    queue.push_back((other.clone(), d + 1));
                }
            }
        }
        if !came.contains_key(&b) {
            return Ok(None);
        }
        let (mut keys, mut edges) = (vec![b.clone()], vec![]);
        let mut at = b;
        while let Some(Some(i)) = came.get(&at) {
            let e = &idx.edges[*i];
            at = if e.from == at {
                e.to.clone()
            } else {
                e.from.clone()
            };
            edges.push(*i);
            keys.push(at.clone());
        }
        keys.reverse();
        edges.reverse();
        Ok(Some(Subgraph {
            nodes: keys
                .iter()
                .enumerate()
                .map(|(i, k)| graph_node(&idx, k, i as i32))
                .collect(),
            edges: edges.into_iter().map(|i| graph_edge(&idx, i)).collect(),
            truncated: false,
        }))
    }
}
