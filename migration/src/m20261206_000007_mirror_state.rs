//! Where a mirror stands (`loader mirror`): the API it follows and the change-log cursor its
//! content is consistent at, written in the same transaction as the records, so a mirror that is
//! killed and restarted resumes from exactly what it holds. Empty in a database that mirrors
//! nothing.
use sea_orm_migration::prelude::*;

use crate::ddl::{create_table_keyed_by_id, drop_table};

crate::ddl::migration!();

async fn up(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    create_table_keyed_by_id(
        manager,
        "mirror_state",
        [
            ColumnDef::new("source").text().not_null(),
            ColumnDef::new("cursor").big_integer().not_null(),
        ],
    )
    .await
}

async fn down(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    drop_table(manager, "mirror_state").await
}
