//! `partnership_projects`: A project a partnership covers.
use sea_orm::entity::prelude::*;

/// A project a partnership covers.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "partnership_projects")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub partnership: String,
    pub project: String,
    /// `seeds` for curated rows, `feed:<name>` for rows from a partner feed.
    pub origin: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The row's `partnership`.
    #[sea_orm(
        belongs_to = "super::partnership::Entity",
        from = "Column::Partnership",
        to = "super::partnership::Column::Slug"
    )]
    Partnership,
    /// The row's `project`.
    #[sea_orm(
        belongs_to = "super::project::Entity",
        from = "Column::Project",
        to = "super::project::Column::Slug"
    )]
    Project,
}

impl ActiveModelBehavior for ActiveModel {}

impl Related<super::partnership::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Partnership.def()
    }
}

impl Related<super::project::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Project.def()
    }
}
