#![doc = include_str!("../README.md")]

pub mod alias;
pub mod change;
pub mod citation;
pub mod export;
#[macro_use]
pub mod ids;
pub mod mention;
pub mod milestone;
mod model;
pub mod partnership_party;
pub mod partnership_project;
pub mod partnership_sector;
pub mod platform_sector;
pub mod project_organization;
pub mod project_sector;
pub mod relation;
pub mod tombstone;
pub mod vocab;

/// A module per record kind, named in `ids::kinds!` (its entity; see `model::record_model!`).
macro_rules! kind_modules {
    ($($kind:ident $module:ident,)*) => {
        $(pub mod $module;)*
    };
}
for_each_kind!(kind_modules! {});
