//! The change log's one-row-per-record index led by `slug`, then `kind`. A load logs a batch's
//! records with `kind = ? AND slug IN (…1,000 slugs)`; led by `kind`, PostgreSQL's planner used
//! the index for the kind alone and filtered every logged record of that kind against the list
//! (745 ms a statement with 44,100 projects logged, growing with the load: quadratic). Led by
//! `slug`, each slug is one index probe (1 ms). Uniqueness is the same pair.
use sea_orm_migration::prelude::*;

use crate::ddl::replace_unique_index;

crate::ddl::migration!();

async fn up(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let (table, old) = ("changes", "ux_changes_record");
    replace_unique_index(
        manager,
        "ux_changes_slug_kind",
        table,
        &["slug", "kind"],
        old,
    )
    .await
}

async fn down(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let (table, old) = ("changes", "ux_changes_slug_kind");
    replace_unique_index(manager, "ux_changes_record", table, &["kind", "slug"], old).await
}
