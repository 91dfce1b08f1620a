//! `platforms`: A development or innovation platform, park, port or pilot area.
use sea_orm::entity::prelude::*;

/// A development or innovation platform, park, port or pilot area.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "platforms")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub slug: String,
    pub name_zh: String,
    pub name_en: Option<String>,
    pub kind: String,
    pub level: Option<String>,
    pub zone: Option<String>,
    pub parent: Option<String>,
    pub area_km2: Option<f64>,
    /// `seeds` for curated records, `feed:<name>` for records from a partner feed.
    pub origin: String,
    /// SHA-256 of the record with its relations and citations; changes when any of them does.
    pub content_hash: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The zone the platform lies in.
    #[sea_orm(
        belongs_to = "super::zone::Entity",
        from = "Column::Zone",
        to = "super::zone::Column::Slug"
    )]
    Zone,
    /// The larger platform this one is part of.
    #[sea_orm(belongs_to = "Entity", from = "Column::Parent", to = "Column::Slug")]
    Parent,
}

impl ActiveModelBehavior for ActiveModel {}

impl Related<super::sector::Entity> for Entity {
    fn to() -> RelationDef {
        super::platform_sector::Relation::Sector.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::platform_sector::Relation::Platform.def().rev())
    }
}

impl Related<super::zone::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Zone.def()
    }
}
