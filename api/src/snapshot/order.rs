//! Orders of records: the fields a list can be ordered by, how two records compare in each, and
//! each kind's records kept sorted in every order as a chunked list, so a first page walks from
//! the cursor and stops when full, and a change moves one record with a binary search and one
//! chunk copy instead of a re-sort.
use std::cmp::Ordering;
use std::sync::Arc;

use async_graphql::Enum;
use serde::{Deserialize, Serialize};

use super::Snapshot;
use super::data::Id;

/// What a list can be ordered by.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrderField {
    /// Chinese name (by code point).
    Name,
    /// English name (Chinese where there is none).
    NameEn,
    /// Date as stated (YYYY, YYYY-MM or YYYY-MM-DD); undated records sort first.
    Date,
    /// Number of partnerships (for a partnership: its parties and projects).
    Degree,
    /// Slug (stable identity).
    Slug,
}

impl OrderField {
    pub const ALL: [OrderField; 5] = [
        OrderField::Name,
        OrderField::NameEn,
        OrderField::Date,
        OrderField::Degree,
        OrderField::Slug,
    ];

    pub fn slot(self) -> usize {
        self as usize
    }
}

/// A record's position in an order, as cursors carry it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SortKey {
    Text(String),
    Int(i64),
}

/// A borrowed sort key: compared without building the owned one.
enum KeyRef<'a> {
    Text(&'a str),
    /// Compared lowercased (the English-name order).
    Lower(&'a str),
    Int(i64),
}

/// Whether lowercasing leaves `c` as it is (most names: then the name is its own key).
fn lowers_to_itself(c: char) -> bool {
    if c.is_ascii() {
        return !c.is_ascii_uppercase();
    }
    let mut l = c.to_lowercase();
    l.next() == Some(c) && l.next().is_none()
}

fn lower(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().flat_map(char::to_lowercase)
}

impl KeyRef<'_> {
    fn cmp_owned(&self, key: &SortKey) -> Ordering {
        match (self, key) {
            (KeyRef::Text(a), SortKey::Text(b)) => (*a).cmp(b.as_str()),
            (KeyRef::Lower(a), SortKey::Text(b)) => lower(a).cmp(b.chars()),
            (KeyRef::Int(a), SortKey::Int(b)) => a.cmp(b),
            (KeyRef::Int(_), SortKey::Text(_)) => Ordering::Less,
            (_, SortKey::Int(_)) => Ordering::Greater,
        }
    }

    fn cmp(&self, other: &KeyRef<'_>) -> Ordering {
        match (self, other) {
            (KeyRef::Text(a), KeyRef::Text(b)) => a.cmp(b),
            (KeyRef::Lower(a), KeyRef::Lower(b)) => lower(a).cmp(lower(b)),
            (KeyRef::Int(a), KeyRef::Int(b)) => a.cmp(b),
            // Every list is ordered by one field, so mixed keys do not meet; order them anyway.
            (KeyRef::Int(_), _) => Ordering::Less,
            (_, KeyRef::Int(_)) => Ordering::Greater,
            (KeyRef::Text(a), KeyRef::Lower(b)) => a.chars().cmp(lower(b)),
            (KeyRef::Lower(a), KeyRef::Text(b)) => lower(a).cmp(b.chars()),
        }
    }

    fn owned(&self) -> SortKey {
        match self {
            KeyRef::Text(s) => SortKey::Text((*s).to_owned()),
            KeyRef::Lower(s) => SortKey::Text(lower(s).collect()),
            KeyRef::Int(i) => SortKey::Int(*i),
        }
    }
}

/// A record's sort key computed once for a whole sort: text borrowed from the snapshot, the
/// English name lowercased (as `KeyRef::Lower` compares it: code point order of the lowercased
/// characters, which is the byte order of their UTF-8).
#[derive(PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum SortKeyRef<'a> {
    Int(i64),
    Text(std::borrow::Cow<'a, str>),
}

