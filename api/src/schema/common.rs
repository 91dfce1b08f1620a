//! What every GraphQL type shares: access to the read model and loaders, languages, ordering,
//! keyset cursors and the cost of a page.
use std::sync::Arc;

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, Enum, InputObject, OutputType, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entity::ids::Kind;
use serde::{Deserialize, Serialize};

use crate::error::{MAX_PAGE, Res, bad_input, internal};
use crate::index::{Entry, Index, Key};
use crate::loaders::Loaders;
pub use crate::order::{OrderField, SortKey, sort_key};

/// The read model shared by all requests; swapped whole when the graph changes.
/// The current read model, swapped whole when a newer one is built (readers never wait).
pub type SharedIndex = Arc<arc_swap::ArcSwap<Index>>;

/// The read model one request uses from start to end (request data set by the endpoint), so
/// every list, count and walk in one response comes from the same version.
pub struct Snapshot(pub Arc<Index>);

/// The request's read model: its snapshot, or the current one outside the HTTP endpoint.
pub fn index(ctx: &Context<'_>) -> Res<Arc<Index>> {
    if let Some(snapshot) = ctx.data_opt::<Snapshot>() {
        return Ok(snapshot.0.clone());
    }
    Ok(ctx.data::<SharedIndex>()?.load_full())
}

pub fn loaders<'a>(ctx: &Context<'a>) -> Res<&'a Loaders> {
    ctx.data::<Loaders>()
}

/// A language for `name(lang:)`.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum Lang {
    /// Chinese (中文): the name exactly as the sources write it.
    Zh,
    /// English: a curated translation; falls back to Chinese where none exists.
    En,
}

/// Picks a name in `lang`, falling back to the Chinese name.
pub fn pick(zh: &str, en: &Option<String>, lang: Lang) -> String {
    match (lang, en) {
        (Lang::En, Some(en)) if !en.is_empty() => en.clone(),
        _ => zh.to_owned(),
    }
}

/// Sort direction.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    /// Ascending.
    Asc,
    /// Descending.
    Desc,
}

/// An ordering; ties are broken by slug, so every order is total and cursors are stable.
#[derive(InputObject, Copy, Clone, Debug)]
pub struct OrderBy {
    /// The field to order by.
    pub field: OrderField,
    /// The direction, ascending by default.
    #[graphql(default_with = "Direction::Asc")]
    pub direction: Direction,
}

impl Default for OrderBy {
    fn default() -> Self {
        OrderBy {
            field: OrderField::Name,
            direction: Direction::Asc,
        }
    }
}

#[derive(Serialize, Deserialize)]
struct CursorData {
    f: OrderField,
    d: Direction,
    k: SortKey,
    s: String,
}

impl Page {
    /// The slugs on this page.
    pub fn slugs(&self) -> Vec<String> {
        self.items.iter().map(|(_, k)| k.1.clone()).collect()
    }
}

fn encode(order: &OrderBy, key: &SortKey, slug: &str) -> Res<String> {
    let data = CursorData {
        f: order.field,
        d: order.direction,
        k: key.clone(),
        s: slug.to_owned(),
    };
    let json = serde_json::to_vec(&data).map_err(|e| {
        tracing::error!(error = %e, "cannot encode a cursor");
        internal()
    })?;
    Ok(URL_SAFE_NO_PAD.encode(json))
}

fn decode(cursor: &str, order: &OrderBy) -> Res<(SortKey, String)> {
    let bad = || bad_input(format!("invalid cursor \"{}\"", preview(cursor)));
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let data: CursorData = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    if data.f != order.field || data.d != order.direction {
        return Err(bad_input(
            "this cursor was made for another orderBy; use the same orderBy as the page it came from",
        ));
    }
    Ok((data.k, data.s))
}

