//! Pages of records: keyset cursors over any order, Relay's `first/after/last/before`, and the
//! connection types built from a page. A list is either a set of records sorted for the request
//! (a relation's records, a filter's candidates: the cost is the set's) or a walk of a kind's
//! precomputed order that stops when the page is full (the cost is the page's).
use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, OutputType, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entity::ids::Kind;
use serde::{Deserialize, Serialize};

use super::common::{Direction, OrderBy, preview};
use crate::error::{MAX_PAGE, Res, bad_input, internal};
use crate::snapshot::{Id, OrderField, RecRef, Snapshot, SortKey};

/// Page size when neither `first` nor `last` is given.
pub const DEFAULT_PAGE: usize = 20;

/// The cost of a list field: its page size times the cost of one item.
pub fn cost(first: Option<i32>, last: Option<i32>, child: usize) -> usize {
    let n = first
        .or(last)
        .map_or(DEFAULT_PAGE, |n| n.clamp(0, MAX_PAGE as i32) as usize);
    1 + n.max(1) * child
}

/// Relay pagination arguments.
#[derive(Clone, Copy, Debug, Default)]
pub struct PageArgs<'a> {
    pub first: Option<i32>,
    pub after: Option<&'a str>,
    pub last: Option<i32>,
    pub before: Option<&'a str>,
}

impl<'a> PageArgs<'a> {
    /// The arguments as a connection field receives them.
    pub fn new(
        first: Option<i32>,
        after: &'a Option<String>,
        last: Option<i32>,
        before: &'a Option<String>,
    ) -> PageArgs<'a> {
        PageArgs {
            first,
            after: after.as_deref(),
            last,
            before: before.as_deref(),
        }
    }
}

/// A page size `first`, as every list reads it: 0 to [`MAX_PAGE`], [`DEFAULT_PAGE`] when omitted.
pub fn first_size(first: Option<i32>) -> Res<usize> {
    Ok(size(first, "first")?.unwrap_or(DEFAULT_PAGE))
}

fn size(n: Option<i32>, name: &str) -> Res<Option<usize>> {
    match n {
        None => Ok(None),
        Some(n) if (0..=MAX_PAGE as i32).contains(&n) => Ok(Some(n as usize)),
        Some(n) => Err(bad_input(format!(
            "{name} must be between 0 and {MAX_PAGE}, got {n}"
        ))),
    }
}

#[derive(Serialize, Deserialize)]
struct CursorData {
    f: OrderField,
    d: Direction,
    k: SortKey,
    s: String,
}

/// A position in an order: the sort key and the record key (`kind:slug`) breaking ties.
struct Position {
    key: SortKey,
    tie: String,
}

fn encode(snap: &Snapshot, order: &OrderBy, id: Id) -> Res<String> {
    let data = CursorData {
        f: order.field,
        d: order.direction,
        k: snap.sort_key(id, order.field),
        s: snap.key(id).to_string(),
    };
    let json = serde_json::to_vec(&data).map_err(|e| {
        tracing::error!(error = %e, "cannot encode a cursor");
        internal()
    })?;
    Ok(URL_SAFE_NO_PAD.encode(json))
}

fn decode(cursor: &str, order: &OrderBy) -> Res<Position> {
    let bad = || bad_input(format!("invalid cursor \"{}\"", preview(cursor)));
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let data: CursorData = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    if data.f != order.field || data.d != order.direction {
        return Err(bad_input(
            "this cursor was made for another orderBy; use the same orderBy as the page it came from",
        ));
    }
    Ok(Position {
        key: data.k,
        tie: data.s,
    })
}

/// A connection page: which records, in order.
pub struct Page {
    pub ids: Vec<Id>,
    pub has_previous: bool,
    pub has_next: bool,
    pub total: usize,
}

/// How `id` compares with a cursor position in `order`'s direction.
fn against(snap: &Snapshot, id: Id, order: &OrderBy, at: &Position) -> std::cmp::Ordering {
    let ord = snap.compare_to(id, order.field, &at.key, &at.tie);
    if order.direction == Direction::Desc {
        ord.reverse()
    } else {
        ord
    }
}

/// Orders `ids` (any kinds, each once) and applies the cursors and the page size.
pub fn paginate(
    snap: &Snapshot,
    mut ids: Vec<Id>,
    order: OrderBy,
    args: PageArgs<'_>,
) -> Res<Page> {
    let first = size(args.first, "first")?;
    let last = size(args.last, "last")?;
    ids.sort_unstable_by(|a, b| {
        let ord = snap.compare(*a, *b, order.field);
        if order.direction == Direction::Desc {
            ord.reverse()
        } else {
            ord
        }
    });
    ids.dedup();
    let mut start = 0;
    let mut end = ids.len();
    if let Some(after) = args.after {
        let at = decode(after, &order)?;
        start = ids.partition_point(|id| against(snap, *id, &order, &at).is_le());
    }
    if let Some(before) = args.before {
        let at = decode(before, &order)?;
        end = ids.partition_point(|id| against(snap, *id, &order, &at).is_lt());
    }
    end = end.max(start);
    match (first, last) {
        (Some(n), _) => end = end.min(start + n),
        (None, None) => end = end.min(start + DEFAULT_PAGE),
        _ => {}
    }
    if let Some(n) = last {
        start = start.max(end.saturating_sub(n));
    }
    Ok(Page {
        has_previous: start > 0,
        has_next: end < ids.len(),
        total: ids.len(),
        ids: ids[start..end].to_vec(),
    })
}

