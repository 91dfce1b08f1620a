//! Brings the database to exactly the desired rows in one transaction: upserts records whose content
//! hash changed, inserts new relation rows, deletes what is gone (leaving tombstones), and keeps the
//! change log at one row per record (its latest change). Rows are made and written batch by batch;
//! statements are multi-row, never one round trip per row.
use std::collections::HashSet;
use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, OnConflict, Query, Value};
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, TransactionTrait};

use entity::ids::{Kind, record_key};

use crate::LoadError;
use crate::node::Cell;
use crate::rows::{Owner, Plan, Row, Table};
use crate::validate::Graph;

pub mod bulk;
mod stored;
pub mod tune;

use stored::{Status, Stored};

/// Bind parameters per statement stay far below SQLite's 32 766 and PostgreSQL's 65 535.
const MAX_BINDS: usize = 30_000;
const MAX_ROWS_PER_STATEMENT: usize = 1_000;

/// What a load did to one table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableSummary {
    pub table: &'static str,
    pub inserted: usize,
    pub updated: usize,
    pub deleted: usize,
    pub unchanged: usize,
}

/// What a load did, table by table.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub tables: Vec<TableSummary>,
    pub elapsed: Duration,
}

impl Summary {
    pub fn table(&self, name: &str) -> Option<&TableSummary> {
        self.tables.iter().find(|t| t.table == name)
    }

    /// Adds `t`'s counts to those of its table.
    pub fn add(&mut self, t: TableSummary) {
        match self.tables.iter_mut().find(|s| s.table == t.table) {
            Some(s) => {
                s.inserted += t.inserted;
                s.updated += t.updated;
                s.deleted += t.deleted;
                s.unchanged += t.unchanged;
            }
            None => self.tables.push(t),
        }
    }

    /// True when the load wrote nothing at all.
    pub fn is_noop(&self) -> bool {
        self.tables
            .iter()
            .all(|t| t.inserted == 0 && t.updated == 0 && t.deleted == 0)
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<22} {:>9} {:>9} {:>9} {:>9}",
            "table", "inserted", "updated", "deleted", "unchanged"
        )?;
        for t in &self.tables {
            writeln!(
                f,
                "{:<22} {:>9} {:>9} {:>9} {:>9}",
                t.table, t.inserted, t.updated, t.deleted, t.unchanged
            )?;
        }
        write!(f, "took {:.2?}", self.elapsed)
    }
}

fn value(cell: Cell) -> Value {
    match cell {
        Cell::Text(v) => Value::String(v),
        Cell::Int(v) => Value::Int(v.map(|x| x as i32)),
        Cell::Float(v) => Value::Double(v),
        Cell::Bool(v) => Value::Bool(Some(v)),
    }
}

fn custom(e: impl fmt::Display) -> DbErr {
    DbErr::Custom(e.to_string())
}

/// The largest share of a kind's stored records a load deletes without `allow_deletions`…
pub const DELETION_GUARD: f64 = 0.2;
/// …once it deletes more than this many (small edits to small kinds pass).
const DELETION_GUARD_MIN: usize = 10;

/// Records turned into rows and written at a time.
pub(crate) const BATCH_UNITS: usize = 2_000;
/// Sources whose mentions are found and written at a time.
pub(crate) const SOURCES_PER_BATCH: usize = 20;

/// Starts a load's transaction with the load's connection settings.
pub async fn begin(db: &DatabaseConnection) -> Result<(DatabaseTransaction, tune::Tuned), DbErr> {
    let txn = db.begin().await?;
    let tuned = tune::begin(&txn).await?;
    Ok((txn, tuned))
}

/// Ends a load: purges deletions older than the change log keeps, restores the connection's
/// settings and commits.
pub async fn finish(
    txn: DatabaseTransaction,
    tuned: tune::Tuned,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    purge_old_deletions(&txn, now - chrono::Duration::days(CHANGE_RETENTION_DAYS)).await?;
    tune::end(&txn, tuned).await?;
    txn.commit().await
}

