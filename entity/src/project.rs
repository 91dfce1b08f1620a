//! `projects`: A lab, facility, line, terminal, school, fund or programme.
use sea_orm::entity::prelude::*;

/// A lab, facility, line, terminal, school, fund or programme.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "projects")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub slug: String,
    pub name_zh: String,
    pub name_en: Option<String>,
    pub kind: String,
    pub status: Option<String>,
    pub platform: Option<String>,
    pub zone: Option<String>,
    /// `seeds` for curated records, `feed:<name>` for records from a partner feed.
    pub origin: String,
    /// SHA-256 of the record with its relations and citations; changes when any of them does.
    pub content_hash: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The platform hosting the project.
    #[sea_orm(
        belongs_to = "super::platform::Entity",
        from = "Column::Platform",
        to = "super::platform::Column::Slug"
    )]
    Platform,
    /// The zone the project lies in.
    #[sea_orm(
        belongs_to = "super::zone::Entity",
        from = "Column::Zone",
        to = "super::zone::Column::Slug"
    )]
    Zone,
}

impl ActiveModelBehavior for ActiveModel {}

impl Related<super::sector::Entity> for Entity {
    fn to() -> RelationDef {
        super::project_sector::Relation::Sector.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::project_sector::Relation::Project.def().rev())
    }
}

impl Related<super::platform::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Platform.def()
    }
}

impl Related<super::zone::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Zone.def()
    }
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        super::project_organization::Relation::Organization.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::project_organization::Relation::Project.def().rev())
    }
}
