//! A random identity for the database, made once: a read model saved to disk names the database
//! it was built from, so one is never applied to another database whose change log happens to
//! have reached the same position.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::ddl::{create_table_keyed_by_id, drop_table};

crate::ddl::migration!();

async fn up(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    create_table_keyed_by_id(
        manager,
        "graph_epoch",
        [ColumnDef::new("epoch").string().not_null()],
    )
    .await?;
    let db = manager.get_connection();
    let random = match db.get_database_backend() {
        DbBackend::Sqlite => "lower(hex(randomblob(16)))",
        _ => "md5(random()::text || clock_timestamp()::text)",
    };
    db.execute_unprepared(&format!(
        "INSERT INTO graph_epoch (id, epoch) VALUES (1, {random})"
    ))
    .await?;
    Ok(())
}

async fn down(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    drop_table(manager, "graph_epoch").await
}
