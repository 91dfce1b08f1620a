#![doc = include_str!("../README.md")]

pub use sea_orm_migration::prelude::*;

mod ddl;

/// Declares each migration's module once and [`Migrator`] running them in the order listed.
macro_rules! migrations {
    ($(#[path = $path:literal] mod $migration:ident;)*) => {
        $(#[path = $path] mod $migration;)*

        /// All Baygraph migrations, oldest first.
        pub struct Migrator;

        #[async_trait::async_trait]
        impl MigratorTrait for Migrator {
            fn migrations() -> Vec<Box<dyn MigrationTrait>> {
                vec![$(Box::new($migration::Migration)),*]
            }
        }
    };
}

// Every `src/m<date>_<number>_<what>.rs`, oldest first (`build.rs`): a new migration is its file.
include!(concat!(env!("OUT_DIR"), "/migrations.rs"));
