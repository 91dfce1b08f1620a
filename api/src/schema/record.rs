//! What records share, declared once: `Record` (ID, slug, last change) for every type, `Named`
//! (names, aliases, evidence, degree) for the seven entity types, each merged into the type's own
//! fields; the macros that declare an object type's fields as rows (`record_type!`,
//! `object_fields!`, `list_query!` with its filter), so a field's arguments and plumbing are
//! written once; and one helper per way of following a relation, so a field that lists related
//! records is one line.
use async_graphql::{Context, ID, OutputType};
use entity::relation::Relation;

use super::common::{Lang, OrderBy, snap};
use super::field;
use super::page::{Conn, PageArgs, paginate};
use super::provenance::{Citation, Mention, mentions_of, own_citations};
use crate::error::Res;
use crate::snapshot::{Dir, Id, Snapshot};

/// A record's identity and its last change.
pub struct Record(pub Id);

object_fields! {
    impl Record {
        fields {
            /// The record's stable, opaque ID.
            id -> ID = field::id;
            /// The seed slug: a readable, stable natural key.
            slug -> String = field::slug;
            /// When this record last changed (RFC 3339, UTC).
            updated_at -> String = field::updated_at;
        }
    }
}

/// A named record's names, evidence and connectedness.
pub struct Named(pub Id);

object_fields! {
    impl Named {
        fields {
            /// The name exactly as the sources write it (中文名; a document's title without 《》, or a
            /// curated description where a partnership's `descriptiveName` is true).
            name_zh -> String = field::name_zh;
            /// The English name: a curated translation (see `nameEnIsTranslation`).
            name_en -> Option<String> = field::name_en;
            /// Always true for curated records: English names are translations, not quotes.
            name_en_is_translation -> bool = |_, _| Ok(true);
            /// The name in the language asked for, falling back to Chinese.
            name(lang: Lang = "Lang::Zh"; "Language, Chinese by default.") -> String = field::name(lang);
            /// Other surface forms of the name found in the sources (黄埔, 广州黄埔区 …).
            aliases -> Vec<String> = |ctx, id| {
                Ok(snap(ctx)?.rec(id).aliases().map(str::to_owned).collect())
            };
            /// The quotes that state this record.
            citations -> Vec<Citation> = own_citations;
            /// Where the record's names occur in the sources.
            mentions -> Vec<Mention> = mentions_of;
            /// Number of partnerships this record takes part in (for a partnership: its parties and
            /// projects).
            degree -> usize = |ctx, id| Ok(snap(ctx)?.rec(id).degree() as usize);
        }
    }
}

/// A record type's own fields: the record they belong to.
pub trait At {
    fn at(&self) -> Id;
}

