//! Building a whole snapshot: read every table inside one snapshot transaction (a load
//! committing meanwhile is seen wholly or not at all), resolve keys to IDs, encode the chunks on
//! every core, and sort each kind once per order.
use std::collections::HashMap;
use std::sync::Arc;

use entity::ids::{Key, Kind};
use sea_orm::{DatabaseConnection, DbErr};

use super::Snapshot;
use super::chunk::{CHUNK, Chunk, Resolve};
use super::data::{Dir, Id, Link, MentionData, RecordData};
use super::order::{OrderField, OrderList};
use super::read::{Raw, Which, read_kind};
use super::text::CharIndex;

/// The order records get IDs in: sources first (their texts are what quotes point into).
pub const KIND_ORDER: [Kind; 9] = [
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

fn rank(kind: Kind) -> usize {
    KIND_ORDER
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(KIND_ORDER.len())
}

/// Why a snapshot could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error("the read model's builder stopped: {0}")]
    Join(#[from] tokio::task::JoinError),
}

impl Snapshot {
    /// Reads the whole graph from `db` and builds its snapshot off the async runtime.
    pub async fn build(db: &DatabaseConnection) -> Result<Snapshot, BuildError> {
        let txn = crate::feeds::snapshot(db).await?;
        let cursor = crate::feeds::changelog::cursor(&txn).await?;
        let mut raw = Raw::default();
        for kind in KIND_ORDER {
            read_kind(&txn, kind, Which::All, &mut raw).await?;
        }
        txn.commit().await?;
        Ok(tokio::task::spawn_blocking(move || assemble(cursor, raw)).await?)
    }
}

/// Records sorted by kind (in [`KIND_ORDER`]) and slug: an ID is a position.
pub(super) struct Sorted(pub Vec<RecordData>);

impl Sorted {
    fn find(&self, key: &Key) -> Option<Id> {
        let want = (rank(key.kind), key.slug.as_str());
        self.0
            .binary_search_by(|r| (rank(r.kind), r.slug.as_str()).cmp(&want))
            .ok()
            .map(|i| Id(i as u32))
    }
}

/// Builds a snapshot from everything read.
fn assemble(cursor: i64, raw: Raw) -> Snapshot {
    let Raw {
        mut records,
        refs,
        aliases,
        cites,
        mentions,
        milestones,
    } = raw;
    records.sort_unstable_by(|a, b| (rank(a.kind), &a.slug).cmp(&(rank(b.kind), &b.slug)));
    let mut sorted = Sorted(records);
    // Resolve every key first (the records are read-only meanwhile), then attach.
    let mut links: Vec<(Id, Link)> = Vec::with_capacity(refs.len() * 2);
    for r in &refs {
        let (Some(owner), Some(target)) = (sorted.find(&r.owner), sorted.find(&r.target)) else {
            tracing::error!(owner = %r.owner, target = %r.target, "a relation names a record the graph does not hold");
            continue;
        };
        let link = |dir, other| Link {
            relation: r.relation,
            dir,
            ordinal: r.ordinal,
            other,
            role: r.role,
        };
        links.push((owner, link(Dir::Out, target)));
        links.push((target, link(Dir::In, owner)));
    }
    drop(refs);
    let source_ids: HashMap<String, Id> = sorted
        .0
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind == Kind::Source)
        .map(|(i, r)| (r.slug.clone(), Id(i as u32)))
        .collect();
    let mut mention_pairs: Vec<(Id, MentionData)> = Vec::with_capacity(mentions.len() * 2);
    for m in &mentions {
        let (Some(entity), Some(source)) = (sorted.find(&m.entity), source_ids.get(&m.source))
        else {
            continue;
        };
        mention_pairs.push((
            entity,
            MentionData {
                other: *source,
                start: m.start,
                end: m.end,
            },
        ));
        mention_pairs.push((
            *source,
            MentionData {
                other: entity,
                start: m.start,
                end: m.end,
            },
        ));
    }
    drop(mentions);
    let alias_ids: Vec<Option<Id>> = aliases.iter().map(|(k, _)| sorted.find(k)).collect();
    let cite_ids: Vec<Option<Id>> = cites.iter().map(|c| sorted.find(&c.owner)).collect();
    let milestone_ids: Vec<Option<Id>> = milestones
        .iter()
        .map(|(p, _)| sorted.find(&Key::new(Kind::Project, p.as_str())))
        .collect();
    let recs = &mut sorted.0;
    for (id, link) in links {
        recs[id.index()].links.push(link);
    }
    for (id, m) in mention_pairs {
        recs[id.index()].mentions.push(m);
    }
    for (id, (_, alias)) in alias_ids.into_iter().zip(aliases) {
        if let Some(id) = id {
            recs[id.index()].aliases.push(alias);
        }
    }
    for (id, mut c) in cite_ids.into_iter().zip(cites) {
        if let Some(id) = id {
            c.data.source = c.source.as_ref().and_then(|s| source_ids.get(s).copied());
            recs[id.index()].cites.push(c.data);
        }
    }
    for (id, (_, m)) in milestone_ids.into_iter().zip(milestones) {
        if let Some(id) = id {
            recs[id.index()].milestones.push(m);
        }
    }
    for r in recs.iter_mut() {
        r.normalise();
    }
    let sources: HashMap<Id, Arc<CharIndex>> = source_ids
        .values()
        .map(|id| {
            let body = recs[id.index()].extra("body").unwrap_or_default();
            (*id, Arc::new(CharIndex::new(body)))
        })
        .collect();
    let resolve = BuildResolve {
        sorted: &sorted,
        sources: &sources,
    };
    let chunks = encode_all(&sorted.0, &resolve);
    let mut snap = Snapshot {
        cursor,
        chunks,
        orders: vec![],
        sources,
        next: sorted.0.len() as u32,
    };
    snap.orders = sort_all(&snap);
    snap
}

