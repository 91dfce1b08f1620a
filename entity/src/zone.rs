//! `zones`: A city, district, SAR, cooperation zone, new area or region.
use sea_orm::entity::prelude::*;

/// A city, district, SAR, cooperation zone, new area or region.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "zones")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub slug: String,
    pub name_zh: String,
    pub name_en: Option<String>,
    pub kind: String,
    pub parent: Option<String>,
    /// `seeds` for curated records, `feed:<name>` for records from a partner feed.
    pub origin: String,
    /// SHA-256 of the record with its relations and citations; changes when any of them does.
    pub content_hash: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The zone this zone lies in (`parent`).
    #[sea_orm(belongs_to = "Entity", from = "Column::Parent", to = "Column::Slug")]
    Parent,
}

impl ActiveModelBehavior for ActiveModel {}
