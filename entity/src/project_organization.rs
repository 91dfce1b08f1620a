//! `project_organizations`: An organization that owns, builds or runs a project.
use sea_orm::entity::prelude::*;

/// An organization that owns, builds or runs a project, with its role.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "project_organizations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub project: String,
    pub organization: String,
    /// `owner`, `builder` or `operator` (`entity::vocab::ProjectRole`).
    pub role: String,
    /// `seeds` for curated rows, `feed:<name>` for rows from a partner feed.
    pub origin: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The project.
    #[sea_orm(
        belongs_to = "super::project::Entity",
        from = "Column::Project",
        to = "super::project::Column::Slug"
    )]
    Project,
    /// The organization.
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::Organization",
        to = "super::organization::Column::Slug"
    )]
    Organization,
}

impl ActiveModelBehavior for ActiveModel {}