/// Encodes the chunks on every core.
fn encode_all(records: &[RecordData], resolve: &BuildResolve<'_>) -> Vec<Arc<Chunk>> {
    let pieces: Vec<&[RecordData]> = records.chunks(CHUNK).collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .max(1);
    let per = pieces.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = pieces
            .chunks(per)
            .map(|group| {
                scope.spawn(move || {
                    group
                        .iter()
                        .map(|recs| Arc::new(Chunk::encode(recs, resolve)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// Every kind's live records sorted in every order, the orders on every core.
pub(super) fn sort_all(snap: &Snapshot) -> Vec<Vec<OrderList>> {
    let mut by_kind: Vec<Vec<Id>> = vec![vec![]; Kind::ALL.len()];
    for (c, chunk) in snap.chunks.iter().enumerate() {
        for (i, rec) in chunk.recs.iter().enumerate() {
            if rec.bits & super::chunk::DELETED == 0 {
                by_kind[rec.kind as usize].push(Id((c * CHUNK + i) as u32));
            }
        }
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = by_kind
            .iter()
            .map(|ids| {
                scope.spawn(move || {
                    OrderField::ALL
                        .iter()
                        .map(|field| {
                            let mut sorted = ids.clone();
                            sorted.sort_unstable_by(|a, b| snap.compare(*a, *b, *field));
                            OrderList::from_sorted(sorted)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

struct BuildResolve<'a> {
    sorted: &'a Sorted,
    sources: &'a HashMap<Id, Arc<CharIndex>>,
}

impl Resolve for BuildResolve<'_> {
    fn id_of(&self, key: &Key) -> Option<Id> {
        self.sorted.find(key)
    }

    fn key_of(&self, id: Id) -> Option<Key> {
        let r = self.sorted.0.get(id.index())?;
        Some(Key::new(r.kind, r.slug.as_str()))
    }

    fn source_text(&self, source: Id) -> Option<(&str, &CharIndex)> {
        let body = self.sorted.0.get(source.index())?.extra("body")?;
        Some((body, self.sources.get(&source)?))
    }
}
