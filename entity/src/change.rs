//! `changes`: the change log, one row per record insert, update or delete, in commit order.
use sea_orm::entity::prelude::*;

/// One change to one record; `seq` is the feed cursor.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i64,
    /// The record kind (`zone`, `platform` …).
    pub kind: String,
    pub slug: String,
    /// `upsert` or `delete`.
    pub op: String,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