pub(crate) fn preview(s: &str) -> String {
    s.chars().take(40).collect()
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

/// Page size when neither `first` nor `last` is given.
pub const DEFAULT_PAGE: usize = 20;

/// The cost of a list field: its page size times the cost of one item.
pub fn cost(first: Option<i32>, last: Option<i32>, child: usize) -> usize {
    let n = first
        .or(last)
        .map_or(DEFAULT_PAGE, |n| n.clamp(0, MAX_PAGE as i32) as usize);
    1 + n.max(1) * child
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

/// Number of items matching, across all pages.
#[derive(SimpleObject, Clone, Copy, Debug)]
pub struct Total {
    /// How many items match, across all pages.
    pub total_count: usize,
}

/// A connection page: which records, with their cursors.
pub struct Page {
    pub items: Vec<(String, Key)>,
    pub has_previous: bool,
    pub has_next: bool,
    pub total: usize,
}

/// Where a record stands in `field`'s order: its sort key, ties broken by its record key.
fn position(index: &Index, key: &Key, field: OrderField) -> (SortKey, String) {
    (
        sort_key(index, key.0, &key.1, field),
        entity::ids::record_key(key.0, &key.1),
    )
}

/// Whether a record's stated date lies in `from..=to` (YYYY, YYYY-MM or YYYY-MM-DD; `to` compares
/// at its own precision, so `to: "2022"` includes 2022-12-31). Undated records are outside any
/// window; no bound passes everything.
pub fn dated_within(date: Option<&str>, from: Option<&str>, to: Option<&str>) -> bool {
    if from.is_none() && to.is_none() {
        return true;
    }
    let Some(d) = date else { return false };
    from.is_none_or(|from| d >= from) && to.is_none_or(|to| d.get(..to.len()).unwrap_or(d) <= to)
}

/// Orders `slugs` of `kind`, applies the cursors and the page size.
pub fn paginate<'a>(
    index: &Index,
    kind: Kind,
    slugs: impl IntoIterator<Item = &'a String>,
    order: OrderBy,
    args: PageArgs<'_>,
) -> Res<Page> {
    paginate_keys(
        index,
        slugs.into_iter().map(|s| (kind, s.clone())).collect(),
        order,
        args,
    )
}

/// Orders records of any kinds, applies the cursors and the page size. Records are sorted by
/// their precomputed rank; sort keys are built only for the cursor search and the page's cursors.
pub fn paginate_keys(
    index: &Index,
    keys: Vec<Key>,
    order: OrderBy,
    args: PageArgs<'_>,
) -> Res<Page> {
    let first = size(args.first, "first")?;
    let last = size(args.last, "last")?;
    let field = order.field;
    // A key the snapshot does not hold has no rank and no record to show.
    let mut items: Vec<(u32, Key)> = keys
        .into_iter()
        .filter_map(|k| Some((index.ranks.get(k.0, &k.1, field)?, k)))
        .collect();
    items.sort_unstable_by_key(|(rank, _)| *rank);
    items.dedup_by_key(|(rank, _)| *rank);
    if order.direction == Direction::Desc {
        items.reverse();
    }
    let position = |(_, key): &(u32, Key)| position(index, key, field);
    let in_order = |item: &(u32, Key), key: &SortKey, id: &String| {
        let (k, i) = position(item);
        let ord = (&k, &i).cmp(&(key, id));
        if order.direction == Direction::Desc {
            ord.reverse()
        } else {
            ord
        }
    };
    let mut start = 0;
    let mut end = items.len();
    if let Some(after) = args.after {
        let (k, s) = decode(after, &order)?;
        start = items.partition_point(|it| in_order(it, &k, &s) != std::cmp::Ordering::Greater);
    }
    if let Some(before) = args.before {
        let (k, s) = decode(before, &order)?;
        end = items.partition_point(|it| in_order(it, &k, &s) == std::cmp::Ordering::Less);
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
        items: items[start..end]
            .iter()
            .map(|item| {
                let (k, id) = position(item);
                Ok((encode(&order, &k, &id)?, item.1.clone()))
            })
            .collect::<Res<_>>()?,
        has_previous: start > 0,
        has_next: end < items.len(),
        total: items.len(),
    })
}

