//! A source's original publication address, or why there is none.
use sea_orm_migration::prelude::*;

use crate::ddl::{add_column, drop_columns};

crate::ddl::migration!();

async fn up(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    for column in ["url", "url_note"] {
        add_column(manager, "sources", ColumnDef::new(column).string().null()).await?;
    }
    Ok(())
}

async fn down(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    drop_columns(manager, "sources", &["url_note", "url"]).await
}
