#![doc = include_str!("../README.md")]

pub mod columns;
pub mod export;
#[macro_use]
pub mod ids;
mod model;

/// Declares a module per table that is not a record kind's (rows a record owns, junction rows,
/// the change log) and `for_each_row_table!(callback! { args })`, which expands to
/// `callback! { args module, … }`, for code that needs every table (with [`for_each_kind!`]).
macro_rules! row_tables {
    ($d:tt $($module:ident),* $(,)?) => {
        $(pub mod $module;)*

        /// `for_each_row_table!(callback! { args })`: `callback! { args module, … }` with the
        /// entity module of every table that is not a record kind's.
        #[macro_export]
        macro_rules! for_each_row_table {
            ($d callback:ident! { $d($d args:tt)* }) => {
                $d callback! { $d($d args)* $($module,)* }
            };
        }
    };
}
row_tables! { $
    alias,
    citation,
    mention,
    milestone,
    partnership_party,
    partnership_project,
    partnership_sector,
    platform_sector,
    project_sector,
    project_organization,
    tombstone,
    change,
}
pub mod relation;
pub mod vocab;

/// A module per record kind, named in `ids::kinds!` (its entity; see `model::record_model!`).
macro_rules! kind_modules {
    ($($kind:ident $module:ident,)*) => {
        $(pub mod $module;)*
    };
}
for_each_kind!(kind_modules! {});
