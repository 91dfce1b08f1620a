//! `partnership_projects`: A project a partnership covers.
use crate::model::junction_model;

junction_model! {
    /// A project a partnership covers.
    "partnership_projects": partnership => Partnership, project => Project,
}
