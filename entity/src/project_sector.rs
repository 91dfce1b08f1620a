//! `project_sectors`: A sector a project works in.
use sea_orm::entity::prelude::*;

/// A sector a project works in.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "project_sectors")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub project: String,
    pub sector: String,
    /// `seeds` for curated rows, `feed:<name>` for rows from a partner feed.
    pub origin: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The row's `project`.
    #[sea_orm(
        belongs_to = "super::project::Entity",
        from = "Column::Project",
        to = "super::project::Column::Slug"
    )]
    Project,
    /// The row's `sector`.
    #[sea_orm(
        belongs_to = "super::sector::Entity",
        from = "Column::Sector",
        to = "super::sector::Column::Slug"
    )]
    Sector,
}

impl ActiveModelBehavior for ActiveModel {}

impl Related<super::project::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Project.def()
    }
}

impl Related<super::sector::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Sector.def()
    }
}
