//! The read model saved in the database itself, so that every API replica over it — read-only
//! ones on a hot standby included — starts from the snapshot a writable instance built instead
//! of reading every table again. `read_model_save` is one row describing the saved model (its
//! change-log cursor, length and checksum); `read_model_parts` holds its bytes in pieces small
//! enough for one row each. A writer replaces both in one transaction, so a reader inside one
//! snapshot transaction sees one whole save or the previous one.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::ddl::{create_table, create_table_keyed_by_id, drop_table};

crate::ddl::migration!();

async fn up(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    create_table_keyed_by_id(
        manager,
        "read_model_save",
        [
            // -1: nothing saved yet (every real cursor is at least 0).
            ColumnDef::new("cursor").big_integer().not_null(),
            ColumnDef::new("bytes").big_integer().not_null(),
            ColumnDef::new("parts").integer().not_null(),
            ColumnDef::new("checksum").big_integer().not_null(),
        ],
    )
    .await?;
    create_table(
        manager,
        "read_model_parts",
        [
            ColumnDef::new("part").integer().not_null().primary_key(),
            ColumnDef::new("bytes").blob().not_null(),
        ],
    )
    .await?;
    let db = manager.get_connection();
    // The one row exists from the start: a writer locks it before replacing the parts, so two
    // writers take turns instead of interleaving their parts.
    db.execute_unprepared(
        "INSERT INTO read_model_save (id, cursor, bytes, parts, checksum) VALUES (1, -1, 0, 0, 0)",
    )
    .await?;
    if db.get_database_backend() == DbBackend::Postgres {
        // The bytes are already compact binary: TOAST compression would cost CPU on every
        // save and every start for little space.
        db.execute_unprepared(
            "ALTER TABLE read_model_parts ALTER COLUMN bytes SET STORAGE EXTERNAL",
        )
        .await?;
    }
    Ok(())
}

async fn down(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    drop_table(manager, "read_model_parts").await?;
    drop_table(manager, "read_model_save").await
}
