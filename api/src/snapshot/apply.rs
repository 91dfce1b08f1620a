//! Keeping a snapshot current: the records the change log names after its cursor are read
//! again, and the next snapshot is this one with only the chunks and order pieces they touch
//! rebuilt — time and memory in proportion to the change, not to the graph. Many changes at
//! once (or a change log that no longer reaches back to the cursor) rebuild it whole instead.
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use entity::ids::{Key, Kind};
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::Snapshot;
use super::build::{BuildError, sort_all};
use super::chunk::{CHUNK, Chunk, Resolve};
use super::data::{Dir, Id, Link, MentionData, RecordData};
use super::order::{OrderField, OrderList};
use super::read::{Raw, Reader, Which};
use super::text::CharIndex;

/// Above this many changed records (or this share of the graph) a rebuild is cheaper.
const MOST_CHANGES: usize = 20_000;
const MOST_SHARE: usize = 10;

/// One change-log entry: the record and whether it still exists.
struct Changed {
    key: Key,
    deleted: bool,
}

impl Snapshot {
    /// The snapshot after every change committed since this one's cursor; `None` when nothing
    /// changed.
    pub async fn advance(
        self: &Arc<Self>,
        db: &DatabaseConnection,
    ) -> Result<Option<Snapshot>, BuildError> {
        let txn = crate::feeds::snapshot(db).await?;
        let cursor = crate::feeds::changelog::cursor(&txn).await?;
        if cursor == self.cursor {
            txn.commit().await?;
            return Ok(None);
        }
        let floor = crate::feeds::changelog::floor(&txn).await?;
        let changed = changes_between(&txn, self.cursor, cursor).await?;
        let live: usize = Kind::ALL.iter().map(|k| self.count(*k)).sum();
        let holes = self.next as usize - live;
        if floor > self.cursor
            || changed.len() > MOST_CHANGES.max(live / MOST_SHARE)
            || holes > live / 4 + CHUNK
        {
            txn.commit().await?;
            return Snapshot::build(db).await.map(Some);
        }
        let mut raw = Raw::default();
        let mut by_kind: HashMap<Kind, Vec<String>> = HashMap::new();
        for c in changed.iter().filter(|c| !c.deleted) {
            by_kind
                .entry(c.key.kind)
                .or_default()
                .push(c.key.slug.clone());
        }
        for (kind, slugs) in &by_kind {
            let these = Reader {
                db: &txn,
                which: Which::Slugs(slugs),
            };
            these.kind(*kind, &mut raw).await?;
        }
        let sources: Vec<String> = changed
            .iter()
            .filter(|c| c.key.kind == Kind::Source)
            .map(|c| c.key.slug.clone())
            .collect();
        let changed_sources = Reader {
            db: &txn,
            which: Which::Slugs(&sources),
        };
        changed_sources.mentions_in(&mut raw).await?;
        txn.commit().await?;
        let old = self.clone();
        Ok(Some(
            tokio::task::spawn_blocking(move || apply(&old, cursor, &changed, raw)).await?,
        ))
    }
}

/// The latest change of every record changed in `(after, upto]`.
async fn changes_between<C: ConnectionTrait>(
    db: &C,
    after: i64,
    upto: i64,
) -> Result<Vec<Changed>, sea_orm::DbErr> {
    let stmt = Query::select()
        .columns(["kind", "slug", "op"])
        .from("changes")
        .and_where(Expr::col("seq").gt(after))
        .and_where(Expr::col("seq").lte(upto))
        .order_by("seq", Order::Asc)
        .to_owned();
    let mut latest: HashMap<Key, bool> = HashMap::new();
    for row in db.query_all(&stmt).await? {
        let kind: String = row.try_get_by_index(0)?;
        let Some(kind) = Kind::parse(&kind) else {
            tracing::error!(kind, "the change log names an unknown kind");
            continue;
        };
        let op: String = row.try_get_by_index(2)?;
        latest.insert(
            Key::new(kind, row.try_get_by_index::<String>(1)?),
            op == "delete",
        );
    }
    Ok(latest
        .into_iter()
        .map(|(key, deleted)| Changed { key, deleted })
        .collect())
}

/// The records being edited: decoded chunks and records new in this change.
struct Work<'a> {
    old: &'a Snapshot,
    chunks: HashMap<usize, Vec<RecordData>>,
    added: HashMap<Key, Id>,
    gone: HashSet<Id>,
    next: u32,
    /// Character indexes of changed sources.
    sources: HashMap<Id, Arc<CharIndex>>,
}

