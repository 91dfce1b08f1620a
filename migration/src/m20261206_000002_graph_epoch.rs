//! A random identity for the database, made once: a read model saved to disk names the database
//! it was built from, so one is never applied to another database whose change log happens to
//! have reached the same position.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("graph_epoch")
                    .col(ColumnDef::new("id").integer().not_null().primary_key())
                    .col(ColumnDef::new("epoch").string().not_null())
                    .to_owned(),
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

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("graph_epoch").to_owned())
            .await
    }
}
