//! Sectors as a small hierarchy: each sector may name the broader sector it is a branch of.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // No foreign key: SQLite cannot add one to an existing table; the loader checks that
        // every `broader` names a sector, as it does for every reference.
        manager
            .alter_table(
                Table::alter()
                    .table("sectors")
                    .add_column(ColumnDef::new("broader").string().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("sectors")
                    .drop_column("broader")
                    .to_owned(),
            )
            .await
    }
}