impl Work<'_> {
    fn get(&mut self, id: Id) -> &mut RecordData {
        let (c, i) = (id.index() / CHUNK, id.index() % CHUNK);
        let old = self.old;
        let records = self.chunks.entry(c).or_insert_with(|| {
            // A chunk past the last one is new: it starts empty.
            old.chunks
                .get(c)
                .map(|chunk| chunk.decode(old))
                .unwrap_or_default()
        });
        while records.len() <= i {
            // A new record's slot, filled by the caller.
            let mut placeholder = RecordData::new(Kind::Zone, String::new(), String::new());
            placeholder.deleted = true;
            records.push(placeholder);
        }
        &mut records[i]
    }

    fn find(&self, key: &Key) -> Option<Id> {
        if let Some(id) = self.added.get(key) {
            return Some(*id);
        }
        self.old.find_key(key).filter(|id| !self.gone.contains(id))
    }

    /// Removes every link of `id` in `dir` (and the mirror at the other end); the other ends.
    fn unlink(&mut self, id: Id, dir: Dir) -> Vec<Id> {
        let links: Vec<Link> = self
            .get(id)
            .links
            .iter()
            .filter(|l| l.dir == dir)
            .copied()
            .collect();
        self.get(id).links.retain(|l| l.dir != dir);
        for l in &links {
            let mirror = Link {
                dir: flip(dir),
                other: id,
                ..*l
            };
            self.get(l.other).links.retain(|x| *x != mirror);
        }
        links.into_iter().map(|l| l.other).collect()
    }

    /// Removes every mention of `id` and the mirrors at the other ends.
    fn unmention(&mut self, id: Id) {
        let mentions = std::mem::take(&mut self.get(id).mentions);
        for m in mentions {
            self.get(m.other).mentions.retain(|x| x.other != id);
        }
    }
}

fn flip(dir: Dir) -> Dir {
    match dir {
        Dir::Out => Dir::In,
        Dir::In => Dir::Out,
    }
}

/// The next snapshot: `old` with `changed` applied from what was read (`raw`).
fn apply(old: &Snapshot, cursor: i64, changed: &[Changed], raw: Raw) -> Snapshot {
    let mut work = Work {
        old,
        chunks: HashMap::new(),
        added: HashMap::new(),
        gone: HashSet::new(),
        next: old.next,
        sources: HashMap::new(),
    };
    // Records whose place in an order may move: the changed ones and both ends of every link
    // removed or added (their degree can change).
    let mut moved: BTreeSet<Id> = BTreeSet::new();
    let upserted: HashSet<&Key> = changed
        .iter()
        .filter(|c| !c.deleted)
        .map(|c| &c.key)
        .collect();
    for c in changed {
        let Some(id) = old.find_key(&c.key) else {
            continue;
        };
        moved.insert(id);
        // Gone or restated: what the record stated goes, and so do its mentions.
        moved.extend(work.unlink(id, Dir::Out));
        work.unmention(id);
        if c.deleted {
            moved.extend(work.unlink(id, Dir::In));
            work.get(id).deleted = true;
            work.gone.insert(id);
        }
    }
    // Changed sources: their mentions are read again below, so drop the ones they hold.
    for r in raw.records.iter().filter(|r| r.kind == Kind::Source) {
        if let Some(id) = old.find(Kind::Source, &r.slug) {
            work.unmention(id);
        }
    }
    // The records as they are now, in place of the old ones (links pointing at them stay).
    let Raw {
        records,
        refs,
        aliases,
        cites,
        mentions,
        milestones,
    } = raw;
    for mut r in records {
        let key = Key::new(r.kind, r.slug.as_str());
        if !upserted.contains(&key) {
            continue;
        }
        let id = match old.find_key(&key) {
            Some(id) => id,
            None => {
                let id = Id(work.next);
                work.next += 1;
                work.added.insert(key, id);
                id
            }
        };
        moved.insert(id);
        let slot = work.get(id);
        r.links = std::mem::take(&mut slot.links);
        r.mentions = std::mem::take(&mut slot.mentions);
        *slot = r;
    }
    for r in refs {
        let (Some(owner), Some(target)) = (work.find(&r.owner), work.find(&r.target)) else {
            tracing::error!(owner = %r.owner, target = %r.target, "a relation names a record the graph does not hold");
            continue;
        };
        let (out, back) = r.ends(owner, target);
        work.get(owner).links.push(out);
        work.get(target).links.push(back);
        moved.extend([owner, target]);
    }
    for (key, alias) in aliases {
        if let Some(id) = work.find(&key) {
            work.get(id).aliases.push(alias);
        }
    }
    for c in cites {
        let Some(id) = work.find(&c.owner) else {
            continue;
        };
        let mut data = c.data;
        data.source = c.source.and_then(|s| work.find(&Key::new(Kind::Source, s)));
        work.get(id).cites.push(data);
    }
    for m in mentions {
        let (Some(entity), Some(source)) = (
            work.find(&m.entity),
            work.find(&Key::new(Kind::Source, m.source)),
        ) else {
            continue;
        };
        work.get(entity).mentions.push(MentionData {
            other: source,
            start: m.start,
            end: m.end,
        });
        work.get(source).mentions.push(MentionData {
            other: entity,
            start: m.start,
            end: m.end,
        });
    }
    for (project, m) in milestones {
        if let Some(id) = work.find(&Key::new(Kind::Project, project)) {
            work.get(id).milestones.push(m);
        }
    }
    // Source texts that changed: new character indexes.
    for (c, records) in &work.chunks {
        for (i, r) in records.iter().enumerate() {
            let id = Id((c * CHUNK + i) as u32);
            if r.kind == Kind::Source
                && !r.deleted
                && upserted.contains(&Key::new(r.kind, r.slug.as_str()))
            {
                work.sources.insert(
                    id,
                    // `body` is NOT NULL: every source has a text.
                    Arc::new(CharIndex::new(r.extra("body").unwrap_or_default())),
                );
            }
        }
    }
    for records in work.chunks.values_mut() {
        records.iter_mut().for_each(RecordData::normalise);
    }
    finish(work, cursor, moved)
}

