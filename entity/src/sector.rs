//! `sectors`: An industry or field (生物医药, 集成电路 …).
use sea_orm::entity::prelude::*;

/// An industry or field (生物医药, 集成电路 …).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "sectors")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub slug: String,
    pub name_zh: String,
    pub name_en: Option<String>,
    /// The broader sector this one is a branch of (生物制药 → 生物医药).
    pub broader: Option<String>,
    /// `seeds` for curated records, `feed:<name>` for records from a partner feed.
    pub origin: String,
    /// SHA-256 of the record with its relations and citations; changes when any of them does.
    pub content_hash: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The broader sector this one is a branch of.
    #[sea_orm(belongs_to = "Entity", from = "Column::Broader", to = "Column::Slug")]
    Broader,
}

impl ActiveModelBehavior for ActiveModel {}
