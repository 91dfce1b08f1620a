//! `projects`: A lab, facility, line, terminal, school, fund or programme.
use crate::model::{belongs_to, record_model, related_via};

record_model! { $
    /// A lab, facility, line, terminal, school, fund or programme.
    "projects", Eq as project_columns {
        name_zh: String,
        name_en: Option<String>,
        kind: String,
        status: Option<String>,
        platform: Option<String>,
        zone: Option<String>,
    }
}

belongs_to! {
    /// The platform hosting the project.
    Platform => platform,
    /// The zone the project lies in.
    Zone => zone,
}

related_via! {
    sector: project_sector(Project -> Sector),
    organization: project_organization(Project -> Organization),
}
