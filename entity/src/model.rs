//! The shapes every table shares, written once: a record table's model (`slug`, the kind's own
//! columns, provenance and change stamp), a row table's model (`key`, its columns, `origin`),
//! and the relations an entity declares (`belongs_to!` through a column, `related_via!` through a
//! junction). Each expands to what sea-orm's derives expect, so `Column`, `ActiveModel` and
//! `Related` work as in a hand-written entity.

/// A record table's `Model`: `slug` (the primary key), the columns given, then `origin`,
/// `content_hash` and `updated_at`, which every record carries; read from a row's columns in
/// that order by `FromColumns`.
macro_rules! record_model {
    ($(#[$doc:meta])* $table:literal $(, $derive:ident)* {
        $( $(#[$field_doc:meta])* $field:ident: $ty:ty, )*
    }) => {
        // What `DeriveEntityModel`'s expansion names unqualified.
        use sea_orm::entity::prelude::*;

        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, $($derive,)* sea_orm::DeriveEntityModel, serde::Serialize)]
        #[sea_orm(table_name = $table)]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub slug: String,
            $( $(#[$field_doc])* pub $field: $ty, )*
            /// `seeds` for curated records, `feed:<name>` for records from a partner feed.
            pub origin: String,
            /// SHA-256 of the record with its relations and citations; changes when any of them does.
            pub content_hash: String,
            pub updated_at: sea_orm::prelude::DateTimeUtc,
        }

        impl sea_orm::ActiveModelBehavior for ActiveModel {}

        impl $crate::columns::FromColumns for Model {
            fn from_columns(row: &impl $crate::columns::Columns) -> Result<Self, sea_orm::DbErr> {
                use $crate::columns::FromColumn;
                // Columns in the order the fields are declared (`Column::iter()`'s order).
                let mut at = 0;
                let mut next = || {
                    at += 1;
                    at - 1
                };
                Ok(Model {
                    slug: FromColumn::read(row, next())?,
                    $( $field: FromColumn::read(row, next())?, )*
                    origin: FromColumn::read(row, next())?,
                    content_hash: FromColumn::read(row, next())?,
                    updated_at: FromColumn::read(row, next())?,
                })
            }
        }
    };
    // With `$ … as name_columns`: also `name_columns!(callback! { args })`, which expands to
    // `callback! { args column: Type, … }` with the kind's own columns (their doc comments
    // included), so code in other crates (the loader's seed structs) follows them.
    ($d:tt $(#[$doc:meta])* $table:literal $(, $derive:ident)* as $columns:ident {
        $( $(#[$field_doc:meta])* $field:ident: $ty:ty, )*
    }) => {
        $crate::model::record_model! {
            $(#[$doc])* $table $(, $derive)* { $( $(#[$field_doc])* $field: $ty, )* }
        }

        #[doc = concat!("`", stringify!($columns), "!(callback! { args })`: `callback! { args column: Type, … }` with the own columns of `", $table, "` (see `record_model!`).")]
        #[macro_export]
        macro_rules! $columns {
            ($d callback:ident! { $d($d args:tt)* }) => {
                $d callback! { $d($d args)* $( $(#[$field_doc])* $field: $ty, )* }
            };
        }
    };
}
pub(crate) use record_model;

/// A row table's `Model` (rows a record owns: aliases, citations, junction rows …): `key` (the
/// primary key), the columns given, then `origin`.
macro_rules! row_model {
    ($(#[$doc:meta])* $table:literal {
        $( $(#[$field_doc:meta])* $field:ident: $ty:ty, )*
    }) => {
        // What `DeriveEntityModel`'s expansion names unqualified.
        use sea_orm::entity::prelude::*;

        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, sea_orm::DeriveEntityModel, serde::Serialize)]
        #[sea_orm(table_name = $table)]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub key: String,
            $( $(#[$field_doc])* pub $field: $ty, )*
            /// `seeds` for curated rows, `feed:<name>` for rows from a partner feed.
            pub origin: String,
        }

        impl sea_orm::ActiveModelBehavior for ActiveModel {}
    };
}
pub(crate) use row_model;

/// The entity's `Relation` enum (after `record_model!` or `row_model!`, whose prelude it uses):
/// each variant belongs to the entity of the module named after
/// `=>` (`Self` for this one) through the column of the variant's name, and, unless it points
/// at this entity, makes that entity `Related` through it.
macro_rules! belongs_to {
    ($( $(#[$doc:meta])* $variant:ident => $target:ident ),* $(,)?) => {
        #[derive(Copy, Clone, Debug, sea_orm::EnumIter)]
        pub enum Relation {
            $( $(#[$doc])* $variant, )*
        }

        impl sea_orm::RelationTrait for Relation {
            fn def(&self) -> sea_orm::RelationDef {
                match *self {
                    $( Self::$variant => Entity::belongs_to($crate::model::belongs_to!(@entity $target))
                        .from(Column::$variant)
                        .to($crate::model::belongs_to!(@slug $target))
                        .into(), )*
                }
            }
        }

        $( $crate::model::belongs_to!(@related $variant $target); )*
    };
    (@entity Self) => { Entity };
    (@entity $target:ident) => { super::$target::Entity };
    (@slug Self) => { Column::Slug };
    (@slug $target:ident) => { super::$target::Column::Slug };
    (@related $variant:ident Self) => {};
    (@related $variant:ident $target:ident) => {
        impl sea_orm::Related<super::$target::Entity> for Entity {
            fn to() -> sea_orm::RelationDef {
                sea_orm::RelationTrait::def(&Relation::$variant)
            }
        }
    };
}
pub(crate) use belongs_to;

/// `Related` impls through a junction table: `target: junction(Near -> Far)` relates this
/// entity to `target` through `junction`'s relations `Near` (back to this entity) and `Far`.
macro_rules! related_via {
    ($( $target:ident: $junction:ident($near:ident -> $far:ident) ),* $(,)?) => {
        $(
            impl sea_orm::Related<super::$target::Entity> for Entity {
                fn to() -> sea_orm::RelationDef {
                    sea_orm::RelationTrait::def(&super::$junction::Relation::$far)
                }
                fn via() -> Option<sea_orm::RelationDef> {
                    Some(sea_orm::RelationTrait::def(&super::$junction::Relation::$near).rev())
                }
            }
        )*
    };
}
pub(crate) use related_via;

/// A junction table's model and relations: a row ties `from` to `to` (each a column holding the
/// slug of the entity of the module of that name, `From`/`To` its relation variant), with any
/// further columns given.
macro_rules! junction_model {
    ($(#[$doc:meta])* $table:literal: $from:ident => $From:ident, $to:ident => $To:ident
        $(, $(#[$field_doc:meta])* $field:ident: $ty:ty)* $(,)?) => {
        $crate::model::row_model! {
            $(#[$doc])*
            $table {
                $from: String,
                $to: String,
                $( $(#[$field_doc])* $field: $ty, )*
            }
        }

        $crate::model::belongs_to! {
            #[doc = concat!("The row's `", stringify!($from), "`.")]
            $From => $from,
            #[doc = concat!("The row's `", stringify!($to), "`.")]
            $To => $to,
        }
    };
}
pub(crate) use junction_model;
