//! Organizations that own, build or run a project (广药集团 → 澳门青洲工厂), with their role.
use sea_orm_migration::prelude::*;

use crate::ddl::{drop_table, index};
use crate::m20261206_000001_vocabulary_checks as vocabulary_checks;

// In one transaction on SQLite too, as the vocabulary checks migration explains.
crate::ddl::migration!(in_transaction);

const TABLE: &str = "project_organizations";

async fn up(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let mut table = Table::create();
    table
        .table(TABLE)
        .col(ColumnDef::new("key").string().not_null().primary_key())
        .col(ColumnDef::new("project").string().not_null())
        .col(ColumnDef::new("organization").string().not_null())
        .col(ColumnDef::new("role").string().not_null())
        .col(ColumnDef::new("origin").string().not_null());
    for (column, parent) in [("project", "projects"), ("organization", "organizations")] {
        table.foreign_key(
            ForeignKey::create()
                .name(format!("fk_{TABLE}_{column}"))
                .from(TABLE, column)
                .to(parent, "slug")
                .on_delete(ForeignKeyAction::Cascade),
        );
    }
    manager.create_table(table.to_owned()).await?;
    for column in ["project", "organization", "origin"] {
        manager
            .create_index(index(format!("ix_{TABLE}_{column}"), TABLE, &[column]))
            .await?;
    }
    vocabulary_checks::install(manager).await
}

async fn down(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    vocabulary_checks::remove(manager).await?;
    drop_table(manager, TABLE).await?;
    vocabulary_checks::install(manager).await
}
