//! Figures as written: a qualifier (`exact`, `more_than`, `range` …), the upper end of a range
//! and the date a cumulative count stands at. Existing figures read as exact until reloaded.
use sea_orm_migration::prelude::*;

use crate::m20261206_000001_vocabulary_checks as vocabulary_checks;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One column per statement: SQLite adds one column per `ALTER TABLE`.
fn add(column: ColumnDef) -> TableAlterStatement {
    Table::alter()
        .table("metrics")
        .add_column(column)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// In one transaction on SQLite too, as the vocabulary checks migration explains.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(add(ColumnDef::new("qualifier")
                .string()
                .not_null()
                .default("exact")
                .to_owned()))
            .await?;
        manager
            .alter_table(add(ColumnDef::new("value_max").double().null().to_owned()))
            .await?;
        manager
            .alter_table(add(ColumnDef::new("as_of").string().null().to_owned()))
            .await?;
        vocabulary_checks::install(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        vocabulary_checks::remove(manager).await?;
        for column in ["as_of", "value_max", "qualifier"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("metrics")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        vocabulary_checks::install(manager).await
    }
}
