//! `loader load`: a seeds directory brought into the database while holding one batch of records
//! at a time, not the graph. Two readings of the kind files:
//!
//! 1. every record's key, names and parent ([`Names`]), with the sources and the lists that are
//!    not records (abbreviations, defined terms, ignored), which stay in memory;
//! 2. kind by kind in write order: each batch of records checked against those, then its rows
//!    written, the records' own first (a record after its parent), then the rows they own
//!    (relations, aliases, citations); last the mentions, source by source.
//!
//! All in one transaction: a problem anywhere, or a kind file that changed between readings,
//! writes nothing. Reading and parsing run on a blocking thread, a batch ahead of the checks
//! (on every core) and the writes.
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, Utc};
use entity::ids::Kind;
use indicatif::ProgressBar;
use rayon::prelude::*;
use sea_orm::{DatabaseConnection, DatabaseTransaction};
use tokio::sync::mpsc;

use std::sync::Arc;

use crate::mentions::MentionFinder;
use crate::name_index::NameIndex;
use crate::node::Named;
use crate::node::{Loc, Node, Problem};
use crate::read::{self, SeedSet};
use crate::rows::{self, Plan, Table};
use crate::validate::{self, Checker, Names, Policy};
use crate::write::{self, TableWrite, bulk};
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
        graph: mut shell,
        digests,
    } = set;
    // The plan makes rows; its graph holds no record (they are read batch by batch).
    let source_nodes = std::mem::take(&mut shell.nodes);
    for n in &source_nodes {
        names.add(n, &mut problems);
    }
    let stubs = names.stubs(true);
    // One automaton over every name, for the checks and then the mentions.
    let index = Arc::new(NameIndex::new(&stubs));
    validate::check_lists(&mut shell, &names, &index, &mut problems);
    let checker = Checker::new(&shell, &names, index.clone(), Policy::default());
    let plan = Plan::new(&shell, SEEDS_ORIGIN);
    let load = Load {
        dir: dir.to_owned(),
        digests: digests.into_iter().collect(),
        plan: &plan,
        source_nodes: &source_nodes,
        progress,
        allow_deletions: options.allow_deletions,
        now: Utc::now(),
    };
    progress.set_length(names.len() as u64);

    let (txn, tuned) = write::begin(db).await?;
    let mut summary = Summary::default();
    // The mentions are written last, and what they store is read only then, once the other
    // tables' stored keys are dropped: at `synth --scale 2000` a reload held both at its peak.
    let (mentions, owned): (Vec<Table>, Vec<Table>) =
        rows::owned_tables().partition(Plan::is_mentions);
    // Tables that are still empty are written without their plain indexes, built at the end.
    let mut every: Vec<&'static str> = rows::record_order().into_iter().map(Kind::table).collect();
    every.extend(owned.iter().chain(&mentions).map(|t| t.table));
    let deferred = bulk::defer_indexes(&txn, every).await?;
    let mut owned_writes = vec![];
    for t in &owned {
        owned_writes.push(TableWrite::open(&txn, t, SEEDS_ORIGIN, None).await?);
    }
    let mut tables: Vec<Table> = vec![];
    let mut gone: Vec<Vec<String>> = vec![];
    for kind in rows::record_order() {
        let mut pass = Pass {
            checker: &checker,
            names: &names,
            problems: &mut problems,
            owned: &owned,
            owned_writes: &mut owned_writes,
        };
        let (table, written) = load.kind(&txn, kind, &mut pass, &mut summary).await?;
        tables.push(table);
        gone.push(written);
    }
    if !problems.is_empty() {
        return Err(LoadError::Invalid(validate::sorted(problems)));
    }
    drop(checker);
    let zones = stubs
        .iter()
        .filter(|n| n.kind() == Kind::Zone)
        .map(|n| n.slug())
        .collect();
    plan.find_mentions_with(MentionFinder::over(index, zones, &shell.abbreviations));
    for (t, w) in owned.iter().zip(owned_writes) {
        let written = w.close(&txn, load.now).await?;
        gone.push(write::closed(&txn, t, written, false, &mut summary, load.now).await?);
    }
    let sources: Vec<usize> = (0..shell.sources.len()).collect();
    for t in &mentions {
        let mut w = TableWrite::open(&txn, t, SEEDS_ORIGIN, None).await?;
        for batch in sources.chunks(write::SOURCES_PER_BATCH) {
            w.apply(&txn, plan.rows(t, batch), load.now).await?;
        }
        let written = w.close(&txn, load.now).await?;
        gone.push(write::closed(&txn, t, written, false, &mut summary, load.now).await?);
    }
    tables.extend(owned);
    tables.extend(mentions);
    // Before the deletions: deleting a parent looks for its children through these indexes.
    bulk::restore(&txn, deferred).await?;
    let tables: Vec<&Table> = tables.iter().collect();
    write::delete_gone(&txn, &tables, &gone, SEEDS_ORIGIN, load.now).await?;
    write::finish(txn, tuned, load.now).await?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// What checking and writing one kind's records needs besides the [`Load`].
