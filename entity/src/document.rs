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
pub enum Relation {
    /// The zone (its government) issuing the document.
    #[sea_orm(
        belongs_to = "super::zone::Entity",
        from = "Column::IssuerZone",
        to = "super::zone::Column::Slug"
    )]
    IssuerZone,
    /// The organization issuing the document.
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::IssuerOrganization",
        to = "super::organization::Column::Slug"
    )]
    IssuerOrganization,
}

impl ActiveModelBehavior for ActiveModel {}

impl Related<super::zone::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::IssuerZone.def()
    }
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::IssuerOrganization.def()
    }
}