impl Snapshot {
    /// `key_ref` made cheap to compare many times (see `build::sort_one`).
    pub(super) fn sort_key_ref(&self, id: Id, field: OrderField) -> SortKeyRef<'_> {
        use std::borrow::Cow;
        match self.key_ref(id, field) {
            KeyRef::Text(s) => SortKeyRef::Text(Cow::Borrowed(s)),
            KeyRef::Lower(s) if s.chars().all(lowers_to_itself) => {
                SortKeyRef::Text(Cow::Borrowed(s))
            }
            KeyRef::Lower(s) => SortKeyRef::Text(Cow::Owned(lower(s).collect())),
            KeyRef::Int(i) => SortKeyRef::Int(i),
        }
    }

    fn key_ref(&self, id: Id, field: OrderField) -> KeyRef<'_> {
        let r = self.rec(id);
        match field {
            OrderField::Name => KeyRef::Text(r.name_zh()),
            OrderField::NameEn => KeyRef::Lower(r.name_en().unwrap_or(r.name_zh())),
            // Undated records sort first, as documented.
            OrderField::Date => KeyRef::Text(r.date().unwrap_or_default()),
            OrderField::Degree => KeyRef::Int(i64::from(r.degree())),
            OrderField::Slug => KeyRef::Text(r.slug()),
        }
    }

    /// The value a record is ordered by in `field`.
    pub fn sort_key(&self, id: Id, field: OrderField) -> SortKey {
        self.key_ref(id, field).owned()
    }

    /// How two records compare in `field` (ascending), ties broken by kind and slug, so every
    /// order is total.
    pub fn compare(&self, a: Id, b: Id, field: OrderField) -> Ordering {
        if a == b {
            return Ordering::Equal;
        }
        self.key_ref(a, field)
            .cmp(&self.key_ref(b, field))
            .then_with(|| self.tie(a).cmp(&self.tie(b)))
    }

    /// How a record compares with a cursor position `(key, "kind:slug")`.
    pub fn compare_to(&self, id: Id, field: OrderField, key: &SortKey, tie: &str) -> Ordering {
        self.key_ref(id, field).cmp_owned(key).then_with(|| {
            let theirs = tie.split_once(':').unwrap_or((tie, ""));
            self.tie(id).cmp(&theirs)
        })
    }

    /// The tie-break of every order: the record key's text order (`kind:slug`).
    fn tie(&self, id: Id) -> (&'static str, &str) {
        let r = self.rec(id);
        (r.kind().as_str(), r.slug())
    }
}

/// Records per piece of an order.
const PIECE: usize = 1024;

/// One kind's records in one order, ascending, in pieces that are shared between snapshots.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct OrderList {
    pieces: Vec<Arc<Vec<Id>>>,
    len: usize,
}

impl OrderList {
    pub const EMPTY: OrderList = OrderList {
        pieces: Vec::new(),
        len: 0,
    };

    /// An order of `ids`, already sorted.
    pub fn from_sorted(ids: Vec<Id>) -> OrderList {
        let len = ids.len();
        OrderList {
            pieces: ids.chunks(PIECE).map(|c| Arc::new(c.to_vec())).collect(),
            len,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    /// Bytes held by the pieces.
    pub fn footprint(&self) -> usize {
        self.pieces.iter().map(|p| p.capacity() * 4 + 16).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Where the first element for which `before` is false stands (elements for which it is
    /// true must all come first).
    pub fn partition_point(&self, before: impl Fn(Id) -> bool) -> usize {
        let piece = self
            .pieces
            .partition_point(|p| p.last().is_some_and(|last| before(*last)));
        let skipped: usize = self.pieces[..piece].iter().map(|p| p.len()).sum();
        skipped
            + self
                .pieces
                .get(piece)
                .map_or(0, |p| p.partition_point(|id| before(*id)))
    }

    /// The elements from position `from` on, ascending.
    pub fn iter_from(&self, from: usize) -> impl Iterator<Item = Id> + '_ {
        self.pieces
            .iter()
            .flat_map(|p| p.iter().copied())
            .skip(from)
    }

    /// The elements before position `to`, descending.
    pub fn iter_back_from(&self, to: usize) -> impl Iterator<Item = Id> + '_ {
        let skip = self.len - to.min(self.len);
        self.pieces
            .iter()
            .rev()
            .flat_map(|p| p.iter().rev().copied())
            .skip(skip)
    }

    /// Inserts `id` where `before` (true for elements that come before it) places it.
    pub fn insert(&mut self, id: Id, before: impl Fn(Id) -> bool) {
        if self.pieces.is_empty() {
            self.pieces.push(Arc::new(vec![]));
        }
        let last = self.pieces.len() - 1;
        let piece = self
            .pieces
            .partition_point(|p| p.last().is_some_and(|l| before(*l)))
            .min(last);
        let p = Arc::make_mut(&mut self.pieces[piece]);
        let at = p.partition_point(|x| before(*x));
        p.insert(at, id);
        if p.len() >= 2 * PIECE {
            let tail = p.split_off(PIECE);
            self.pieces.insert(piece + 1, Arc::new(tail));
        }
        self.len += 1;
    }

    /// Removes `id`, found where `before` places it; false when it is not there.
    pub fn remove(&mut self, id: Id, before: impl Fn(Id) -> bool) -> bool {
        let piece = self
            .pieces
            .partition_point(|p| p.last().is_some_and(|l| before(*l)));
        let Some(p) = self.pieces.get(piece) else {
            return false;
        };
        let at = p.partition_point(|x| before(*x));
        if p.get(at) != Some(&id) {
            return false;
        }
        let p = Arc::make_mut(&mut self.pieces[piece]);
        p.remove(at);
        if p.is_empty() {
            self.pieces.remove(piece);
        }
        self.len -= 1;
        true
    }
}
