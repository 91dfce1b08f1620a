//! `platform_sectors`: A sector a platform works in.
use sea_orm::entity::prelude::*;

/// A sector a platform works in.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "platform_sectors")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub platform: String,
    pub sector: String,
    /// `seeds` for curated rows, `feed:<name>` for rows from a partner feed.
    pub origin: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The row's `platform`.
    #[sea_orm(
        belongs_to = "super::platform::Entity",
        from = "Column::Platform",
        to = "super::platform::Column::Slug"
    )]
    Platform,
    /// The row's `sector`.
    #[sea_orm(
        belongs_to = "super::sector::Entity",
        from = "Column::Sector",
        to = "super::sector::Column::Slug"
    )]
    Sector,
}

impl ActiveModelBehavior for ActiveModel {}

impl Related<super::platform::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Platform.def()
    }
}

impl Related<super::sector::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Sector.def()
    }
}
