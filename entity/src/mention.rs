//! `mentions`: An occurrence of an entity's name or alias in a source (offsets in characters).
use sea_orm::entity::prelude::*;

/// An occurrence of an entity's name or alias in a source (offsets in characters).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "mentions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub entity_kind: String,
    pub entity_slug: String,
    pub source: String,
    pub start_offset: i32,
    pub end_offset: i32,
    pub surface: String,
    /// `seeds` for curated rows, `feed:<name>` for rows from a partner feed.
    pub origin: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
