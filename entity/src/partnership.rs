//! `partnerships`: A cooperation relation: agreement, action plan, co-built park, linkage mechanism.
use sea_orm::entity::prelude::*;

/// A cooperation relation: agreement, action plan, co-built park, linkage mechanism.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "partnerships")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub slug: String,
    pub name_zh: String,
    pub name_en: Option<String>,
    pub kind: String,
    pub descriptive_name: bool,
    pub date: Option<String>,
    pub date_note: Option<String>,
    pub document: Option<String>,
    /// `seeds` for curated records, `feed:<name>` for records from a partner feed.
    pub origin: String,
    /// SHA-256 of the record with its relations and citations; changes when any of them does.
    pub content_hash: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
