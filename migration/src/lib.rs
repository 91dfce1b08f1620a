#![doc = include_str!("../README.md")]

pub use sea_orm_migration::prelude::*;

mod ddl;

/// Declares each migration's module once and [`Migrator`] running them in the order listed.
macro_rules! migrations {
    ($($vis:vis mod $migration:ident;)*) => {
        $($vis mod $migration;)*

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

migrations! {
    mod m20261122_000001_create_graph;
    mod m20261203_100001_compact_change_log;
    pub mod m20261206_000001_vocabulary_checks;
    mod m20261206_000002_graph_epoch;
    mod m20261206_000003_metric_qualifiers;
    mod m20261206_000004_sector_broader;
    mod m20261206_000005_project_organizations;
    mod m20261206_000006_source_url;
    mod m20261206_000007_mirror_state;
    mod m20261207_000001_shared_read_model;
    mod m20261207_000002_unique_change_records;
    mod m20261207_000003_change_records_by_slug;
}
