//! Building a whole snapshot: read every table inside one snapshot of the database (a load
//! committing meanwhile is seen wholly or not at all), resolve keys to IDs, encode the chunks on
//! every core, and sort each kind once per order. The tables are read on several connections at
//! once that all see the same version: on PostgreSQL each transaction imports the first one's
//! snapshot (`pg_export_snapshot`); on SQLite each is kept only if it stands at the first one's
//! change-log cursor.
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

use entity::ids::{Key, Kind};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, Statement,
};

use super::Snapshot;
use entity::relation::Relation;

use super::chunk::{CHUNK, Chunk, Resolve};
use super::copy::{self, Copied};
use super::data::{CiteData, Id, Link, MentionData, MilestoneData, RecordData};
use super::keys::KeyIndex;
use super::order::{OrderField, OrderList};
use super::read::{self, Raw, Reader, Ref, Sink, Which};
use super::text::CharIndex;

/// Connections reading at once in a build on PostgreSQL: for the records, the snapshot's own and
/// two importing it; for citations and mentions, as many COPY readers while the snapshot's own
/// reads the other row tables. Reading is the client's work more than the server's, so more
/// readers than cores gain little.
pub(super) const READERS: usize = 3;

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
    /// The COPY readers were all gone before a phase: a bug.
    #[error("the read model's build has no reader left")]
    NoReader,
    /// A reader kept the tables after reading: a bug, never worked around by copying.
    #[error("the read model's tables are still shared after reading")]
    StillShared,
}

/// One table (or one kind's table) read whole: the unit readers take from a shared queue.
#[derive(Clone, Copy, Debug)]
enum Job {
    Records(Kind),
    Junction(Relation),
    Parties,
    Milestones,
    Aliases,
    Citations,
    Mentions,
}

impl Job {
    async fn read(self, txn: &DatabaseTransaction, sink: &mut dyn Sink) -> Result<(), DbErr> {
        let all = Reader {
            db: txn,
            which: Which::All,
        };
        match self {
            Job::Records(kind) => all.records(kind, sink).await,
            Job::Junction(relation) => all.junction(relation, sink).await,
            Job::Parties => all.parties(sink).await,
            Job::Milestones => all.milestones(sink).await,
            Job::Aliases => all.aliases(None, sink).await,
            Job::Citations => all.citations(None, sink).await,
            Job::Mentions => all.mentions(None, sink).await,
        }
    }
}

/// Every kind, those whose tables are known to be the largest (in bytes: sources carry their
/// texts) first: readers take jobs in order, so the long ones start early and the short ones
/// fill in.
pub(super) fn kinds_largest_first() -> impl Iterator<Item = Kind> {
    const LARGEST: [Kind; 5] = [
        Kind::Source,
        Kind::Project,
        Kind::Metric,
        Kind::Platform,
        Kind::Sector,
    ];
    let rest = Kind::ALL.into_iter().filter(|k| !LARGEST.contains(k));
    LARGEST.into_iter().chain(rest)
}

/// The record tables as query jobs.
fn record_jobs() -> Vec<Job> {
    kinds_largest_first().map(Job::Records).collect()
}

/// The tables of rows records own, the largest first. Each is read whole by one reader, so a
/// record's aliases keep the order one scan gives them (citations and mentions are sorted once
/// attached, so they may come in parts: `copy::Job`).
fn row_jobs() -> Vec<Job> {
    let mut jobs = vec![Job::Citations, Job::Mentions];
    jobs.extend(queried_row_jobs());
    jobs
}

/// The row tables other than citations and mentions.
fn queried_row_jobs() -> Vec<Job> {
    let mut jobs = vec![Job::Parties];
    jobs.extend(read::all_junctions().map(Job::Junction));
    jobs.extend([Job::Aliases, Job::Milestones]);
    jobs
}

/// A job a reader holding a `T` runs into its sink.
pub(super) trait ReadJob<T>: Copy + Send + 'static {
    fn run<'a>(
        self,
        txn: &'a mut T,
        sink: &'a mut dyn Sink,
    ) -> impl Future<Output = Result<(), DbErr>> + Send + 'a;
}

impl ReadJob<DatabaseTransaction> for Job {
    fn run<'a>(
        self,
        txn: &'a mut DatabaseTransaction,
        sink: &'a mut dyn Sink,
    ) -> impl Future<Output = Result<(), DbErr>> + Send + 'a {
        self.read(txn, sink)
    }
}

