//! Building a whole snapshot: read every table inside one snapshot transaction (a load
//! committing meanwhile is seen wholly or not at all), resolve keys to IDs, encode the chunks on
//! every core, and sort each kind once per order.
use std::collections::HashMap;
use std::sync::Arc;

use entity::ids::{Key, Kind};
use sea_orm::{DatabaseConnection, DbErr};

use super::Snapshot;
use entity::relation::Relation;

use super::chunk::{CHUNK, Chunk, Resolve};
use super::data::{CiteData, Dir, Id, Link, MentionData, MilestoneData, RecordData};
use super::order::{OrderField, OrderList};
use super::read::{Raw, Sink, Which, read_annotations, read_records, read_relations};
use super::text::CharIndex;

/// Where records of `kind` get their IDs: in `Kind::ALL`'s order, sources first (their texts
/// are what quotes point into).
fn rank(kind: Kind) -> usize {
    kind as usize
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
    /// Reads the whole graph from `db` and builds its snapshot, the CPU-bound part off the async
    /// runtime. Records come first (they get their IDs); the rows they own follow and are
    /// resolved to IDs as they stream in, so no key is held as text beyond its row.
    pub async fn build(db: &DatabaseConnection) -> Result<Snapshot, BuildError> {
        let started = std::time::Instant::now();
        let txn = crate::feeds::snapshot(db).await?;
        let cursor = crate::feeds::changelog::cursor(&txn).await?;
        let mut raw = Raw::default();
        for kind in Kind::ALL {
            read_records(&txn, kind, Which::All, &mut raw).await?;
        }
        let records = raw.records.len();
        let mut table = tokio::task::spawn_blocking(move || Table::new(raw)).await?;
        let read = started.elapsed();
        for kind in Kind::ALL {
            read_relations(&txn, kind, Which::All, &mut table).await?;
        }
        read_annotations(&txn, None, Which::All, &mut table).await?;
        txn.commit().await?;
        let owned = started.elapsed();
        let snapshot = tokio::task::spawn_blocking(move || table.finish(cursor)).await?;
        tracing::info!(
            records,
            cursor,
            records_ms = read.as_millis() as u64,
            rows_ms = (owned - read).as_millis() as u64,
            assemble_ms = (started.elapsed() - owned).as_millis() as u64,
            "read model built"
        );
        Ok(snapshot)
    }
}

/// Records sorted by kind (in `Kind::ALL`'s order) and slug (an ID is a position), a key → ID
/// table, and the rows read so far attached to their records.
struct Table {
    records: Vec<RecordData>,
    ids: HashMap<u64, Id>,
    /// Keys whose hash another key already took (a 64-bit collision: practically never).
    collided: HashMap<Key, Id>,
    /// The source last looked up: a source's citations and mentions mostly arrive together,
    /// and every lookup was a hash and a cache miss (a tenth of a cold build's CPU).
    last_source: Option<(String, Id)>,
}

fn hash(kind: Kind, slug: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one((kind, slug))
}

impl Table {
    fn new(raw: Raw) -> Table {
        let Raw {
            mut records, refs, ..
        } = raw;
        records.sort_unstable_by(|a, b| (rank(a.kind), &a.slug).cmp(&(rank(b.kind), &b.slug)));
        let mut table = Table {
            ids: HashMap::with_capacity(records.len()),
            collided: HashMap::new(),
            last_source: None,
            records,
        };
        for (i, r) in table.records.iter().enumerate() {
            let id = Id(i as u32);
            if let Some(other) = table.ids.insert(hash(r.kind, &r.slug), id) {
                // Keep the first; the second goes to the exact table.
                table.ids.insert(hash(r.kind, &r.slug), other);
                table.collided.insert(Key::new(r.kind, r.slug.as_str()), id);
            }
        }
        for r in refs {
            let target = (r.target.kind, r.target.slug.as_str());
            table.link(
                (r.owner.kind, &r.owner.slug),
                r.relation,
                target,
                r.role,
                r.ordinal,
            );
        }
        table
    }

    fn find(&self, (kind, slug): (Kind, &str)) -> Option<Id> {
        let id = *self.ids.get(&hash(kind, slug))?;
        let r = &self.records[id.index()];
        if r.kind == kind && r.slug == slug {
            return Some(id);
        }
        self.collided.get(&Key::new(kind, slug)).copied()
    }

    /// The source `slug`, through `last_source`.
    fn source(&mut self, slug: &str) -> Option<Id> {
        if let Some((last, id)) = &self.last_source
            && last == slug
        {
            return Some(*id);
        }
        let id = self.find((Kind::Source, slug))?;
        match &mut self.last_source {
            Some((last, at)) => {
                last.clear();
                last.push_str(slug);
                *at = id;
            }
            None => self.last_source = Some((slug.to_owned(), id)),
        }
        Some(id)
    }