/// A page of the records of `kind` that pass `keep`, for `first`/`after` (other arguments take
/// `paginate`): walks the kind's precomputed order from the cursor and stops once the page is
/// full, so its cost follows the page, not the kind's size. `totalCount` is counted only when
/// `want_total` (it is selected); without a filter it is the kind's size.
pub fn paginate_walk(
    index: &Index,
    kind: Kind,
    keep: &(dyn Fn(&String, &Entry) -> bool + Sync),
    filtered: bool,
    order: OrderBy,
    args: PageArgs<'_>,
    want_total: bool,
) -> Res<Page> {
    let n = size(args.first, "first")?.unwrap_or(DEFAULT_PAGE);
    let field = order.field;
    let empty = Vec::new();
    let keys = index.kind_keys.get(&kind).unwrap_or(&empty);
    let no_positions = Vec::new();
    let ordered = index.ordered.get(&(kind, field)).unwrap_or(&no_positions);
    let key_at = |p: u32| &keys[p as usize];
    let position = |k: &Key| position(index, k, field);
    let passes = |k: &Key| index.entries.get(k).is_some_and(|e| keep(&k.1, e));
    let desc = order.direction == Direction::Desc;
    // Where the cursor falls in the ascending order: the walk starts past it (above it when
    // ascending, below it when descending), and the rest, the cursor's own record included,
    // lies "before".
    let cut = match args.after {
        None => None,
        Some(after) => {
            let cursor = decode(after, &order)?;
            let at = |p: &u32| position(key_at(*p));
            Some(if desc {
                ordered.partition_point(|p| at(p) < cursor)
            } else {
                ordered.partition_point(|p| at(p) <= cursor)
            })
        }
    };
    let (walk, before): (Box<dyn Iterator<Item = &u32>>, &[u32]) = match (desc, cut) {
        (false, None) => (Box::new(ordered.iter()), &[]),
        (false, Some(c)) => (Box::new(ordered[c..].iter()), &ordered[..c]),
        (true, None) => (Box::new(ordered.iter().rev()), &[]),
        (true, Some(c)) => (Box::new(ordered[..c].iter().rev()), &ordered[c..]),
    };
    let mut items = Vec::with_capacity(n + 1);
    for p in walk {
        let k = key_at(*p);
        if passes(k) {
            items.push(k);
            if items.len() > n {
                break;
            }
        }
    }
    let has_next = items.len() > n;
    items.truncate(n);
    let has_previous = before.iter().any(|p| passes(key_at(*p)));
    let total = if !want_total {
        0
    } else if !filtered {
        ordered.len()
    } else {
        ordered.iter().filter(|p| passes(key_at(**p))).count()
    };
    Ok(Page {
        items: items
            .into_iter()
            .map(|k| {
                let (sk, id) = position(k);
                Ok((encode(&order, &sk, &id)?, k.clone()))
            })
            .collect::<Res<_>>()?,
        has_previous,
        has_next,
        total,
    })
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

/// Builds a connection from a page and the records loaded for it, keyed by slug (missing ones are skipped).
pub fn connection<T: OutputType>(
    page: Page,
    nodes: std::collections::HashMap<String, T>,
) -> Conn<T> {
    let mut nodes: std::collections::HashMap<Key, T> = nodes
        .into_iter()
        .filter_map(|(slug, n)| {
            let kind = page.items.iter().find(|(_, k)| k.1 == slug)?.1.0;
            Some(((kind, slug), n))
        })
        .collect();
    connection_keyed(page, &mut nodes)
}

/// Builds a connection from a page and records keyed by kind and slug.
pub fn connection_keyed<T: OutputType>(
    page: Page,
    nodes: &mut std::collections::HashMap<Key, T>,
) -> Conn<T> {
    let mut c = Conn::new(page.has_previous, page.has_next, page.total);
    for (cursor, key) in page.items {
        if let Some(node) = nodes.remove(&key) {
            c.push(cursor, node);
        }
    }
    c
}

/// Parses a public ID, requiring one of `kinds` when given.
pub fn parse_id(id: &str, kinds: &[Kind]) -> Res<(Kind, String)> {
    let (kind, slug) = entity::ids::parse_public_id(id)
        .ok_or_else(|| bad_input(format!("\"{}\" is not a Baygraph ID", preview(id))))?;
    if !kinds.is_empty() && !kinds.contains(&kind) {
        return Err(bad_input(format!(
            "ID \"{}\" names a {kind}, expected {}",
            preview(id),
            kinds
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(" or ")
        )));
    }
    Ok((kind, slug))
}