struct Pass<'p, 'a, 't> {
    checker: &'p Checker<'a>,
    names: &'p Names,
    problems: &'p mut Vec<Problem>,
    /// The tables of rows records own but the mentions, and their writes (open for every kind).
    owned: &'t [Table],
    owned_writes: &'p mut [TableWrite<'t>],
}

/// Checks `batch` on every core; returns the problems found.
fn check(checker: &Checker<'_>, batch: &mut [Node]) -> Vec<Problem> {
    batch
        .par_iter_mut()
        .flat_map_iter(|n| {
            let mut found = vec![];
            checker.check(n, &mut found);
            found
        })
        .collect()
}

/// What every kind's reading shares.
struct Load<'a> {
    dir: PathBuf,
    /// Each kind file's SHA-256 at the first reading.
    digests: HashMap<String, [u8; 32]>,
    plan: &'a Plan<'a>,
    /// The sources' records (their texts are the plan's).
    source_nodes: &'a [Node],
    progress: &'a ProgressBar,
    allow_deletions: bool,
    now: DateTime<Utc>,
}

impl Load<'_> {
    /// Checks every record of `kind` and, while no problem is found, writes its rows: its own
    /// (parents before their children), then those it owns. Returns the kind's table and the
    /// keys of its stored rows not in the seeds.
    async fn kind(
        &self,
        txn: &DatabaseTransaction,
        kind: Kind,
        pass: &mut Pass<'_, '_, '_>,
        summary: &mut Summary,
    ) -> Result<(Table, Vec<String>), LoadError> {
        let mut batches = self.batches(kind);
        let first = batches.next().await?;
        // The table's columns are those its records have.
        let table = rows::record_table(kind, first.as_ref().and_then(|b| b.first()));
        let mut write = TableWrite::open(txn, &table, SEEDS_ORIGIN, None).await?;
        let mut order = ParentsFirst::new(pass.names.has_tree(kind));
        let mut next = first;
        while let Some(mut batch) = next {
            pass.problems.extend(check(pass.checker, &mut batch));
            self.progress.inc(batch.len() as u64);
            if pass.problems.is_empty() {
                let ready = order.order(batch, |n| (&n.slug, validate::tree_parent(n)));
                self.write(txn, &table, &mut write, pass, ready).await?;
            }
            next = batches.next().await?;
        }
        let rest = order.rest();
        self.write(txn, &table, &mut write, pass, rest).await?;
        let written = write.close(txn, self.now).await?;
        // A load with problems writes nothing: they are reported, not the deletions they cause.
        let guard = !self.allow_deletions && pass.problems.is_empty();
        let gone = write::closed(txn, &table, written, guard, summary, self.now).await?;
        Ok((table, gone))
    }

    /// Writes `nodes`' own rows, then (once those are in the table, where the owned rows'
    /// foreign keys look) the rows they own; the mentions come at the end of the load.
    async fn write(
        &self,
        txn: &DatabaseTransaction,
        table: &Table,
        write: &mut TableWrite<'_>,
        pass: &mut Pass<'_, '_, '_>,
        nodes: Vec<Node>,
    ) -> Result<(), LoadError> {
        let refs: Vec<&Node> = nodes.iter().collect();
        write
            .apply(txn, self.plan.node_rows(table, &refs), self.now)
            .await?;
        write.flush(txn, self.now).await?;
        // (`owned` holds no mentions table: mentions are found in the sources at the end.)
        for (t, w) in pass.owned.iter().zip(pass.owned_writes.iter_mut()) {
            w.apply(txn, self.plan.node_rows(t, &refs), self.now)
                .await?;
        }
        Ok(())
    }

    /// The records of `kind`, [`BATCH`] at a time: the sources' from memory, the others read
    /// again from their file on a blocking thread.
    fn batches(&self, kind: Kind) -> Batches<'_> {
        if kind == Kind::Source {
            // A source's row carries its whole text: a few sources at a time.
            let held = self.source_nodes.chunks(write::SOURCES_PER_BATCH);
            return Batches::Held(held.map(<[Node]>::to_vec).collect());
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
type Reading = Result<(String, Option<[u8; 32]>), Problem>;

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
        if digests.get(&name).copied() != digest {
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

/// Holds back a record whose parent (of its own kind) has not been written yet, so no row ever
/// points at a parent that is not there: the self-referencing foreign keys of zones, platforms
/// and sectors, and the rows a record owns. Seed files list parents first, so little waits.
struct ParentsFirst<T> {
    /// Whether the kind forms a tree at all.
    tree: bool,
    met: HashSet<String>,
    /// Records waiting for the parent they are keyed under.
    waiting: HashMap<String, Vec<T>>,
}

impl<T> ParentsFirst<T> {
    fn new(tree: bool) -> Self {
        ParentsFirst {
            tree,
            met: HashSet::new(),
            waiting: HashMap::new(),
        }
    }

    /// Orders `items` (records of the kind; `key` gives a record's slug and parent): each after
    /// its parent; those whose parent is yet to come wait for it.
    fn order(&mut self, items: Vec<T>, key: impl Fn(&T) -> (&str, Option<&str>)) -> Vec<T> {
        if !self.tree {
            return items;
        }
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match key(&item).1 {
                Some(up) if !self.met.contains(up) => {
                    let up = up.to_owned();
                    self.waiting.entry(up).or_default().push(item);
                }
                _ => self.release(item, &key, &mut out),
            }
        }
        out
    }

    fn release(&mut self, item: T, key: &impl Fn(&T) -> (&str, Option<&str>), out: &mut Vec<T>) {
        let mut stack = vec![item];
        while let Some(item) = stack.pop() {
            let slug = key(&item).0.to_owned();
            if let Some(children) = self.waiting.remove(&slug) {
                stack.extend(children);
            }
            self.met.insert(slug);
            out.push(item);
        }
    }

    /// Records still waiting at the end (their parent is not in the seeds, which validation
    /// reports): written last.
    fn rest(&mut self) -> Vec<T> {
        self.waiting.drain().flat_map(|(_, items)| items).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_waits_for_its_parent_and_leaves_with_it() {
        let mut order = ParentsFirst::new(true);
        let record = |slug: &'static str, up: Option<&'static str>| (slug, up);
        fn key<'r>(r: &'r (&'static str, Option<&'static str>)) -> (&'r str, Option<&'r str>) {
            (r.0, r.1)
        }
        let slugs = |records: Vec<(&str, Option<&str>)>| -> Vec<String> {
            records.into_iter().map(|r| r.0.to_owned()).collect()
        };
        // A grandchild and a child come first: both wait.
        let batch = vec![
            record("town", Some("district")),
            record("district", Some("city")),
        ];
        assert!(order.order(batch, key).is_empty());
        // The root lets both out, each after its parent.
        let batch = vec![record("other", None), record("city", None)];
        assert_eq!(
            slugs(order.order(batch, key)),
            ["other", "city", "district", "town"]
        );
        assert!(order.rest().is_empty());
    }
}
