//! `metrics`: A figure about exactly one zone, platform, project or partnership.
use sea_orm::entity::prelude::*;

/// A figure about exactly one zone, platform, project or partnership.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "metrics")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub slug: String,
    pub zone: Option<String>,
    pub platform: Option<String>,
    pub project: Option<String>,
    pub partnership: Option<String>,
    pub name_zh: String,
    pub name_en: Option<String>,
    pub value: f64,
    pub value_text: String,
    pub unit: String,
    pub year: Option<i32>,
    pub is_target: bool,
    /// `seeds` for curated records, `feed:<name>` for records from a partner feed.
    pub origin: String,
    /// SHA-256 of the record with its relations and citations; changes when any of them does.
    pub content_hash: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
