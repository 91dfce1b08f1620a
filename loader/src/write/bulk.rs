//! A first load into empty SQLite tables writes them without their secondary indexes and builds
//! each index once at the end, from sorted entries. Inserted one row at a time, those indexes
//! touch a page anywhere in each index for every row (owners and sources come in file order,
//! not index order), and once they outgrow the load's page cache every insert reads and spills
//! pages: the reason a load's rows per second fell with the size of the graph.
//!
//! Only indexes that check nothing are deferred (not unique ones, not the primary key the writer
//! compares with), and only inside the load's transaction: a failed load rolls the drop back
//! with everything else. PostgreSQL keeps its indexes: dropping one there locks the table against
//! every reader for the length of the load.
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseTransaction, DbErr, Statement};

use super::tune::pragma;

/// The indexes a load dropped, as the statements that create them again.
#[derive(Default)]
pub struct Deferred(Vec<String>);

/// Drops the plain (non-unique) indexes of each of `tables` that holds no row at all, on SQLite;
/// the returned statements create them again ([`restore`]).
pub async fn defer_indexes(
    txn: &DatabaseTransaction,
    tables: impl IntoIterator<Item = &'static str>,
) -> Result<Deferred, DbErr> {
    let mut deferred = Deferred::default();
    if txn.get_database_backend() != DatabaseBackend::Sqlite {
        return Ok(deferred);
    }
    for table in tables {
        let any_row = format!("SELECT 1 FROM \"{table}\" LIMIT 1");
        let any_row = Statement::from_string(DatabaseBackend::Sqlite, any_row);
        if txn.query_one_raw(any_row).await?.is_some() {
            continue;
        }
        // SQLite keeps each index's CREATE statement; an index it made itself (a key's) has none.
        let indexes = Statement::from_sql_and_values(
            DatabaseBackend::Sqlite,
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? \
             AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name",
            [table.into()],
        );
        for row in txn.query_all_raw(indexes).await? {
            let name: String = row.try_get_by_index(0)?;
            let create: String = row.try_get_by_index(1)?;
            txn.execute_unprepared(&format!("DROP INDEX \"{name}\""))
                .await?;
            deferred.0.push(create);
        }
    }
    Ok(deferred)
}

/// Creates the indexes [`defer_indexes`] dropped, each in one sorted pass over its table. The
/// sort's runs go to temporary files for the while (the load keeps its temporary storage in
/// memory, where a large index's runs would all be held at once).
pub async fn restore(txn: &DatabaseTransaction, deferred: Deferred) -> Result<(), DbErr> {
    if deferred.0.is_empty() {
        return Ok(());
    }
    let temp_store = pragma(txn, "PRAGMA temp_store".to_owned()).await?;
    txn.execute_unprepared("PRAGMA temp_store = FILE").await?;
    for create in deferred.0 {
        txn.execute_unprepared(&create).await?;
    }
    if let Some(mode) = temp_store {
        pragma(txn, format!("PRAGMA temp_store = {mode}")).await?;
    }
    Ok(())
}
