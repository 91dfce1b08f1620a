//! `loader load`: a seeds directory brought into the database while holding one batch of records
//! at a time, not the graph. Three readings of the kind files:
//!
//! 1. every record's key, names and parent ([`Names`]), with the sources and the lists that are
//!    not records (abbreviations, defined terms, ignored), which stay in memory;
//! 2. kind by kind in write order: each record checked against those and its row written
//!    (parents before their children);
//! 3. kind by kind again: the rows records own (relations, aliases, citations); then the
//!    mentions, source by source.
//!
//! All in one transaction: a problem anywhere, or a kind file that changed between readings,
//! writes nothing. Reading and parsing run on a blocking thread, a batch ahead of the checks
//! and the writes.
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, Utc};
use entity::ids::Kind;
use indicatif::ProgressBar;
use rayon::prelude::*;
use sea_orm::{DatabaseConnection, DatabaseTransaction};
use tokio::sync::mpsc;

use crate::mentions::MentionFinder;
use crate::node::{Loc, Node, Problem};
use crate::read::{self, SeedSet};
use crate::rows::{self, Plan, Row, Table};
use crate::validate::{self, Checker, Graph, Names, Policy};
use crate::write::{self, TableWrite};
use crate::{LoadError, LoadOptions, SEEDS_ORIGIN, Summary};

/// Records checked and written at a time (as many as a whole-graph write makes rows of).
const BATCH: usize = write::BATCH_UNITS;

/// Validates `dir` and brings the database to exactly its content, in one transaction.
pub async fn load(
    db: &DatabaseConnection,
    dir: &Path,
    options: &LoadOptions,
    progress: &ProgressBar,
) -> Result<Summary, LoadError> {
    let started = Instant::now();
    let mut names = Names::default();
    let mut noted = vec![];
    let (set, mut problems) = read::read_dir_with(dir, &options.allow_empty, &mut |nodes| {
        for n in &nodes {
            names.add(n, &mut noted);
        }
    });
    problems.extend(noted);
    let SeedSet {
        sources,
        nodes: source_nodes,
        ignored,
        mut abbreviations,
        mut defined_terms,
        digests,
    } = set;
    for n in &source_nodes {
        names.add(n, &mut problems);
    }
    validate::check_lists(
        &sources,
        &names,
        &ignored,
        &mut abbreviations,
        &mut defined_terms,
        &mut problems,
    );
    // The plan makes rows; its graph holds no record (they are read batch by batch).
    let shell = Graph {
        sources,
        abbreviations,
        defined_terms,
        ignored,
        nodes: vec![],
    };
    let checker = Checker::new(
        &shell.sources,
        &names,
        &shell.abbreviations,
        &shell.defined_terms,
        Policy::default(),
    );
    let plan = Plan::new(&shell, SEEDS_ORIGIN);
    let load = Load {
        dir: dir.to_owned(),
        digests: digests.into_iter().collect(),
        checker: &checker,
        plan: &plan,
        source_nodes: &source_nodes,
        source_count: shell.sources.len(),
        progress,
        allow_deletions: options.allow_deletions,
        now: Utc::now(),
    };
    progress.set_length(2 * names.len() as u64);

    let (txn, tuned) = write::begin(db).await?;
    let mut summary = Summary::default();
    let mut tables: Vec<Table> = vec![];
    let mut gone: Vec<Vec<String>> = vec![];
    for kind in rows::record_order() {
        let (table, written) = load
            .records(&txn, kind, &names, &mut problems, &mut summary)
            .await?;
        tables.push(table);
        gone.push(written);
    }
    if !problems.is_empty() {
        return Err(LoadError::Invalid(validate::sorted(problems)));
    }
    let stubs = names.stubs(false);
    plan.find_mentions_with(MentionFinder::new(&stubs, &shell.abbreviations));
    let owned: Vec<Table> = rows::owned_tables().collect();
    gone.extend(load.owned(&txn, &owned, &mut summary).await?);
    tables.extend(owned);
    let tables: Vec<&Table> = tables.iter().collect();
    write::delete_gone(&txn, &tables, &gone, SEEDS_ORIGIN, load.now).await?;
    write::finish(txn, tuned, load.now).await?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// What the second and third readings share.
struct Load<'a> {
    dir: PathBuf,
    /// Each kind file's SHA-256 at the first reading.
    digests: HashMap<String, [u8; 32]>,
    checker: &'a Checker<'a>,
    plan: &'a Plan<'a>,
    /// The sources' records (their texts are the plan's).
    source_nodes: &'a [Node],
    source_count: usize,
    progress: &'a ProgressBar,
    allow_deletions: bool,
    now: DateTime<Utc>,
}

