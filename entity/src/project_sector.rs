//! `project_sectors`: A sector a project works in.
use crate::model::junction_model;

junction_model! {
    /// A sector a project works in.
    "project_sectors": project => Project, sector => Sector,
}
