//! Orders of records: the fields a list can be ordered by, a record's sort key, and every record's
//! rank in each order, computed once per read-model snapshot so that ordering a list of thousands
//! compares integers rather than names (the sort keys themselves are only built for cursors).
use std::collections::HashMap;

use async_graphql::Enum;
use entity::ids::Kind;
use serde::{Deserialize, Serialize};

use crate::index::Index;

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
    /// Every field, in the order of `Ranks`' slots.
    pub const ALL: [OrderField; 5] = [
        OrderField::Name,
        OrderField::NameEn,
        OrderField::Date,
        OrderField::Degree,
        OrderField::Slug,
    ];

    fn slot(self) -> usize {
        match self {
            OrderField::Name => 0,
            OrderField::NameEn => 1,
            OrderField::Date => 2,
            OrderField::Degree => 3,
            OrderField::Slug => 4,
        }
    }
}

/// A record's position in an order.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SortKey {
    Text(String),
    Int(i64),
}

/// The value a record is ordered by (ties are broken by `kind:slug`).
pub fn sort_key(index: &Index, kind: Kind, slug: &str, field: OrderField) -> SortKey {
    let e = index.entry(&(kind, slug.to_owned()));
    match field {
        OrderField::Name => SortKey::Text(e.map(|e| e.name_zh.clone()).unwrap_or_default()),
        OrderField::NameEn => SortKey::Text(
            e.map(|e| {
                e.name_en
                    .clone()
                    .unwrap_or_else(|| e.name_zh.clone())
                    .to_lowercase()
            })
            .unwrap_or_default(),
        ),
        OrderField::Date => SortKey::Text(e.and_then(|e| e.date.clone()).unwrap_or_default()),
        OrderField::Degree => SortKey::Int(index.degree(kind, slug) as i64),
        OrderField::Slug => SortKey::Text(slug.to_owned()),
    }
}

/// Every record's position in each order: sorting by rank gives the same order as sorting by
/// (sort key, `kind:slug`), across kinds.
#[derive(Default)]
pub struct Ranks(HashMap<Kind, HashMap<String, [u32; 5]>>);

impl Ranks {
    /// Ranks every entry of `index` (whose entries and degrees are complete).
    pub fn build(index: &Index) -> Ranks {
        let mut ranks: HashMap<Kind, HashMap<String, [u32; 5]>> = HashMap::new();
        for field in OrderField::ALL {
            let mut items: Vec<(SortKey, String, &crate::index::Key)> = index
                .entries
                .keys()
                .map(|k| {
                    (
                        sort_key(index, k.0, &k.1, field),
                        entity::ids::record_key(k.0, &k.1),
                        k,
                    )
                })
                .collect();
            items.sort_unstable();
            for (position, (_, _, (kind, slug))) in items.into_iter().enumerate() {
                ranks
                    .entry(*kind)
                    .or_default()
                    .entry(slug.clone())
                    .or_default()[field.slot()] = position as u32;
            }
        }
        Ranks(ranks)
    }

    /// The rank of a record in `field`'s order; `None` for a record the snapshot does not hold.
    pub fn get(&self, kind: Kind, slug: &str, field: OrderField) -> Option<u32> {
        self.0
            .get(&kind)
            .and_then(|m| m.get(slug))
            .map(|r| r[field.slot()])
    }
}