impl Load<'_> {
    /// Checks every record of `kind` and, while no problem is found, writes its row: parents
    /// before their children. Returns the table and the keys of its stored rows not in the seeds.
    async fn records(
        &self,
        txn: &DatabaseTransaction,
        kind: Kind,
        names: &Names,
        problems: &mut Vec<Problem>,
        summary: &mut Summary,
    ) -> Result<(Table, Vec<String>), LoadError> {
        let mut batches = self.batches(kind);
        let first = batches.next().await?;
        // The table's columns are those its records have.
        let table = rows::record_table(kind, first.as_ref().and_then(|b| b.first()));
        let mut write = TableWrite::open(txn, &table, SEEDS_ORIGIN, None).await?;
        let mut order = ParentsFirst::new(names, kind);
        let mut next = first;
        while let Some(mut batch) = next {
            problems.extend(self.check(&mut batch));
            self.progress.inc(batch.len() as u64);
            if problems.is_empty() {
                let parents: HashMap<String, String> = batch
                    .iter()
                    .filter_map(|n| {
                        validate::tree_parent(n).map(|up| (n.slug.clone(), up.to_owned()))
                    })
                    .collect();
                let refs: Vec<&Node> = batch.iter().collect();
                let rows = order.order(self.plan.node_rows(&table, &refs), &parents);
                write.apply(txn, rows, self.now).await?;
            }
            next = batches.next().await?;
        }
        write.apply(txn, order.rest(), self.now).await?;
        let written = write.close(txn, self.now).await?;
        // A load with problems writes nothing: they are reported, not the deletions they cause.
        let guard = !self.allow_deletions && problems.is_empty();
        let gone = write::closed(txn, &table, written, guard, summary, self.now).await?;
        Ok((table, gone))
    }

    /// Checks `batch` on every core; returns the problems found.
    fn check(&self, batch: &mut [Node]) -> Vec<Problem> {
        batch
            .par_iter_mut()
            .flat_map_iter(|n| {
                let mut found = vec![];
                self.checker.check(n, &mut found);
                found
            })
            .collect()
    }

    /// Writes the rows records own, reading every kind file once more, then the mentions.
    /// Returns, table by table, the keys of stored rows not in the seeds.
    async fn owned(
        &self,
        txn: &DatabaseTransaction,
        tables: &[Table],
        summary: &mut Summary,
    ) -> Result<Vec<Vec<String>>, LoadError> {
        let mut writes = vec![];
        for t in tables {
            writes.push(TableWrite::open(txn, t, SEEDS_ORIGIN, None).await?);
        }
        for kind in rows::record_order() {
            let mut batches = self.batches(kind);
            while let Some(mut batch) = batches.next().await? {
                // Checked in the second reading: this finds the same evidence again.
                self.check(&mut batch);
                self.progress.inc(batch.len() as u64);
                let refs: Vec<&Node> = batch.iter().collect();
                for (t, w) in tables.iter().zip(&mut writes) {
                    if !Plan::is_mentions(t) {
                        w.apply(txn, self.plan.node_rows(t, &refs), self.now)
                            .await?;
                    }
                }
            }
        }
        for (t, w) in tables.iter().zip(&mut writes) {
            if Plan::is_mentions(t) {
                let sources: Vec<usize> = (0..self.source_count).collect();
                for batch in sources.chunks(write::SOURCES_PER_BATCH) {
                    w.apply(txn, self.plan.rows(t, batch), self.now).await?;
                }
            }
        }
        let mut gone = vec![];
        for (t, w) in tables.iter().zip(writes) {
            let written = w.close(txn, self.now).await?;
            gone.push(write::closed(txn, t, written, false, summary, self.now).await?);
        }
        Ok(gone)
    }

    /// The records of `kind`, [`BATCH`] at a time: the sources' from memory, the others read
    /// again from their file on a blocking thread.
    fn batches(&self, kind: Kind) -> Batches<'_> {
        if kind == Kind::Source {
            return Batches::Held(
                self.source_nodes
                    .chunks(BATCH)
                    .map(<[Node]>::to_vec)
                    .collect(),
            );
        }
        let (tx, rx) = mpsc::channel::<Vec<Node>>(2);
        let dir = self.dir.clone();
        let reader = tokio::task::spawn_blocking(move || {
            let mut batch = vec![];
            let mut open = true;
            let read = read::reread_kind(&dir, kind, &mut |nodes| {
                batch.extend(nodes);
                if open && batch.len() >= BATCH {
                    open = tx.blocking_send(std::mem::take(&mut batch)).is_ok();
                }
            });
            if open && !batch.is_empty() {
                // A closed receiver has stopped the load already.
                let _ = tx.blocking_send(batch);
            }
            read
        });
        Batches::Read {
            rx,
            reader: Some(reader),
            digests: &self.digests,
        }
    }
}