/// Encodes the edited chunks and moves the changed records in every order.
fn finish(work: Work<'_>, cursor: i64, moved: BTreeSet<Id>) -> Snapshot {
    let old = work.old;
    let mut orders = old.orders.clone();
    if orders.is_empty() {
        orders = sort_all(old);
    }
    // Out of the orders, where the old snapshot places them.
    in_orders(&mut orders, old, &moved, |list, id, field| {
        list.remove(id, |x| old.compare(x, id, field).is_lt());
    });
    let mut sources = old.sources.clone();
    for id in &work.gone {
        sources.remove(id);
    }
    sources.extend(work.sources.iter().map(|(k, v)| (*k, v.clone())));
    let resolve = WorkResolve {
        work: &work,
        sources: &sources,
    };
    let mut chunks = old.chunks.clone();
    let mut edited: Vec<usize> = work.chunks.keys().copied().collect();
    edited.sort_unstable();
    for c in edited {
        let encoded = Arc::new(Chunk::encode(&work.chunks[&c], &resolve));
        if c < chunks.len() {
            chunks[c] = encoded;
        } else {
            while chunks.len() < c {
                chunks.push(Arc::new(Chunk::default()));
            }
            chunks.push(encoded);
        }
    }
    let mut next = Snapshot {
        cursor,
        chunks,
        orders,
        sources,
        next: work.next,
    };
    // Into the orders, where the new snapshot places them.
    let mut orders = std::mem::take(&mut next.orders);
    in_orders(&mut orders, &next, &moved, |list, id, field| {
        list.insert(id, |x| next.compare(x, id, field).is_lt());
    });
    next.orders = orders;
    next
}

/// Calls `edit` with every order list of each live record in `moved` (its kind's list for each
/// field), as `snap` sees the record.
fn in_orders(
    orders: &mut [Vec<OrderList>],
    snap: &Snapshot,
    moved: &BTreeSet<Id>,
    mut edit: impl FnMut(&mut OrderList, Id, OrderField),
) {
    for id in moved {
        let r = snap.rec(*id);
        if !r.is_live() {
            continue;
        }
        for field in OrderField::ALL {
            if let Some(list) = orders
                .get_mut(r.kind() as usize)
                .and_then(|o| o.get_mut(field.slot()))
            {
                edit(list, *id, field);
            }
        }
    }
}

/// Keys and texts as the next snapshot will have them: edited records first, then the old ones.
struct WorkResolve<'a> {
    work: &'a Work<'a>,
    sources: &'a HashMap<Id, Arc<CharIndex>>,
}

impl WorkResolve<'_> {
    fn edited(&self, id: Id) -> Option<&RecordData> {
        self.work
            .chunks
            .get(&(id.index() / CHUNK))?
            .get(id.index() % CHUNK)
    }
}

impl Resolve for WorkResolve<'_> {
    fn id_of(&self, kind: Kind, slug: &str) -> Option<Id> {
        self.work.find(&Key::new(kind, slug))
    }

    fn key_of(&self, id: Id) -> Option<Key> {
        match self.edited(id) {
            Some(r) => Some(Key::new(r.kind, r.slug.as_str())),
            None => self.work.old.key_of(id),
        }
    }

    fn source_text(&self, source: Id) -> Option<(&str, &CharIndex)> {
        let index = self.sources.get(&source)?;
        let text = match self.edited(source) {
            Some(r) => r.extra("body")?,
            None => self.work.old.source_body(source),
        };
        Some((text, index))
    }
}
