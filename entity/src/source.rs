//! `sources`: A source document every fact is quoted from.
use sea_orm::entity::prelude::*;

/// A source document every fact is quoted from.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "sources")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub slug: String,
    pub title: String,
    pub publisher: String,
    pub reporter: Option<String>,
    pub date: Option<String>,
    pub date_note: Option<String>,
    pub original_file: String,
    /// The original publication's address, where the received text states it.
    pub url: Option<String>,
    /// Why there is no `url`.
    pub url_note: Option<String>,
    pub body: String,
    pub sha256: String,
    /// `seeds` for curated records, `feed:<name>` for records from a partner feed.
    pub origin: String,
    /// SHA-256 of the record with its relations and citations; changes when any of them does.
    pub content_hash: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
