//! Connection settings for the length of one load. SQLite's default page cache (2 MiB) makes a
//! large transaction re-read index pages from the WAL for every batch (content keys are random, so
//! inserts touch pages all over the indexes); a bigger cache for the load, and the old size back
//! afterwards, keeps those pages in memory. On PostgreSQL the tables grow during the load while
//! their statistics still say they are empty, so the planner would scan them whole for every
//! batch's `DELETE … WHERE kind = ? AND slug IN (…)` (quadratic in the load); sequential scans are
//! off for the transaction (`SET LOCAL`, undone at its end), so those statements use an index —
//! for the change log one led by `slug` (migration `m20261207_000003`), since an index led by
//! `kind` was used for the kind alone, every logged record of it then filtered.
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseTransaction, DbErr, Statement};

/// The page cache a load runs with, in KiB (SQLite's negative `cache_size`): 64 MiB.
const LOAD_CACHE_KIB: i64 = 64 * 1024;

/// What to restore when the load is done: the previous `cache_size` and `temp_store`, if they
/// were changed.
pub struct Tuned(Option<(i64, i64)>);

pub(crate) async fn pragma(txn: &DatabaseTransaction, sql: String) -> Result<Option<i64>, DbErr> {
    let stmt = Statement::from_string(DatabaseBackend::Sqlite, sql);
    match txn.query_one_raw(stmt).await? {
        Some(row) => Ok(Some(row.try_get_by_index::<i64>(0)?)),
        None => Ok(None),
    }
}

/// Raises SQLite's page cache for the load and keeps its statement journals in memory (the
/// settings are the connection's, allowed inside a
/// transaction, and change no data).
pub async fn begin(txn: &DatabaseTransaction) -> Result<Tuned, DbErr> {
    match txn.get_database_backend() {
        DatabaseBackend::Sqlite => {}
        DatabaseBackend::Postgres => {
            txn.execute_unprepared("SET LOCAL enable_seqscan = off")
                .await?;
            return Ok(Tuned(None));
        }
        _ => return Ok(Tuned(None)),
    }
    let old_cache = pragma(txn, "PRAGMA cache_size".to_owned()).await?;
    let old_temp = pragma(txn, "PRAGMA temp_store".to_owned()).await?;
    pragma(txn, format!("PRAGMA cache_size = -{LOAD_CACHE_KIB}")).await?;
    // Each batch's INSERT keeps a statement journal (the pages it changed, to undo that one
    // statement); in memory it costs a batch's pages, on disk a temporary file's writes.
    pragma(txn, "PRAGMA temp_store = MEMORY".to_owned()).await?;
    Ok(Tuned(old_cache.zip(old_temp)))
}

/// Puts the page cache back as it was, so a pooled connection does not keep the load's size.
pub async fn end(txn: &DatabaseTransaction, tuned: Tuned) -> Result<(), DbErr> {
    if let Tuned(Some((cache, temp))) = tuned {
        pragma(txn, format!("PRAGMA cache_size = {cache}")).await?;
        pragma(txn, format!("PRAGMA temp_store = {temp}")).await?;
    }
    Ok(())
}