/// Brings the rows of the records `slugs` of `kind` (one part of a partner feed) to what `graph`
/// wants, inside `txn`: their rows the graph no longer wants are deleted, nothing else. A feed
/// quotes stored sources only, so its records' mentions are looked for in every stored source.
/// Rows are made and written batch by batch ([`BATCH_UNITS`]) and compared with what is stored
/// through a streamed read of keys and hashes. Adds what it did to `summary`.
pub async fn write_part(
    txn: &DatabaseTransaction,
    graph: &Graph,
    origin: &str,
    kind: Kind,
    slugs: &[String],
    summary: &mut Summary,
    now: DateTime<Utc>,
) -> Result<(), LoadError> {
    let plan = Plan::new(graph, origin);
    let tables: Vec<Table> = plan
        .tables()
        .into_iter()
        .filter(|t| t.owner(kind).is_some())
        .collect();
    let mut stale: Vec<Vec<String>> = vec![];
    for t in &tables {
        let only = t.owner(kind).map(|o| (o, kind, slugs));
        let mut write = TableWrite::open(txn, t, origin, only).await?;
        if Plan::is_mentions(t) {
            let mut after: Option<String> = None;
            loop {
                let page = stored_sources(txn, after.as_deref()).await?;
                let Some((last, _)) = page.last() else {
                    break;
                };
                after = Some(last.clone());
                let sources = page.iter().map(|(s, b)| (s.as_str(), b.as_str())).collect();
                write.apply(txn, plan.mention_rows(sources), now).await?;
            }
        } else {
            for batch in plan.units(t).chunks(BATCH_UNITS) {
                write.apply(txn, plan.rows(t, batch), now).await?;
            }
        }
        let written = write.close(txn, now).await?;
        stale.push(closed(txn, t, written, false, summary, now).await?);
    }
    // (A record logged above for its mentions and deleted here ends as a deletion: the log keeps
    // its latest change.)
    let tables: Vec<&Table> = tables.iter().collect();
    delete_gone(txn, &tables, &stale, origin, now).await?;
    Ok(())
}

/// Ends a table's write: logs the records whose mentions are gone, refuses (with `guard`) a
/// load deleting too many records, adds the table to `summary`; returns the keys to delete.
pub async fn closed(
    txn: &DatabaseTransaction,
    t: &Table,
    written: Written,
    guard: bool,
    summary: &mut Summary,
    now: DateTime<Utc>,
) -> Result<Vec<String>, LoadError> {
    if Plan::is_mentions(t) {
        let owners = owners_of_mentions(txn, &written.gone).await?;
        log_mention_owners(txn, owners, now).await?;
    }
    if guard && let Some(kind) = t.kind {
        guard_deletions(kind, written.gone.len(), written.stored)?;
    }
    summary.add(written.summary);
    Ok(written.gone)
}

/// Deletes what the tables' writes found gone, children before parents (`tables` in write
/// order), so no foreign key ever points at a deleted row; records leave tombstones and a
/// logged deletion.
pub async fn delete_gone(
    txn: &DatabaseTransaction,
    tables: &[&Table],
    gone: &[Vec<String>],
    origin: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    for (t, gone) in tables.iter().zip(gone).rev() {
        delete_keys(txn, t.table, t.key_column(), gone).await?;
        if let Some(kind) = t.kind {
            bury(txn, kind.as_str(), gone, origin, now).await?;
        }
    }
    Ok(())
}

/// The records (kind, slug) the mention rows `keys` belong to.
async fn owners_of_mentions(
    txn: &DatabaseTransaction,
    keys: &[String],
) -> Result<Vec<(String, String)>, DbErr> {
    let mut owners = vec![];
    for chunk in keys.chunks(MAX_ROWS_PER_STATEMENT) {
        let select = Query::select()
            .distinct()
            .columns(["entity_kind", "entity_slug"])
            .from("mentions")
            .and_where(Expr::col("key").is_in(chunk.iter().cloned()))
            .to_owned();
        for row in txn.query_all(&select).await? {
            owners.push((row.try_get_by_index(0)?, row.try_get_by_index(1)?));
        }
    }
    Ok(owners)
}

