//! The read model: one immutable snapshot of the whole graph at one change-log cursor, in compact
//! form (records in chunks of 1,024 with one text arena each, links as 8-byte entries, orders as
//! shared pieces, a name index per chunk). Every GraphQL field reads it and nothing else, so one
//! response is one version of the data. A change builds the next snapshot from this one by
//! rebuilding only the chunks and order pieces it touches (`apply`); untouched parts are shared.
mod apply;
mod build;
mod checkpoint;
mod chunk;
mod copy;
mod data;
mod dump;
mod keys;
mod names;
mod order;
mod read;
mod record;
mod search;
pub mod shared;
mod text;

use std::collections::HashMap;
use std::sync::Arc;

use entity::ids::{Key, Kind};

pub use build::BuildError;
pub use checkpoint::{CheckpointError, epoch};
pub use chunk::CHUNK;
pub use data::{Dir, Id};
pub use order::{OrderField, OrderList, SortKey};
pub use record::{CiteRef, MentionRef, MilestoneRef, RecRef};
pub use search::{Hit, Hits};
pub use text::fold;

use chunk::{Chunk, Resolve};
use text::CharIndex;

/// The graph at one change-log cursor.
#[derive(Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Snapshot {
    /// The change-log position this snapshot reflects.
    pub cursor: i64,
    chunks: Vec<Arc<Chunk>>,
    /// Each kind's records in each order: `orders[kind][field]`.
    orders: Vec<Vec<OrderList>>,
    /// Character indexes of the source texts, for quotes and mentions.
    sources: HashMap<Id, Arc<CharIndex>>,
    /// The next ID a new record gets.
    next: u32,
}

impl Snapshot {
    /// The record `id` (a deleted or unknown ID reads as an empty, deleted record).
    pub fn rec(&self, id: Id) -> RecRef<'_> {
        let (c, i) = (id.index() / CHUNK, id.index() % CHUNK);
        match self.chunks.get(c) {
            Some(chunk) if i < chunk.recs.len() => RecRef::new(self, chunk, i, id),
            _ => RecRef::missing(self, id),
        }
    }

    /// The live record of `kind` with `slug`.
    pub fn find(&self, kind: Kind, slug: &str) -> Option<Id> {
        let order = self.order(kind, OrderField::Slug);
        let at = order.partition_point(|id| self.rec(id).slug() < slug);
        order
            .iter_from(at)
            .next()
            .filter(|id| self.rec(*id).slug() == slug)
    }

    /// The live record a key names.
    pub fn find_key(&self, key: &Key) -> Option<Id> {
        self.find(key.kind, &key.slug)
    }

    /// A record's key.
    pub fn key(&self, id: Id) -> Key {
        let r = self.rec(id);
        Key::new(r.kind(), r.slug())
    }

    /// The records of `kind` in `field`'s order, ascending.
    pub fn order(&self, kind: Kind, field: OrderField) -> &OrderList {
        static EMPTY: OrderList = OrderList::EMPTY;
        self.orders
            .get(kind as usize)
            .and_then(|o| o.get(field.slot()))
            .unwrap_or(&EMPTY)
    }

    /// How many live records of `kind` there are.
    pub fn count(&self, kind: Kind) -> usize {
        self.order(kind, OrderField::Slug).len()
    }

    /// A source's text (empty when `id` is not a source, which has none).
    pub fn source_body(&self, id: Id) -> &str {
        self.rec(id).extra("body").unwrap_or_default()
    }

    /// Characters `start..end` of a source's text.
    pub fn source_slice(&self, source: Id, start: u32, end: u32) -> Option<&str> {
        self.sources
            .get(&source)?
            .slice(self.source_body(source), start, end)
    }
}

impl Resolve for Snapshot {
    fn id_of(&self, kind: Kind, slug: &str) -> Option<Id> {
        self.find(kind, slug)
    }

    fn key_of(&self, id: Id) -> Option<Key> {
        let r = self.rec(id);
        (!r.slug().is_empty()).then(|| Key::new(r.kind(), r.slug()))
    }

    fn source_text(&self, source: Id) -> Option<(&str, &CharIndex)> {
        let index = self.sources.get(&source)?;
        Some((self.source_body(source), index))
    }
}
