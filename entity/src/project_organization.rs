//! `project_organizations`: An organization that owns, builds or runs a project.
use crate::model::junction_model;

junction_model! {
    /// An organization that owns, builds or runs a project, with its role.
    "project_organizations": project => Project, organization => Organization,
    /// `owner`, `builder` or `operator` (`entity::vocab::ProjectRole`).
    role: String,
}