/// How a reading of a kind file ended: the file's name and the SHA-256 of what was read.
type Reading = Result<(String, [u8; 32]), Problem>;

/// One kind's records as they come.
enum Batches<'a> {
    /// Records already in memory (the sources').
    Held(VecDeque<Vec<Node>>),
    /// Records read again from their file.
    Read {
        rx: mpsc::Receiver<Vec<Node>>,
        reader: Option<tokio::task::JoinHandle<Reading>>,
        /// The first reading's digests, which this reading must come to.
        digests: &'a HashMap<String, [u8; 32]>,
    },
}

impl Batches<'_> {
    /// The next batch; `None` once the file was read to its end, unchanged since the first
    /// reading.
    async fn next(&mut self) -> Result<Option<Vec<Node>>, LoadError> {
        let (rx, reader, digests) = match self {
            Batches::Held(batches) => return Ok(batches.pop_front()),
            Batches::Read {
                rx,
                reader,
                digests,
            } => (rx, reader, digests),
        };
        if let Some(batch) = rx.recv().await {
            return Ok(Some(batch));
        }
        let Some(reader) = reader.take() else {
            return Ok(None);
        };
        let read = reader.await.map_err(|e| LoadError::Io {
            path: "seeds".to_owned(),
            source: std::io::Error::other(e),
        })?;
        let (name, digest) = read.map_err(|stop| LoadError::Invalid(vec![stop]))?;
        if digests.get(&name).copied().unwrap_or([0; 32]) != digest {
            let at = Loc {
                file: name.into(),
                line: 1,
            };
            return Err(LoadError::Invalid(vec![Problem::file(
                &at,
                "the file changed while it was loaded; nothing was written, load again",
            )]));
        }
        Ok(None)
    }
}

/// Holds back the row of a record whose parent (of its own kind) has not been written yet, so
/// no row ever points at a parent that is not there: the self-referencing foreign keys of
/// zones, platforms and sectors. Seed files list parents first, so little waits.
struct ParentsFirst {
    /// Whether the kind forms a tree at all.
    tree: bool,
    met: HashSet<String>,
    /// Rows waiting for the parent they are keyed under.
    waiting: HashMap<String, Vec<Row>>,
}

impl ParentsFirst {
    fn new(names: &Names, kind: Kind) -> Self {
        ParentsFirst {
            tree: names.has_tree(kind),
            met: HashSet::new(),
            waiting: HashMap::new(),
        }
    }

    /// Orders `rows` (records of the kind): each row after its parent's; rows whose parent is
    /// yet to come wait for it.
    fn order(&mut self, rows: Vec<Row>, parents: &HashMap<String, String>) -> Vec<Row> {
        if !self.tree {
            return rows;
        }
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            match parents.get(&row.key) {
                Some(up) if !self.met.contains(up) => {
                    self.waiting.entry(up.clone()).or_default().push(row);
                }
                _ => self.release(row, &mut out),
            }
        }
        out
    }

    fn release(&mut self, row: Row, out: &mut Vec<Row>) {
        let mut stack = vec![row];
        while let Some(row) = stack.pop() {
            self.met.insert(row.key.clone());
            if let Some(children) = self.waiting.remove(&row.key) {
                stack.extend(children);
            }
            out.push(row);
        }
    }

    /// Rows still waiting at the end (their parent is not in the seeds, which validation
    /// reports): written last.
    fn rest(&mut self) -> Vec<Row> {
        self.waiting.drain().flat_map(|(_, rows)| rows).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(key: &str) -> Row {
        Row {
            key: key.to_owned(),
            hash: None,
            cells: vec![],
        }
    }

    #[test]
    fn a_row_waits_for_its_parent_and_leaves_with_it() {
        let mut order = ParentsFirst {
            tree: true,
            met: HashSet::new(),
            waiting: HashMap::new(),
        };
        let parents: HashMap<String, String> = [("district", "city"), ("town", "district")]
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
            .into();
        let keys = |rows: Vec<Row>| rows.into_iter().map(|r| r.key).collect::<Vec<_>>();
        // A grandchild and a child come first: both wait.
        assert!(keys(order.order(vec![row("town"), row("district")], &parents)).is_empty());
        // The root lets both out, each after its parent.
        let out = keys(order.order(vec![row("other"), row("city")], &parents));
        assert_eq!(out, ["other", "city", "district", "town"]);
        assert!(order.rest().is_empty());
    }
}