/// A page of the live records of `kind` that pass `keep`, walking the kind's order from the
/// cursor and stopping once the page is full (`first`/`after`; other arguments sort the passing
/// records). `totalCount` is counted only when `want_total`; unfiltered it is the kind's size.
pub fn walk(
    snap: &Snapshot,
    kind: Kind,
    keep: Option<&dyn Fn(RecRef<'_>) -> bool>,
    order: OrderBy,
    args: PageArgs<'_>,
    want_total: bool,
) -> Res<Page> {
    let list = snap.order(kind, order.field);
    let passes = |id: Id| keep.is_none_or(|k| k(snap.rec(id)));
    if args.last.is_some() || args.before.is_some() {
        let ids = list.iter_from(0).filter(|id| passes(*id)).collect();
        return paginate(snap, ids, order, args);
    }
    let n = first_size(args.first)?;
    let desc = order.direction == Direction::Desc;
    // Where the cursor falls in the ascending order: the walk starts past it, and the rest
    // (the cursor's own record included) lies before the page.
    let cut = match args.after {
        None => None,
        Some(after) => {
            let at = decode(after, &order)?;
            let field = order.field;
            Some(list.partition_point(|id| {
                let ord = snap.compare_to(id, field, &at.key, &at.tie);
                if desc { ord.is_lt() } else { ord.is_le() }
            }))
        }
    };
    let walk: Box<dyn Iterator<Item = Id>> = match (desc, cut) {
        (false, None) => Box::new(list.iter_from(0)),
        (false, Some(c)) => Box::new(list.iter_from(c)),
        (true, None) => Box::new(list.iter_back_from(list.len())),
        (true, Some(c)) => Box::new(list.iter_back_from(c)),
    };
    let mut ids = Vec::with_capacity(n + 1);
    for id in walk {
        if passes(id) {
            ids.push(id);
            if ids.len() > n {
                break;
            }
        }
    }
    let has_next = ids.len() > n;
    ids.truncate(n);
    let has_previous = match (desc, cut) {
        (_, None) => false,
        (false, Some(c)) => list.iter_back_from(c).any(passes),
        (true, Some(c)) => list.iter_from(c).any(passes),
    };
    let total = match (want_total, keep) {
        (false, _) => 0,
        (true, None) => list.len(),
        (true, Some(_)) => list.iter_from(0).filter(|id| passes(*id)).count(),
    };
    Ok(Page {
        ids,
        has_previous,
        has_next,
        total,
    })
}

/// Number of items matching, across all pages.
#[derive(SimpleObject, Clone, Copy, Debug)]
pub struct Total {
    /// How many items match, across all pages.
    pub total_count: usize,
}

/// The GraphQL connection type used by every list that can grow: Relay's connection with
/// `totalCount`, as a newtype so that each `…Connection` type carries a description in the schema
/// (async-graphql generates them without one).
pub struct Conn<T: OutputType>(pub Connection<String, T, Total>);

impl<T: OutputType> Conn<T> {
    /// An empty page with its page information and total.
    pub fn new(has_previous: bool, has_next: bool, total_count: usize) -> Self {
        Conn(Connection::with_additional_fields(
            has_previous,
            has_next,
            Total { total_count },
        ))
    }

    /// Appends one edge.
    pub fn push(&mut self, cursor: String, node: T) {
        self.0.edges.push(Edge::new(cursor, node));
    }

    /// The connection of a page, each record wrapped by `wrap`. Cursors are encoded only when
    /// the selection reads one (`edges.cursor`, `pageInfo`): for a small page they cost more
    /// than everything else, and a page nobody continues from needs none.
    pub fn of_page(
        ctx: &Context<'_>,
        snap: &Snapshot,
        page: Page,
        order: &OrderBy,
        wrap: impl Fn(Id) -> T,
    ) -> Res<Self> {
        let look = ctx.look_ahead();
        let cursors =
            look.field("edges").field("cursor").exists() || look.field("pageInfo").exists();
        let mut c = Conn::new(page.has_previous, page.has_next, page.total);
        for id in page.ids {
            let cursor = if cursors {
                encode(snap, order, id)?
            } else {
                String::new()
            };
            c.push(cursor, wrap(id));
        }
        Ok(c)
    }
}

impl<T: OutputType> OutputType for Conn<T> {
    fn type_name() -> std::borrow::Cow<'static, str> {
        Connection::<String, T, Total>::type_name()
    }

    fn create_type_info(registry: &mut async_graphql::registry::Registry) -> String {
        let qualified = Connection::<String, T, Total>::create_type_info(registry);
        if let Some(async_graphql::registry::MetaType::Object { description, .. }) =
            registry.types.get_mut(&*Self::type_name())
        {
            description.get_or_insert_with(|| {
                format!(
                    "A page of `{}` items in the requested order: `edges` (each with its cursor) \
                     or `nodes`, `pageInfo` to go on, and `totalCount` over all pages.",
                    T::type_name()
                )
            });
        }
        qualified
    }

    async fn resolve(
        &self,
        ctx: &async_graphql::ContextSelectionSet<'_>,
        field: &async_graphql::Positioned<async_graphql::parser::types::Field>,
    ) -> async_graphql::ServerResult<async_graphql::Value> {
        OutputType::resolve(&self.0, ctx, field).await
    }
}
