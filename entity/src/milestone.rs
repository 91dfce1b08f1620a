//! `milestones`: A dated event in a project's life.
use sea_orm::entity::prelude::*;

/// A dated event in a project's life.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "milestones")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub project: String,
    pub ordinal: i32,
    pub date: String,
    pub event_zh: String,
    pub event_en: Option<String>,
    pub date_note: Option<String>,
    /// `seeds` for curated rows, `feed:<name>` for rows from a partner feed.
    pub origin: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The project the milestone belongs to.
    #[sea_orm(
        belongs_to = "super::project::Entity",
        from = "Column::Project",
        to = "super::project::Column::Slug"
    )]
    Project,
}

impl ActiveModelBehavior for ActiveModel {}

impl Related<super::project::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Project.def()
    }
}
