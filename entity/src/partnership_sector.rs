//! `partnership_sectors`: A sector a partnership covers.
use crate::model::junction_model;

junction_model! {
    /// A sector a partnership covers.
    "partnership_sectors": partnership => Partnership, sector => Sector,
}
