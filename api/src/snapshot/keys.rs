//! A build's key → ID table. Every row a build reads names its records by key, `(kind, slug)`:
//! at 462k records that is several million lookups, which were a seventh of a first start's CPU
//! (perf, scale 1,000) while the table was a `HashMap` of key hashes whose every hit was checked
//! against the record's own slug — three cache misses, the record and its slug far apart in
//! memory. Here the slots are 8 bytes (a hash tag and an ID) and the slugs lie in one text in ID
//! order, so a hit is one probe and one comparison, both in a few megabytes.
//!
//! Hand-rolled rather than a `HashMap` because the entries' keys are not stored in it: they are
//! the records' own slugs, laid out once, and a slot holds only what finds them.
use std::hash::BuildHasher;

use entity::ids::Kind;

use super::data::Id;

/// An empty slot.
const EMPTY: u64 = 0;

/// Record IDs by key. Built once from records sorted by kind (then slug), never changed.
pub(super) struct KeyIndex {
    /// Open addressing with linear probing, at most half full: each slot is the key hash's high
    /// 32 bits and the ID plus one, or [`EMPTY`].
    slots: Vec<u64>,
    mask: usize,
    /// Every record's slug, in ID order; record `i`'s is `slugs[ends[i]..ends[i + 1]]`.
    slugs: String,
    ends: Vec<u32>,
    /// Where each kind's IDs begin and end (records come sorted by kind), by `Kind as usize`.
    kinds: Vec<std::ops::Range<u32>>,
}

fn hash(kind: Kind, slug: &str) -> u64 {
    foldhash::fast::FixedState::default().hash_one((kind, slug))
}

impl KeyIndex {
    /// Indexes `keys`, given in ID order and grouped by kind.
    pub fn new<'a>(keys: impl ExactSizeIterator<Item = (Kind, &'a str)>) -> KeyIndex {
        let capacity = (keys.len() * 2).next_power_of_two().max(2);
        let mut index = KeyIndex {
            slots: vec![EMPTY; capacity],
            mask: capacity - 1,
            slugs: String::new(),
            ends: Vec::with_capacity(keys.len() + 1),
            kinds: vec![0..0; Kind::ALL.len()],
        };
        index.ends.push(0);
        for (i, (kind, slug)) in keys.enumerate() {
            let id = i as u32;
            let range = &mut index.kinds[kind as usize];
            let first = range.start == range.end;
            debug_assert!(first || range.end == id, "keys not grouped by kind");
            if first {
                *range = id..id;
            }
            range.end = id + 1;
            index.slugs.push_str(slug);
            index.ends.push(index.slugs.len() as u32);
            let h = hash(kind, slug);
            let mut at = h as usize & index.mask;
            while index.slots[at] != EMPTY {
                at = (at + 1) & index.mask;
            }
            index.slots[at] = (h & !0xffff_ffff) | u64::from(id + 1);
        }
        index
    }

    /// The ID of the record of `kind` with `slug`.
    pub fn find(&self, kind: Kind, slug: &str) -> Option<Id> {
        let h = hash(kind, slug);
        let tag = h & !0xffff_ffff;
        let ids = self.kinds.get(kind as usize)?;
        let mut at = h as usize & self.mask;
        loop {
            let slot = self.slots[at];
            if slot == EMPTY {
                return None;
            }
            let id = (slot as u32).wrapping_sub(1);
            if slot & !0xffff_ffff == tag && ids.contains(&id) && self.slug(id) == Some(slug) {
                return Some(Id(id));
            }
            at = (at + 1) & self.mask;
        }
    }

    fn slug(&self, id: u32) -> Option<&str> {
        let i = id as usize;
        let (start, end) = (*self.ends.get(i)?, *self.ends.get(i + 1)?);
        self.slugs.get(start as usize..end as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_key_and_no_other() {
        // Kinds in `Kind::ALL`'s order, slugs sorted within each, as a build gives them.
        let mut keys: Vec<(Kind, String)> = vec![];
        for kind in Kind::ALL {
            for n in 0..300 {
                keys.push((kind, format!("{}-{n:04}", kind.as_str())));
            }
            // The same slug under every kind: only the kind tells them apart.
            keys.push((kind, "shared".to_owned()));
        }
        let index = KeyIndex::new(keys.iter().map(|(k, s)| (*k, s.as_str())));
        for (i, (kind, slug)) in keys.iter().enumerate() {
            assert_eq!(index.find(*kind, slug), Some(Id(i as u32)), "{kind}:{slug}");
        }
        assert_eq!(index.find(Kind::Zone, "zone-0300"), None);
        assert_eq!(index.find(Kind::Zone, "platform-0001"), None);
        assert_eq!(index.find(Kind::Zone, "zone-000"), None);
        assert_eq!(index.find(Kind::Zone, ""), None);
    }

    #[test]
    fn an_empty_index_finds_nothing() {
        let index = KeyIndex::new(std::iter::empty());
        assert_eq!(index.find(Kind::Zone, "x"), None);
    }
}
