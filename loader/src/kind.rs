//! Each record kind's seed struct (what its seed file holds) and its conversion into a node, one
//! module per kind of `entity::Kind` but sources (a folder of texts, read by `read`), named like
//! the kind's entity module.

/// Declares the module of every kind in `entity::Kind` but sources.
macro_rules! kind_modules {
    (Source source, $($rest:tt)*) => {
        kind_modules!($($rest)*);
    };
    ($kind:ident $module:ident, $($rest:tt)*) => {
        pub mod $module;
        kind_modules!($($rest)*);
    };
    () => {};
}
entity::for_each_kind!(kind_modules! {});
