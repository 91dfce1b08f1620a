//! Each record kind's seed struct (what its seed file holds) and its conversion into a node, one
//! module per kind of `entity::Kind`, named like the kind's entity module.

/// Declares the module of every kind in `entity::Kind`.
macro_rules! kind_modules {
    ($($kind:ident $module:ident,)*) => {
        $(pub mod $module;)*
    };
}
entity::for_each_kind!(kind_modules! {});
