//! The statements Baygraph's migrations repeat: a table created or dropped, a column added or
//! dropped, an index. Each helper builds the same statement a migration would spell out, so the
//! schema a migration produces does not depend on whether it uses them.
use sea_orm_migration::prelude::*;

/// Leaves the change log one row per record, its latest change, and makes `(kind, slug)` unique
/// (`ux_changes_record`).
pub async fn one_change_per_record(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .get_connection()
        .execute_unprepared(
            "DELETE FROM changes WHERE seq NOT IN \
             (SELECT MAX(seq) FROM changes GROUP BY kind, slug)",
        )
        .await?;
    create_unique_index(manager, "ux_changes_record", "changes", &["kind", "slug"]).await
}

/// Replaces index `old` with the unique index `name` on `table`'s `columns` (created first, so
/// the rule it holds is never off).
pub async fn replace_unique_index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: &'static str,
    columns: &[&'static str],
    old: &str,
) -> Result<(), DbErr> {
    create_unique_index(manager, name, table, columns).await?;
    manager
        .get_connection()
        .execute_unprepared(&format!("DROP INDEX IF EXISTS {old}"))
        .await?;
    Ok(())
}

/// Creates `table` with `columns`, in order.
pub async fn create_table<C: IntoColumnDef>(
    manager: &SchemaManager<'_>,
    table: &'static str,
    columns: impl IntoIterator<Item = C>,
) -> Result<(), DbErr> {
    let mut stmt = Table::create();
    stmt.table(table);
    for column in columns {
        stmt.col(column);
    }
    manager.create_table(stmt).await
}

/// Creates `table` keyed by an integer `id`, with `columns` after it: the tables that hold at
/// most one row (id 1), such as the graph epoch or the change-log floor.
pub async fn create_table_keyed_by_id<C: IntoColumnDef>(
    manager: &SchemaManager<'_>,
    table: &'static str,
    columns: impl IntoIterator<Item = C>,
) -> Result<(), DbErr> {
    let id = ColumnDef::new("id")
        .integer()
        .not_null()
        .primary_key()
        .to_owned();
    create_table(
        manager,
        table,
        std::iter::once(id).chain(columns.into_iter().map(Into::into)),
    )
    .await
}

/// Drops `table`.
pub async fn drop_table(manager: &SchemaManager<'_>, table: &'static str) -> Result<(), DbErr> {
    manager
        .drop_table(Table::drop().table(table).to_owned())
        .await
}

/// Adds `column` to `table`, one column per statement: SQLite adds one column per `ALTER TABLE`.
pub async fn add_column<C: IntoColumnDef>(
    manager: &SchemaManager<'_>,
    table: &'static str,
    column: C,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).add_column(column).to_owned())
        .await
}

/// Drops `columns` from `table`, in order, one statement each.
pub async fn drop_columns(
    manager: &SchemaManager<'_>,
    table: &'static str,
    columns: &[&'static str],
) -> Result<(), DbErr> {
    for &column in columns {
        manager
            .alter_table(Table::alter().table(table).drop_column(column).to_owned())
            .await?;
    }
    Ok(())
}

/// Creates the unique index `name` on `table`'s `columns`.
async fn create_unique_index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: &'static str,
    columns: &[&'static str],
) -> Result<(), DbErr> {
    manager
        .create_index(index(name, table, columns).unique().to_owned())
        .await
}

/// A (non-unique) index named `name` on `table`'s `columns`, in order; the caller adds
/// `unique()` or `if_not_exists()` where it wants them.
pub fn index(
    name: impl Into<String>,
    table: &'static str,
    columns: &[&'static str],
) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(name.into()).table(table);
    for &column in columns {
        stmt.col(column);
    }
    stmt
}

/// Declares the file's `Migration`, named after the file, whose `up` and `down` are the file's
/// `up` and `down` functions; `in_transaction` runs them in one transaction on SQLite too (its
/// default is none), as the vocabulary checks migration explains.
macro_rules! migration {
    () => {
        $crate::ddl::migration!(@use_transaction None);
    };
    (in_transaction) => {
        $crate::ddl::migration!(@use_transaction Some(true));
    };
    (@use_transaction $use_transaction:expr) => {
        #[derive(DeriveMigrationName)]
        pub struct Migration;

        #[async_trait::async_trait]
        impl MigrationTrait for Migration {
            fn use_transaction(&self) -> Option<bool> {
                $use_transaction
            }

            async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
                up(manager).await
            }

            async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
                down(manager).await
            }
        }
    };
}
pub(crate) use migration;
