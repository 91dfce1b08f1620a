//! The entities (`entity`) and the migrations declare every table: the same columns, the same
//! nullability, so a mismatch fails here instead of as an SQL error at run time.
use entity::ids::Kind;
use sea_orm::{ColumnTrait, DatabaseConnection, DbBackend, EntityTrait, IdenStatic, Iterable};

use crate::helpers::{rows, test_db};

/// An entity's table and its columns as `(name, nullable)`, sorted by name.
fn declared<E: EntityTrait + Default>() -> (String, Vec<(String, bool)>) {
    let mut columns: Vec<(String, bool)> = E::Column::iter()
        .map(|c| (c.as_str().to_owned(), c.def().is_null()))
        .collect();
    columns.sort();
    (E::default().table_name().to_owned(), columns)
}

/// The columns the migrated database gives `table`, as `(name, nullable)`, sorted by name. A
/// primary key counts as not null (SQLite reports a text key as nullable; nothing inserts one).
async fn migrated(db: &DatabaseConnection, table: &str) -> Vec<(String, bool)> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Sqlite => {
            format!("SELECT name, \"notnull\" = 0 AND pk = 0 FROM pragma_table_info('{table}')")
        }
        _ => format!(
            "SELECT column_name::text, is_nullable = 'YES' FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = '{table}'"
        ),
    };
    let mut columns: Vec<(String, bool)> = rows(db, sql)
        .await
        .into_iter()
        .map(|row| {
            (
                row.try_get_by_index::<String>(0).expect("name"),
                row.try_get_by_index::<bool>(1).expect("nullable"),
            )
        })
        .collect();
    columns.sort();
    columns
}

#[tokio::test]
async fn every_entity_declares_its_tables_columns_as_migrated() {
    use entity::*;
    let t = test_db().await;
    let mut tables: Vec<(String, Vec<(String, bool)>)> = Kind::ALL
        .iter()
        .map(|kind| entity::with_entity!(*kind, E => declared::<E>()))
        .collect();
    // Every other table, by its entity module.
    macro_rules! declared {
        ($($module:ident,)*) => { [$(declared::<$module::Entity>()),*] };
    }
    tables.extend(entity::for_each_row_table!(declared! {}));
    for (table, columns) in tables {
        assert!(!columns.is_empty(), "{table}: no columns declared");
        assert_eq!(
            migrated(&t.db, &table).await,
            columns,
            "{table}: entity and migration differ"
        );
    }
}

#[tokio::test]
async fn every_migration_rolls_back_and_forward_and_the_change_log_holds_one_row_per_record() {
    use migration::MigratorTrait;
    use sea_orm::ConnectionTrait;
    let t = test_db().await;
    migration::Migrator::down(&t.db, None)
        .await
        .expect("every migration rolls back");
    migration::Migrator::up(&t.db, None)
        .await
        .expect("and forward again");
    let insert = "INSERT INTO changes (kind, slug, op, at) \
                  VALUES ('zone', 'huangpu', 'upsert', '2026-12-07T00:00:00Z')";
    t.db.execute_unprepared(insert)
        .await
        .expect("a record's change");
    assert!(
        t.db.execute_unprepared(insert).await.is_err(),
        "a second change-log row for one record is refused"
    );
}
