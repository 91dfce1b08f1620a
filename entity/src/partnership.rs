//! `partnerships`: A cooperation relation: agreement, action plan, co-built park, linkage mechanism.
use sea_orm::entity::prelude::*;

/// A cooperation relation: agreement, action plan, co-built park, linkage mechanism.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "partnerships")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub slug: String,
    pub name_zh: String,
    pub name_en: Option<String>,
    pub kind: String,
    pub descriptive_name: bool,
    pub date: Option<String>,
    pub date_note: Option<String>,
    pub document: Option<String>,
    /// `seeds` for curated records, `feed:<name>` for records from a partner feed.
    pub origin: String,
    /// SHA-256 of the record with its relations and citations; changes when any of them does.
    pub content_hash: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The policy document establishing the partnership.
    #[sea_orm(
        belongs_to = "super::document::Entity",
        from = "Column::Document",
        to = "super::document::Column::Slug"
    )]
    Document,
}

impl ActiveModelBehavior for ActiveModel {}

impl Related<super::project::Entity> for Entity {
    fn to() -> RelationDef {
        super::partnership_project::Relation::Project.def()
    }
    fn via() -> Option<RelationDef> {
        Some(
            super::partnership_project::Relation::Partnership
                .def()
                .rev(),
        )
    }
}

impl Related<super::sector::Entity> for Entity {
    fn to() -> RelationDef {
        super::partnership_sector::Relation::Sector.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::partnership_sector::Relation::Partnership.def().rev())
    }
}

impl Related<super::zone::Entity> for Entity {
    fn to() -> RelationDef {
        super::partnership_party::Relation::Zone.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::partnership_party::Relation::Partnership.def().rev())
    }
}

impl Related<super::platform::Entity> for Entity {
    fn to() -> RelationDef {
        super::partnership_party::Relation::Platform.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::partnership_party::Relation::Partnership.def().rev())
    }
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        super::partnership_party::Relation::Organization.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::partnership_party::Relation::Partnership.def().rev())
    }
}

impl Related<super::document::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Document.def()
    }
}
