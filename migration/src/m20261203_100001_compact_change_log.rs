//! The change log keeps one row per record: its latest change (an upsert, or a deletion kept as a
//! tombstone until the retention purges it). `change_log_floor` remembers the highest position
//! the retention purged, so a feed cursor older than that is known to have missed deletions.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        // Keep the latest change of each record; older ones say nothing a partner still needs.
        db.execute_unprepared(
            "DELETE FROM changes WHERE seq NOT IN \
             (SELECT MAX(seq) FROM changes GROUP BY kind, slug)",
        )
        .await?;
        // The unique index replaces the plain one on the same columns.
        manager
            .create_index(
                Index::create()
                    .name("ux_changes_record")
                    .table("changes")
                    .col("kind")
                    .col("slug")
                    .unique()
                    .to_owned(),
            )
            .await?;
        db.execute_unprepared("DROP INDEX IF EXISTS ux_changes_record")
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("change_log_floor")
                    .col(ColumnDef::new("id").integer().not_null().primary_key())
                    .col(ColumnDef::new("seq").big_integer().not_null())
                    .to_owned(),
            )
            .await?;
        db.execute_unprepared("INSERT INTO change_log_floor (id, seq) VALUES (1, 0)")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        manager
            .drop_table(Table::drop().table("change_log_floor").to_owned())
            .await?;
        db.execute_unprepared("DROP INDEX IF EXISTS ux_changes_record")
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_changes_kind_slug")
                    .table("changes")
                    .col("kind")
                    .col("slug")
                    .to_owned(),
            )
            .await
    }
}