/// `main`'s snapshot exported for other transactions to import; `None` (logged) if it cannot be.
pub(super) async fn export(main: &DatabaseTransaction) -> Option<String> {
    let export = Statement::from_string(DbBackend::Postgres, "SELECT pg_export_snapshot()");
    let found = match main.query_one_raw(export).await {
        Ok(Some(row)) => row.try_get_by_index(0).map(Some),
        Ok(None) => Ok(None),
        Err(e) => Err(e),
    };
    found.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "cannot export the build's snapshot; reading on one connection");
        None
    })
}

/// Connections the pool has beside the build's own.
pub(super) fn spare_connections(db: &DatabaseConnection) -> usize {
    let max = match db.get_database_backend() {
        DbBackend::Postgres => db
            .get_postgres_connection_pool()
            .options()
            .get_max_connections(),
        DbBackend::Sqlite => db
            .get_sqlite_connection_pool()
            .options()
            .get_max_connections(),
        _ => return 0,
    };
    max.saturating_sub(1) as usize
}

/// Read transactions on SQLite that see the same version of the database as the build's own
/// (whose change-log cursor is `cursor`), so rows read on them belong to it; none when the pool
/// has no connection to spare. In WAL mode a read transaction's snapshot is taken by its first
/// read: each reads the cursor first and is kept only if it equals the build's (every load that
/// changes the graph logs a change, so an equal cursor is the same version); otherwise a load
/// committed in between and the build reads on fewer connections. A failure is logged: still
/// one version, only slower.
async fn sqlite_readers(db: &DatabaseConnection, cursor: i64) -> Vec<DatabaseTransaction> {
    let wanted = spare_connections(db).min(READERS - 1);
    let mut out = Vec::with_capacity(wanted);
    for _ in 0..wanted {
        match same_version(db, cursor).await {
            Ok(Some(txn)) => out.push(txn),
            Ok(None) => break,
            Err(e) => {
                tracing::warn!(error = %e, "cannot open another reader of the build's version");
                break;
            }
        }
    }
    out
}

/// A read transaction on SQLite whose snapshot stands at `cursor`; `None` (rolled back) if a
/// load committed since the build's own was taken.
async fn same_version(
    db: &DatabaseConnection,
    cursor: i64,
) -> Result<Option<DatabaseTransaction>, DbErr> {
    let txn = crate::feeds::snapshot(db).await?;
    if crate::feeds::changelog::cursor(&txn).await? == cursor {
        return Ok(Some(txn));
    }
    tracing::info!("the graph changed while the read model's readers opened; reading on fewer");
    txn.rollback().await?;
    Ok(None)
}

/// Runs `jobs` on every transaction at once, each reader taking the next job from a shared
/// queue into its own sink (made by `make`); gives back the transactions (in their order) and
/// the sinks. Readers run as tasks, so their decoding runs on every core.
async fn run<T, J, S>(
    txns: Vec<T>,
    jobs: Vec<J>,
    make: impl Fn() -> S,
) -> Result<(Vec<T>, Vec<S>), BuildError>
where
    T: Send + 'static,
    J: ReadJob<T>,
    S: Sink + 'static,
{
    let queue = Arc::new(Mutex::new(VecDeque::from(jobs)));
    let handles: Vec<_> = txns
        .into_iter()
        .map(|mut txn| {
            let queue = queue.clone();
            let mut sink = make();
            tokio::spawn(async move {
                let result = async {
                    loop {
                        let job = queue
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .pop_front();
                        let Some(job) = job else {
                            return Ok::<(), DbErr>(());
                        };
                        job.run(&mut txn, &mut sink).await?;
                    }
                }
                .await;
                (txn, result.map(|()| sink))
            })
        })
        .collect();
    let mut txns = Vec::with_capacity(handles.len());
    let mut sinks = Vec::with_capacity(handles.len());
    let mut failed = None;
    // Every reader is awaited before an error is returned: none is left reading.
    for handle in handles {
        let (txn, result) = handle.await?;
        txns.push(txn);
        match result {
            Ok(sink) => sinks.push(sink),
            Err(e) => failed = failed.or(Some(e)),
        }
    }
    match failed {
        Some(e) => Err(e.into()),
        None => Ok((txns, sinks)),
    }
}

