//! Sectors as a small hierarchy: each sector may name the broader sector it is a branch of.
use sea_orm_migration::prelude::*;

use crate::ddl::{add_column, drop_columns};

crate::ddl::migration!();

async fn up(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    // No foreign key: SQLite cannot add one to an existing table; the loader checks that
    // every `broader` names a sector, as it does for every reference.
    let broader = ColumnDef::new("broader").string().null().to_owned();
    add_column(manager, "sectors", broader).await
}

async fn down(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    drop_columns(manager, "sectors", &["broader"]).await
}
