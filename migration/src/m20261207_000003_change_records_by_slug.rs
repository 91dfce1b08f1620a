//! The change log's one-row-per-record index led by `slug`, then `kind`. A load logs a batch's
//! records with `kind = ? AND slug IN (…1,000 slugs)`; led by `kind`, PostgreSQL's planner used
//! the index for the kind alone and filtered every logged record of that kind against the list
//! (745 ms a statement with 44,100 projects logged, growing with the load: quadratic). Led by
//! `slug`, each slug is one index probe (1 ms). Uniqueness is the same pair.
use sea_orm_migration::prelude::*;

use crate::ddl::index;

crate::ddl::migration!();

async fn up(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_index(
            index("ux_changes_slug_kind", "changes", &["slug", "kind"])
                .unique()
                .to_owned(),
        )
        .await?;
    manager
        .get_connection()
        .execute_unprepared("DROP INDEX IF EXISTS ux_changes_record")
        .await?;
    Ok(())
}

async fn down(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_index(
            index("ux_changes_record", "changes", &["kind", "slug"])
                .unique()
                .to_owned(),
        )
        .await?;
    manager
        .get_connection()
        .execute_unprepared("DROP INDEX IF EXISTS ux_changes_slug_kind")
        .await?;
    Ok(())
}
