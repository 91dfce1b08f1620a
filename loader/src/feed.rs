//! Partner feeds: `loader import FILE --feed NAME`. A feed is NDJSON (one record per line) or CSV
//! (a header row, one record per row) in the seed record format plus a `type` field. It is read
//! record by record and checked exactly like the seeds, against the stored records and sources it
//! references, and written in one transaction under `origin = feed:NAME`: a later feed from the
//! same partner updates its records and retracts (deletes, with tombstones) the ones it no longer
//! carries; curated records and other partners' records are never touched.
use std::cell::Cell;
use std::collections::{HashMap, HashSet, VecDeque};
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use entity::ids::Kind;
use futures_util::TryStreamExt;
use indicatif::ProgressBar;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, StreamTrait};
use serde_json::{Map, Value};
use tokio::runtime::Handle;
use tokio::sync::mpsc;

use crate::convert::{Converter, Lines};
use crate::node::{Loc, Node, Problem};
use crate::rows::Plan;
use crate::seed::*;
use crate::validate::{Graph, Policy, validate_with};
use crate::{LoadError, Summary, write};

mod context;
mod index;
mod parse;

pub(crate) use index::Hashing;
use index::{Index, Part, Seen};

/// Record types a feed may carry: every kind but sources (a feed quotes stored sources).
fn feed_kinds() -> impl Iterator<Item = Kind> {
    Kind::ALL.into_iter().filter(|&k| k != Kind::Source)
}