/// Logs as changed the records `owners` (kind, slug) whose mentions changed, unless this write
/// logged them already (at `now`): the record itself may not have changed (a source's text did,
/// or another record's name), but feeds carry a record's mentions, so a partner must fetch it
/// again.
async fn log_mention_owners<C: ConnectionTrait>(
    txn: &C,
    mut owners: Vec<(String, String)>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    owners.sort();
    owners.dedup();
    for kind in Kind::ALL {
        let slugs: Vec<String> = owners
            .iter()
            .filter(|(k, _)| k == kind.as_str())
            .map(|(_, s)| s.clone())
            .collect();
        for chunk in slugs.chunks(MAX_ROWS_PER_STATEMENT) {
            let logged = Query::select()
                .column("slug")
                .from("changes")
                .and_where(Expr::col("kind").eq(kind.as_str()))
                .and_where(Expr::col("slug").is_in(chunk.iter().cloned()))
                .and_where(Expr::col("at").eq(Value::ChronoDateTimeUtc(Some(now))))
                .to_owned();
            let logged: HashSet<String> = txn
                .query_all(&logged)
                .await?
                .iter()
                .map(|r| r.try_get_by_index(0))
                .collect::<Result<_, _>>()?;
            let rest: Vec<String> = chunk
                .iter()
                .filter(|s| !logged.contains(*s))
                .cloned()
                .collect();
            log_changes(txn, kind.as_str(), &rest, "upsert", now).await?;
        }
    }
    Ok(())
}

/// Refuses to delete more than [`DELETION_GUARD`] of `stored` records of `kind` (small edits to
/// small kinds pass).
pub fn guard_deletions(kind: Kind, deleting: usize, stored: usize) -> Result<(), LoadError> {
    if deleting > DELETION_GUARD_MIN && deleting as f64 > DELETION_GUARD * (stored as f64) {
        return Err(LoadError::WouldDelete {
            kind: kind.to_string(),
            deleting,
            stored,
        });
    }
    Ok(())
}

/// Deletes the records `slugs` of `kind` and of `origin` with every row that belongs to them
/// (rows of the tables `tables`, children first), leaving tombstones and logging the deletions;
/// adds the counts to `summary`.
pub async fn retract(
    txn: &DatabaseTransaction,
    tables: &[Table],
    kind: Kind,
    slugs: &[String],
    origin: &str,
    summary: &mut Summary,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    for t in tables.iter().rev() {
        let Some(owner) = t.owner(kind) else {
            continue;
        };
        let mut deleted = 0;
        for chunk in slugs.chunks(MAX_ROWS_PER_STATEMENT) {
            let mut delete = Query::delete();
            delete
                .from_table(t.table)
                .and_where(Expr::col("origin").eq(origin))
                .and_where(Expr::col(owner.slug_column).is_in(chunk.iter().cloned()));
            if let Some(column) = owner.kind_column {
                delete.and_where(Expr::col(column).eq(kind.as_str()));
            }
            deleted += txn.execute(&delete).await?.rows_affected() as usize;
        }
        summary.add(TableSummary {
            table: t.table,
            deleted,
            ..Default::default()
        });
    }
    bury(txn, kind.as_str(), slugs, origin, now).await
}

/// Sources read per page when mentions are looked for in the stored ones.
const SOURCE_PAGE: u64 = SOURCES_PER_BATCH as u64;

/// A page of stored sources (slug, text) after `after`, in slug order.
async fn stored_sources<C: ConnectionTrait>(
    txn: &C,
    after: Option<&str>,
) -> Result<Vec<(String, String)>, DbErr> {
    let mut select = Query::select();
    select
        .columns(["slug", "body"])
        .from("sources")
        .order_by("slug", sea_orm::Order::Asc)
        .limit(SOURCE_PAGE);
    if let Some(after) = after {
        select.and_where(Expr::col("slug").gt(after));
    }
    txn.query_all(&select)
        .await?
        .iter()
        .map(|r| Ok((r.try_get_by_index(0)?, r.try_get_by_index(1)?)))
        .collect()
}

/// One table being brought to the rows a load wants: what is stored (read when it opens), the
/// rows met so far and the rows waiting to fill a statement.
pub struct TableWrite<'t> {
    table: &'t Table,
    stored: Stored,
    stored_count: usize,
    seen: HashSet<u128>,
    summary: TableSummary,
    /// Rows to write that do not fill a statement yet: statements keep one size (one prepared
    /// statement per table, where a remainder per batch would make PostgreSQL plan each anew).
    pending: Vec<Row>,
}

/// What a table's write did: its summary, the keys of stored rows the load did not want
/// (still to be deleted) and how many rows were stored before.
pub struct Written {
    pub summary: TableSummary,
    pub gone: Vec<String>,
    pub stored: usize,
}

