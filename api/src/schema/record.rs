//! What records share, declared once: `Record` (ID, slug, last change) for every type, `Named`
//! (names, aliases, evidence, degree) for the seven entity types, each merged into the type's own
//! fields; and one helper per way of following a relation, so a field that lists related
//! records is one line.
use async_graphql::{Context, ID, Object, OutputType};
use entity::relation::Relation;

use super::common::{Lang, OrderBy, pick, snap};
use super::page::{Conn, PageArgs, paginate};
use super::provenance::{Citation, Mention, citations_where, mentions_of};
use crate::error::Res;
use crate::snapshot::{Dir, Id, Snapshot};

/// A record's identity and its last change.
pub struct Record(pub Id);

#[Object]
impl Record {
    /// The record's stable, opaque ID.
    async fn id(&self, ctx: &Context<'_>) -> Res<ID> {
        Ok(ID(snap(ctx)?.rec(self.0).public_id()))
    }
    /// The seed slug: a readable, stable natural key.
    async fn slug(&self, ctx: &Context<'_>) -> Res<String> {
        Ok(snap(ctx)?.rec(self.0).slug().to_owned())
    }
    /// When this record last changed (RFC 3339, UTC).
    async fn updated_at(&self, ctx: &Context<'_>) -> Res<String> {
        Ok(
            chrono::DateTime::from_timestamp_nanos(snap(ctx)?.rec(self.0).updated_at())
                .to_rfc3339(),
        )
    }
}

/// A named record's names, evidence and connectedness.
pub struct Named(pub Id);

#[Object]
impl Named {
    /// The name exactly as the sources write it (中文名; a document's title without 《》, or a
    /// curated description where a partnership's `descriptiveName` is true).
    async fn name_zh(&self, ctx: &Context<'_>) -> Res<String> {
        Ok(snap(ctx)?.rec(self.0).name_zh().to_owned())
    }
    /// The English name: a curated translation (see `nameEnIsTranslation`).
    async fn name_en(&self, ctx: &Context<'_>) -> Res<Option<String>> {
        Ok(snap(ctx)?.rec(self.0).name_en().map(str::to_owned))
    }
    /// Always true for curated records: English names are translations, not quotes.
    async fn name_en_is_translation(&self) -> bool {
        true
    }
    /// The name in the language asked for, falling back to Chinese.
    async fn name(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Language, Chinese by default.", default_with = "Lang::Zh")] lang: Lang,
    ) -> Res<String> {
        let s = snap(ctx)?;
        let r = s.rec(self.0);
        Ok(pick(r.name_zh(), r.name_en(), lang))
    }
    /// Other surface forms of the name found in the sources (黄埔, 广州黄埔区 …).
    async fn aliases(&self, ctx: &Context<'_>) -> Res<Vec<String>> {
        Ok(snap(ctx)?
            .rec(self.0)
            .aliases()
            .map(str::to_owned)
            .collect())
    }
    /// The quotes that state this record.
    async fn citations(&self, ctx: &Context<'_>) -> Res<Vec<Citation>> {
        Ok(citations_where(&*snap(ctx)?, self.0, |c| {
            c.relation().is_none()
        }))
    }
    /// Where the record's names occur in the sources.
    async fn mentions(&self, ctx: &Context<'_>) -> Res<Vec<Mention>> {
        Ok(mentions_of(&*snap(ctx)?, self.0))
    }
    /// Number of partnerships this record takes part in (for a partnership: its parties and
    /// projects).
    async fn degree(&self, ctx: &Context<'_>) -> Res<usize> {
        Ok(snap(ctx)?.rec(self.0).degree() as usize)
    }
}

/// A record type's own fields: the record they belong to.
pub trait At {
    fn at(&self) -> Id;
}

/// Declares a record type: `Record` and `Named` (or only `Record`) merged with its own fields
/// (`$fields`, declared here too: the record's `Id`, for `object_fields!` to fill).
macro_rules! record_type {
    ($(#[doc = $doc:literal])* $name:ident = Named + $fields:ident) => {
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
        $crate::schema::record::record_type!(@common $name $fields);
    };
    ($(#[doc = $doc:literal])* $name:ident = $fields:ident) => {
        $(#[doc = $doc])*
        #[derive(async_graphql::MergedObject)]
        pub struct $name(pub $crate::schema::record::Record, pub $fields);
        impl $name {
            pub fn new(id: $crate::snapshot::Id) -> Self {
                $name($crate::schema::record::Record(id), $fields(id))
            }
        }
        $crate::schema::record::record_type!(@common $name $fields);
    };
    (@common $name:ident $fields:ident) => {
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
                let snap = $crate::schema::common::snap(ctx)?;
                Ok(async_graphql::ID(snap.rec(self.at()).public_id()))
            }
        }
    };
}
pub(crate) use record_type;

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

/// The one record `id` states by a to-one `relation`.
pub fn one<T>(ctx: &Context<'_>, id: Id, relation: Relation, wrap: fn(Id) -> T) -> Res<Option<T>> {
    Ok(snap(ctx)?.rec(id).target(relation).map(wrap))
}

/// Declares an object type's fields: connections first, each with Relay's arguments (`first`,
/// `after`, `last`, `before`) and `orderBy` declared here once, then any other fields as usual.
/// A connection (in `connections { … }`) is `name(extra arguments) -> Node = |ctx, at, order_by,
/// page| body`, where `at`
/// is the record the object stands for; the body reads extra arguments by name. A root type may
/// end with `by_slug { name -> Node = kind; }`: the field that finds one record by its slug.
macro_rules! object_fields {
    (
        impl $ty:ident {
            connections { $($connections:tt)* }
            by_slug {
                $(#[doc = $doc:literal])*
                $field:ident -> $node:ident = $kind:expr;
            }
        }
    ) => {
        $crate::schema::record::object_fields! {
            impl $ty {
                connections { $($connections)* }
                $(#[doc = $doc])*
                async fn $field(
                    &self,
                    ctx: &async_graphql::Context<'_>,
                    #[graphql(desc = "The record's slug.")] slug: String,
                ) -> $crate::error::Res<Option<$node>> {
                    Ok($crate::schema::common::snap(ctx)?.find($kind, &slug).map($node::new))
                }
            }
        }
    };
    (
        impl $ty:ident {
            connections {
                $(
                    $(#[doc = $doc:literal])*
                    $field:ident(
                        $($arg:ident: $arg_ty:ty $(= $arg_default:literal)?; $arg_desc:literal),*
                    ) -> $node:ty = $body:expr;
                )*
            }
            $($rest:tt)*
        }
    ) => {
        #[async_graphql::Object]
        impl $ty {
            $(
                $(#[doc = $doc])*
                #[graphql(complexity = "crate::schema::page::cost(first, last, child_complexity)")]
                #[allow(clippy::too_many_arguments)]
                async fn $field(
                    &self,
                    ctx: &async_graphql::Context<'_>,
                    $(#[graphql(desc = $arg_desc $(, default = $arg_default)?)] $arg: $arg_ty,)*
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
            )*
            $($rest)*
        }
    };
}
pub(crate) use object_fields;

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