/// Declares a record type: `Record` and `Named` (or only `Record`) merged with its own fields,
/// `$fields` (declared here too: the record's `Id`), which `{ … }` lists as `object_fields!` rows.
macro_rules! record_type {
    (
        $(#[doc = $doc:literal])*
        $name:ident = Named + $fields:ident { $($rows:tt)* }
    ) => {
        $(#[doc = $doc])*
        #[derive(async_graphql::MergedObject)]
        pub struct $name(
            pub $crate::schema::record::Record,
            pub $crate::schema::record::Named,
            pub $fields,
        );
        impl $name {
            pub fn new(id: $crate::snapshot::Id) -> Self {
                use $crate::schema::record::{Named, Record};
                $name(Record(id), Named(id), $fields(id))
            }
        }
        $crate::schema::record::record_type!(@common $name $fields { $($rows)* });
    };
    (
        $(#[doc = $doc:literal])*
        $name:ident = $fields:ident { $($rows:tt)* }
    ) => {
        $(#[doc = $doc])*
        #[derive(async_graphql::MergedObject)]
        pub struct $name(pub $crate::schema::record::Record, pub $fields);
        impl $name {
            pub fn new(id: $crate::snapshot::Id) -> Self {
                $name($crate::schema::record::Record(id), $fields(id))
            }
        }
        $crate::schema::record::record_type!(@common $name $fields { $($rows)* });
    };
    (@common $name:ident $fields:ident { $($rows:tt)* }) => {
        entity::for_each_relation_end!($crate::schema::record::inverse_connections! { $name $fields { $($rows)* } [] });
        /// The type's own fields (see `object_fields!`).
        pub struct $fields(pub $crate::snapshot::Id);
        impl $crate::schema::record::At for $fields {
            fn at(&self) -> $crate::snapshot::Id {
                self.0
            }
        }
        impl $name {
            /// The record's position in the request's snapshot.
            pub fn at(&self) -> $crate::snapshot::Id {
                self.0 .0
            }
            /// The record's ID (the `Node` interface's field).
            pub async fn id(
                &self,
                ctx: &async_graphql::Context<'_>,
            ) -> $crate::error::Res<async_graphql::ID> {
                $crate::schema::field::id(ctx, self.at())
            }
        }
    };
}
pub(crate) use record_type;

/// `$fields`' rows (see [`record_type!`]) with, first among its connections, one for each
/// relation the table declares `inverse (linked name "description")` to `$name`: the records
/// that relation links to this one. Called with every relation end
/// (`entity::for_each_relation_end!`), it keeps those whose target is `$name`, one at a time.
macro_rules! inverse_connections {
    (
        $name:ident $fields:ident $rows:tt [$($kept:tt)*]
        $from:ident $relation:ident $to:ident (linked $field:ident $doc:literal); $($ends:tt)*
    ) => {
        entity::if_same_kind!($to, $name, {
            $crate::schema::record::inverse_connections! {
                $name $fields $rows [
                    $($kept)*
                    #[doc = $doc]
                    $field() -> $crate::schema::$from = $crate::schema::record::linked(
                        entity::relation::Relation::$relation,
                        $crate::snapshot::Dir::In,
                        $crate::schema::$from::new,
                    );
                ]
                $($ends)*
            }
        } else {
            $crate::schema::record::inverse_connections! { $name $fields $rows [$($kept)*] $($ends)* }
        });
    };
    // A relation with no derived field back.
    ($name:ident $fields:ident $rows:tt [$($kept:tt)*] $from:ident $relation:ident $to:ident $other:tt; $($ends:tt)*) => {
        $crate::schema::record::inverse_connections! { $name $fields $rows [$($kept)*] $($ends)* }
    };
    // Every end seen: the rows, the kept connections first.
    ($name:ident $fields:ident { connections { $($own:tt)* } $($rest:tt)* } [$($kept:tt)*]) => {
        $crate::schema::record::object_fields! {
            impl $fields { connections { $($kept)* $($own)* } $($rest)* }
        }
    };
    ($name:ident $fields:ident { $($rows:tt)* } [$($kept:tt)*]) => {
        $crate::schema::record::object_fields! {
            impl $fields { connections { $($kept)* } $($rows)* }
        }
    };
}
pub(crate) use inverse_connections;

/// A connection's body (see [`object_fields`]): the records `relation` links to this one in
/// `dir`, one page in the requested order.
pub fn linked<S: At, T: OutputType>(
    relation: Relation,
    dir: Dir,
    wrap: fn(Id) -> T,
) -> impl FnOnce(&Context<'_>, &S, Option<OrderBy>, PageArgs<'_>) -> Res<Conn<T>> {
    move |ctx, this, order_by, page| {
        let s = snap(ctx)?;
        let ids = s.rec(this.at()).targets(relation, dir).collect();
        page_of(ctx, &s, ids, wrap, order_by, page)
    }
}

/// One page of `ids` in the requested order.
pub fn page_of<T: OutputType>(
    ctx: &Context<'_>,
    s: &Snapshot,
    ids: Vec<Id>,
    wrap: fn(Id) -> T,
    order_by: Option<OrderBy>,
    args: PageArgs<'_>,
) -> Res<Conn<T>> {
    let order = order_by.unwrap_or_default(); // by Chinese name, as documented
    let page = paginate(s, ids, order, args)?;
    Conn::of_page(ctx, s, page, &order, wrap)
}

/// A field's body (see [`object_fields`]): the one record `relation` states, a to-one relation.
pub fn one<T>(
    relation: Relation,
    wrap: fn(Id) -> T,
) -> impl FnOnce(&Context<'_>, Id) -> Res<Option<T>> {
    move |ctx, id| Ok(snap(ctx)?.rec(id).target(relation).map(wrap))
}

/// Declares an object type's fields as rows, in the order the schema lists them: connections,
/// then other fields, then (on a root type) the field that finds one record by its slug.
/// Relay's arguments (`first`, `after`, `last`, `before`) and `orderBy` are declared here once.
/// - A connection (in `connections { … }`) is `name(arguments) -> Node = body`, the body called
///   as `|ctx, at, order_by, page|`, where `at` is the object (see [`with_page`]).
/// - A field (in `fields { … }`) is `name -> Type = body` or `name(arguments) -> Type = body`, the
///   body called as `|ctx, id|` with the record's `Id` (see [`with_id`]; `super::field` has the
///   bodies that read the record's own values).
/// - An argument is `name: Type; "description"` or `name: Type = "default"; "description"`, the
///   default a Rust expression; bodies read arguments by name.
/// - `by_slug { name -> Node = kind; }` is the field that finds one record of `kind` by its slug.
macro_rules! object_fields {
    (
        impl $ty:ident {
            $(connections {
                $(
                    $(#[doc = $doc:literal])*
                    $field:ident(
                        $($arg:ident: $arg_ty:ty $(= $arg_default:literal)?; $arg_desc:literal),*
                    ) -> $node:ty = $body:expr;
                )*
            })?
            $(fields {
                $(
                    $(#[doc = $f_doc:literal])*
                    $f_field:ident $((
                        $($f_arg:ident: $f_arg_ty:ty $(= $f_arg_default:literal)?; $f_arg_desc:literal),*
                    ))? -> $f_ty:ty = $f_body:expr;
                )*
            })?
            $(by_slug {
                $(#[doc = $slug_doc:literal])*
                $slug_field:ident -> $slug_node:ident = $kind:expr;
            })?
        }
    ) => {
        #[async_graphql::Object]
        impl $ty {
            $($(
                $(#[doc = $doc])*
                #[graphql(complexity = "crate::schema::page::cost(first, last, child_complexity)")]
                #[allow(clippy::too_many_arguments)]
                async fn $field(
                    &self,
                    ctx: &async_graphql::Context<'_>,
                    $(#[graphql(desc = $arg_desc $(, default_with = $arg_default)?)] $arg: $arg_ty,)*
                    #[graphql(
                        desc = "Page size from the start, 0 to 100 (20 if neither first nor last is given)."
                    )]
                    first: Option<i32>,
                    #[graphql(desc = "Return items after this cursor.")] after: Option<String>,
                    #[graphql(desc = "Page size from the end, 0 to 100.")] last: Option<i32>,
                    #[graphql(desc = "Return items before this cursor.")] before: Option<String>,
                    #[graphql(
                        desc = "Order of the items (by Chinese name if omitted); cursors follow it."
                    )]
                    order_by: Option<$crate::schema::common::OrderBy>,
                ) -> $crate::error::Res<$crate::schema::page::Conn<$node>> {
                    let page = $crate::schema::page::PageArgs::new(first, &after, last, &before);
                    $crate::schema::record::with_page(ctx, self, order_by, page, $body)
                }
            )*)?
            $($(
                $(#[doc = $f_doc])*
                async fn $f_field(
                    &self,
                    ctx: &async_graphql::Context<'_>,
                    $($(
                        #[graphql(desc = $f_arg_desc $(, default_with = $f_arg_default)?)]
                        $f_arg: $f_arg_ty,
                    )*)?
                ) -> $crate::error::Res<$f_ty> {
                    $crate::schema::record::with_id(ctx, self.0, $f_body)
                }
            )*)?
            $(
                $(#[doc = $slug_doc])*
                async fn $slug_field(
                    &self,
                    ctx: &async_graphql::Context<'_>,
                    #[graphql(desc = "The record's slug.")] slug: String,
                ) -> $crate::error::Res<Option<$slug_node>> {
                    let found = $crate::schema::common::snap(ctx)?.find($kind, &slug);
                    Ok(found.map($slug_node::new))
                }
            )?
        }
    };
}
pub(crate) use object_fields;

/// Declares a root type listing one record type, with the filter its list takes:
/// - the filter, `Filter of Kind::… { field: Type, … }`: an input object whose fields are all
///   optional (an absent field is no condition), and its [`ListFilter`](super::filter::ListFilter)
///   of that kind, `select(filter, snapshot, candidates) { … }` the body of its `select`;
/// - the root type, `Query { … }`: the list, filtered and ordered one page at a time
///   (`name("the filter's description") -> Node`), and where given the field that finds one
///   record of the filter's kind by its slug.
macro_rules! list_query {
    (
        $(#[doc = $filter_doc:literal])*
        $filter:ident of $kind:path {
            $(
                $(#[doc = $field_doc:literal])*
                $field:ident: $field_ty:ty,
            )*
        }
        select($f:ident, $s:ident, $candidates:ident) $select:block
        $ty:ident {
            $(#[doc = $doc:literal])*
            $list:ident($filter_desc:literal) -> $node:ident;
            $(
                $(#[doc = $slug_doc:literal])*
                $slug_field:ident;
            )?
        }
    ) => {
        $(#[doc = $filter_doc])*
        #[derive(async_graphql::InputObject, Default)]
        pub struct $filter {
            $(
                $(#[doc = $field_doc])*
                pub $field: Option<$field_ty>,
            )*
        }

        impl $crate::schema::filter::ListFilter for $filter {
            const KIND: entity::ids::Kind = $kind;

            fn select(
                &self,
                $s: &$crate::snapshot::Snapshot,
                $candidates: &mut $crate::schema::filter::Candidates,
            ) -> $crate::error::Res<Option<$crate::schema::filter::Test<'_>>> {
                let $f = self;
                $select
            }
        }

        #[derive(Default)]
        pub struct $ty;

        /// The kind's root fields, merged into the root query (`schema::Query`).
        pub type Query = $ty;

        $crate::schema::record::object_fields! {
            impl $ty {
                connections {
                    $(#[doc = $doc])*
                    $list(filter: Option<$filter>; $filter_desc) -> $node =
                        $crate::schema::filter::filtered(filter, $node::new);
                }
                $(by_slug {
                    $(#[doc = $slug_doc])*
                    $slug_field -> $node = $kind;
                })?
            }
        }
    };
}
pub(crate) use list_query;

/// Runs a field's body (see [`object_fields`]); its signature types the body's arguments.
pub fn with_id<'c, R>(ctx: &Context<'c>, id: Id, body: impl FnOnce(&Context<'c>, Id) -> R) -> R {
    body(ctx, id)
}

/// Runs a connection's body (see [`object_fields`]); its signature types the body's arguments.
pub fn with_page<'c, 'p, S, R>(
    ctx: &Context<'c>,
    this: &S,
    order_by: Option<OrderBy>,
    page: PageArgs<'p>,
    body: impl FnOnce(&Context<'c>, &S, Option<OrderBy>, PageArgs<'p>) -> R,
) -> R {
    body(ctx, this, order_by, page)
}