/// JSON nulls mean "absent" (TOML has no null).
fn without_nulls(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// The origin a feed's records carry.
pub fn origin(feed: &str) -> String {
    format!("feed:{feed}")
}

/// Imports `file` as partner feed `feed`; all or nothing.
pub async fn import(
    db: &DatabaseConnection,
    file: &Path,
    feed: &str,
    progress: &ProgressBar,
) -> Result<Summary, LoadError> {
    import_with(db, file, feed, false, progress).await
}

/// Records checked and written at a time.
const PART_RECORDS: usize = 2_000;
/// Problems collected before the import stops looking for more.
const MAX_PROBLEMS: usize = 10_000;
/// Records the first pass hands to the index at a time.
const SEEN_BATCH: usize = 2_000;

/// `import`; with `allow_deletions`, the feed may retract any share of its earlier records.
///
/// Two passes over the file, so memory follows one part of the feed, not the feed: the first
/// keeps an index (each record's key, names, parents and line); the second reads the records
/// again part by part (a part: up to [`PART_RECORDS`] records of one kind and parent depth,
/// parts in an order where every record comes after those it points at), checks each part
/// against the index and the stored records it names, and writes it. Everything happens in one
/// transaction: a problem anywhere, or a file that changed between the passes, writes nothing.
pub async fn import_with(
    db: &DatabaseConnection,
    file: &Path,
    feed: &str,
    allow_deletions: bool,
    progress: &ProgressBar,
) -> Result<Summary, LoadError> {
    let started = Instant::now();
    let name = file.display().to_string();
    let at = Loc {
        file: name.clone().into(),
        line: 1,
    };
    if !crate::vocab::is_valid_slug(feed) {
        return Err(LoadError::Invalid(vec![Problem::new(
            &at,
            format!("feed name \"{feed}\" must be lowercase kebab-case"),
        )]));
    }
    let origin = origin(feed);
    let source = Source {
        path: file.to_owned(),
        name: name.clone(),
    };
    let (index, digest, mut problems) = build_index(&source).await?;
    let index = Arc::new(index);
    progress.set_length(index.records);

    let (tx, mut rx) = mpsc::channel::<Piece>(1);
    let producer = {
        let index = index.clone();
        let runtime = tokio::runtime::Handle::current();
        tokio::task::spawn_blocking(move || source.parts(&index, &runtime, &tx))
    };

    let (txn, tuned) = write::begin(db).await?;
    let now = Utc::now();
    let empty = Graph::default();
    // The tables and their order; which columns a record table has does not matter here.
    let tables = Plan::new(&empty, &origin).tables();
    let mut summary = Summary::default();
    for t in &tables {
        summary.add(write::TableSummary {
            table: t.table,
            ..Default::default()
        });
    }
    while let Some(piece) = rx.recv().await {
        match piece {
            Piece::Records(kind, nodes) => {
                progress.inc(nodes.len() as u64);
                let slugs: Vec<String> = nodes.iter().map(|n| n.slug.clone()).collect();
                match check(&txn, &origin, &name, &index, nodes).await? {
                    Ok(graph) if problems.is_empty() => {
                        write::write_part(&txn, &graph, &origin, kind, &slugs, &mut summary, now)
                            .await?;
                    }
                    Ok(_) => {}
                    Err(found) => problems.extend(found),
                }
            }
            Piece::Read(read) if read != digest => problems.push(Problem::file(
                &at,
                "the file changed while it was imported; nothing was written, import it again",
            )),
            Piece::Read(_) => {}
            Piece::Stop(problem) => problems.push(problem),
            Piece::Failed(e) => return Err(e),
        }
        if problems.len() > MAX_PROBLEMS {
            break;
        }
    }
    drop(rx);
    joined(&name, producer.await)?;
    if !problems.is_empty() {
        problems.sort_by(|a, b| (&a.at.file, a.at.line).cmp(&(&b.at.file, b.at.line)));
        problems.dedup();
        return Err(LoadError::Invalid(problems));
    }
    // The feed's earlier records it no longer carries, children first.
    for &kind in crate::rows::record_order().iter().rev() {
        let (stored, gone) = not_in_feed(&txn, kind, &origin, &index).await?;
        if !allow_deletions {
            write::guard_deletions(kind, gone.len(), stored)?;
        }
        if !gone.is_empty() {
            write::retract(&txn, &tables, kind, &gone, &origin, &mut summary, now).await?;
        }
    }
    write::finish(txn, tuned, now).await?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// The first pass: the feed's index, the file's SHA-256 and the problems met.
async fn build_index(source: &Source) -> Result<(Index, [u8; 32], Vec<Problem>), LoadError> {
    let mut index = Index::create().await?;
    let (tx, mut rx) = mpsc::channel::<Vec<Seen>>(4);
    let reader = {
        let source = source.clone();
        tokio::task::spawn_blocking(move || source.first_pass(&tx))
    };
    while let Some(batch) = rx.recv().await {
        index.add(&batch).await?;
    }
    let (digest, mut problems) =
        joined(&source.name, reader.await)?.map_err(|stop| LoadError::Invalid(vec![stop]))?;
    index.settle(&source.name, &mut problems).await?;
    Ok((index, digest, problems))
}

/// What the second pass hands over.
enum Piece {
    /// A part's records, all of one kind.
    Records(Kind, Vec<Node>),
    /// One reading of the whole file ended; the SHA-256 of what it read.
    Read([u8; 32]),
    /// The file could no longer be read.
    Stop(Problem),
    /// The index could not be read.
    Failed(LoadError),
}

/// The feed file.
#[derive(Clone)]
struct Source {
    path: PathBuf,
    name: String,
}

impl Source {
    fn open(&self) -> Result<BufReader<Hashing<std::fs::File>>, std::io::Error> {
        Ok(BufReader::new(Hashing::new(std::fs::File::open(
            &self.path,
        )?)))
    }

    /// Reads the records on the lines `keep` accepts, calling `each` with every record's nodes;
    /// returns the SHA-256 of the file.
    fn read(
        &self,
        keep: impl FnMut(usize) -> bool,
        problems: &mut Vec<Problem>,
        mut each: impl FnMut(usize, Vec<Node>, &mut Vec<Problem>),
    ) -> Result<[u8; 32], Problem> {
        let mut input = self.open().map_err(|e| {
            let at = Loc {
                file: self.name.clone().into(),
                line: 1,
            };
            Problem::file(&at, format!("cannot read: {e}"))
        })?;
        let name = &self.name;
        let each = |r: parse::Record, problems: &mut Vec<Problem>| {
            let line = r.line;
            let nodes = convert(name, r, problems);
            each(line, nodes, problems);
        };
        if name.ends_with(".csv") {
            parse::csv_lines(&mut input, name, keep, problems, each)?;
        } else {
            parse::ndjson_lines(&mut input, name, keep, problems, each)?;
        }
        Ok(input.into_inner().digest())
    }

    /// The first pass: every record's entry for the index, sent in batches; returns the file's
    /// SHA-256 and the problems met. Stops reading records once the receiver is gone.
    fn first_pass(
        &self,
        tx: &mpsc::Sender<Vec<Seen>>,
    ) -> Result<([u8; 32], Vec<Problem>), Problem> {
        let mut problems = vec![];
        let open = Cell::new(true);
        let mut batch = vec![];
        let digest = self.read(
            |_| open.get(),
            &mut problems,
            |line, nodes, _| {
                batch.extend(nodes.iter().map(|n| Seen::of(n, line)));
                if batch.len() >= SEEN_BATCH {
                    open.set(tx.blocking_send(std::mem::take(&mut batch)).is_ok());
                }
            },
        )?;
        if open.get() && !batch.is_empty() {
            // A closed receiver has its own error to report.
            let _ = tx.blocking_send(batch);
        }
        Ok((digest, problems))
    }

    /// The second pass: each part's records in order, [`PART_RECORDS`] at a time, then what the
    /// file read hashed to; stops when the receiver is gone. The lines of a part come from the
    /// index a page at a time, so this holds one page of line numbers and one part.
    fn parts(&self, index: &Index, runtime: &Handle, tx: &mpsc::Sender<Piece>) {
        let order = match runtime.block_on(index.part_order()) {
            Ok(order) => order,
            Err(e) => {
                // A closed receiver has its own error to report.
                let _ = tx.blocking_send(Piece::Failed(e));
                return;
            }
        };
        for part in order {
            let mut records: Vec<Node> = vec![];
            let mut open = true;
            // A record's own problems were found in the first pass.
            let mut again = vec![];
            let mut lines = PartLines::new(index, runtime, part);
            let read = self.read(
                |line| lines.has(line),
                &mut again,
                |_, nodes, _| {
                    records.extend(nodes);
                    if open && records.len() >= PART_RECORDS {
                        open = send_records(tx, std::mem::take(&mut records));
                    }
                },
            );
            if let Some(e) = lines.failed {
                let _ = tx.blocking_send(Piece::Failed(e));
                return;
            }
            if open && !records.is_empty() {
                open = send_records(tx, records);
            }
            let end = match read {
                Ok(digest) => Piece::Read(digest),
                Err(problem) => Piece::Stop(problem),
            };
            if !open || tx.blocking_send(end).is_err() {
                return;
            }
        }
    }
}

/// Line numbers of one part's records, read from the index a page at a time as the file is read.
struct PartLines<'a> {
    index: &'a Index,
    runtime: &'a Handle,
    part: Part,
    page: VecDeque<usize>,
    /// The last line read from the index.
    after: usize,
    done: bool,
    failed: Option<LoadError>,
}

impl<'a> PartLines<'a> {
    /// Line numbers read from the index at a time.
    const PAGE: usize = 8_192;

    fn new(index: &'a Index, runtime: &'a Handle, part: Part) -> Self {
        PartLines {
            index,
            runtime,
            part,
            page: VecDeque::new(),
            after: 0,
            done: false,
            failed: None,
        }
    }

    /// Whether the part has a record on `line`; asked with increasing lines.
    fn has(&mut self, line: usize) -> bool {
        loop {
            match self.page.front() {
                Some(&next) if next < line => {
                    self.page.pop_front();
                }
                Some(&next) => return next == line,
                None if self.done => return false,
                None => {
                    let lines = self.index.lines(self.part, self.after, Self::PAGE);
                    match self.runtime.block_on(lines) {
                        Ok(page) => {
                            self.done = page.len() < Self::PAGE;
                            self.after = page.last().copied().unwrap_or(self.after);
                            self.page = page.into();
                        }
                        Err(e) => {
                            self.failed = Some(e);
                            self.done = true;
                        }
                    }
                }
            }
        }
    }
}

/// Sends a part's records (all of one kind); false once the receiver is gone.
fn send_records(tx: &mpsc::Sender<Piece>, records: Vec<Node>) -> bool {
    let Some(kind) = records.first().map(|n| n.kind) else {
        return true;
    };
    tx.blocking_send(Piece::Records(kind, records)).is_ok()
}

/// The result of blocking file work, or its panic as an error on `name`.
fn joined<T>(name: &str, done: Result<T, tokio::task::JoinError>) -> Result<T, LoadError> {
    done.map_err(|e| LoadError::Io {
        path: name.to_owned(),
        source: std::io::Error::other(e),
    })
}

/// Checks a part's `nodes` against the feed's other records (from the index) and the stored
/// records and sources they name.
async fn check<C: ConnectionTrait>(
    db: &C,
    origin: &str,
    name: &str,
    index: &Index,
    nodes: Vec<Node>,
) -> Result<Result<Graph, Vec<Problem>>, LoadError> {
    let wanted = context::Wanted::of(&nodes);
    let own: HashSet<(Kind, &str)> = nodes.iter().map(|n| (n.kind, n.slug.as_str())).collect();
    // A record of the part itself is looked up in the database too: its key may belong to
    // another origin. The others may be records of the feed, in another part.
    let elsewhere: HashMap<Kind, Vec<String>> = wanted
        .records
        .iter()
        .map(|(&kind, slugs)| {
            let slugs = slugs.iter().filter(|s| !own.contains(&(kind, s.as_str())));
            (kind, slugs.cloned().collect())
        })
        .collect();
    let mut named = index.external(name, &elsewhere).await?;
    let in_feed: HashSet<(Kind, &str)> = named.iter().map(|n| (n.kind, n.slug.as_str())).collect();
    let mut stored: HashMap<Kind, HashSet<String>> = HashMap::new();
    for (&kind, slugs) in &wanted.records {
        for slug in slugs {
            if !in_feed.contains(&(kind, slug.as_str())) {
                stored.entry(kind).or_default().insert(slug.clone());
            }
        }
    }
    named.extend(context::records(db, origin, &stored).await?);
    let mut graph = Graph {
        sources: context::sources(db, &wanted.sources).await?,
        nodes,
        ..Default::default()
    };
    graph.nodes.extend(named);
    let policy = Policy {
        allow_source_urls: true,
    };
    Ok(validate_with(graph, vec![], policy))
}

/// How many records of `kind` `origin` has stored, and the slugs of those the feed no longer
/// carries.
async fn not_in_feed(
    txn: &DatabaseTransaction,
    kind: Kind,
    origin: &str,
    index: &Index,
) -> Result<(usize, Vec<String>), LoadError> {
    let select = Query::select()
        .column("slug")
        .from(kind.table())
        .and_where(Expr::col("origin").eq(origin))
        .to_owned();
    let mut rows = txn.stream(&select).await?;
    let (mut stored, mut gone) = (0, vec![]);
    let mut batch = vec![];
    loop {
        let row = rows.try_next().await?;
        if let Some(row) = &row {
            batch.push(row.try_get_by_index::<String>(0)?);
            stored += 1;
        }
        if batch.len() >= SEEN_BATCH || (row.is_none() && !batch.is_empty()) {
            let carried = index.carried(kind, &batch).await?;
            gone.extend(batch.drain(..).filter(|s| !carried.contains(s)));
        }
        if row.is_none() {
            return Ok((stored, gone));
        }
    }
}

/// Turns one feed record into a node through the seed files' own parser, so both formats (and
/// the seeds) accept exactly the same fields.
fn convert(name: &str, r: parse::Record, problems: &mut Vec<Problem>) -> Vec<Node> {
    let lines = Lines::fixed(name, r.line);
    let at = lines.loc(0);
    if !feed_kinds().any(|k| k.as_str() == r.kind) {
        let kinds: Vec<&str> = feed_kinds().map(Kind::as_str).collect();
        problems.push(Problem::new(
            &at,
            format!(
                "unknown type \"{}\" (feeds carry {} records)",
                r.kind,
                kinds.join(", ")
            ),
        ));
        return vec![];
    }
    let doc = Value::Object(Map::from_iter([(
        r.kind,
        Value::Array(vec![without_nulls(Value::Object(r.fields))]),
    )]));
    // One record's text at a time: the seed parser reads TOML with spans, which only a TOML
    // document provides.
    let parsed = toml::Value::try_from(doc)
        .map_err(|e| e.to_string())
        .and_then(|v| toml::to_string(&v).map_err(|e| e.to_string()))
        .and_then(|t| toml::from_str::<SeedFile>(&t).map_err(|e| e.message().trim().to_owned()));
    let file = match parsed {
        Ok(file) => file,
        Err(e) => {
            problems.push(Problem::new(&at, e));
            return vec![];
        }
    };
    let mut c = Converter {
        lines: &lines,
        problems,
    };
    file.records(&mut c)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZONE: &str = r#"{"type":"zone","slug":"a","name_zh":"甲区","kind":"district"}"#;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_second_pass_tells_a_file_that_changed_since_the_first() {
        let path =
            std::env::temp_dir().join(format!("baygraph-feed-{}.ndjson", std::process::id()));
        std::fs::write(&path, format!("{ZONE}\n")).expect("write");
        let source = Source {
            name: path.display().to_string(),
            path: path.clone(),
        };
        let (index, first, _) = build_index(&source).await.expect("first pass");
        let index = Arc::new(index);
        let read_again = |source: Source| {
            let index = index.clone();
            let runtime = Handle::current();
            tokio::task::spawn_blocking(move || {
                let (tx, mut rx) = mpsc::channel(8);
                source.parts(&index, &runtime, &tx);
                drop(tx);
                let mut reads = vec![];
                while let Some(piece) = rx.blocking_recv() {
                    if let Piece::Read(digest) = piece {
                        reads.push(digest);
                    }
                }
                reads
            })
        };
        let reads = read_again(source.clone()).await.expect("second pass");
        assert_eq!(reads, vec![first], "the same file");
        std::fs::write(&path, format!("{}\n", ZONE.replace("甲区", "乙区"))).expect("write");
        let reads = read_again(source).await.expect("second pass");
        std::fs::remove_file(&path).expect("remove");
        assert_eq!(reads.len(), 1);
        assert_ne!(reads[0], first, "a changed file hashes differently");
    }
}
