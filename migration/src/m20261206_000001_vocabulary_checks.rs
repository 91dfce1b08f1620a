//! Vocabulary columns (kinds, levels, statuses, roles) accept only their vocabulary's values, so a
//! value the API cannot publish is refused when written, not met as an error at query time.
//! PostgreSQL gets CHECK constraints; SQLite, which cannot add a constraint to an existing table,
//! gets triggers that abort the insert or update. The values come from `entity::vocab`, the one
//! declaration of every vocabulary: a migration that changes a vocabulary calls [`install`] again.
use entity::vocab::{VocabularyColumn, columns};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

// In one transaction on SQLite too (its default is none): the vocabulary checks are
// dropped and made again, and outside a transaction those statements may reach different
// pooled connections, one of which can still see a trigger another has just dropped.
crate::ddl::migration!(in_transaction);

fn name(c: &VocabularyColumn) -> String {
    format!("{}_{}_vocabulary", c.table, c.column)
}

fn allowed(c: &VocabularyColumn) -> String {
    c.values
        .iter()
        .map(|v| format!("'{}'", v.replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Replaces every vocabulary check with one made from the vocabularies as declared now, on the
/// columns that exist so far (a later migration adding a vocabulary column installs again).
pub async fn install(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    remove(manager).await?;
    for_each_check(
        manager,
        |c, event| {
            let (table, column, name, allowed) = (c.table, c.column, name(c), allowed(c));
            format!(
                "CREATE TRIGGER {name}_{event} BEFORE {event} ON {table} \
                 WHEN NEW.{column} IS NOT NULL AND NEW.{column} NOT IN ({allowed}) \
                 BEGIN SELECT RAISE(ABORT, '{table}.{column} is not a {} value'); END",
                c.vocabulary
            )
        },
        |c| {
            let (table, column, name, allowed) = (c.table, c.column, name(c), allowed(c));
            format!("ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({column} IN ({allowed}))")
        },
    )
    .await
}

/// Removes every vocabulary check.
pub async fn remove(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    for_each_check(
        manager,
        |c, event| format!("DROP TRIGGER IF EXISTS {}_{event}", name(c)),
        |c| {
            format!(
                "ALTER TABLE {} DROP CONSTRAINT IF EXISTS {}",
                c.table,
                name(c)
            )
        },
    )
    .await
}

/// Runs, for every vocabulary column that exists so far, the statements of its check: on SQLite
/// `trigger` for each event a trigger guards (insert, update), elsewhere `constraint` once.
async fn for_each_check(
    manager: &SchemaManager<'_>,
    trigger: impl Fn(&VocabularyColumn, &str) -> String,
    constraint: impl Fn(&VocabularyColumn) -> String,
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    for c in columns() {
        // A table a later migration creates has no check yet (PostgreSQL's ALTER TABLE … IF
        // EXISTS covers the constraint, not the table).
        if !manager.has_column(c.table, c.column).await? {
            continue;
        }
        match db.get_database_backend() {
            DbBackend::Sqlite => {
                for event in ["INSERT", "UPDATE"] {
                    db.execute_unprepared(&trigger(&c, event)).await?;
                }
            }
            _ => {
                db.execute_unprepared(&constraint(&c)).await?;
            }
        }
    }
    Ok(())
}

async fn up(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    install(manager).await
}

async fn down(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    remove(manager).await
}