    fn missing(what: &str, key: (Kind, &str)) {
        tracing::error!(kind = %key.0, slug = key.1, "{what} names a record the graph does not hold");
    }

    /// Builds the snapshot from everything read.
    fn finish(mut self, cursor: i64) -> Snapshot {
        for r in &mut self.records {
            r.normalise();
        }
        let sources: HashMap<Id, Arc<CharIndex>> = self
            .records
            .iter()
            .enumerate()
            .filter(|(_, r)| r.kind == Kind::Source)
            .map(|(i, r)| {
                (
                    Id(i as u32),
                    // `body` is NOT NULL: every source has a text.
                    Arc::new(CharIndex::new(r.extra("body").unwrap_or_default())),
                )
            })
            .collect();
        let resolve = BuildResolve {
            table: &self,
            sources: &sources,
        };
        let chunks = encode_all(&self.records, &resolve);
        let mut snap = Snapshot {
            cursor,
            chunks,
            orders: vec![],
            sources,
            next: self.records.len() as u32,
        };
        snap.orders = sort_all(&snap);
        snap
    }
}

impl Sink for Table {
    fn record(&mut self, data: RecordData) {
        tracing::error!(slug = %data.slug, "a record read after the records");
    }

    fn link(
        &mut self,
        owner: (Kind, &str),
        relation: Relation,
        target: (Kind, &str),
        role: u8,
        ordinal: u16,
    ) {
        let (Some(from), Some(to)) = (self.find(owner), self.find(target)) else {
            return Self::missing("a relation", target);
        };
        let link = |dir, other| Link {
            relation,
            dir,
            ordinal,
            other,
            role,
        };
        self.records[from.index()].links.push(link(Dir::Out, to));
        self.records[to.index()].links.push(link(Dir::In, from));
    }

    fn alias(&mut self, owner: (Kind, &str), alias: String) {
        match self.find(owner) {
            Some(id) => self.records[id.index()].aliases.push(alias),
            None => Self::missing("an alias", owner),
        }
    }

    fn cite(&mut self, owner: (Kind, &str), source: Option<&str>, mut data: CiteData) {
        let Some(id) = self.find(owner) else {
            return Self::missing("a citation", owner);
        };
        data.source = source.and_then(|s| self.source(s));
        self.records[id.index()].cites.push(data);
    }

    fn mention(&mut self, entity: (Kind, &str), source: &str, start: u32, end: u32) {
        let (Some(e), Some(s)) = (self.find(entity), self.source(source)) else {
            return Self::missing("a mention", entity);
        };
        self.records[e.index()].mentions.push(MentionData {
            other: s,
            start,
            end,
        });
        self.records[s.index()].mentions.push(MentionData {
            other: e,
            start,
            end,
        });
    }

    fn milestone(&mut self, project: &str, data: MilestoneData) {
        match self.find((Kind::Project, project)) {
            Some(id) => self.records[id.index()].milestones.push(data),
            None => Self::missing("a milestone", (Kind::Project, project)),
        }
    }
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
                        .map(|field| OrderList::from_sorted(sort_one(snap, ids, *field)))
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

/// One kind's `ids` in `field`'s order, as `Snapshot::compare` orders them. Each record's key
/// and slug are looked up (and the English name lowercased) once, not at every comparison: the
/// comparisons' lookups and lowercasing were a fifth of a cold build's CPU (perf, scale 1,000).
fn sort_one(snap: &Snapshot, ids: &[Id], field: OrderField) -> Vec<Id> {
    // All of one kind: the tie-break (`kind:slug`) is the slug.
    let mut keyed: Vec<(super::order::SortKeyRef<'_>, &str, Id)> = ids
        .iter()
        .map(|id| (snap.sort_key_ref(*id, field), snap.rec(*id).slug(), *id))
        .collect();
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    keyed.into_iter().map(|(_, _, id)| id).collect()
}

struct BuildResolve<'a> {
    table: &'a Table,
    sources: &'a HashMap<Id, Arc<CharIndex>>,
}

impl Resolve for BuildResolve<'_> {
    fn id_of(&self, key: &Key) -> Option<Id> {
        self.table.find((key.kind, &key.slug))
    }

    fn key_of(&self, id: Id) -> Option<Key> {
        let r = self.table.records.get(id.index())?;
        Some(Key::new(r.kind, r.slug.as_str()))
    }

    fn source_text(&self, source: Id) -> Option<(&str, &CharIndex)> {
        let body = self.table.records.get(source.index())?.extra("body")?;
        Some((body, self.sources.get(&source)?))
    }
}
