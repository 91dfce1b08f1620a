//! `organizations`: A body a partnership, document or project needs.
use crate::model::{belongs_to, record_model, related_via};

record_model! { $
    /// A body a partnership, document or project needs.
    "organizations", Eq as organization_columns {
        name_zh: String,
        name_en: Option<String>,
        kind: String,
        zone: Option<String>,
    }
}

belongs_to! {
    /// The zone the organization lies in.
    Zone => zone,
}

related_via! {
    project: project_organization(Organization -> Project),
}
