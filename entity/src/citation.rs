//! `citations`: Evidence for a record or one of its relations: a verbatim quote with offsets, or a curator's note.
use sea_orm::entity::prelude::*;

/// Evidence for a record or one of its relations: a verbatim quote with offsets, or a curator's note.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "citations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub owner_kind: String,
    pub owner_slug: String,
    pub relation: Option<String>,
    pub target: Option<String>,
    pub ordinal: i32,
    pub source: Option<String>,
    pub source_url: Option<String>,
    pub quote: Option<String>,
    pub start_offset: Option<i32>,
    pub end_offset: Option<i32>,
    pub note: Option<String>,
    /// `seeds` for curated rows, `feed:<name>` for rows from a partner feed.
    pub origin: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
