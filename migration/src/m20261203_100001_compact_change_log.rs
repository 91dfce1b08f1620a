//! The change log keeps one row per record: its latest change (an upsert, or a deletion kept as a
//! tombstone until the retention purges it). `change_log_floor` remembers the highest position
//! the retention purged, so a feed cursor older than that is known to have missed deletions.
use sea_orm_migration::prelude::*;

use crate::ddl::{create_table_keyed_by_id, drop_table, one_change_per_record};

crate::ddl::migration!();

async fn up(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    // Keep the latest change of each record; older ones say nothing a partner still needs. (The
    // unique index was meant to replace the plain one, but the statement after it drops the
    // unique index itself; `unique_change_records` makes it for good. Applied databases ran
    // exactly this, so it stays.)
    one_change_per_record(manager).await?;
    db.execute_unprepared("DROP INDEX IF EXISTS ux_changes_record")
        .await?;
    create_table_keyed_by_id(
        manager,
        "change_log_floor",
        [ColumnDef::new("seq").big_integer().not_null()],
    )
    .await?;
    db.execute_unprepared("INSERT INTO change_log_floor (id, seq) VALUES (1, 0)")
        .await?;
    Ok(())
}

async fn down(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    // `up` left the plain index in place (it dropped the unique one it made; the migration
    // `unique_change_records` makes it for good), so only the floor table goes.
    drop_table(manager, "change_log_floor").await
}
