//! `partnership_parties`: A party to a partnership: exactly one of zone, platform, organization.
use sea_orm::entity::prelude::*;

/// A party to a partnership: exactly one of zone, platform, organization.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "partnership_parties")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub partnership: String,
    pub ordinal: i32,
    pub role: String,
    pub zone: Option<String>,
    pub platform: Option<String>,
    pub organization: Option<String>,
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
    /// The row's `organization`.
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::Organization",
        to = "super::organization::Column::Slug"
    )]
    Organization,
}

impl ActiveModelBehavior for ActiveModel {}

impl Related<super::partnership::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Partnership.def()
    }
}

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

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Model {
    /// The record this party is: exactly one of `zone`, `platform`, `organization` is set
    /// (the migration's CHECK and the loader both require it), so the first one set is it.
    pub fn party(&self) -> Option<(crate::ids::Kind, &str)> {
        use crate::ids::Kind;
        [
            (Kind::Zone, &self.zone),
            (Kind::Platform, &self.platform),
            (Kind::Organization, &self.organization),
        ]
        .into_iter()
        .find_map(|(k, s)| s.as_deref().map(|s| (k, s)))
    }
}
