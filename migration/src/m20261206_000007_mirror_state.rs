//! Where a mirror stands (`loader mirror`): the API it follows and the change-log cursor its
//! content is consistent at, written in the same transaction as the records, so a mirror that is
//! killed and restarted resumes from exactly what it holds. Empty in a database that mirrors
//! nothing.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("mirror_state")
                    .col(ColumnDef::new("id").integer().not_null().primary_key())
                    .col(ColumnDef::new("source").text().not_null())
                    .col(ColumnDef::new("cursor").big_integer().not_null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("mirror_state").to_owned())
            .await
    }
}
