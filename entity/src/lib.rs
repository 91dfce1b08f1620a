#![doc = include_str!("../README.md")]

pub mod alias;
pub mod change;
pub mod citation;
pub mod document;
pub mod export;
pub mod ids;
pub mod mention;
pub mod metric;
pub mod milestone;
mod model;
pub mod organization;
pub mod partnership;
pub mod partnership_party;
pub mod partnership_project;
pub mod partnership_sector;
pub mod platform;
pub mod platform_sector;
pub mod project;
pub mod project_organization;
pub mod project_sector;
pub mod relation;
pub mod sector;
pub mod source;
pub mod tombstone;
pub mod vocab;
pub mod zone;