impl Snapshot {
    /// Reads the whole graph from `db` and builds its snapshot, the CPU-bound part off the async
    /// runtime. Records come first (they get their IDs); the rows they own follow and are
    /// resolved to IDs as they stream in, so no key is held as text beyond its row.
    pub async fn build(db: &DatabaseConnection) -> Result<Snapshot, BuildError> {
        let started = std::time::Instant::now();
        let txn = crate::feeds::snapshot(db).await?;
        let cursor = crate::feeds::changelog::cursor(&txn).await?;
        let mut readers = Readers::open(db, txn, cursor).await;
        let connections = readers.connections();
        let raws = readers.records().await?;
        let mut raw = Raw::default();
        for mut part in raws {
            raw.records.append(&mut part.records);
            raw.refs.append(&mut part.refs);
        }
        let records = raw.records.len();
        let table = Arc::new(tokio::task::spawn_blocking(move || Table::new(raw)).await?);
        let read = started.elapsed();
        let attach = Arc::new(Attach::new(records));
        readers
            .rows(|| Resolver {
                table: table.clone(),
                attach: attach.clone(),
                last_source: LastFound::default(),
                last_owner: LastFound::default(),
            })
            .await?;
        let owned = started.elapsed();
        // The readers' sinks went with `run`: these are the only references left.
        let (Ok(mut table), Ok(attach)) = (Arc::try_unwrap(table), Arc::try_unwrap(attach)) else {
            return Err(BuildError::StillShared);
        };
        let snapshot = tokio::task::spawn_blocking(move || {
            attach.into_records(&mut table.records);
            table.finish(cursor)
        })
        .await?;
        tracing::info!(
            records,
            cursor,
            connections,
            records_ms = read.as_millis() as u64,
            rows_ms = (owned - read).as_millis() as u64,
            assemble_ms = (started.elapsed() - owned).as_millis() as u64,
            "read model built"
        );
        Ok(snapshot)
    }
}

/// The transactions a build reads on, all at one version of the database.
enum Readers {
    /// On PostgreSQL: driver transactions that import the build's snapshot and read the record
    /// tables, then citations and mentions, through COPY in page ranges, while the build's own
    /// transaction (`main`) reads the other row tables.
    Copy {
        main: DatabaseTransaction,
        copying: Vec<copy::Txn>,
    },
    /// Elsewhere, or with no connection to spare: queries, on the build's own transaction
    /// first and on those [`sqlite_readers`] gives.
    Queries(Vec<DatabaseTransaction>),
}

impl Readers {
    /// The readers beside `main`, the build's own transaction (at change-log `cursor`).
    async fn open(db: &DatabaseConnection, main: DatabaseTransaction, cursor: i64) -> Readers {
        if db.get_database_backend() == DbBackend::Postgres {
            let copying = copy::readers(db, &main).await;
            if copying.is_empty() {
                return Readers::Queries(vec![main]);
            }
            return Readers::Copy { main, copying };
        }
        let mut txns = sqlite_readers(db, cursor).await;
        // The snapshot's own transaction first: it is committed last.
        txns.insert(0, main);
        Readers::Queries(txns)
    }

    /// Connections reading at once.
    fn connections(&self) -> usize {
        match self {
            Readers::Copy { copying, .. } => copying.len() + 1,
            Readers::Queries(txns) => txns.len(),
        }
    }

    /// Every record, with the relations its columns state; one `Raw` per reader.
    async fn records(&mut self) -> Result<Vec<Raw>, BuildError> {
        match self {
            Readers::Copy { copying, .. } => {
                let first = copying.first_mut().ok_or(BuildError::NoReader)?;
                let jobs = copy::jobs(first, &Copied::records()).await?;
                let (txns, raws) = run(std::mem::take(copying), jobs, Raw::default).await?;
                *copying = txns;
                Ok(raws)
            }
            Readers::Queries(txns) => {
                let (back, raws) = run(std::mem::take(txns), record_jobs(), Raw::default).await?;
                *txns = back;
                Ok(raws)
            }
        }
    }

    /// Reads the rows records own into sinks `make` makes, then ends every transaction.
    async fn rows<S: Sink + 'static>(self, make: impl Fn() -> S) -> Result<(), BuildError> {
        match self {
            Readers::Copy { main, mut copying } => {
                let first = copying.first_mut().ok_or(BuildError::NoReader)?;
                let jobs = copy::jobs(first, &Copied::ROWS).await?;
                let (queried, copied) = tokio::join!(
                    run(vec![main], queried_row_jobs(), &make),
                    run(copying, jobs, &make)
                );
                let (mains, _) = queried?;
                for txn in copied?.0 {
                    txn.commit().await.map_err(copy::query_err)?;
                }
                // The snapshot's own transaction last: the importers stand on it.
                for txn in mains {
                    txn.commit().await?;
                }
            }
            Readers::Queries(txns) => {
                let (txns, _) = run(txns, row_jobs(), make).await?;
                for txn in txns.into_iter().rev() {
                    txn.commit().await?;
                }
            }
        }
        Ok(())
    }
}

