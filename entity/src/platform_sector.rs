//! `platform_sectors`: A sector a platform works in.
use crate::model::junction_model;

junction_model! {
    /// A sector a platform works in.
    "platform_sectors": platform => Platform, sector => Sector,
}
