//! `documents`: A policy document (a 《…》 title).
use sea_orm::entity::prelude::*;

/// A policy document (a 《…》 title).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "documents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub slug: String,
    pub title_zh: String,
    pub title_en: Option<String>,
    pub kind: String,
    pub date: Option<String>,
    pub date_note: Option<String>,
    pub issuer_zone: Option<String>,
    pub issuer_organization: Option<String>,
    /// `seeds` for curated records, `feed:<name>` for records from a partner feed.
    pub origin: String,
    /// SHA-256 of the record with its relations and citations; changes when any of them does.
    pub content_hash: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