/// Records sorted by kind (in `Kind::ALL`'s order) and slug (an ID is a position), and their
/// keys indexed.
struct Table {
    records: Vec<RecordData>,
    keys: KeyIndex,
}

impl Table {
    fn new(raw: Raw) -> Table {
        let Raw {
            mut records, refs, ..
        } = raw;
        records.par_sort_unstable_by(|a, b| (rank(a.kind), &a.slug).cmp(&(rank(b.kind), &b.slug)));
        let keys = KeyIndex::new(records.iter().map(|r| (r.kind, r.slug.as_str())));
        let mut table = Table { records, keys };
        // Both ends looked up on every core, then the links attached in the refs' order.
        let ends: Vec<Option<(Id, Link, Id, Link)>> = refs
            .par_iter()
            .map(|r| {
                let owner = (r.owner.kind, r.owner.slug.as_str());
                let target = (r.target.kind, r.target.slug.as_str());
                let (Some(from), Some(to)) = (table.find(owner), table.find(target)) else {
                    missing("a relation", target);
                    return None;
                };
                let (out, back) = r.ends(from, to);
                Some((from, out, to, back))
            })
            .collect();
        for (from, out, to, back) in ends.into_iter().flatten() {
            table.records[from.index()].links.push(out);
            table.records[to.index()].links.push(back);
        }
        table
    }

    fn find(&self, (kind, slug): (Kind, &str)) -> Option<Id> {
        self.keys.find(kind, slug)
    }

    /// Builds the snapshot from everything read.
    fn finish(mut self, cursor: i64) -> Snapshot {
        self.records.par_iter_mut().for_each(RecordData::normalise);
        let sources: HashMap<Id, Arc<CharIndex>> = self
            .records
            .par_iter()
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
        // The records as read (every quote, name and list) are freed on a thread of their own:
        // a few hundred thousand records' strings took 0.4 s to free before the snapshot could
        // serve. Should no thread start, they are freed here all the same.
        let _ = std::thread::Builder::new()
            .name("read-model-free".to_owned())
            .spawn(move || drop(self));
        snap
    }
}

fn missing(what: &str, key: (Kind, &str)) {
    tracing::error!(kind = %key.0, slug = key.1, "{what} names a record the graph does not hold");
}

/// Rows attached to records while readers run at once: records are split over shards by ID,
/// each behind its own lock, so readers seldom wait for one another and no row is held twice
/// (collecting each reader's rows and merging them after held every citation twice).
struct Attach {
    shards: Vec<Mutex<Vec<Attached>>>,
}

const SHARDS: usize = 64;

#[derive(Default)]
struct Attached {
    links: Vec<Link>,
    aliases: Vec<String>,
    cites: Vec<CiteData>,
    mentions: Vec<MentionData>,
    milestones: Vec<MilestoneData>,
}

impl Attach {
    fn new(records: usize) -> Attach {
        let shards = (0..SHARDS)
            .map(|s| {
                let held = records.saturating_sub(s).div_ceil(SHARDS);
                Mutex::new((0..held).map(|_| Attached::default()).collect())
            })
            .collect();
        Attach { shards }
    }

    fn with(&self, id: Id, f: impl FnOnce(&mut Attached)) {
        let mut shard = self.shards[id.index() % SHARDS]
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(at) = shard.get_mut(id.index() / SHARDS) {
            f(at);
        }
    }

    /// Moves the rows into their records (links after those the records state themselves).
    fn into_records(self, records: &mut [RecordData]) {
        for (s, shard) in self.shards.into_iter().enumerate() {
            let shard = shard.into_inner().unwrap_or_else(PoisonError::into_inner);
            for (i, a) in shard.into_iter().enumerate() {
                let Some(r) = records.get_mut(i * SHARDS + s) else {
                    continue;
                };
                r.links.extend(a.links);
                r.aliases = a.aliases;
                r.cites = a.cites;
                r.mentions = a.mentions;
                r.milestones = a.milestones;
            }
        }
    }
}

/// A reader's sink: resolves keys with the (shared, read-only) table and attaches the rows.
struct Resolver {
    table: Arc<Table>,
    attach: Arc<Attach>,
    /// The source last looked up: a source's citations and mentions mostly arrive together.
    last_source: LastFound,
    /// The owner last looked up: a record's citations and aliases arrive together (the loader
    /// writes them record by record, and a scan reads them in that order).
    last_owner: LastFound,
}

