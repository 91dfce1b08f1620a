//! Brings the database to exactly the desired rows in one transaction: upserts records whose content
//! hash changed, inserts new relation rows, deletes what is gone (leaving tombstones), and appends
//! keeps the change log at one row per record (its latest change). Statements are batched, never one
//! round trip per row.
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use indicatif::ProgressBar;
use sea_orm::sea_query::{Expr, ExprTrait, Func, OnConflict, Query, Value};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, TransactionTrait};

use entity::ids::record_key;

use crate::LoadError;
use crate::node::Cell;
use crate::rows::TableRows;

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

fn value(cell: &Cell) -> Value {
    match cell {
        Cell::Text(v) => Value::String(v.clone()),
        Cell::Int(v) => Value::Int(v.map(|x| x as i32)),
        Cell::Float(v) => Value::Double(*v),
        Cell::Bool(v) => Value::Bool(Some(*v)),
    }
}

fn custom(e: impl fmt::Display) -> DbErr {
    DbErr::Custom(e.to_string())
}

/// The largest share of a kind's stored records a load deletes without `allow_deletions`…
pub const DELETION_GUARD: f64 = 0.2;
/// …once it deletes more than this many (small edits to small kinds pass).
const DELETION_GUARD_MIN: usize = 10;

/// Applies `tables` for records of `origin`; all or nothing. Unless `allow_deletions`, refuses
/// (writing nothing) a load that would delete more than [`DELETION_GUARD`] of a kind's records.
pub async fn write(
    db: &DatabaseConnection,
    tables: &[TableRows],
    origin: &str,
    allow_deletions: bool,
    progress: &ProgressBar,
) -> Result<Summary, LoadError> {
    let started = Instant::now();
    let now = Utc::now();
    let txn = db.begin().await?;
    let mut summaries = vec![];
    let mut stale: Vec<Vec<String>> = vec![];
    let mut changes: Vec<(String, String, &'static str)> = vec![];
    progress.set_length(tables.iter().map(|t| t.rows.len() as u64).sum());

    for t in tables {
        let key_col = t.key_column();
        let mut select = Query::select();
        select.column(key_col).from(t.table);
        if t.kind.is_some() {
            select.column("content_hash");
        }
        select.and_where(Expr::col("origin").eq(origin));
        let existing: HashMap<String, Option<String>> = txn
            .query_all(&select)
            .await?
            .iter()
            .map(|r| {
                let key = r.try_get_by_index::<String>(0)?;
                let hash = if t.kind.is_some() {
                    Some(r.try_get_by_index::<String>(1)?)
                } else {
                    None
                };
                Ok((key, hash))
            })
            .collect::<Result<_, DbErr>>()?;
        let mut summary = TableSummary {
            table: t.table,
            ..Default::default()
        };
        let mut to_write = vec![];
        for row in &t.rows {
            match existing.get(&row.key) {
                None => {
                    summary.inserted += 1;
                    to_write.push(row);
                }
                Some(old) if old != &row.hash => {
                    summary.updated += 1;
                    to_write.push(row);
                }
                Some(_) => summary.unchanged += 1,
            }
        }
        let existing_count = existing.len();
        let wanted: HashSet<&str> = t.rows.iter().map(|r| r.key.as_str()).collect();
        let gone: Vec<String> = existing
            .into_keys()
            .filter(|k| !wanted.contains(k.as_str()))
            .collect();
        summary.deleted = gone.len();
        if let Some(kind) = t.kind
            && !allow_deletions
            && gone.len() > DELETION_GUARD_MIN
            && gone.len() as f64 > DELETION_GUARD * (existing_count as f64)
        {
            return Err(LoadError::WouldDelete {
                kind: kind.to_string(),
                deleting: gone.len(),
                stored: existing_count,
            });
        }

        let mut columns = vec![key_col];
        columns.extend(&t.columns);
        if t.kind.is_some() {
            columns.extend(["content_hash", "updated_at"]);
        }
        let per_statement = (MAX_BINDS / columns.len()).clamp(1, MAX_ROWS_PER_STATEMENT);
        for chunk in to_write.chunks(per_statement) {
            let mut insert = Query::insert();
            insert.into_table(t.table).columns(columns.iter().copied());
            for row in chunk {
                let mut values = vec![Value::String(Some(row.key.clone()))];
                values.extend(row.cells.iter().map(value));
                if let Some(hash) = &row.hash {
                    values.push(Value::String(Some(hash.clone())));
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
            progress.inc(chunk.len() as u64);
        }
        if let Some(kind) = t.kind {
            let slugs: Vec<String> = to_write.iter().map(|r| r.key.clone()).collect();
            let revived: Vec<String> = slugs.iter().map(|s| record_key(kind, s)).collect();
            delete_keys(&txn, "tombstones", "key", &revived).await?;
            changes.extend(slugs.into_iter().map(|s| (kind.to_string(), s, "upsert")));
        }
        progress.inc((t.rows.len() - to_write.len()) as u64);
        summaries.push(summary);
        stale.push(gone);
    }

    // Children before parents, so no foreign key ever points at a deleted row.
    for (t, gone) in tables.iter().zip(&stale).rev() {
        delete_keys(&txn, t.table, t.key_column(), gone).await?;
        if let Some(kind) = t.kind {
            bury(&txn, kind.as_str(), gone, origin, now).await?;
            changes.extend(gone.iter().map(|s| (kind.to_string(), s.clone(), "delete")));
        }
    }
    log_changes(&txn, &changes, now).await?;
    txn.commit().await?;
    Ok(Summary {
        tables: summaries,
        elapsed: started.elapsed(),
    })
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

/// Leaves a tombstone for each deleted record, so feed consumers learn of the deletion.
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
    Ok(())
}

/// Appends `changes` to the change log, keeping one row per record (its latest change), then
/// purges deletions older than the retention and raises `change_log_floor` past them.
async fn log_changes<C: ConnectionTrait>(
    txn: &C,
    changes: &[(String, String, &'static str)],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut by_kind: HashMap<&str, Vec<String>> = HashMap::new();
    for (kind, slug, _) in changes {
        by_kind.entry(kind).or_default().push(slug.clone());
    }
    for (kind, slugs) in &by_kind {
        for chunk in slugs.chunks(MAX_ROWS_PER_STATEMENT) {
            let delete = Query::delete()
                .from_table("changes")
                .and_where(Expr::col("kind").eq(*kind))
                .and_where(Expr::col("slug").is_in(chunk.iter().cloned()))
                .to_owned();
            txn.execute(&delete).await?;
        }
    }
    for chunk in changes.chunks(MAX_ROWS_PER_STATEMENT) {
        let mut insert = Query::insert();
        insert
            .into_table("changes")
            .columns(["kind", "slug", "op", "at"]);
        for (kind, slug, op) in chunk {
            insert
                .values([
                    kind.as_str().into(),
                    slug.as_str().into(),
                    (*op).into(),
                    Value::ChronoDateTimeUtc(Some(now)).into(),
                ])
                .map_err(custom)?;
        }
        txn.execute(&insert).await?;
    }
    purge_old_deletions(txn, now - chrono::Duration::days(CHANGE_RETENTION_DAYS)).await
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
