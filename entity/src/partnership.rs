//! `partnerships`: A cooperation relation: agreement, action plan, co-built park, linkage mechanism.
use crate::model::{belongs_to, record_model, related_via};

record_model! { $
    /// A cooperation relation: agreement, action plan, co-built park, linkage mechanism.
    "partnerships", Eq as partnership_columns {
        name_zh: String,
        name_en: Option<String>,
        kind: String,
        /// True when `name_zh` describes the partnership rather than quoting a name the sources
        /// give it (absent in a seed file: false).
        #[serde(default)]
        descriptive_name: bool,
        date: Option<String>,
        date_note: Option<String>,
        document: Option<String>,
    }
}

belongs_to! {
    /// The policy document establishing the partnership.
    Document => document,
}

related_via! {
    project: partnership_project(Partnership -> Project),
    sector: partnership_sector(Partnership -> Sector),
    zone: partnership_party(Partnership -> Zone),
    platform: partnership_party(Partnership -> Platform),
    organization: partnership_party(Partnership -> Organization),
}
