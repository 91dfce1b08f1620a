//! `metrics`: A figure about exactly one zone, platform, project or partnership.
use sea_orm::entity::prelude::*;

/// A figure about exactly one zone, platform, project or partnership.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "metrics")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub slug: String,
    pub zone: Option<String>,
    pub platform: Option<String>,
    pub project: Option<String>,
    pub partnership: Option<String>,
    pub name_zh: String,
    pub name_en: Option<String>,
    pub value: f64,
    pub value_text: String,
    pub unit: String,
    pub year: Option<i32>,
    /// How `value` relates to what the text states (`exact`, `more_than`, `range` …).
    pub qualifier: String,
    /// The upper end of a `range`.
    pub value_max: Option<f64>,
    /// The date a cumulative count stands at (YYYY, YYYY-MM or YYYY-MM-DD), where stated.
    pub as_of: Option<String>,
    pub is_target: bool,
    /// `seeds` for curated records, `feed:<name>` for records from a partner feed.
    pub origin: String,
    /// SHA-256 of the record with its relations and citations; changes when any of them does.
    pub content_hash: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The row's `zone`.
    #[sea_orm(
        belongs_to = "super::zone::Entity",
        from = "Column::Zone",
        to = "super::zone::Column::Slug"
    )]
    Zone,
    /// The row's `platform`.
    #[sea_orm(
        belongs_to = "super::platform::Entity",
        from = "Column::Platform",
        to = "super::platform::Column::Slug"
    )]
    Platform,
    /// The row's `project`.
    #[sea_orm(
        belongs_to = "super::project::Entity",
        from = "Column::Project",
        to = "super::project::Column::Slug"
    )]
    Project,
    /// The row's `partnership`.
    #[sea_orm(
        belongs_to = "super::partnership::Entity",
        from = "Column::Partnership",
        to = "super::partnership::Column::Slug"
    )]
    Partnership,
}

impl ActiveModelBehavior for ActiveModel {}

impl Related<super::zone::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Zone.def()
    }
}

impl Related<super::platform::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Platform.def()
    }
}

impl Related<super::project::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Project.def()
    }
}

impl Related<super::partnership::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Partnership.def()
    }
}
