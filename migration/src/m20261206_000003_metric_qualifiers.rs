//! Figures as written: a qualifier (`exact`, `more_than`, `range` …), the upper end of a range
//! and the date a cumulative count stands at. Existing figures read as exact until reloaded.
use sea_orm_migration::prelude::*;

use crate::ddl::{add_column, drop_columns};
use crate::m20261206_000001_vocabulary_checks as vocabulary_checks;

// In one transaction on SQLite too, as the vocabulary checks migration explains.
crate::ddl::migration!(in_transaction);

async fn up(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let qualifier = ColumnDef::new("qualifier")
        .string()
        .not_null()
        .default("exact")
        .to_owned();
    add_column(manager, "metrics", qualifier).await?;
    add_column(
        manager,
        "metrics",
        ColumnDef::new("value_max").double().null(),
    )
    .await?;
    add_column(manager, "metrics", ColumnDef::new("as_of").string().null()).await?;
    vocabulary_checks::install(manager).await
}

async fn down(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    vocabulary_checks::remove(manager).await?;
    drop_columns(manager, "metrics", &["as_of", "value_max", "qualifier"]).await?;
    vocabulary_checks::install(manager).await
}
