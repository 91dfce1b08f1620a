//! What every GraphQL type shares: the request's snapshot, languages, ordering and IDs.
use std::ops::Deref;
use std::sync::Arc;

use async_graphql::{Context, Enum, InputObject};
use entity::ids::{Key, Kind};
use serde::{Deserialize, Serialize};

use crate::error::{Res, bad_input};
use crate::snapshot::{Id, Snapshot};
pub use crate::snapshot::{OrderField, SortKey};

/// The current snapshot, swapped whole when a newer one is ready (readers never wait).
pub type SharedSnapshot = Arc<arc_swap::ArcSwap<Snapshot>>;

/// The snapshot one request reads from start to end (request data set by the endpoint), so
/// every list, count, walk and field in one response comes from the same version.
pub struct Version(pub Arc<Snapshot>);

/// The request's snapshot: borrowed from the request, or the current one outside the HTTP
/// endpoint (a subscription event).
pub enum Snap<'a> {
    Request(&'a Snapshot),
    Current(Arc<Snapshot>),
}

impl Deref for Snap<'_> {
    type Target = Snapshot;

    fn deref(&self) -> &Snapshot {
        match self {
            Snap::Request(s) => s,
            Snap::Current(s) => s,
        }
    }
}

/// The snapshot this request reads.
pub fn snap<'a>(ctx: &Context<'a>) -> Res<Snap<'a>> {
    if let Some(version) = ctx.data_opt::<Version>() {
        return Ok(Snap::Request(&version.0));
    }
    Ok(Snap::Current(ctx.data::<SharedSnapshot>()?.load_full()))
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
pub fn pick(zh: &str, en: Option<&str>, lang: Lang) -> String {
    match (lang, en) {
        (Lang::En, Some(en)) if !en.is_empty() => en.to_owned(),
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

pub(crate) fn preview(s: &str) -> String {
    s.chars().take(40).collect()
}

/// Parses a public ID, requiring one of `kinds` when given.
pub fn parse_id(id: &str, kinds: &[Kind]) -> Res<Key> {
    let key = Key::from_public_id(id)
        .ok_or_else(|| bad_input(format!("\"{}\" is not a Baygraph ID", preview(id))))?;
    if !kinds.is_empty() && !kinds.contains(&key.kind) {
        return Err(bad_input(format!(
            "ID \"{}\" names a {}, expected {}",
            preview(id),
            key.kind,
            kinds
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(" or ")
        )));
    }
    Ok(key)
}

/// The live record an ID names, of one of `kinds`; `None` when no record has it.
pub fn find_id(snap: &Snapshot, id: &str, kinds: &[Kind]) -> Res<Option<Id>> {
    Ok(snap.find_key(&parse_id(id, kinds)?))
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

/// A value every record of its kind has (its own kind): the loader and the database's checks
/// require it, so a record without one is a bug, logged and answered as an internal error.
pub fn required<V: entity::vocab::Vocabulary>(value: Option<V>) -> Res<V> {
    value.ok_or_else(|| {
        tracing::error!(
            vocabulary = V::NAME,
            "a record has no value of a required vocabulary"
        );
        crate::error::internal()
    })
}