impl<'t> TableWrite<'t> {
    /// Reads what `table` stores for `origin` (with `only`, for some records of one kind).
    pub async fn open(
        txn: &DatabaseTransaction,
        table: &'t Table,
        origin: &str,
        only: Option<(Owner, Kind, &[String])>,
    ) -> Result<Self, DbErr> {
        let stored = Stored::read(txn, table, origin, only).await?;
        Ok(TableWrite {
            table,
            stored_count: stored.len(),
            stored,
            seen: HashSet::new(),
            summary: TableSummary {
                table: table.table,
                ..Default::default()
            },
            pending: vec![],
        })
    }

    /// Writes the rows of `rows` that are new or changed (records: with their tombstones lifted
    /// and their changes logged), a statement at a time.
    pub async fn apply<C: ConnectionTrait>(
        &mut self,
        txn: &C,
        rows: Vec<Row>,
        now: DateTime<Utc>,
    ) -> Result<(), DbErr> {
        for row in rows {
            match self.stored.take(&row, &mut self.seen) {
                Status::New => {
                    self.summary.inserted += 1;
                    self.pending.push(row);
                }
                Status::Changed => {
                    self.summary.updated += 1;
                    self.pending.push(row);
                }
                Status::Same => self.summary.unchanged += 1,
                Status::Repeated => {}
            }
        }
        let full = rows_per_statement(self.table);
        if self.pending.len() >= full {
            let keep = self.pending.len() % full;
            let ready: Vec<Row> = self.pending.drain(..self.pending.len() - keep).collect();
            write_rows(txn, self.table, ready, now).await?;
        }
        Ok(())
    }

    /// Writes the rows still pending now (the next rows' foreign keys may point at them).
    pub async fn flush<C: ConnectionTrait>(
        &mut self,
        txn: &C,
        now: DateTime<Utc>,
    ) -> Result<(), DbErr> {
        let rest = std::mem::take(&mut self.pending);
        write_rows(txn, self.table, rest, now).await
    }

    /// Writes the rows still pending; what is stored and was not met is gone.
    pub async fn close<C: ConnectionTrait>(
        mut self,
        txn: &C,
        now: DateTime<Utc>,
    ) -> Result<Written, DbErr> {
        self.flush(txn, now).await?;
        let gone = self.stored.into_gone();
        self.summary.deleted = gone.len();
        Ok(Written {
            summary: self.summary,
            gone,
            stored: self.stored_count,
        })
    }
}

/// Inserts `rows`; for records, lifts their tombstones and logs their changes.
async fn write_rows<C: ConnectionTrait>(
    txn: &C,
    t: &Table,
    rows: Vec<Row>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let Some(kind) = t.kind else {
        let owners: Vec<(String, String)> = if Plan::is_mentions(t) {
            rows.iter()
                .filter_map(|r| match &r.cells[..] {
                    [Cell::Text(Some(kind)), Cell::Text(Some(slug)), ..] => {
                        Some((kind.clone(), slug.clone()))
                    }
                    _ => None,
                })
                .collect()
        } else {
            vec![]
        };
        insert_rows(txn, t, rows, now).await?;
        return log_mention_owners(txn, owners, now).await;
    };
    let slugs: Vec<String> = rows.iter().map(|r| r.key.clone()).collect();
    insert_rows(txn, t, rows, now).await?;
    let revived: Vec<String> = slugs.iter().map(|s| record_key(kind, s)).collect();
    delete_keys(txn, "tombstones", "key", &revived).await?;
    log_changes(txn, kind.as_str(), &slugs, "upsert", now).await
}

/// The columns written to `t`: key, the table's own, and for records hash and time.
fn write_columns(t: &Table) -> Vec<&'static str> {
    let mut columns = vec![t.key_column()];
    columns.extend(&t.columns);
    if t.kind.is_some() {
        columns.extend(["content_hash", "updated_at"]);
    }
    columns
}

/// Rows per insert statement for `t`, within the bind limits.
fn rows_per_statement(t: &Table) -> usize {
    (MAX_BINDS / write_columns(t).len()).clamp(1, MAX_ROWS_PER_STATEMENT)
}

