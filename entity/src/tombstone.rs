//! `tombstones`: A record removed from the graph, kept so feed consumers learn of the deletion.
use sea_orm::entity::prelude::*;

/// A record removed from the graph, kept so feed consumers learn of the deletion.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "tombstones")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub kind: String,
    pub slug: String,
    pub deleted_at: DateTimeUtc,
    /// `seeds` for curated rows, `feed:<name>` for rows from a partner feed.
    pub origin: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
