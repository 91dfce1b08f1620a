//! Reading the change log: its cursor, its retention floor, and the changes after a cursor. The
//! loader keeps one row per record (its latest change), so a page costs what the page holds.
use std::collections::HashMap;

use entity::ids::Kind;
use sea_orm::sea_query::{Expr, ExprTrait, Func, Order, Query as Sql};
use sea_orm::{ConnectionTrait, DbErr};
use serde_json::Value;

use crate::records::{self, Select};

/// One change in the feed.
pub struct ChangeRow {
    pub seq: i64,
    pub kind: String,
    pub slug: String,
    pub op: String,
    pub at: String,
}

async fn max_of<C: ConnectionTrait>(db: &C, table: &str, col: &str) -> Result<i64, DbErr> {
    let stmt = Sql::select()
        .expr(Func::max(Expr::col(col.to_owned())))
        .from(table.to_owned())
        .to_owned();
    match db.query_one(&stmt).await? {
        Some(row) => Ok(row.try_get_by_index::<Option<i64>>(0)?.unwrap_or(0)),
        None => Ok(0),
    }
}

/// The highest position the retention purged: a cursor below it may have missed deletions.
pub async fn floor<C: ConnectionTrait>(db: &C) -> Result<i64, DbErr> {
    max_of(db, "change_log_floor", "seq").await
}

/// The log's current position: every change so far is at or below it. (A purge can remove the
/// newest row, so the floor counts too: the cursor never goes back.)
pub async fn cursor<C: ConnectionTrait>(db: &C) -> Result<i64, DbErr> {
    Ok(Ord::max(
        max_of(db, "changes", "seq").await?,
        floor(db).await?,
    ))
}

/// Changes after `since` (and at or before `upto`, when given), in commit order, `limit` at a
/// time (one indexed range read).
pub async fn changes_after<C: ConnectionTrait>(
    db: &C,
    since: i64,
    upto: Option<i64>,
    limit: u64,
) -> Result<Vec<ChangeRow>, DbErr> {
    let mut stmt = Sql::select();
    stmt.columns(["seq", "kind", "slug", "op", "at"])
        .from("changes")
        .and_where(Expr::col("seq").gt(since))
        .order_by("seq", Order::Asc)
        .limit(limit);
    if let Some(upto) = upto {
        stmt.and_where(Expr::col("seq").lte(upto));
    }
    let rows = db.query_all(&stmt).await?;
    rows.iter()
        .map(|r| {
            let at: chrono::DateTime<chrono::Utc> = r.try_get_by_index(4)?;
            Ok(ChangeRow {
                seq: r.try_get_by_index(0)?,
                kind: r.try_get_by_index(1)?,
                slug: r.try_get_by_index(2)?,
                op: r.try_get_by_index(3)?,
                at: at.to_rfc3339(),
            })
        })
        .collect()
}

/// How many changes follow `since`, up to `upto`.
pub async fn count_between<C: ConnectionTrait>(
    db: &C,
    since: i64,
    upto: i64,
) -> Result<u64, DbErr> {
    let stmt = Sql::select()
        .expr(Func::count(Expr::col("seq")))
        .from("changes")
        .and_where(Expr::col("seq").gt(since))
        .and_where(Expr::col("seq").lte(upto))
        .to_owned();
    match db.query_one(&stmt).await? {
        Some(row) => Ok(u64::try_from(row.try_get_by_index::<i64>(0)?).unwrap_or(0)),
        None => Ok(0),
    }
}

/// The records of upserted changes, keyed by kind and slug (one read per kind).
pub async fn records_for<C: ConnectionTrait>(
    db: &C,
    changes: &[ChangeRow],
) -> Result<HashMap<(String, String), Value>, DbErr> {
    let mut out = HashMap::new();
    for kind in Kind::ALL {
        let slugs: Vec<String> = changes
            .iter()
            .filter(|c| c.op == "upsert" && c.kind == kind.as_str())
            .map(|c| c.slug.clone())
            .collect();
        if slugs.is_empty() {
            continue;
        }
        for r in records::read(db, kind, Select::Slugs(&slugs)).await? {
            if let Some(slug) = r["slug"].as_str() {
                out.insert((kind.as_str().to_owned(), slug.to_owned()), r);
            }
        }
    }
    Ok(out)
}

/// Parses a change cursor (a non-negative integer in text).
pub fn parse_cursor(s: &str) -> Option<i64> {
    s.trim().parse::<i64>().ok().filter(|n| *n >= 0)
}

/// The record kind a change names (the loader writes only known kinds).
pub fn kind_of(row: &ChangeRow) -> Option<Kind> {
    Kind::parse(&row.kind)
}