/// Inserts (records: upserts) `rows` into `t`, as few statements as the bind limits allow.
async fn insert_rows<C: ConnectionTrait>(
    txn: &C,
    t: &Table,
    rows: Vec<Row>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let key_col = t.key_column();
    let columns = write_columns(t);
    let per_statement = rows_per_statement(t);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut insert = Query::insert();
        insert.into_table(t.table).columns(columns.iter().copied());
        for row in rows.by_ref().take(per_statement) {
            let mut values = Vec::with_capacity(columns.len());
            values.push(Value::String(Some(row.key)));
            values.extend(row.cells.into_iter().map(value));
            if let Some(hash) = row.hash {
                values.push(Value::String(Some(hash)));
                values.push(Value::ChronoDateTimeUtc(Some(now)));
            }
            insert
                .values(values.into_iter().map(Into::into))
                .map_err(custom)?;
        }
        if t.kind.is_some() {
            insert.on_conflict(
                OnConflict::column(key_col)
                    .update_columns(columns.iter().skip(1).copied())
                    .to_owned(),
            );
        }
        txn.execute(&insert).await?;
    }
    Ok(())
}

async fn delete_keys<C: ConnectionTrait>(
    txn: &C,
    table: &'static str,
    key_col: &'static str,
    keys: &[String],
) -> Result<(), DbErr> {
    for chunk in keys.chunks(MAX_ROWS_PER_STATEMENT) {
        let delete = Query::delete()
            .from_table(table)
            .and_where(Expr::col(key_col).is_in(chunk.iter().cloned()))
            .to_owned();
        txn.execute(&delete).await?;
    }
    Ok(())
}

/// Leaves a tombstone for each deleted record and logs its deletion, so feed consumers learn
/// of it.
async fn bury<C: ConnectionTrait>(
    txn: &C,
    kind: &str,
    slugs: &[String],
    origin: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    for chunk in slugs.chunks(MAX_ROWS_PER_STATEMENT) {
        let mut insert = Query::insert();
        insert
            .into_table("tombstones")
            .columns(["key", "kind", "slug", "deleted_at", "origin"]);
        for slug in chunk {
            insert
                .values([
                    record_key(kind, slug).into(),
                    kind.into(),
                    slug.as_str().into(),
                    Value::ChronoDateTimeUtc(Some(now)).into(),
                    origin.into(),
                ])
                .map_err(custom)?;
        }
        insert.on_conflict(
            OnConflict::column("key")
                .update_columns(["deleted_at"])
                .to_owned(),
        );
        txn.execute(&insert).await?;
    }
    log_changes(txn, kind, slugs, "delete", now).await
}

/// Records `op` for `slugs` of `kind` in the change log, keeping one row per record (its latest
/// change): the record's older row goes, the new one takes the next position.
async fn log_changes<C: ConnectionTrait>(
    txn: &C,
    kind: &str,
    slugs: &[String],
    op: &'static str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    for chunk in slugs.chunks(MAX_ROWS_PER_STATEMENT) {
        let delete = Query::delete()
            .from_table("changes")
            .and_where(Expr::col("kind").eq(kind))
            .and_where(Expr::col("slug").is_in(chunk.iter().cloned()))
            .to_owned();
        txn.execute(&delete).await?;
        let mut insert = Query::insert();
        insert
            .into_table("changes")
            .columns(["kind", "slug", "op", "at"]);
        for slug in chunk {
            insert
                .values([
                    kind.into(),
                    slug.as_str().into(),
                    op.into(),
                    Value::ChronoDateTimeUtc(Some(now)).into(),
                ])
                .map_err(custom)?;
        }
        txn.execute(&insert).await?;
    }
    Ok(())
}

/// How long the change log keeps a deletion. A partner whose cursor is older than the newest
/// purged deletion is told to export again (`/changes` answers 410).
pub const CHANGE_RETENTION_DAYS: i64 = 90;

async fn purge_old_deletions<C: ConnectionTrait>(
    txn: &C,
    before: DateTime<Utc>,
) -> Result<(), DbErr> {
    let old = Expr::col("op")
        .eq("delete")
        .and(Expr::col("at").lt(Value::ChronoDateTimeUtc(Some(before))));
    let newest = Query::select()
        .expr(Func::max(Expr::col("seq")))
        .from("changes")
        .cond_where(old.clone())
        .to_owned();
    let Some(newest) = txn
        .query_one(&newest)
        .await?
        .map(|r| r.try_get_by_index::<Option<i64>>(0))
        .transpose()?
        .flatten()
    else {
        return Ok(());
    };
    txn.execute(
        &Query::delete()
            .from_table("changes")
            .cond_where(old)
            .to_owned(),
    )
    .await?;
    let raise = Query::update()
        .table("change_log_floor")
        .value("seq", newest)
        .and_where(Expr::col("id").eq(1))
        .and_where(Expr::col("seq").lt(newest))
        .to_owned();
    txn.execute(&raise).await?;
    Ok(())
}
