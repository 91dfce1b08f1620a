//! The schema, built in one place: the root query, limits and the shared data (the current
//! snapshot; the database for the change feed).
use async_graphql::{EmptyMutation, MergedObject, MergedSubscription, Schema};
use sea_orm::DatabaseConnection;

use crate::config::Limits;

pub mod change;
pub mod common;
pub mod field;
pub mod filter;
pub mod graph;
pub mod milestone;
pub mod node;
pub mod page;
pub mod partner;
pub mod party;
pub mod project_organization;
pub mod provenance;
pub mod record;
pub mod search;
pub mod stats;

pub use common::SharedSnapshot;

/// Declares each record kind's module (its GraphQL type, root list and by-slug field, named
/// after `entity::Kind`'s module) and the root query that merges those root fields between
/// `node` and the queries over the whole graph.
macro_rules! kind_schema {
    ($($kind:ident $module:ident,)*) => {
        $(pub mod $module;)*
        // Each kind's type by its kind's name, for the fields derived from the relation table.
        $(pub use $module::$kind;)*

        /// Baygraph's root query: records by ID, lists with filters, search, graph queries, statistics.
        #[derive(MergedObject, Default)]
        pub struct Query(
            node::NodeQuery,
            $($module::Query,)*
            search::SearchQuery,
            graph::GraphQuery,
            stats::StatsQuery,
            change::ChangeQuery,
        );
    };
}
entity::for_each_kind!(kind_schema! {});

/// Baygraph's subscriptions: live changes.
#[derive(MergedSubscription, Default)]
pub struct Subscription(change::ChangeSubscription);

pub type BaygraphSchema = Schema<Query, EmptyMutation, Subscription>;

/// Builds the schema over `db` and the shared snapshot, with `limits` applied.
pub fn build(db: &DatabaseConnection, current: SharedSnapshot, limits: &Limits) -> BaygraphSchema {
    Schema::build(Query::default(), EmptyMutation, Subscription::default())
        .data(db.clone())
        .data(current)
        // async-graphql's own limits, not an extension: any extension makes every field of every
        // answer go through the extension chain (a third of the fan-out's throughput, measured in
        // bench/README.md). Their errors are recognised by shape in `endpoint::classify`.
        .limit_depth(limits.max_depth)
        .limit_complexity(limits.max_complexity)
        .limit_recursive_depth(32)
        .limit_directives(8)
        .disable_suggestions()
        .finish()
}

/// The schema's SDL, as committed in `api/schema.graphql`.
pub fn sdl() -> String {
    Schema::build(Query::default(), EmptyMutation, Subscription::default())
        .finish()
        .sdl()
}
