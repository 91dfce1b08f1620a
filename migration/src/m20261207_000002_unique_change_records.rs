//! The change log's one row per record, held by the database: `(kind, slug)` unique. The
//! compaction migration meant its unique index to replace the plain one but dropped the unique
//! index it had just made, so only the loader's delete-then-insert kept records single.
use sea_orm_migration::prelude::*;

use crate::ddl::{index, one_change_per_record};

crate::ddl::migration!();

async fn up(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    one_change_per_record(manager).await?;
    manager
        .get_connection()
        .execute_unprepared("DROP INDEX IF EXISTS idx_changes_kind_slug")
        .await?;
    Ok(())
}

async fn down(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_index(index("idx_changes_kind_slug", "changes", &["kind", "slug"]))
        .await?;
    manager
        .get_connection()
        .execute_unprepared("DROP INDEX IF EXISTS ux_changes_record")
        .await?;
    Ok(())
}