/// The record a reader last looked up, by key: rows arrive grouped by record, and every lookup
/// in the table was a hash and a cache miss (a seventh of a cold build's CPU at 462k records).
#[derive(Default)]
struct LastFound(Option<(Kind, String, Id)>);

impl LastFound {
    fn find(&mut self, table: &Table, (kind, slug): (Kind, &str)) -> Option<Id> {
        if let Some((k, s, id)) = &self.0
            && *k == kind
            && s == slug
        {
            return Some(*id);
        }
        let id = table.find((kind, slug))?;
        match &mut self.0 {
            Some((k, s, at)) => {
                *k = kind;
                s.clear();
                s.push_str(slug);
                *at = id;
            }
            None => self.0 = Some((kind, slug.to_owned(), id)),
        }
        Some(id)
    }
}

impl Resolver {
    fn source(&mut self, slug: &str) -> Option<Id> {
        self.last_source.find(&self.table, (Kind::Source, slug))
    }

    fn owner(&mut self, key: (Kind, &str)) -> Option<Id> {
        self.last_owner.find(&self.table, key)
    }
}

impl Sink for Resolver {
    fn record(&mut self, data: RecordData) {
        tracing::error!(slug = %data.slug, "a record read after the records");
    }

    fn link(&mut self, link: Ref<(Kind, &str)>) {
        let (Some(from), Some(to)) = (self.table.find(link.owner), self.table.find(link.target))
        else {
            return missing("a relation", link.target);
        };
        let (out, back) = link.ends(from, to);
        self.attach.with(from, |a| a.links.push(out));
        self.attach.with(to, |a| a.links.push(back));
    }

    fn alias(&mut self, owner: (Kind, &str), alias: String) {
        match self.owner(owner) {
            Some(id) => self.attach.with(id, |a| a.aliases.push(alias)),
            None => missing("an alias", owner),
        }
    }

    fn cite(&mut self, owner: (Kind, &str), source: Option<&str>, mut data: CiteData) {
        let Some(id) = self.owner(owner) else {
            return missing("a citation", owner);
        };
        data.source = source.and_then(|s| self.source(s));
        self.attach.with(id, |a| a.cites.push(data));
    }

    fn mention(&mut self, entity: (Kind, &str), source: &str, start: u32, end: u32) {
        let (Some(e), Some(s)) = (self.owner(entity), self.source(source)) else {
            return missing("a mention", entity);
        };
        self.attach.with(e, |a| {
            a.mentions.push(MentionData {
                other: s,
                start,
                end,
            })
        });
        self.attach.with(s, |a| {
            a.mentions.push(MentionData {
                other: e,
                start,
                end,
            })
        });
    }

    fn milestone(&mut self, project: &str, data: MilestoneData) {
        match self.owner((Kind::Project, project)) {
            Some(id) => self.attach.with(id, |a| a.milestones.push(data)),
            None => missing("a milestone", (Kind::Project, project)),
        }
    }
}

/// Encodes the chunks on every core. Chunks cost unequal work (sources carry their texts and
/// every mention on both sides), so rayon hands them out one by one instead of in equal runs.
fn encode_all(records: &[RecordData], resolve: &BuildResolve<'_>) -> Vec<Arc<Chunk>> {
    records
        .par_chunks(CHUNK)
        .map(|recs| Arc::new(Chunk::encode(recs, resolve)))
        .collect()
}

/// Every kind's live records sorted in every order, each (kind, order) a task on every core
/// (one kind per thread waited on the largest kind's five sorts).
pub(super) fn sort_all(snap: &Snapshot) -> Vec<Vec<OrderList>> {
    let mut by_kind: Vec<Vec<Id>> = vec![vec![]; Kind::ALL.len()];
    for (c, chunk) in snap.chunks.iter().enumerate() {
        for (i, rec) in chunk.recs.iter().enumerate() {
            if rec.bits & super::chunk::DELETED == 0 {
                by_kind[rec.kind as usize].push(Id((c * CHUNK + i) as u32));
            }
        }
    }
    let tasks: Vec<(&[Id], OrderField)> = by_kind
        .iter()
        .flat_map(|ids| OrderField::ALL.iter().map(move |f| (&ids[..], *f)))
        .collect();
    let mut sorted = tasks
        .into_par_iter()
        .map(|(ids, field)| OrderList::from_sorted(sort_one(snap, ids, field)))
        .collect::<Vec<_>>()
        .into_iter();
    by_kind
        .iter()
        .map(|_| sorted.by_ref().take(OrderField::ALL.len()).collect())
        .collect()
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
    fn id_of(&self, kind: Kind, slug: &str) -> Option<Id> {
        self.table.find((kind, slug))
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
